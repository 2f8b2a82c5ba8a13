import {describe, expect, it} from 'vitest';

import type {Verdict} from '../../../sources/core/provenance.types';
import {toGitlabCodeQuality} from '../../../sources/core/report/toGitlabCodeQuality';

const verdict = (name: string, version: string, extra: Partial<Verdict>): Verdict =>
  ({package: {name, version}, status: `verified`, allowed: true, mode: `enforce`, rule: `default`, notes: [], ...extra});

const VERDICTS: Array<Verdict> = [
  verdict(`ok`, `1.0.0`, {}),
  verdict(`tuf-js`, `1.0.0`, {status: `violation`, code: `SOURCE_REPO_MISMATCH`, allowed: false, expected: `github.com/a/b`, found: `github.com/c/d`}),
  verdict(`forged`, `2.0.0`, {status: `invalid`, code: `SUBJECT_DIGEST_MISMATCH`, allowed: false}),
  verdict(`@scope/warned`, `3.0.0`, {status: `missing`, code: `PROVENANCE_MISSING`, mode: `warn`}),
];

const PACKAGE_LOCK = JSON.stringify({lockfileVersion: 3, packages: {
  [``]: {name: `demo`},
  [`node_modules/tuf-js`]: {version: `1.0.0`},
  [`node_modules/forged`]: {version: `2.0.0`},
  [`node_modules/@scope/warned`]: {version: `3.0.0`},
}}, null, 2);

const PNPM_LOCK = `lockfileVersion: '9.0'

packages:

  tuf-js@1.0.0:
    resolution: {integrity: sha512-x}

  forged@2.0.0:
    resolution: {integrity: sha512-y}

  '@scope/warned@3.0.0':
    resolution: {integrity: sha512-z}
`;

describe(`toGitlabCodeQuality`, () => {
  it(`reports each finding in GitLab's shape, by severity`, () => {
    const issues = toGitlabCodeQuality(VERDICTS, {lockfile: {path: `package-lock.json`, text: PACKAGE_LOCK}});
    expect(issues.map(issue => [issue.check_name, issue.severity])).toEqual([
      [`SOURCE_REPO_MISMATCH`, `major`], [`SUBJECT_DIGEST_MISMATCH`, `critical`], [`PROVENANCE_MISSING`, `minor`],
    ]);
    for (const issue of issues) {
      expect(Object.keys(issue).sort()).toEqual([`check_name`, `description`, `fingerprint`, `location`, `severity`]);
      expect(issue.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(issue.location.path).toBe(`package-lock.json`);
    }
    expect(issues[0]!.description).toContain(`expected github.com/a/b`);
  });

  it(`gives each package the same fingerprint on every run, and different packages different ones`, () => {
    const again = toGitlabCodeQuality([...VERDICTS].reverse(), {lockfile: {path: `x`, text: null}});
    const first = toGitlabCodeQuality(VERDICTS, {lockfile: {path: `package-lock.json`, text: PACKAGE_LOCK}});
    expect(new Set(first.map(issue => issue.fingerprint)).size).toBe(3);
    expect(again.map(issue => issue.fingerprint).reverse()).toEqual(first.map(issue => issue.fingerprint));
  });

  it(`points at the entry of an npm or pnpm lockfile`, () => {
    const lineOf = (text: string, key: string) => text.split(`\n`).findIndex(line => line.includes(key)) + 1;
    const npm = toGitlabCodeQuality(VERDICTS, {lockfile: {path: `package-lock.json`, text: PACKAGE_LOCK}});
    expect(npm.map(issue => issue.location.lines.begin)).toEqual([
      lineOf(PACKAGE_LOCK, `node_modules/tuf-js"`), lineOf(PACKAGE_LOCK, `node_modules/forged"`), lineOf(PACKAGE_LOCK, `node_modules/@scope/warned"`),
    ]);
    const pnpm = toGitlabCodeQuality(VERDICTS, {lockfile: {path: `pnpm-lock.yaml`, text: PNPM_LOCK}});
    expect(pnpm.map(issue => issue.location.lines.begin)).toEqual([5, 8, 11]);
  });
});
