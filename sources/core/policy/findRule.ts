/**
 * Which rule decides for a package: the first whose names and versions match. An expired exception
 * does not decide, but is returned so the output can say that it lapsed rather than silently ignore it.
 */
import semver from 'semver';

import type {PackageRef} from '../provenance.types';
import {describeRule} from './describeRule';
import {matchesAnyGlob} from './glob';
import type {Mode, Policy, Rule} from './policy.types';

export type RuleMatch = {
  /** Undefined: no rule applies, `policy.default` does. */
  rule?: Rule;
  /** Rules that matched the package but had expired, in policy order. */
  expired: Rule[];
};

/** The instant an exception stops applying: the start of its `expires` day, UTC. */
export function expiryInstant(rule: Rule): number | undefined {
  return rule.expires === undefined ? undefined : Date.parse(`${rule.expires}T00:00:00Z`);
}

export function versionMatches(rule: Rule, version: string): boolean {
  if (rule.versions === undefined)
    return true;
  // `satisfies` is false for a version it cannot parse: an odd version never gets a ranged exception.
  return semver.satisfies(version, rule.versions, {includePrerelease: true});
}

export function findRule(policy: Policy, pkg: {name: string, version: string}, now: Date): RuleMatch {
  const expired: Rule[] = [];

  for (const rule of policy.rules) {
    if (!matchesAnyGlob(rule.packages, pkg.name) || !versionMatches(rule, pkg.version))
      continue;

    const expiry = expiryInstant(rule);
    if (expiry !== undefined && expiry <= now.getTime()) {
      expired.push(rule);
      continue;
    }
    return {rule, expired};
  }

  return {expired};
}

/** What every verdict for a package starts from: the rule that decides (or the default), and lapsed exceptions. */
export type Decision = {
  rule?: Rule;
  decider: Rule | Policy[`default`];
  base: {package: PackageRef, mode: Mode, rule: string, notes: Array<string>};
};

export function decide(policy: Policy, pkg: PackageRef, now: Date): Decision {
  const {rule, expired} = findRule(policy, pkg, now);
  const decider = rule ?? policy.default;
  const notes = expired.map(old => `${describeRule(old)} expired on ${old.expires}${old.reason ? ` (${old.reason})` : ``} and no longer applies`);
  return {rule, decider, base: {package: pkg, mode: decider.mode, rule: rule ? describeRule(rule) : `default`, notes}};
}
