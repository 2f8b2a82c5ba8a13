/**
 * One error base for everything the core rejects. Every rejection carries a stable code from one
 * table, so that callers (the CLI, the Yarn gate, tests) branch on codes and never on message text.
 * The table is the only place a code's kind is written: the type of codes, the kinds, the exit code
 * and the README's table all derive from it.
 */

/**
 * - `invalid`: the evidence is present but is not what it claims (bad signature, wrong subject,
 *   forged claims, a cached package not made from the attested tarball).
 * - `violation`: the evidence is genuine but the policy does not allow what it says (or requires
 *   what is absent).
 * - `unverifiable`: nothing could be concluded (network, registry, the verifier itself). Never a
 *   policy verdict.
 * - `usage`: the caller's own input is wrong (a policy, a setting, a file, a flag).
 */
export type ErrorKind = `invalid` | `violation` | `unverifiable` | `usage`;

export const ERROR_CODES = {
  ATTESTATIONS_MALFORMED: `invalid`,
  ATTESTATIONS_TOO_LARGE: `invalid`,
  BUNDLE_MALFORMED: `invalid`,
  SIGNATURE_INVALID: `invalid`,
  STATEMENT_MALFORMED: `invalid`,
  PREDICATE_TYPE_MISMATCH: `invalid`,
  PREDICATE_UNSUPPORTED: `invalid`,
  SUBJECT_NAME_MISMATCH: `invalid`,
  SUBJECT_DIGEST_MISMATCH: `invalid`,
  /** The zip Yarn would link was not made from the tarball the registry serves (and was attested). */
  CACHE_BINDING_MISMATCH: `invalid`,
  PUBLISH_PREDICATE_MISMATCH: `invalid`,
  CERT_PREDICATE_MISMATCH: `invalid`,
  /** The lockfile resolves a dependency to another package or protocol than its range can. */
  LOCKFILE_RESOLUTION_MISMATCH: `invalid`,
  /** An npm/pnpm lockfile entry whose `integrity` is missing or has no sha512: nothing binds it to an attested tarball. */
  LOCKED_INTEGRITY_UNUSABLE: `invalid`,
  /** The registry's signature over `<name>@<version>:<integrity>` does not verify with a registry key valid at publish time. */
  REGISTRY_SIGNATURE_INVALID: `invalid`,

  PROVENANCE_MISSING: `violation`,
  /** A git, tarball-URL, `file:` or `exec:` dependency where the rule requires provenance. */
  SOURCE_UNATTESTABLE: `violation`,
  SOURCE_REPO_MISMATCH: `violation`,
  REF_MISMATCH: `violation`,
  WORKFLOW_MISMATCH: `violation`,
  BUILDER_MISMATCH: `violation`,
  RUNNER_MISMATCH: `violation`,
  ISSUER_MISMATCH: `violation`,
  /** The evidence shows a lower SLSA Build level than the rule's `level:`. */
  LEVEL_TOO_LOW: `violation`,
  /** Continuity against the pins file (`.provenance.lock`), judged within a release line: */
  /** the pinned line was built with provenance; this version has none. */
  PROVENANCE_DOWNGRADE: `violation`,
  /** this version was built from another source repository than the pin. */
  SOURCE_REPO_CHANGED: `violation`,
  /** this version was built by another workflow (or builder) than the pin. */
  WORKFLOW_CHANGED: `violation`,
  /** the pin was built on a platform-hosted runner; this version on a self-hosted one. */
  RUNNER_DOWNGRADE: `violation`,
  /** the pin was published by a trusted publisher (or staged, or with a publish attestation); this version was not. */
  PUBLISHER_DOWNGRADE: `violation`,
  /** The policy asks for registry signatures (`signatures.missing: enforce`) and the registry served none. */
  REGISTRY_SIGNATURE_MISSING: `violation`,

  NETWORK_UNVERIFIABLE: `unverifiable`,
  /** The verifier itself could not run (a worker thread failed): nothing was concluded. */
  VERIFIER_FAILED: `unverifiable`,
  /** A signature failure that a key or log rotation would explain, not cured by refreshing the trust (or no refresh possible). */
  TRUST_STALE: `unverifiable`,

  POLICY_INVALID: `usage`,
  TRUST_MATERIAL_INVALID: `usage`,
  INPUT_UNREADABLE: `usage`,
  /** A report file the caller asked for (`--gitlab-codequality <file>`) cannot be written. */
  OUTPUT_UNWRITABLE: `usage`,
  /** A package-lock.json or pnpm-lock.yaml that cannot be read as a supported lockfile version. */
  LOCKFILE_INVALID: `usage`,
  USAGE_INVALID: `usage`,
  /** A plugin setting (`.yarnrc.yml`) has a value it cannot take. */
  SETTING_INVALID: `usage`,
  /** The pins file (`.provenance.lock`) cannot be read as one: refused whole, never half-read. */
  PINS_INVALID: `usage`,
  /** The plugin is loaded by a Yarn it does not support: every install is refused up front. */
  YARN_UNSUPPORTED: `usage`,
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof ERROR_CODES;
type CodeOfKind<K extends ErrorKind> = {[C in ErrorCode]: (typeof ERROR_CODES)[C] extends K ? C : never}[ErrorCode];
export type InvalidCode = CodeOfKind<`invalid`>;
export type ViolationCode = CodeOfKind<`violation`>;
export type UnverifiableCode = CodeOfKind<`unverifiable`>;
export type UsageCode = CodeOfKind<`usage`>;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === `string` && Object.hasOwn(ERROR_CODES, value);
}

export function kindOf(code: ErrorCode): ErrorKind {
  return ERROR_CODES[code];
}

/** What a rejection expected and what it found, for messages that explain themselves. */
export type Mismatch = {
  /** What was compared, as a sentence: "The tarball is not the one that was attested". */
  what: string;
  expected: string;
  found: string;
};

export class ProvenanceError extends Error {
  readonly code: ErrorCode;
  readonly mismatch?: Mismatch;

  constructor({code, message, cause, mismatch}: {code: ErrorCode, message: string, cause?: unknown, mismatch?: Mismatch}) {
    super(message, cause === undefined ? undefined : {cause});
    this.name = `ProvenanceError`;
    this.code = code;
    this.mismatch = mismatch;
  }

  get kind(): ErrorKind {
    return kindOf(this.code);
  }
}

export function isProvenanceError(error: unknown): error is ProvenanceError {
  return error instanceof ProvenanceError;
}

/** The caller's own mistake (a setting, a policy, a file, a flag): exit 2, never a verdict. */
export function isUsageError(error: unknown): error is ProvenanceError {
  return isProvenanceError(error) && error.kind === `usage`;
}

/** Shortcut for the common case of a check that compares an expected value with what was found. */
export function mismatch(code: ErrorCode, what: string, expected: string, found: string | undefined): ProvenanceError {
  const shown = found ?? `(absent)`;
  return new ProvenanceError({
    code,
    message: `${what}: expected ${expected}, found ${shown}`,
    mismatch: {what, expected, found: shown},
  });
}
