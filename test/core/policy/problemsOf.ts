/** Parses a policy that must be rejected, and returns the rejection for assertions on codes and paths. */
import {expect} from 'vitest';

import {PolicyInvalidError} from '../../../sources/core/policy/policyError';
import {parsePolicy} from '../../../sources/core/policy/parsePolicy';
import type {PolicyProblem} from '../../../sources/core/policy/policy.types';

export function rejectionOf(text: string): PolicyInvalidError {
  try {
    parsePolicy(text, `policy.yml`);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyInvalidError);
    return error as PolicyInvalidError;
  }
  throw new Error(`expected the policy to be rejected`);
}

/** The problems as `path@line:column`, the part of a problem tests may rely on. */
export function problemsOf(text: string): string[] {
  const error = rejectionOf(text);
  expect(error.code).toBe(`POLICY_INVALID`);
  return error.problems.map(({path, line, column}: PolicyProblem) => `${path}@${line}:${column}`);
}
