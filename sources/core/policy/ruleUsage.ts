/**
 * Exception hygiene: rules that match no package of the project (left behind when a dependency went
 * away, or a version was bumped past an exact `versions:`), and exceptions about to expire. Each is
 * reported with the lines to delete, so pruning a policy is a mechanical edit, not an investigation.
 */
import type {PackageRef} from '../provenance.types';
import {expiryInstant, versionMatches} from './findRule';
import {matchesAnyGlob} from './glob';
import type {Policy, Rule} from './policy.types';
import type {LineSpan} from './ruleLines';

/** Exceptions expiring within this many days are announced (by `audit`, and once a day by installs). */
export const EXPIRY_NOTICE_DAYS = 14;
const DAY = 24 * 60 * 60 * 1000;

export type RuleFinding = {
  kind: `stale` | `expiring` | `expired`;
  rule: Rule;
  lines?: LineSpan;
  /** For `expiring`: calendar days (UTC) from today to the day it stops applying (1: tomorrow). */
  daysLeft?: number;
};

function matchesAny(rule: Rule, refs: ReadonlyArray<PackageRef>): boolean {
  return refs.some(ref => matchesAnyGlob(rule.packages, ref.name) && versionMatches(rule, ref.version));
}

/** Exceptions (rules with an expiry) that stop applying within EXPIRY_NOTICE_DAYS, or already did. */
export function expiringRules(policy: Policy, now: Date, spans: ReadonlyArray<LineSpan> = []): Array<RuleFinding> {
  const findings: Array<RuleFinding> = [];
  for (const rule of policy.rules) {
    const expiry = expiryInstant(rule);
    if (expiry === undefined || expiry - now.getTime() > EXPIRY_NOTICE_DAYS * DAY)
      continue;
    const lines = spans[rule.index];
    const common = {rule, ...(lines !== undefined ? {lines} : {})};
    findings.push(expiry <= now.getTime()
      ? {kind: `expired`, ...common}
      : {kind: `expiring`, ...common, daysLeft: Math.round((expiry - Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`)) / DAY)});
  }
  return findings;
}

/**
 * Rules that match none of `refs` (every package of the project, under every name it is installed as),
 * then exceptions expiring soon. A rule that matched only packages since removed is stale however it
 * was written; a rule that still matches but is shadowed by an earlier one is not reported here.
 */
export function ruleUsage(policy: Policy, refs: ReadonlyArray<PackageRef>, now: Date, spans: ReadonlyArray<LineSpan> = []): Array<RuleFinding> {
  const stale: Array<RuleFinding> = policy.rules.filter(rule => !matchesAny(rule, refs)).map(rule => {
    const lines = spans[rule.index];
    return {kind: `stale`, rule, ...(lines !== undefined ? {lines} : {})};
  });
  const staleRules = new Set(stale.map(finding => finding.rule));
  return [...stale, ...expiringRules(policy, now, spans).filter(finding => !staleRules.has(finding.rule))];
}

/** One line per finding, naming the rule by its index and line: `rules[3] (.provenance.yml:41) …: delete lines 41-45`. */
export function describeRuleFinding(finding: RuleFinding, file: string): string {
  const {rule, lines} = finding;
  const at = `rules[${rule.index}] (${file}${rule.position ? `:${rule.position.line}` : ``})`;
  const deletion = lines === undefined ? `` : lines.first === lines.last ? `: delete line ${lines.first}` : `: delete lines ${lines.first}-${lines.last}`;
  switch (finding.kind) {
    case `stale`:
      return `${at} matches no installed package${deletion}`;
    case `expired`:
      return `${at} expired on ${rule.expires} and no longer applies${deletion}`;
    case `expiring`: {
      const days = finding.daysLeft === 1 ? `tomorrow` : `in ${finding.daysLeft} days`;
      return `${at}, an exception for ${rule.packages.join(`, `)}${rule.reason ? ` (${rule.reason})` : ``}, expires on ${rule.expires} (${days}): renew or remove it`;
    }
  }
}

/** Where installs remember the day they last announced expiring exceptions (the machine-local store). */
export type ExpiryNotices = {
  getExpiryNotice(project: string): string | undefined;
  setExpiryNotice(project: string, day: string): void;
};

/** The install's lines about exceptions expiring soon: on the first install of the day (UTC) in a project only. */
export function dailyExpiryWarnings(policy: Policy, project: string, notices: ExpiryNotices, now: Date): Array<string> {
  const day = now.toISOString().slice(0, 10);
  const expiring = expiringRules(policy, now).filter(finding => finding.kind === `expiring`);
  if (expiring.length === 0 || notices.getExpiryNotice(project) === day)
    return [];
  notices.setExpiryNotice(project, day);
  return expiring.map(finding => `Provenance: ${describeRuleFinding(finding, policy.origin)} (said once a day; \`yarn provenance audit\` lists them all)`);
}
