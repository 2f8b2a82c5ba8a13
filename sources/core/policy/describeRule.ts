import type {Rule} from './policy.types';

/** `rules[2] (packages: sigstore, @sigstore/*; line 14)`: how messages name the rule that decided. */
export function describeRule(rule: Rule): string {
  const line = rule.position ? `; line ${rule.position.line}` : ``;
  return `rules[${rule.index}] (packages: ${rule.packages.join(`, `)}${line})`;
}
