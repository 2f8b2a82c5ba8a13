/**
 * One error base for everything the core rejects. Every rejection carries a stable code from a closed
 * union, so that callers (the CLI, the Yarn gate, tests) branch on codes and never on message text.
 */

/** The evidence is present but is not what it claims: bad signature, wrong subject, forged claims. */
export type InvalidCode =
  | `ATTESTATIONS_MALFORMED`
  | `ATTESTATIONS_TOO_LARGE`
  | `BUNDLE_MALFORMED`
  | `SIGNATURE_INVALID`
  | `STATEMENT_MALFORMED`
  | `PREDICATE_TYPE_MISMATCH`
  | `PREDICATE_UNSUPPORTED`
  | `SUBJECT_NAME_MISMATCH`
  | `SUBJECT_DIGEST_MISMATCH`
  | `CACHE_BINDING_MISMATCH`
  | `PUBLISH_PREDICATE_MISMATCH`
  | `CERT_PREDICATE_MISMATCH`;

/** The evidence is genuine but the policy does not allow what it says (or requires what is absent). */
export type ViolationCode =
  | `PROVENANCE_MISSING`
  | `SOURCE_REPO_MISMATCH`
  | `REF_MISMATCH`
  | `WORKFLOW_MISMATCH`
  | `BUILDER_MISMATCH`
  | `RUNNER_MISMATCH`
  | `ISSUER_MISMATCH`;

/** Nothing could be concluded: the network or the registry did not answer. Never a policy verdict. */
export type UnverifiableCode =
  | `NETWORK_UNVERIFIABLE`
  /** The verifier itself could not run (a worker thread failed): nothing was concluded. */
  | `VERIFIER_FAILED`;

/** The caller's own input is wrong: a policy, a file, a flag. */
export type UsageCode =
  | `POLICY_INVALID`
  | `TRUST_MATERIAL_INVALID`
  | `INPUT_UNREADABLE`
  | `USAGE_INVALID`;

export type ErrorCode = InvalidCode | ViolationCode | UnverifiableCode | UsageCode;

const VIOLATION_CODES: ReadonlySet<string> = new Set<ViolationCode>([
  `PROVENANCE_MISSING`, `SOURCE_REPO_MISMATCH`, `REF_MISMATCH`, `WORKFLOW_MISMATCH`,
  `BUILDER_MISMATCH`, `RUNNER_MISMATCH`, `ISSUER_MISMATCH`,
]);
const UNVERIFIABLE_CODES: ReadonlySet<string> = new Set<UnverifiableCode>([
  `NETWORK_UNVERIFIABLE`, `VERIFIER_FAILED`,
]);
const USAGE_CODES: ReadonlySet<string> = new Set<UsageCode>([
  `POLICY_INVALID`, `TRUST_MATERIAL_INVALID`, `INPUT_UNREADABLE`, `USAGE_INVALID`,
]);

export type ErrorKind = `invalid` | `violation` | `unverifiable` | `usage`;

export function kindOf(code: ErrorCode): ErrorKind {
  if (VIOLATION_CODES.has(code))
    return `violation`;
  if (UNVERIFIABLE_CODES.has(code))
    return `unverifiable`;
  if (USAGE_CODES.has(code))
    return `usage`;
  return `invalid`;
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

/** Shortcut for the common case of a check that compares an expected value with what was found. */
export function mismatch(code: ErrorCode, what: string, expected: string, found: string | undefined): ProvenanceError {
  const shown = found ?? `(absent)`;
  return new ProvenanceError({
    code,
    message: `${what}: expected ${expected}, found ${shown}`,
    mismatch: {what, expected, found: shown},
  });
}
