import type {Verdict} from '../provenance.types';
import {entryOf, lockfileEntries} from './lockfileEntries';
import {formatRegistryBound, formatStatusCounts, plural} from './statusCounts';
import type {VerdictRecord} from './verdictRecord';
import {toVerdictRecord} from './verdictRecord';

export type TableOptions = {
  /** The lockfile's text: rows follow its order (null: by name). */
  lockfileText?: string | null;
  /** Only the packages with a finding (a code), blocking or let through by `warn`. */
  failuresOnly?: boolean;
  /** The widest a line may be; long cells are shortened with `…`. */
  width?: number;
  /** Colours a (padded) status cell by its tone; the Yarn layer passes its configuration's colours. */
  colour?: (text: string, tone: StatusTone) => string;
};

/** How a row reads, as at install: blocks (red there), a finding let through (a warning), verified, or neither. */
export type StatusTone = `blocks` | `warns` | `verified` | `neutral`;

export function toneOf(verdict: Verdict): StatusTone {
  if (!verdict.allowed)
    return `blocks`;
  if (verdict.code !== undefined)
    return `warns`;
  return verdict.status === `verified` ? `verified` : `neutral`;
}

const HEADER = [`package`, `status`, `code`, `blocks`, `SLSA`, `source`, `builder`];
/** The columns that give way, widest first, when a line would be too long. */
const SHRINKABLE = [0, 5, 6];
const STATUS_COLUMN = 1;
const GAP = 2;

/**
 * The audit table for people: one row per package in lockfile order, whether it blocks the install, the source
 * and builder with their well-known prefixes shortened; then one line of counts per status. Fits `width` columns.
 */
export function toTable(verdicts: ReadonlyArray<Verdict>, {lockfileText = null, failuresOnly = false, width = 120, colour}: TableOptions = {}): Array<string> {
  const entries = lockfileText === null ? [] : lockfileEntries(lockfileText);
  const lineOf = (verdict: Verdict) => entryOf(verdict, entries)?.line ?? Number.MAX_SAFE_INTEGER;
  const listed = [...verdicts]
    .filter(verdict => !failuresOnly || verdict.code !== undefined)
    .sort((a, b) => lineOf(a) - lineOf(b) || a.package.name.localeCompare(b.package.name) || a.package.version.localeCompare(b.package.version));
  const rows = listed.map(verdict => toRow(toVerdictRecord(verdict)));

  const widths = fitWidths(HEADER.map((title, column) => Math.max(title.length, ...rows.map(row => row[column]!.length))), width);
  // Padding is measured on the plain text: colour codes are added to the padded status cell only.
  const format = (row: Array<string>, tone?: StatusTone) => row
    .map((cell, column) => {
      const padded = shorten(cell, widths[column]!).padEnd(widths[column]!);
      return column === STATUS_COLUMN && tone !== undefined && colour !== undefined ? colour(padded, tone) : padded;
    })
    .join(` `.repeat(GAP)).trimEnd();
  const blocking = verdicts.filter(verdict => !verdict.allowed).length;
  const summary = `${plural(verdicts.length, `package`)}: ${formatStatusCounts(verdicts)}; ${blocking === 0 ? `nothing blocks` : `${blocking} blocking`}${formatRegistryBound(verdicts)}`;
  const table = rows.length === 0 ? [] : [format(HEADER), format(widths.map(w => `-`.repeat(w))), ...rows.map((row, index) => format(row, toneOf(listed[index]!)))];
  return [...table, summary];
}

function toRow(record: VerdictRecord): Array<string> {
  return [
    record.installedAs.length > 0 ? `${record.package} (as ${record.installedAs.join(`, `)})` : record.package,
    // Judged against the registry's integrity only: the status says so on its own row.
    record.bound === `registry` ? `${record.status} (registry)` : record.status,
    record.code ?? ``,
    blocks(record),
    record.slsaLevel > 0 ? `L${record.slsaLevel}` : `-`,
    record.sourceRepo !== null ? shortUrl(record.sourceRepo) : record.origin ?? `-`,
    record.builderId !== null ? shortUrl(record.builderId) : `-`,
  ];
}

/** `yes` blocks the install; a finding let through says by which mode, so a warning never looks like a block. */
function blocks(record: VerdictRecord): string {
  if (!record.allowed)
    return `yes`;
  return record.code !== null ? `no (${record.mode})` : `no`;
}

/**
 * Prefixes every row would repeat: GitHub itself (`owner/repo`; other hosts keep their name, `gitlab.com/o/r`), the
 * scheme, GitHub's workflow folder, and the GitHub-hosted runner's builder id.
 */
export function shortUrl(url: string): string {
  return url
    .replace(/^https:\/\/github\.com\/actions\/runner\/github-hosted$/, `github-hosted`)
    .replace(/^https:\/\/github\.com\//, ``)
    .replace(/^https:\/\//, ``)
    .replace(/\/\.github\/workflows\//, `/…/`);
}

/** Shrinks the widest shrinkable column, one character at a time, until a line fits (or nothing can give). */
function fitWidths(natural: Array<number>, width: number): Array<number> {
  const widths = [...natural];
  const total = () => widths.reduce((sum, w) => sum + w, 0) + GAP * (widths.length - 1);
  while (total() > width) {
    const column = SHRINKABLE.reduce((widest, c) => (widths[c]! > widths[widest]! ? c : widest), SHRINKABLE[0]!);
    if (widths[column]! <= 12)
      break;
    widths[column] = widths[column]! - 1;
  }
  return widths;
}

/** Cuts the middle, not the end: a repository's or a package's name is at its end. */
function shorten(cell: string, width: number): string {
  if (cell.length <= width)
    return cell;
  const head = Math.ceil((width - 1) / 2);
  return `${cell.slice(0, head)}…${cell.slice(cell.length - (width - 1 - head))}`;
}
