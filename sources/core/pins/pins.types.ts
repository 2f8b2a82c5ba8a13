/**
 * Provenance pins (`.provenance.lock`): per package name and release line, the identity that built it
 * when the project first installed that line. Pins only ever add blocks (continuity checks); the
 * policy alone decides what is allowed, so no edit to the file can lift a block the policy makes.
 */

/** Runner classes: only the class is pinned, so a move between hosted images is no change. */
export type RunnerClass = `hosted` | `self-hosted` | `unknown`;

/** What continuity compares; every field comes from verified evidence (the registry signals from metadata). */
export type PinIdentity = {
  /** `github.com/owner/repo`, as the policy writes repositories. */
  source: string;
  /** The workflow that defined the build, e.g. `.github/workflows/release.yml`; absent when the certificate names none. */
  workflow?: string;
  /** `github-actions`, `gitlab-ci`, `slsa-github-generator`, or the issuer of any other platform. */
  builder: string;
  runner: RunnerClass;
  /** The certificate's OIDC issuer. */
  issuer?: string;
  publishAttestation: boolean;
  trustedPublisher: boolean;
  staged: boolean;
};

export type Pin = PinIdentity & {
  /** The version this identity was first seen at (or approved at). */
  since: string;
  /** Why `approve` recorded it, when it was approved rather than first seen. */
  reason?: string;
};

/** `<name>@<line>`: the line is the major, or `0.<minor>` below 1.0.0. */
export type PinKey = string;

export type Pins = {
  entries: ReadonlyMap<PinKey, Pin>;
  /** sha256 hex of the canonical entries: part of the key under which a passed install is remembered. */
  digest: string;
  /** Where it was read from, for messages; `<none>` when the project has no pins file. */
  origin: string;
};
