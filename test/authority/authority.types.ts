/**
 * The public shape of the test signing authority: a private Sigstore deployment (Fulcio CA with a CT
 * log, a Rekor log) plus an npm registry's attestation key, all in one process, for tests only.
 */
import type {KeyObject} from 'node:crypto';

/** Who built the package: what the CI provider's OIDC token would say, and Fulcio would copy. */
export type BuildIdentity = {
  platform: `github` | `gitlab`;
  /** `https://github.com/acme/widget` or `https://gitlab.com/acme/widget`. */
  repository: string;
  /** Default `refs/heads/main`. */
  ref?: string;
  /** Default: a deterministic 40-hex sha1 derived from `repository` and `ref`. */
  commit?: string;
  /** Default `.github/workflows/release.yml` (github) or `.gitlab-ci.yml` (gitlab). */
  workflowPath?: string;
  /** Default `github-hosted` (github) or `gitlab-hosted` (gitlab). */
  runnerEnvironment?: `github-hosted` | `self-hosted` | `gitlab-hosted`;
  /** Default `https://token.actions.githubusercontent.com` (github) or `https://gitlab.com` (gitlab). */
  issuer?: string;
  /**
   * github only: a reusable workflow that ran the build and signed, with its ref
   * (`https://github.com/o/r/.github/workflows/x.yml@refs/tags/v1.0.0`). It becomes the SAN and
   * BuildSignerURI; BuildConfigURI stays the package's own workflow. Default: the package's workflow signs.
   */
  signerWorkflow?: string;
  /**
   * The predicate's builder id. Default what npm writes: `https://github.com/actions/runner/<runner>`
   * (SLSA v1), `https://github.com/actions/runner` (gha/v2), `<project>/-/runners/<id>` (GitLab).
   */
  builderId?: string;
  /** github only: `slsa-v1` (default; npm since mid-2023) or `npm-gha-v2` (SLSA v0.2, npm in early 2023). */
  predicateFormat?: `slsa-v1` | `npm-gha-v2`;
};

export type MintOptions = {
  pkg: {name: string, version: string};
  /** sha512 hex of the tarball bytes. */
  tarballSha512: string;
  identity: BuildIdentity;
  /** Include a provenance attestation (signed by a Fulcio leaf). Default true. */
  provenance?: boolean;
  /** Include a publish attestation (signed by the registry key). Default true. */
  publish?: boolean;
  /** Issue a leaf that had already expired when the transparency log integrated the signature. */
  expiredCertificate?: boolean;
  /**
   * Media type of the provenance bundle. `v0.2` (default): `x509CertificateChain`, tlog kind
   * `intoto` 0.0.2. `v0.3`: single `certificate`, tlog kind `dsse` 0.0.1 (the publish bundle then
   * stays v0.2 with a `dsse` entry, as npm writes them today).
   */
  bundleMediaType?: `v0.2` | `v0.3`;
};

/** The body of `GET /-/npm/v1/attestations/<name>@<version>`. */
export type AttestationsAnswer = {attestations: Array<{predicateType: string, bundle: unknown}>};

export type TestAuthority = {
  /** trusted_root.json content: the CA chain (intermediate, root), the Rekor log and the CT log. */
  trustedRoot: object;
  /** TUF `registry.npmjs.org/keys.json` shape: the registry key, listed for `npm:signatures` and `npm:attestations`. */
  registryKeys: object;
  /** The registry key, for a test registry to sign `dist.signatures` with (`startRegistry({signingKey})`). */
  registrySigner: {keyId: string, privateKey: KeyObject};
  mint(options: MintOptions): Promise<AttestationsAnswer>;
  /** Writes `trusted_root.json` and `registry-keys.json` into `dir` (created if needed). */
  writeTrustFiles(dir: string): {trustedRootPath: string, registryKeysPath: string};
};
