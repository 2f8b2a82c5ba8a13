/**
 * The one error a policy file can raise. It carries every problem found, so that a user fixes the
 * whole file in one go instead of discovering mistakes one run at a time.
 */
import {ProvenanceError} from '../errors';

import type {PolicyProblem} from './policy.types';

/** `<origin>:<line>:<column> <path>: <message>`, the shape editors and terminals turn into links. */
export function formatProblem(origin: string, problem: PolicyProblem): string {
  const where = problem.line === undefined
    ? origin
    : `${origin}:${problem.line}:${problem.column ?? 1}`;
  return `${where} ${problem.path}: ${problem.message}`;
}

export class PolicyInvalidError extends ProvenanceError {
  readonly origin: string;
  readonly problems: PolicyProblem[];

  constructor(origin: string, problems: PolicyProblem[]) {
    const count = problems.length === 1 ? `1 problem` : `${problems.length} problems`;
    const lines = problems.map(problem => `  ${formatProblem(origin, problem)}`);
    super({
      code: `POLICY_INVALID`,
      message: [`Invalid policy ${origin} (${count}):`, ...lines].join(`\n`),
    });
    this.name = `PolicyInvalidError`;
    this.origin = origin;
    this.problems = problems;
  }
}
