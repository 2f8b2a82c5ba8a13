/**
 * The checks JSON Schema cannot express: semver ranges, globs, repository names, issuer URLs and real
 * calendar dates. They run alongside the schema, on whatever has the right type, so that one run
 * reports everything; values of the wrong type are left to the schema's messages.
 */
import semver from 'semver';

import {describeValue, isRecord, stringsAt, type Finding, type Segment} from './finding';
import {globProblem} from './glob';
import {sourceProblem} from './source';

const GLOB_FIELDS = [`packages`, `ref`, `workflow`, `builder`] as const;

/** `YYYY-MM-DD` that names a real day (the schema checks only the digits' layout). */
export function isCalendarDate(text: string): boolean {
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(text);
  if (!match)
    return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

function issuerProblem(issuer: string): string | undefined {
  try {
    // Compared exactly with the certificate's issuer, so it must be the URL itself, not a look-alike.
    if (new URL(issuer).protocol === `https:` && !/\s/.test(issuer))
      return undefined;
  } catch {}
  return `must be an https:// URL, e.g. https://token.actions.githubusercontent.com`;
}

function checkRule(rule: Record<string, unknown>, base: Segment[]): Finding[] {
  const findings: Finding[] = [];
  const report = (path: Segment[], message: string) => findings.push({path, message});

  const {versions, expires} = rule;
  if (typeof versions === `string` && versions !== `` && semver.validRange(versions) === null)
    report([...base, `versions`], `is not a valid semver range (found ${describeValue(versions)})`);

  for (const field of GLOB_FIELDS) {
    for (const [path, pattern] of stringsAt(rule, field, base)) {
      const problem = pattern === `` ? undefined : globProblem(pattern);
      if (problem)
        report(path, problem);
    }
  }

  for (const [path, source] of stringsAt(rule, `source`, base)) {
    const problem = source === `` ? undefined : sourceProblem(source);
    if (problem)
      report(path, problem);
  }

  for (const [path, issuer] of stringsAt(rule, `issuer`, base)) {
    const problem = issuer === `` ? undefined : issuerProblem(issuer);
    if (problem)
      report(path, problem);
  }

  if (typeof expires === `string` && /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(expires) && !isCalendarDate(expires))
    report([...base, `expires`], `is not a real date (found ${describeValue(expires)})`);

  return findings;
}

/** Every semantic problem in `data`, in one pass. */
export function checkSemantics(data: unknown): Finding[] {
  if (!isRecord(data) || !Array.isArray(data.rules))
    return [];

  return data.rules.flatMap((rule: unknown, index) =>
    isRecord(rule) ? checkRule(rule, [`rules`, index]) : []);
}
