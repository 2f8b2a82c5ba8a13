import type {Verdict} from '../provenance.types';
import {countByStatus, plural, STATUSES} from './statusCounts';
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

  const findings = verdicts.filter(verdict => verdict.code !== undefined).map(verdict => toVerdictRecord(verdict));
  if (findings.length > 0) {
    lines.push(``, `| package | status | code | expected | found | blocks |`, `| --- | --- | --- | --- | --- | --- |`);
    for (const record of findings)
      lines.push(`| \`${record.package}\` | ${record.status} | \`${record.code}\` | ${cell(record.expected)} | ${cell(record.found)} | ${record.allowed ? `no (${record.mode})` : `**yes**`} |`);
  }

  return `${lines.join(`\n`)}\n`;
}

function cell(value: string | null): string {
  return value === null ? `` : value.replace(/\|/g, `\\|`).replace(/\n/g, ` `);
}
