import type {Configuration, Report} from '@yarnpkg/core';
import {formatUtils, MessageName, StreamReport} from '@yarnpkg/core';
import {Filename, npath, ppath, xfs} from '@yarnpkg/fslib';

import {isAbsolute, relative} from 'node:path';

import type {Policy} from '../core/policy/policy.types';
import type {Verdict} from '../core/provenance.types';
import {formatVerdict} from '../core/report/formatVerdict';
import {annotationPlace, toGithubAnnotation} from '../core/report/githubAnnotation';
import {packageRecords, summaryRecord} from '../core/report/jsonRecords';
import {formatStatusCounts, plural} from '../core/report/statusCounts';
import {EXIT} from '../core/exitCodes';

/**
 * The install's report: each blocked package as errors (what was expected, what was found), each
 * one let through by `warn` as warnings, and a one-line count. Verified packages stay quiet.
 * Under `yarn install --json`: JSON records instead (reportRecords).
 */
export function reportVerdicts(report: Report, configuration: Configuration, verdicts: ReadonlyArray<Verdict>, policy: Policy): {summary: string, warnings: Array<string>} {
  const warnings: Array<string> = [];
  const warn = (line: string) => {
    warnings.push(line);
    report.reportWarning(MessageName.UNNAMED, line);
  };
  const sorted = [...verdicts].sort((a, b) => a.package.name.localeCompare(b.package.name));
  const summary = summarise(verdicts, policy);
  if (isJsonReport(report)) {
    reportRecords(report, configuration, sorted);
    return {summary, warnings};
  }
  const annotations = githubAnnotations(report, configuration, policy);
  // A note many packages share (a registry that serves no signatures, say) is one line, not one per package.
  const notes = new Map<string, Array<string>>();
  for (const verdict of sorted) {
    const lines = formatVerdict(verdict).filter(line => !/^ {2}(source|workflow|builder|runner|issuer|publish|ignored) /.test(line));
    if (!verdict.allowed && annotations !== null) {
      // Under GitHub Actions Yarn repeats every error after each group it was reported in (three times here):
      // the details go once into the group, and the package once into an annotation at its lockfile or policy line.
      for (const line of lines)
        report.reportInfo(MessageName.UNNAMED, formatUtils.pretty(configuration, line, line.startsWith(` `) ? `grey` : `red`));
      annotations(verdict);
    } else if (!verdict.allowed) {
      for (const line of lines)
        report.reportError(MessageName.UNNAMED, formatUtils.pretty(configuration, line, line.startsWith(` `) ? `grey` : `red`));
    } else if (verdict.code !== undefined) {
      for (const line of lines)
        warn(line);
    } else {
      for (const note of verdict.notes)
        notes.set(note, [...notes.get(note) ?? [], `${verdict.package.name}@${verdict.package.version}`]);
    }
  }
  for (const [note, packages] of notes)
    warn(packages.length === 1 ? `${packages[0]}: ${note}` : `${note}: ${plural(packages.length, `package`)} (${listSome(packages)})`);

  report.reportInfo(MessageName.UNNAMED, summary);
  return {summary, warnings};
}

/** The first few names, then how many more: a line stays readable at 1,000 packages. */
function listSome(names: ReadonlyArray<string>, shown = 5): string {
  return names.length <= shown ? names.join(`, `) : `${names.slice(0, shown).join(`, `)} and ${names.length - shown} more`;
}

/** `yarn install --json`: Yarn prints each record as one line of its own JSON stream. */
function isJsonReport(report: Report): boolean {
  return report instanceof StreamReport && (report as unknown as {json: boolean}).json;
}

/**
 * Under `--json`, one `package` record (README "JSON records") per finding or note, at its yarn.lock entry where the
 * lockfile has one, then the `summary` record: the same shape as `yarn provenance audit --json`, instead of lines of
 * text. A blocked install exits 1 like any failed install, whatever the status.
 */
function reportRecords(report: Report, configuration: Configuration, verdicts: ReadonlyArray<Verdict>): void {
  const lockfilePath = configuration.projectCwd === null ? null : ppath.join(configuration.projectCwd, Filename.lockfile);
  const text = lockfilePath !== null && xfs.existsSync(lockfilePath) ? xfs.readFileSync(lockfilePath, `utf8`) : null;
  const worthSaying = verdicts.filter(verdict => verdict.code !== undefined || verdict.notes.length > 0);
  for (const record of packageRecords(worthSaying, {lockfile: {file: Filename.lockfile, text}}))
    report.reportJson(record);
  report.reportJson(summaryRecord(verdicts, verdicts.some(verdict => !verdict.allowed) ? EXIT.FAILED : EXIT.OK));
}

/**
 * Under GitHub Actions (and not with `--json`), a writer of one `::error file=…,line=…::` workflow command per blocked
 * package, at the start of a line of Yarn's stdout as GitHub requires; null elsewhere.
 */
function githubAnnotations(report: Report, configuration: Configuration, policy: Policy): ((verdict: Verdict) => void) | null {
  if (process.env.GITHUB_ACTIONS !== `true` || !(report instanceof StreamReport) || isJsonReport(report))
    return null;
  const projectCwd = configuration.projectCwd;
  if (projectCwd === null)
    return null;
  const lockfilePath = ppath.join(projectCwd, Filename.lockfile);
  const lockfileText = xfs.existsSync(lockfilePath) ? xfs.readFileSync(lockfilePath, `utf8`) : null;
  const fromProject = (path: string) => relative(npath.fromPortablePath(projectCwd), path).split(`\\`).join(`/`);
  const policyFile = isAbsolute(policy.origin) ? fromProject(policy.origin) : null;
  return verdict => {
    const place = annotationPlace(verdict, {lockfileText, lockfileFile: Filename.lockfile, policy, policyFile});
    process.stdout.write(`${toGithubAnnotation(verdict, place)}\n`);
  };
}

/** One line of counts, by the names the statuses have (statusCounts.ts). */
export function summarise(verdicts: ReadonlyArray<Verdict>, policy: Policy): string {
  return `${plural(verdicts.length, `package`)} checked against ${policy.origin}: ${formatStatusCounts(verdicts)}`;
}
