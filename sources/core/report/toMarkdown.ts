import type {Verdict} from '../provenance.types';
import {toVerdictRecord} from './verdictRecord';

/** A summary for CI job summaries ($GITHUB_STEP_SUMMARY): counts, then the packages that need a look. */
export function toMarkdown(verdicts: ReadonlyArray<Verdict>, policyOrigin: string): string {
  const count = (status: Verdict[`status`]) => verdicts.filter(verdict => verdict.status === status).length;
  const lines = [
    `## npm provenance`,
    ``,
    `${verdicts.length} packages checked against \`${policyOrigin}\`.`,
    ``,
    `| verified | without provenance | violations | invalid | unverifiable | unattestable |`,
    `| ---: | ---: | ---: | ---: | ---: | ---: |`,
    `| ${count(`verified`)} | ${count(`missing`)} | ${count(`violation`)} | ${count(`invalid`)} | ${count(`unverifiable`)} | ${count(`unattestable`)} |`,
  ];

  const findings = verdicts.filter(verdict => verdict.code !== undefined).map(toVerdictRecord);
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
