import {createHash} from 'node:crypto';
import {writeFileSync} from 'node:fs';

import {ProvenanceError} from '../errors';
import type {Verdict} from '../provenance.types';
import {entryOf, lockfileEntries} from './lockfileEntries';

/** One issue of GitLab's Code Quality report (the subset of Code Climate's format GitLab reads). */
export type CodeQualityIssue = {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: `info` | `minor` | `major` | `critical` | `blocker`;
  location: {path: string, lines: {begin: number}};
};

export type CodeQualityOptions = {
  /** The lockfile, by its path from the repository root, and its text (null: every issue at line 1). */
  lockfile: {path: string, text: string | null};
};

/**
 * GitLab's Code Quality JSON (`artifacts: reports: codequality`) for every package with a finding: shown in merge
 * requests at the package's lockfile entry. The fingerprint depends only on the package, version and code, so GitLab
 * sees the same issue from run to run (and a fixed one as resolved).
 */
export function toGitlabCodeQuality(verdicts: ReadonlyArray<Verdict>, {lockfile}: CodeQualityOptions): Array<CodeQualityIssue> {
  const lineOf = lockfileLineFinder(lockfile.text);
  return verdicts
    .filter(verdict => verdict.code !== undefined)
    .map(verdict => {
      const pkg = `${verdict.package.name}@${verdict.package.version}`;
      const outcome = verdict.allowed ? `allowed by ${verdict.mode} mode` : `blocks the install`;
      const details = [verdict.message, verdict.expected !== undefined ? `expected ${verdict.expected}` : undefined, verdict.found !== undefined ? `found ${verdict.found}` : undefined];
      return {
        description: `${pkg}: ${verdict.status} ${verdict.code} (${outcome}). ${details.filter(Boolean).join(`; `)}`.trim(),
        check_name: verdict.code!,
        fingerprint: createHash(`sha256`).update(`${pkg}:${verdict.code}`).digest(`hex`),
        severity: severityOf(verdict),
        location: {path: lockfile.path, lines: {begin: lineOf(verdict)}},
      };
    });
}

/** Writes the report (an empty array when nothing was found: GitLab then shows the findings of a base as fixed). */
export function writeGitlabCodeQuality(path: string, verdicts: ReadonlyArray<Verdict>, lockfile: CodeQualityOptions[`lockfile`]): void {
  try {
    writeFileSync(path, `${JSON.stringify(toGitlabCodeQuality(verdicts, {lockfile}), null, 2)}\n`);
  } catch (error) {
    throw new ProvenanceError({code: `OUTPUT_UNWRITABLE`, message: `Cannot write the GitLab code quality report to ${path}: ${(error as Error).message}`, cause: error});
  }
}

/** Forged or broken evidence is worse than evidence the policy does not allow; what `warn` lets through is minor. */
function severityOf(verdict: Verdict): CodeQualityIssue[`severity`] {
  if (verdict.allowed)
    return `minor`;
  return verdict.status === `invalid` ? `critical` : `major`;
}

/**
 * The line of a package's entry: Yarn's lockfile by its entries; an npm lockfile by its `"node_modules/<name>"` key
 * whose `version` matches; a pnpm lockfile by its `<name>@<version>` key. Line 1 when none is found.
 */
function lockfileLineFinder(text: string | null): (verdict: Verdict) => number {
  if (text === null)
    return () => 1;
  const yarnEntries = lockfileEntries(text);
  const lines = text.split(/\r?\n/);
  return verdict => {
    const yarnEntry = entryOf(verdict, yarnEntries);
    if (yarnEntry !== undefined)
      return yarnEntry.line;
    const {name, version} = verdict.package;
    const npmKey = lines.findIndex((line, index) => line.trimStart().startsWith(`"`) && line.includes(`node_modules/${name}": {`) && lines[index + 1]?.includes(`"version": "${version}"`));
    if (npmKey >= 0)
      return npmKey + 1;
    const pnpmKey = lines.findIndex(line => new RegExp(`^\\s+'?/?${escapeRegExp(name)}@${escapeRegExp(version)}(\\(.*\\))?'?:\\s*$`).test(line));
    return pnpmKey >= 0 ? pnpmKey + 1 : 1;
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, `\\$&`);
}
