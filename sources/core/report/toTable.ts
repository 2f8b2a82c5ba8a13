import type {Verdict} from '../provenance.types';
import {toVerdictRecord} from './verdictRecord';

/** The audit table for people: one row per package, problems first. */
export function toTable(verdicts: ReadonlyArray<Verdict>): Array<string> {
  const order: Record<Verdict[`status`], number> = {invalid: 0, violation: 1, unverifiable: 2, unattestable: 3, missing: 4, patched: 5, verified: 6, project: 7};
  const rows = [...verdicts]
    .sort((a, b) => order[a.status] - order[b.status] || a.package.name.localeCompare(b.package.name))
    .map(toVerdictRecord)
    .map(record => [
      record.installedAs.length > 0 ? `${record.package} (as ${record.installedAs.join(`, `)})` : record.package,
      record.code ? `${record.status} ${record.code}` : record.status,
      record.sourceRepo?.replace(/^https:\/\//, ``) ?? record.origin ?? `-`,
      record.builderId ?? `-`,
      record.slsaLevel > 0 ? `L${record.slsaLevel}` : `-`,
    ]);

  const header = [`package`, `status`, `source`, `builder`, `SLSA`];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column]!.length)));
  const format = (row: Array<string>) => row.map((cell, column) => cell.padEnd(widths[column]!)).join(`  `).trimEnd();
  return [format(header), format(widths.map(width => `-`.repeat(width))), ...rows.map(format)];
}
