import {spawn} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join, resolve} from 'node:path';

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {reportValidator, jsonRecords} from '../core/report/reportSchema';
import {FIXTURES_ROOT, loadFixture} from '../helpers/fixtures';
import {startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';
import {ScratchProject} from './scratchProject';
import type {RunResult} from './scratchProject';

// Every command's `--json` against schemas/report.schema.json, from real runs: the plugin in a real Yarn project and
// the standalone bin, against the test registry serving the real fixtures.
const BIN = resolve(__dirname, `../../bundles/yarn-provenance.cjs`);
const TRUST = [`--trusted-root`, join(FIXTURES_ROOT, `sigstore/trusted_root.json`), `--registry-keys`, join(FIXTURES_ROOT, `sigstore/npm-registry-keys.json`)];
const POLICY = `version: 1
rules:
  - packages: [sigstore]
    source: github.com/sigstore/sigstore-js
  - packages: [tuf-js]
    source: github.com/attacker/tuf-js
`;

let registry: TestRegistry;
let scratch: ScratchProject;
const {validate, warnings} = reportValidator();

beforeAll(async () => {
  registry = await startRegistry();
  scratch = new ScratchProject(registry.url);
  await scratch.importPlugin();
  scratch.policy(`version: 1\ndefault:\n  mode: off\n`);
  const install = await scratch.yarn(`add`, `sigstore@2.3.1`, `tuf-js@1.0.0`);
  if (install.code !== 0)
    throw new Error(install.output);
  scratch.policy(POLICY);
});
afterAll(async () => {
  await registry.close();
});

/** Every JSON line of stdout validates; the records are returned for the test's own assertions. */
function validRecords(result: {stdout: string}): Array<Record<string, any>> {
  const records = jsonRecords(result.stdout);
  expect(records.length).toBeGreaterThan(0);
  for (const record of records)
    expect(validate(record), JSON.stringify(record)).toBeNull();
  expect(warnings).toEqual([]);
  return records;
}

/** The run's records: every line of stdout is one, and the last is the summary with the run's exit code. */
function wholeRun(result: RunResult | {code: number | null, stdout: string}): Array<Record<string, any>> {
  const lines = result.stdout.trimEnd().split(`\n`);
  const records = validRecords(result);
  expect(records).toHaveLength(lines.length);
  expect(records.at(-1)).toMatchObject({type: `summary`, exitCode: result.code});
  return records;
}

function bin(cwd: string, ...args: Array<string>): Promise<{code: number | null, stdout: string, stderr: string}> {
  return new Promise(done => {
    const child = spawn(process.execPath, [BIN, ...args], {cwd, env: {...process.env, NO_COLOR: `1`, XDG_CACHE_HOME: join(scratch.cacheHome, `bin`)}});
    let stdout = ``;
    let stderr = ``;
    child.stdout.on(`data`, chunk => stdout += chunk);
    child.stderr.on(`data`, chunk => stderr += chunk);
    child.on(`close`, code => done({code, stdout, stderr}));
  });
}

describe(`--json records`, () => {
  it(`audit: one package record per package, at its yarn.lock entry, then the summary`, async () => {
    const records = wholeRun(await scratch.yarn(`provenance`, `audit`, `--json`));
    const tuf = records.find(record => record.name === `tuf-js`)!;
    expect(tuf).toMatchObject({type: `package`, status: `violation`, code: `SOURCE_REPO_MISMATCH`, blocks: true, location: {file: `yarn.lock`}});
    expect(scratch.read(`yarn.lock`).split(`\n`)[tuf.location.line - 1]).toMatch(/^"tuf-js@/);
    expect(records.at(-1)).toMatchObject({packages: 3, blocking: 1, counts: {verified: 1, violation: 1, project: 1}, exitCode: 1});
  });

  it(`audit: a usage error is an error record, not Yarn's error objects`, async () => {
    scratch.policy(`version: 1\nrules:\n  - packages: [x]\n    sorce: github.com/a/b\n`);
    try {
      const records = wholeRun(await scratch.yarn(`provenance`, `audit`, `--json`));
      expect(records.map(record => record.type)).toEqual([`error`, `summary`]);
      expect(records[0]).toMatchObject({code: `POLICY_INVALID`});
    } finally {
      scratch.policy(POLICY);
    }
  });

  it(`explain --json: the package's record and the summary`, async () => {
    const records = wholeRun(await scratch.yarn(`provenance`, `explain`, `sigstore`, `--json`));
    expect(records.map(record => record.type)).toEqual([`package`, `summary`]);
    expect(records[0]).toMatchObject({package: `sigstore@2.3.1`, status: `verified`, blocks: false, sourceRepo: `https://github.com/sigstore/sigstore-js`});
  });

  it(`explain --json: a package that is not in the project is an error record, exit 2`, async () => {
    const result = await scratch.yarn(`provenance`, `explain`, `left-pad`, `--json`);
    expect(result.code).toBe(2);
    expect(wholeRun(result)[0]).toMatchObject({type: `error`, code: `USAGE_INVALID`});
  });

  it(`yarn provenance verify --json`, async () => {
    const records = wholeRun(await scratch.yarn(`provenance`, `verify`, `tuf-js@1.0.0`, `--json`));
    expect(records[0]).toMatchObject({type: `package`, code: `SOURCE_REPO_MISMATCH`, blocks: true});
    const unreadable = wholeRun(await scratch.yarn(`provenance`, `verify`, `tuf-js@1.0.0`, `--policy`, `absent.yml`, `--json`));
    expect(unreadable[0]).toMatchObject({type: `error`, code: `INPUT_UNREADABLE`});
  });

  it(`yarn install --json: one package record per finding and the summary, no lines of text about it`, async () => {
    const clone = scratch.cloneTo(registry.url);
    const result = await clone.yarn(`install`, `--json`);
    expect(result.code).toBe(1);
    const records = validRecordsOf(result.stdout);
    expect(records.filter(record => record.type === `package` && record.code !== null)).toEqual([expect.objectContaining({name: `tuf-js`, blocks: true, location: expect.objectContaining({file: `yarn.lock`})})]);
    expect(records.filter(record => record.type === `summary`)).toEqual([expect.objectContaining({blocking: 1, exitCode: 1})]);
    // Yarn's own lines about the finding would carry its details as text.
    expect(result.stdout.split(`\n`).filter(line => line.includes(`"data"`) && line.includes(`github.com/attacker`))).toEqual([]);
  });

  it(`the standalone bin: verify --json and check --json`, async () => {
    const fixture = loadFixture(`sigstore@2.3.1`);
    const files = [`--tarball`, join(fixture.dir, `package.tgz`), `--attestations`, join(fixture.dir, `attestations.json`), `--offline`];
    const verify = await bin(scratch.dir, `verify`, `sigstore@2.3.1`, ...files, ...TRUST, `--json`);
    expect(verify.code).toBe(0);
    expect(wholeRun(verify)[0]).toMatchObject({type: `package`, status: `verified`, slsaLevel: 2});
    const missing = await bin(scratch.dir, `verify`, `--json`);
    expect(missing.code).toBe(2);
    expect(wholeRun(missing)[0]).toMatchObject({type: `error`, code: `USAGE_INVALID`});

    const lock = {name: `demo`, version: `1.0.0`, lockfileVersion: 3, requires: true, packages: {
      [``]: {name: `demo`, version: `1.0.0`},
      [`node_modules/sigstore`]: {version: `2.3.1`, resolved: `https://registry.npmjs.org/sigstore/-/sigstore-2.3.1.tgz`, integrity: fixture.expected.integrity},
    }};
    writeNpmFile(`package-lock.json`, JSON.stringify(lock));
    writeNpmFile(`.npmrc`, `registry=${registry.url}/\n`);
    const check = await bin(join(scratch.dir, `npm`), `check`, ...TRUST, `--json`);
    expect(check.code).toBe(0);
    expect(wholeRun(check).map(record => record.type)).toEqual([`package`, `summary`]);
  });
});

describe(`--gitlab-codequality <file>`, () => {
  it(`audit writes one issue per finding at its yarn.lock entry, with the same fingerprint on every run`, async () => {
    const first = await scratch.yarn(`provenance`, `audit`, `--gitlab-codequality`, `gl-code-quality.json`);
    expect(first.code).toBe(1);
    const issues = JSON.parse(scratch.read(`gl-code-quality.json`));
    expect(issues).toEqual([{
      description: expect.stringContaining(`tuf-js@1.0.0`),
      check_name: `SOURCE_REPO_MISMATCH`,
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      severity: `major`,
      location: {path: `yarn.lock`, lines: {begin: expect.any(Number)}},
    }]);
    expect(scratch.read(`yarn.lock`).split(`\n`)[issues[0].location.lines.begin - 1]).toMatch(/^"tuf-js@/);
    // The table is still printed: the file comes in addition to the chosen format.
    expect(first.stdout).toContain(`1 blocking`);

    await scratch.yarn(`provenance`, `audit`, `--json`, `--gitlab-codequality`, `gl-code-quality.json`);
    expect(JSON.parse(scratch.read(`gl-code-quality.json`))).toEqual(issues);
  });

  it(`exits 2 with OUTPUT_UNWRITABLE when the file cannot be written, from audit and from check`, async () => {
    const audit = await scratch.yarn(`provenance`, `audit`, `--json`, `--gitlab-codequality`, `no-such-folder/gl.json`);
    expect(audit.code).toBe(2);
    expect(validRecordsOf(audit.stdout).filter(record => record.type === `error`)).toEqual([expect.objectContaining({code: `OUTPUT_UNWRITABLE`})]);

    writeNpmFile(`package-lock.json`, JSON.stringify({name: `demo`, version: `1.0.0`, lockfileVersion: 3, requires: true, packages: {[``]: {name: `demo`, version: `1.0.0`}}}, null, 2));
    const check = await bin(join(scratch.dir, `npm`), `check`, ...TRUST, `--gitlab-codequality`, `no-such-folder/gl.json`);
    expect(check.code).toBe(2);
    expect(check.stderr).toMatch(/^OUTPUT_UNWRITABLE: /m);
  });

  it(`the standalone check writes it for an npm lockfile`, async () => {
    const fixture = loadFixture(`sigstore@2.3.1`);
    const lock = {name: `demo`, version: `1.0.0`, lockfileVersion: 3, requires: true, packages: {
      [``]: {name: `demo`, version: `1.0.0`},
      [`node_modules/sigstore`]: {version: `2.3.1`, resolved: `https://registry.npmjs.org/sigstore/-/sigstore-2.3.1.tgz`, integrity: fixture.expected.integrity},
    }};
    writeNpmFile(`package-lock.json`, JSON.stringify(lock, null, 2));
    writeNpmFile(`.npmrc`, `registry=${registry.url}/\n`);
    writeNpmFile(`.provenance.yml`, `version: 1\nrules:\n  - packages: [sigstore]\n    source: github.com/attacker/sigstore\n`);
    const run = await bin(join(scratch.dir, `npm`), `check`, ...TRUST, `--gitlab-codequality`, `gl.json`);
    expect(run.code).toBe(1);
    const [issue, ...others] = JSON.parse(scratch.read(`npm/gl.json`));
    expect(others).toEqual([]);
    expect(issue).toMatchObject({check_name: `SOURCE_REPO_MISMATCH`, location: {path: `package-lock.json`}});
    expect(scratch.read(`npm/package-lock.json`).split(`\n`)[issue.location.lines.begin - 1]).toContain(`"node_modules/sigstore"`);
  });
});

/** The plugin's records among Yarn's own JSON lines (which carry a `displayName`, `YN0000`). */
function validRecordsOf(stdout: string): Array<Record<string, any>> {
  return validRecords({stdout: stdout.split(`\n`).filter(line => line.startsWith(`{`) && !(`displayName` in JSON.parse(line))).join(`\n`)});
}

/** A file of the npm project the standalone bin checks, in a folder of the Yarn project (cleaned up with it). */
function writeNpmFile(file: string, text: string): void {
  mkdirSync(join(scratch.dir, `npm`), {recursive: true});
  writeFileSync(join(scratch.dir, `npm`, file), text);
}
