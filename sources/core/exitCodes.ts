import type {Verdict} from './provenance.types';

/** Documented in README.md ("Exit codes"); scripts and CI depend on these never changing. */
export const EXIT = {
  /** Every package verified, or was allowed by the policy. */
  OK: 0,
  /** A package failed verification or violated the policy. */
  FAILED: 1,
  /** Bad usage, an unreadable input file, or an invalid policy or trust file. */
  USAGE: 2,
  /** Nothing failed, but something could not be verified (network, registry). */
  UNVERIFIABLE: 3,
} as const;

/** Failures outrank unverifiable packages: a run with both exits 1. */
export function exitCodeFor(verdicts: ReadonlyArray<Verdict>): number {
  const blocking = verdicts.filter(verdict => !verdict.allowed);
  if (blocking.some(verdict => verdict.status !== `unverifiable`))
    return EXIT.FAILED;
  if (blocking.length > 0)
    return EXIT.UNVERIFIABLE;
  return EXIT.OK;
}
