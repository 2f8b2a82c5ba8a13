import type {Configuration, Report} from '@yarnpkg/core';
import {formatUtils, MessageName} from '@yarnpkg/core';

import type {Policy} from '../core/policy/policy.types';
import type {Verdict} from '../core/provenance.types';
import {formatVerdict} from '../core/report/formatVerdict';
import {formatStatusCounts, plural} from '../core/report/statusCounts';

/**
 * The install's report: each blocked package as errors (what was expected, what was found), each
 * one let through by `warn` as warnings, and a one-line count. Verified packages stay quiet.
 */
export function reportVerdicts(report: Report, configuration: Configuration, verdicts: ReadonlyArray<Verdict>, policy: Policy): {summary: string, warnings: Array<string>} {
  const warnings: Array<string> = [];
  const warn = (line: string) => {
    warnings.push(line);
    report.reportWarning(MessageName.UNNAMED, line);
  };
  const sorted = [...verdicts].sort((a, b) => a.package.name.localeCompare(b.package.name));
  for (const verdict of sorted) {
    const lines = formatVerdict(verdict).filter(line => !/^ {2}(source|workflow|builder|runner|issuer|publish|ignored) /.test(line));
    if (!verdict.allowed) {
      for (const line of lines)
        report.reportError(MessageName.UNNAMED, formatUtils.pretty(configuration, line, line.startsWith(` `) ? `grey` : `red`));
    } else if (verdict.code !== undefined) {
      for (const line of lines)
        warn(line);
    } else if (verdict.notes.length > 0) {
      for (const note of verdict.notes)
        warn(`${verdict.package.name}@${verdict.package.version}: ${note}`);
    }
  }

  const summary = summarise(verdicts, policy);
  report.reportInfo(MessageName.UNNAMED, summary);
  return {summary, warnings};
}

/** One line of counts, by the names the statuses have (statusCounts.ts). */
export function summarise(verdicts: ReadonlyArray<Verdict>, policy: Policy): string {
  return `${plural(verdicts.length, `package`)} checked against ${policy.origin}: ${formatStatusCounts(verdicts)}`;
}
