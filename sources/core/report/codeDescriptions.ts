import type {ErrorCode} from '../errors';
import {HOME_REPOSITORY} from '../home';

/** The README this version documents; SARIF links every rule to its section there. */
export const README_URL = `https://github.com/${HOME_REPOSITORY}/blob/main/README.md`;

/** README anchors: each code is documented in "Statuses and codes"; a policy's own problems in "The policy". */
export function helpUriOf(code: ErrorCode): string {
  return `${README_URL}#${code === `POLICY_INVALID` ? `the-policy` : `statuses-and-codes`}`;
}

/**
 * One short and one full description per code, for SARIF rules (and anyone who needs a sentence per code).
 * Typed by the code table, so that a new code does not compile until it is described here.
 */
export const CODE_DESCRIPTIONS: Record<ErrorCode, {short: string, full: string}> = {
  ATTESTATIONS_MALFORMED: {
    short: `The registry's attestations answer is malformed`,
    full: `The registry's attestations answer does not have the documented shape, so no attestation in it can be read or trusted.`,
  },
  ATTESTATIONS_TOO_LARGE: {
    short: `The registry's attestations answer is too large`,
    full: `The registry's attestations answer is over 1 MiB; it is refused before parsing.`,
  },
  BUNDLE_MALFORMED: {
    short: `A Sigstore bundle is malformed`,
    full: `An attestation's Sigstore bundle is not a valid bundle (including a certificate or timestamp that is not valid DER), so its signature cannot be checked.`,
  },
  SIGNATURE_INVALID: {
    short: `An attestation's Sigstore signature does not verify`,
    full: `Sigstore verification of an attestation failed (signature, certificate chain, transparency log or timestamps), or it was signed with the wrong kind of key.`,
  },
  STATEMENT_MALFORMED: {
    short: `An in-toto statement is malformed`,
    full: `The signed payload is not a valid in-toto statement, so its subject and predicate cannot be read.`,
  },
  PREDICATE_TYPE_MISMATCH: {
    short: `An attestation's predicate type differs from the one it is filed under`,
    full: `The signed statement's predicate type is not the one the registry's answer lists it under.`,
  },
  PREDICATE_UNSUPPORTED: {
    short: `The provenance predicate is not one this version understands`,
    full: `The SLSA provenance predicate lacks fields this version needs to compare it with the signing certificate.`,
  },
  SUBJECT_NAME_MISMATCH: {
    short: `The attestations are for another package or version`,
    full: `The attested subject names another package or version than the one installed: attestations were swapped.`,
  },
  SUBJECT_DIGEST_MISMATCH: {
    short: `The tarball is not the one that was attested`,
    full: `The sha512 of the package tarball differs from the digest in the signed attestation: the bytes were changed after the build.`,
  },
  CACHE_BINDING_MISMATCH: {
    short: `The package Yarn would link was not made from the attested tarball`,
    full: `The zip in Yarn's cache (what would be linked) was not made from the tarball the registry serves and the attestations cover.`,
  },
  PUBLISH_PREDICATE_MISMATCH: {
    short: `The publish attestation disagrees with the package`,
    full: `The registry's publish attestation names another package, version or tarball than the one installed.`,
  },
  CERT_PREDICATE_MISMATCH: {
    short: `The provenance claims disagree with the signing certificate`,
    full: `The SLSA predicate claims a repository, ref, commit or workflow that the Fulcio certificate does not show; only the certificate says who built the package.`,
  },
  LOCKFILE_RESOLUTION_MISMATCH: {
    short: `The lockfile resolves a dependency to something its range cannot`,
    full: `A lockfile entry resolves a dependency to another package, protocol or version than its range allows: a hand edit that Yarn would otherwise trust.`,
  },
  LOCKED_INTEGRITY_UNUSABLE: {
    short: `The lockfile's integrity cannot bind the package to an attested tarball`,
    full: `An npm or pnpm lockfile entry of an attested package has no integrity, or only a sha1 one: nothing ties what the package manager will download to the sha512 the attestations cover.`,
  },
  REGISTRY_SIGNATURE_INVALID: {
    short: `The registry's signature over the package does not verify`,
    full: `The registry's ECDSA signature over <name>@<version>:<integrity> (dist.signatures) does not verify with a registry key from the trust material that was valid when the version was published, or it signs another integrity than the tarball's.`,
  },
  PROVENANCE_MISSING: {
    short: `The policy requires provenance and the package has none`,
    full: `The rule that matches the package requires provenance, and the registry has no provenance attestation for this version.`,
  },
  SOURCE_UNATTESTABLE: {
    short: `The package comes from a source that cannot carry provenance`,
    full: `A git, tarball-URL, file: or exec: dependency where the matching rule requires provenance; give it a rule with require: none and a reason to allow it.`,
  },
  SOURCE_REPO_MISMATCH: {
    short: `The package was built from another repository than the policy allows`,
    full: `The source repository in the signing certificate is not one the matching rule allows.`,
  },
  REF_MISMATCH: {
    short: `The package was built from another git ref than the policy allows`,
    full: `The git ref in the signing certificate is not one the matching rule allows.`,
  },
  WORKFLOW_MISMATCH: {
    short: `The package was built by another workflow than the policy allows`,
    full: `The workflow in the signing certificate (BuildConfigURI) is not one the matching rule allows.`,
  },
  BUILDER_MISMATCH: {
    short: `The package was built by another builder than the policy allows`,
    full: `The builder (hosted runner or reusable workflow that signed) is not one the matching rule allows.`,
  },
  RUNNER_MISMATCH: {
    short: `The package was built on another kind of runner than the policy allows`,
    full: `The runner environment in the signing certificate (github-hosted, self-hosted…) is not the one the matching rule requires.`,
  },
  ISSUER_MISMATCH: {
    short: `The signing identity came from another OIDC issuer than the policy allows`,
    full: `The OIDC issuer in the signing certificate is not one the matching rule allows.`,
  },
  LEVEL_TOO_LOW: {
    short: `The package's SLSA Build level is below what the policy requires`,
    full: `The SLSA Build level the verified evidence shows (1 verified provenance, 2 from a platform-hosted runner, 3 by a builder known to isolate the build) is lower than the matching rule's level.`,
  },
  PROVENANCE_DOWNGRADE: {
    short: `Provenance was lost within a pinned release line`,
    full: `The pins file (.provenance.lock) records that this release line was built with provenance; this version has none. A stolen npm token publishes exactly this.`,
  },
  SOURCE_REPO_CHANGED: {
    short: `The source repository changed within a pinned release line`,
    full: `This version was built from another source repository than the one pinned for its release line in .provenance.lock.`,
  },
  WORKFLOW_CHANGED: {
    short: `The build workflow changed within a pinned release line`,
    full: `This version was built by another workflow or builder than the one pinned for its release line in .provenance.lock.`,
  },
  RUNNER_DOWNGRADE: {
    short: `The build moved from a hosted to a self-hosted runner`,
    full: `The release line is pinned as built on a platform-hosted runner; this version was built on a self-hosted runner (or one the certificate does not name).`,
  },
  PUBLISHER_DOWNGRADE: {
    short: `Trusted publishing was lost within a pinned release line`,
    full: `The release line is pinned as published by a trusted publisher, staged for approval, or with a publish attestation; this version was published without it.`,
  },
  REGISTRY_SIGNATURE_MISSING: {
    short: `The registry served no signature for the package`,
    full: `The policy requires registry signatures (signatures.missing: enforce) and the registry's metadata for this version has no dist.signatures entry.`,
  },
  NETWORK_UNVERIFIABLE: {
    short: `The attestations could not be fetched; nothing was concluded`,
    full: `The registry did not answer, answered with an error status, or not in time: the package could not be verified, which is never reported as a violation.`,
  },
  VERIFIER_FAILED: {
    short: `The verifier itself could not run; nothing was concluded`,
    full: `The verifier could not run (for example its worker thread died): the package could not be verified.`,
  },
  TRUST_STALE: {
    short: `The trust material does not know a key or log the attestations name`,
    full: `A signature failure that an upstream key or log rotation would explain, and refreshing the trust material did not help or was not possible.`,
  },
  POLICY_INVALID: {
    short: `The policy file is invalid`,
    full: `The policy file has a syntax error, an unknown key or a value it cannot take; every problem is reported with its line and field path.`,
  },
  TRUST_MATERIAL_INVALID: {
    short: `A trust file is invalid`,
    full: `The Sigstore trusted root or the registry keys file given by a setting or flag cannot be read as such.`,
  },
  INPUT_UNREADABLE: {
    short: `An input file cannot be read`,
    full: `A file given on the command line does not exist or cannot be read.`,
  },
  OUTPUT_UNWRITABLE: {
    short: `A report file cannot be written`,
    full: `A report file the caller asked for (--gitlab-codequality <file>) cannot be written: its folder is missing or not writable.`,
  },
  LOCKFILE_INVALID: {
    short: `The lockfile is not a supported npm or pnpm lockfile`,
    full: `The package-lock.json, npm-shrinkwrap.json or pnpm-lock.yaml is not well-formed, or is a version the check does not read (npm 6, pnpm 7).`,
  },
  USAGE_INVALID: {
    short: `The command was used wrongly`,
    full: `A required argument is missing or a flag has a value it cannot take.`,
  },
  SETTING_INVALID: {
    short: `A plugin setting has a value it cannot take`,
    full: `A provenance setting in .yarnrc.yml has a value it cannot take.`,
  },
  PINS_INVALID: {
    short: `The pins file cannot be read`,
    full: `.provenance.lock is not a well-formed pins file (version 1, known fields only): it is refused whole, so the install stops rather than judge without it.`,
  },
  YARN_UNSUPPORTED: {
    short: `This Yarn is not supported by the plugin`,
    full: `The plugin is loaded by a Yarn outside the supported range: every install is refused up front.`,
  },
};
