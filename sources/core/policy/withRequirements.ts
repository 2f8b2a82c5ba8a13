import type {Evidence} from './evaluatePolicy';
import {evaluatePolicy} from './evaluatePolicy';
import {DEFAULT_POLICY} from './defaultPolicy';
import {policyDigest} from './digest';
import {ProvenanceError} from '../errors';
import {globProblem} from './glob';
import {normaliseSource, sourceProblem} from './source';
import type {Policy, Rule} from './policy.types';
import type {Verdict} from '../provenance.types';

export type FlagRequirements = {source?: string, builder?: string};

/**
 * The `--source-uri` / `--builder-id` flags as a policy of one rule, so that one-off checks use the
 * same engine (and the same messages) as the policy file. Null when no flag was given.
 */
export function flagPolicy(name: string, {source, builder}: FlagRequirements): Policy | null {
  if (source === undefined && builder === undefined)
    return null;
  // The flags are checked as the policy file's fields are: a bad value is the caller's mistake (exit 2).
  const problem = (source !== undefined ? sourceProblem(source) : undefined) ?? (builder !== undefined ? globProblem(builder) : undefined);
  if (problem !== undefined)
    throw new ProvenanceError({code: `USAGE_INVALID`, message: `${source !== undefined && sourceProblem(source) !== undefined ? `--source-uri ${source}` : `--builder-id ${builder}`}: ${problem}`});

  const rule: Rule = {
    index: 0,
    packages: [name],
    source: source !== undefined ? [normaliseSource(source)] : undefined,
    builder: builder !== undefined ? [builder] : undefined,
    require: `provenance`,
    mode: `enforce`,
    reason: [source !== undefined ? `--source-uri ${source}` : ``, builder !== undefined ? `--builder-id ${builder}` : ``].filter(Boolean).join(` `),
  };
  // Flags judge identity only; continuity and registry signatures stay the policy's business.
  const {version, default: defaults, continuity, signatures} = DEFAULT_POLICY;
  const policy = {version, default: defaults, rules: [rule], continuity, signatures, origin: `command-line flags`};
  return {...policy, digest: policyDigest(policy)};
}

/**
 * Flags add to the policy, never replace it: both must hold. The policy's verdict stands unless it
 * allowed the package and the flags, applied to the same evidence, do not; then the flags decide
 * and the verdict says so.
 */
export function applyFlagRequirements(verdict: Verdict, flags: Policy | null, now: Date): Verdict {
  if (flags === null || !verdict.allowed || verdict.provenance === undefined)
    return verdict;
  const evidence: Evidence = {ok: true, provenance: verdict.provenance};
  const byFlags = evaluatePolicy(flags, verdict.package, evidence, now);
  if (byFlags.allowed)
    return verdict;
  return {...byFlags, rule: `command-line flags (${flags.rules[0]!.reason})`, notes: [...verdict.notes, `a command-line flag decided: the policy (${verdict.rule}) alone allows this package`]};
}
