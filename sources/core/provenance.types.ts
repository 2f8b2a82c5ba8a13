/**
 * The typed values that flow through the pipeline:
 * registry answer → AttestationSet → VerifiedProvenance → Verdict.
 */
import type {ErrorCode} from './errors';
import type {Pin, PinIdentity, PinKey} from './pins/pins.types';

/** An npm package version as the registry names it. */
export type PackageRef = {
  name: string;
  version: string;
};

export const PROVENANCE_PREDICATE_TYPES = [
  `https://slsa.dev/provenance/v0.2`,
  `https://slsa.dev/provenance/v1`,
] as const;
export const PUBLISH_PREDICATE_TYPE = `https://github.com/npm/attestation/tree/main/specs/publish/v0.1`;

/** One entry of the registry's attestations answer, shape-checked but not yet verified. */
export type AttestationEntry = {
  predicateType: string;
  /** The Sigstore bundle as JSON; still untrusted. */
  bundle: unknown;
};

export type AttestationSet = {
  provenance?: AttestationEntry;
  publish?: AttestationEntry;
  /** Predicate types we do not interpret; reported, never trusted. */
  unknownPredicateTypes: string[];
};

/**
 * The signer identity read from the Fulcio certificate that Sigstore verified. Only these fields say
 * who built the package: the predicate is written by the workflow and is trusted only where it agrees.
 */
export type CertificateIdentity = {
  subjectAlternativeName?: string;
  issuer?: string;
  /** Normalised `https://host/owner/repo`. */
  sourceRepo?: string;
  ref?: string;
  commit?: string;
  /** Path of the workflow that defined the build (BuildConfigURI, or the SAN when absent). */
  workflowPath?: string;
  /** Workflow that signed (BuildSignerURI): differs from the build config for reusable workflows. */
  buildSignerUri?: string;
  /** Workflow that defined the build (BuildConfigURI, `.18`); absent on certificates from before about March 2023. */
  buildConfigUri?: string;
  runnerEnvironment?: string;
  /** Every Fulcio extension found, by OID, decoded to text. */
  extensions: Record<string, string>;
};

/** What the SLSA predicate claims, in one shape for all generations (v0.2 ×3, v1). */
export type ProvenanceClaims = {
  predicateType: string;
  buildType: string;
  builderId: string;
  sourceRepo: string;
  ref?: string;
  commit?: string;
  workflowPath?: string;
  /** Raw `entryPoint` for v0.2, kept because older npm versions wrote `owner/repo/path@ref`. */
  entryPoint?: string;
  runnerEnvironment?: string;
};

export type SlsaLevel = 0 | 1 | 2 | 3;

/** Everything established about one package after every check of the verifier passed. */
export type VerifiedProvenance = {
  package: PackageRef;
  /** sha512 hex of the tarball that was bound to the attestations. */
  tarballSha512: string;
  provenance?: {
    claims: ProvenanceClaims;
    identity: CertificateIdentity;
    /** When the transparency log recorded the signature. */
    integratedTime?: Date;
    /** The Rekor log index of that entry (decimal text): https://search.sigstore.dev/?logIndex=<it>. */
    logIndex?: string;
  };
  publish?: {
    keyId: string;
    integratedTime?: Date;
  };
  slsaLevel: SlsaLevel;
  unknownPredicateTypes: string[];
  /** What the registry's version metadata showed; absent when it was not asked (or before it was). */
  registry?: RegistryEvidence;
};

/**
 * The registry's own statements about a version. The signature is verified (registry key from the trust
 * material, valid at publish time, over `<name>@<version>:<integrity>` with the tarball's integrity); the
 * publisher signals are unsigned metadata, used only to add blocks (continuity), never to lift one.
 */
export type RegistryEvidence = {
  signature: `verified` | `absent`;
  /** Key id of the registry key whose signature verified. */
  keyId?: string;
  /** `_npmUser.trustedPublisher` was present: published through npm trusted publishing (OIDC). */
  trustedPublisher: boolean;
  /** The version went through npm's staged publishing (approved with 2FA before it went live). */
  staged: boolean;
};

/**
 * - `unattestable`: installed from a source that cannot carry npm provenance (git, a tarball URL, `file:`, `exec:`).
 * - `patched`: a `patch:` of a package whose unpatched source has a verdict of its own.
 * - `project`: the project's own code (workspaces, `link:`/`portal:` inside the project): listed, not judged.
 */
export type Status = `verified` | `violation` | `invalid` | `missing` | `unverifiable` | `unattestable` | `patched` | `project`;

/**
 * Which bytes a registry package's verdict is about. `local`: the sha512 the attestations were checked against is of
 * bytes this run tied to what is installed (a download hashed, a cached zip re-derived or bound before on this
 * machine, a tarball file). `registry`: only the registry's signed `dist.integrity` for the version (`audit` on a
 * machine that never bound the cached zip): the attested tarball is the one the registry serves, but nothing here
 * says the zip Yarn would link was made from it.
 */
export type Binding = `local` | `registry`;

/** What the policy concluded for one package. */
export type Verdict = {
  package: PackageRef;
  status: Status;
  /** Absent when the package verified and satisfied its rule. */
  code?: ErrorCode;
  message?: string;
  expected?: string;
  found?: string;
  /** Whether the install may go on: false blocks in `enforce` mode. */
  allowed: boolean;
  mode: `enforce` | `warn` | `off`;
  /** Index and description of the rule that decided, or `default`. */
  rule: string;
  notes: string[];
  provenance?: VerifiedProvenance;
  /** Other names the package is installed under (aliases): their rules were applied too. */
  installedAs?: string[];
  /** Where a package that is not an npm registry package comes from, e.g. `git https://…`. */
  origin?: string;
  /** The pin this version was compared with (`.provenance.lock`), when its package has one. */
  continuity?: VerdictContinuity;
  /** Which bytes the evidence is about; absent where no tarball sha512 was established (see Binding). */
  bound?: Binding;
};

/** Continuity as a verdict carries it: the pin beside the version's own identity, and what differed. */
export type VerdictContinuity = {
  key: PinKey;
  pin: Pin;
  /** False: the version's release line has no pin yet; the nearest other line's was compared. */
  sameLine: boolean;
  /** The version's identity; absent when it has no provenance. */
  seen?: PinIdentity;
  /** The continuity code found (whatever decided the verdict), absent when the identity is unchanged. */
  code?: ErrorCode;
  /** Set when PROVENANCE_ALLOW_CHANGE let the finding pass for this run. */
  overridden?: boolean;
};
