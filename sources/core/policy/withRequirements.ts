import {policyDigest} from './digest';
import {normaliseSource} from './source';
import type {Policy, Rule} from './policy.types';

/**
 * The `--source-uri` / `--builder-id` flags, as a rule placed before the policy's own rules, so
 * that one-off checks use the same engine (and the same messages) as the policy file.
 */
export function withRequirements(policy: Policy, name: string, {source, builder}: {source?: string, builder?: string}): Policy {
  if (source === undefined && builder === undefined)
    return policy;

  const flags: Rule = {
    index: 0,
    packages: [name],
    source: source !== undefined ? [normaliseSource(source)] : undefined,
    builder: builder !== undefined ? [builder] : undefined,
    require: `provenance`,
    mode: `enforce`,
  };
  const rules = [flags, ...policy.rules.map(rule => ({...rule, index: rule.index + 1}))];
  const changed = {...policy, rules, origin: `${policy.origin} + command-line flags`};
  return {...changed, digest: policyDigest(changed)};
}
