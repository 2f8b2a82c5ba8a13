import type {Verdict} from '../provenance.types';
import {countByBinding, countByStatus, plural, STATUSES} from './statusCounts';
import {toVerdictRecord} from './verdictRecord';

/** A summary for CI job summaries ($GITHUB_STEP_SUMMARY): counts, then the packages that need a look. */
export function toMarkdown(verdicts: ReadonlyArray<Verdict>, policyOrigin: string): string {
  const counts = countByStatus(verdicts);
  const lines = [
    `## npm provenance`,
    ``,
    `${plural(verdicts.length, `package`)} checked against \`${policyOrigin}\`.`,
    ``,
    // Columns named as the statuses are, so that the summary reads like the table and `--json`.
    `| ${STATUSES.join(` | `)} |`,
    `|${STATUSES.map(() => ` ---: `).join(`|`)}|`,
    `| ${STATUSES.map(status => counts[status]).join(` | `)} |`,
  ];
  // CI runs on fresh machines: say which verdicts are about the registry's tarball rather than the cached zip.
  const registryBound = countByBinding(verdicts).registry;
  if (registryBound > 0)
    lines.push(``, `${plural(registryBound, `package`)} judged against the registry's signed integrity only: their cached zips were never tied to a tarball on this machine (the next install checks them).`);

  const findings = verdicts.filter(verdict => verdict.code !== undefined).map(verdict => toVerdictRecord(verdict));
  if (findings.length > 0) {
    lines.push(``, `| package | status | code | expected | found | blocks |`, `| --- | --- | --- | --- | --- | --- |`);
    for (const record of findings)
      lines.push(`| \`${record.package}\` | ${record.bound === `registry` ? `${record.status} (registry)` : record.status} | \`${record.code}\` | ${cell(record.expected)} | ${cell(record.found)} | ${record.allowed ? `no (${record.mode})` : `**yes**`} |`);
  }

  return `${lines.join(`\n`)}\n`;
}

function cell(value: string | null): string {
  return value === null ? `` : value.replace(/\|/g, `\\|`).replace(/\n/g, ` `);
}
