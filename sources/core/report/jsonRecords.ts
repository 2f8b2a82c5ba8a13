import {EXIT} from '../exitCodes';
import type {Binding, Status, Verdict} from '../provenance.types';
import {entryOf, lockfileEntries} from './lockfileEntries';
import {countByBinding, countByStatus} from './statusCounts';
import type {VerdictRecord} from './verdictRecord';
import {toVerdictRecord} from './verdictRecord';

/** A usage, trust or network problem that stopped the command before (or instead of) any verdict. */
export type ErrorRecord = {type: `error`, code: string, message: string};

/** The last record of every `--json` run: what the exit code says, in numbers. */
export type SummaryRecord = {
  type: `summary`;
  packages: number;
  counts: Record<Status, number>;
  blocking: number;
  /** How many verdicts are about local bytes, and how many only about the registry's signed integrity (`bound`). */
  bound: Record<Binding, number>;
  exitCode: number;
};

/** Every line `--json` prints is one of these (schemas/report.schema.json). */
export type ReportRecord = VerdictRecord | ErrorRecord | SummaryRecord;

export type RecordOptions = {
  /** The lockfile the verdicts locate in: its path from the project root and its text (Yarn's format). */
  lockfile?: {file: string, text: string | null};
  /** Only the packages with a finding; the summary still counts every package. */
  failuresOnly?: boolean;
};

/** The `package` records of a run, each at its lockfile entry when the lockfile is Yarn's and has one. */
export function packageRecords(verdicts: ReadonlyArray<Verdict>, {lockfile, failuresOnly = false}: RecordOptions = {}): Array<VerdictRecord> {
  const entries = lockfile?.text ? lockfileEntries(lockfile.text) : [];
  return verdicts
    .filter(verdict => !failuresOnly || verdict.code !== undefined)
    .map(verdict => {
      const entry = entryOf(verdict, entries);
      return toVerdictRecord(verdict, entry !== undefined && lockfile !== undefined ? {file: lockfile.file, line: entry.line} : undefined);
    });
}

export function errorRecord(code: string, message: string): ErrorRecord {
  return {type: `error`, code, message};
}

export function summaryRecord(verdicts: ReadonlyArray<Verdict>, exitCode: number): SummaryRecord {
  return {
    type: `summary`,
    packages: verdicts.length,
    counts: countByStatus(verdicts),
    blocking: verdicts.filter(verdict => !verdict.allowed).length,
    bound: countByBinding(verdicts),
    exitCode,
  };
}

/** A `--json` run that stopped on the caller's mistake: the error record, then the summary (no package, exit 2). */
export function usageErrorLines(code: string, message: string): Array<string> {
  return [errorRecord(code, message), summaryRecord([], EXIT.USAGE)].map(record => JSON.stringify(record));
}

/** A whole `--json` run: its package records, then the summary; one JSON text per line. */
export function jsonLines(verdicts: ReadonlyArray<Verdict>, exitCode: number, options: RecordOptions = {}): Array<string> {
  return [...packageRecords(verdicts, options), summaryRecord(verdicts, exitCode)].map(record => JSON.stringify(record));
}
