/**
 * Reading a policy: YAML syntax, then shape (JSON Schema), then meaning (ranges, globs, sources),
 * every problem collected before anything is thrown, each with its line, column and field path.
 */
import {readFileSync} from 'node:fs';

import {ProvenanceError} from '../errors';

import {policyDigest} from './digest';
import {toPolicy, withDatesAsStrings, type ValidatedPolicy} from './normalise';
import {PolicyInvalidError} from './policyError';
import type {Policy, PolicyProblem} from './policy.types';
import {checkSemantics} from './semanticCheck';
import {checkShape} from './schemaCheck';
import {parseYaml} from './yamlDocument';

export {DEFAULT_POLICY} from './defaultPolicy';

function withDigest(policy: Omit<Policy, `digest`>): Policy {
  return {...policy, digest: policyDigest(policy)};
}

function byPosition(a: PolicyProblem, b: PolicyProblem): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || a.path.localeCompare(b.path);
}

/** Parses and validates a policy; throws `PolicyInvalidError` (POLICY_INVALID) listing every problem. */
export function parsePolicy(text: string, origin: string): Policy {
  const yaml = parseYaml(text);
  const problems = [...yaml.problems];

  let data: unknown;
  if (yaml.data !== undefined) {
    data = withDatesAsStrings(yaml.data);
    const findings = [...checkShape(data), ...checkSemantics(data)];
    problems.push(...findings.map(yaml.toProblem));
  }

  if (problems.length > 0 || data === undefined) {
    const unique = new Map(problems.map(problem => [`${problem.line}:${problem.column}:${problem.path}:${problem.message}`, problem]));
    throw new PolicyInvalidError(origin, [...unique.values()].sort(byPosition));
  }

  // From here on the policy file is no longer untrusted input: every check above has passed.
  return withDigest(toPolicy(data as ValidatedPolicy, origin, path => yaml.positionOf(path)));
}

/** Reads and parses a policy file; an unreadable file is INPUT_UNREADABLE, a bad one POLICY_INVALID. */
export function loadPolicyFile(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, `utf8`);
  } catch (error) {
    throw new ProvenanceError({
      code: `INPUT_UNREADABLE`,
      message: `Cannot read the policy file ${path}: ${(error as Error).message}`,
      cause: error,
    });
  }
  return parsePolicy(text, path);
}
