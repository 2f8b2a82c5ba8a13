import {ProvenanceError} from '../errors';

/** A lockfile the check cannot read: the caller's input, so exit 2 and never a verdict. */
export function lockfileInvalid(origin: string, problem: string): ProvenanceError {
  return new ProvenanceError({code: `LOCKFILE_INVALID`, message: `${origin} cannot be checked: ${problem}`});
}
