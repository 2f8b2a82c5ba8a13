import {execFile} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';
import {FIXTURES_ROOT, loadFixture} from '../helpers/fixtures';

// The built bin, as users run it before `npm ci` or `pnpm install --frozen-lockfile`, against the test
// registry on 127.0.0.1 serving the real fixtures (real npm attestations, real Sigstore bundles).
const BIN = resolve(__dirname, `../../bundles/yarn-provenance.cjs`);
// The embedded public-good trust, given as files so that no TUF refresh is attempted.
const TRUST = [`--trusted-root`, join(FIXTURES_ROOT, `sigstore/trusted_root.json`), `--registry-keys`, join(FIXTURES_ROOT, `sigstore/npm-registry-keys.json`)];

const sigstore2 = loadFixture(`sigstore@2.3.1`);
const sigstore1 = loadFixture(`sigstore@1.3.0`);
const tufJs = loadFixture(`tuf-js@1.0.0`);
const GIT = `0123456789abcdef0123456789abcdef01234567`;
const SHA1 = `sha1-z6tjb/XvPfHa+zRVLvHuXnK+GoM=`;
const SCOPED = `@laurentsimon/provenance-npm-test`;

// Every scenario at once: each package has its own verdict, and the run as a whole blocks.
const POLICY = `version: 1
default:
  require: provenance
rules:
  - packages: sigstore
    source: github.com/sigstore/sigstore-js
  - packages: tuf-js
    source: github.com/someone/else
  - packages: my-sig
    source: github.com/someone/else
`;

let registry: TestRegistry;
const work = mkdtempSync(join(tmpdir(), `provenance-check-`));
beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry.close();
  rmSync(work, {recursive: true, force: true});
});

type Run = {code: number | null, stdout: string, stderr: string};

/** Asynchronous: the registry answers from this process while the bin runs. */
/** Each run with a store of its own (nothing remembered between tests), unless one is given. */
function check(cwd: string, ...args: Array<string>): Promise<Run> {
  return checkWithStore(mkdtempSync(join(work, `store-`)), cwd, ...args);
}

function checkWithStore(store: string, cwd: string, ...args: Array<string>): Promise<Run> {
  // Nothing from this machine's npm (its global npmrc, or the npm_config_* that `npm test` exports).
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_config_/i.test(name)));
  const env = {
    ...inherited, NO_COLOR: `1`, NPM_CONFIG_USERCONFIG: join(cwd, `absent-user-npmrc`), NPM_CONFIG_GLOBALCONFIG: join(cwd, `absent-global-npmrc`),
    TEST_TOKEN: `s3cret`, XDG_CACHE_HOME: store, npm_config_cache: join(store, `npm`),
  };
  return new Promise(done => {
    execFile(process.execPath, [BIN, `check`, ...TRUST, ...args], {cwd, env}, (error, stdout, stderr) => {
      done({code: error ? (error as NodeJS.ErrnoException & {code: number}).code : 0, stdout, stderr});
    });
  });
}

function project(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  rmSync(dir, {recursive: true, force: true});
  mkdirSync(dir);
  for (const [file, text] of Object.entries({[`.npmrc`]: `registry=${registry.url}/\n`, ...files}))
    writeFileSync(join(dir, file), text);
  return dir;
}

/** The 1-based line of a file of the project on which `text` starts. */
function lineOf(dir: string, file: string, text: string): number {
  return readFileSync(join(dir, file), `utf8`).split(`\n`).findIndex(line => line.includes(text)) + 1;
}

const records = (run: Run) => run.stdout.trim().split(`\n`).map(line => JSON.parse(line) as Record<string, any>);
const recordOf = (run: Run, pkg: string) => records(run).find(record => record.package === pkg);

/** A package-lock v3 as npm 9+ writes it; the registry's own URLs are npmjs.org's, as in real lockfiles. */
function packageLock(entries: Record<string, object>): string {
  const packages: Record<string, object> = {[``]: {name: `demo`, version: `1.0.0`}};
  for (const [path, entry] of Object.entries(entries))
    packages[path] = entry;
  return JSON.stringify({name: `demo`, version: `1.0.0`, lockfileVersion: 3, requires: true, packages}, null, 2);
}

const npmEntry = (name: string, version: string, integrity: string, extra: object = {}) =>
  ({version, resolved: `https://registry.npmjs.org/${name}/-/${name}-${version}.tgz`, integrity, ...extra});

describe(`yarn-provenance check with a package-lock.json`, () => {
  it(`exits 0 when every package verifies, an alias included`, async () => {
    const dir = project(`npm-allowed`, {
      [`package-lock.json`]: packageLock({
        [`node_modules/sigstore`]: npmEntry(`sigstore`, `2.3.1`, sigstore2.expected.integrity),
        [`node_modules/my-sig`]: {...npmEntry(`sigstore`, `1.3.0`, sigstore1.expected.integrity), name: `sigstore`},
      }),
      [`.provenance.yml`]: `version: 1\ndefault:\n  require: provenance\nrules:\n  - packages: sigstore\n    source: github.com/sigstore/sigstore-js\n`,
    });
    const run = await check(dir, `--json`);
    expect(run.code).toBe(0);
    expect(recordOf(run, `sigstore@2.3.1`)).toMatchObject({status: `verified`, sourceRepo: `https://github.com/sigstore/sigstore-js`});
    expect(recordOf(run, `sigstore@1.3.0`)).toMatchObject({status: `verified`, installedAs: [`my-sig`]});
  });

  it(`blocks each scenario with its own code and exits 1`, async () => {
    const dir = project(`npm-blocked`, {
      [`package-lock.json`]: packageLock({
        [`node_modules/sigstore`]: npmEntry(`sigstore`, `2.3.1`, sigstore2.expected.integrity),
        [`node_modules/tuf-js`]: npmEntry(`tuf-js`, `1.0.0`, tufJs.expected.integrity),
        // Points a pinned version at another tarball: npm would install those bytes, which were never attested.
        [`node_modules/tuf-js/node_modules/sigstore`]: npmEntry(`sigstore`, `2.3.1`, sigstore1.expected.integrity),
        [`node_modules/my-sig`]: {...npmEntry(`sigstore`, `1.3.0`, sigstore1.expected.integrity), name: `sigstore`},
        [`node_modules/gitdep`]: {version: `1.0.0`, resolved: `git+ssh://git@github.com/o/r.git#${GIT}`},
        [`node_modules/old`]: npmEntry(`old`, `1.0.0`, SHA1),
        // sha1 only, for a package that has attestations: nothing ties them to what npm would install.
        [`node_modules/${SCOPED}`]: {version: `1.0.5`, resolved: `https://registry.npmjs.org/${SCOPED}/-/provenance-npm-test-1.0.5.tgz`, integrity: SHA1},
      }),
      [`.provenance.yml`]: POLICY,
    });
    const run = await check(dir, `--json`);
    expect(run.code).toBe(1);
    const all = records(run);
    expect(all.filter(record => record.package === `sigstore@2.3.1`).map(record => record.code).sort()).toEqual([`SUBJECT_DIGEST_MISMATCH`, null]);
    expect(recordOf(run, `tuf-js@1.0.0`)).toMatchObject({status: `violation`, code: `SOURCE_REPO_MISMATCH`, allowed: false});
    // The alias is judged under its own name's rule too: `my-sig` must come from github.com/someone/else.
    expect(recordOf(run, `sigstore@1.3.0`)).toMatchObject({code: `SOURCE_REPO_MISMATCH`, installedAs: [`my-sig`], allowed: false});
    expect(recordOf(run, `gitdep@1.0.0`)).toMatchObject({status: `unattestable`, code: `SOURCE_UNATTESTABLE`, allowed: false});
    // An old package with a sha1-only integrity and no attestations: nothing to bind, judged as one without provenance.
    expect(recordOf(run, `old@1.0.0`)).toMatchObject({status: `missing`, code: `PROVENANCE_MISSING`, allowed: false});
    expect(recordOf(run, `${SCOPED}@1.0.5`)).toMatchObject({status: `invalid`, code: `LOCKED_INTEGRITY_UNUSABLE`, allowed: false});
    // Only attestations and version documents (registry signatures) are fetched, from the registry .npmrc
    // names, never a tarball, and never for what cannot have any.
    const fetched = (url: string) => url.startsWith(`/-/npm/v1/attestations/`) || /^\/(@[^/]+%2f)?[^/@]+\/[^/]+$/.test(url);
    expect(registry.requests.some(request => !fetched(request.url) || request.url.includes(`gitdep`))).toBe(false);
  });

  it(`prints the table with why each package blocks, SARIF and Markdown from the same verdicts`, async () => {
    const dir = project(`npm-formats`, {
      [`package-lock.json`]: packageLock({[`node_modules/tuf-js`]: npmEntry(`tuf-js`, `1.0.0`, tufJs.expected.integrity)}),
      [`.provenance.yml`]: POLICY,
    });
    const table = await check(dir);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain(`violation SOURCE_REPO_MISMATCH`);
    expect(table.stdout).toContain(`expected  github.com/someone/else`);

    const sarif = await check(dir, `--sarif`);
    expect(sarif.code).toBe(1);
    // Placed at the package's entry in package-lock.json: the line and columns of its key.
    const entryLine = lineOf(dir, `package-lock.json`, `"node_modules/tuf-js": {`);
    expect(JSON.parse(sarif.stdout).runs[0].results[0]).toMatchObject({
      ruleId: `SOURCE_REPO_MISMATCH`, level: `error`,
      locations: [{physicalLocation: {artifactLocation: {uri: `package-lock.json`}, region: {startLine: entryLine, startColumn: 5, endLine: entryLine, endColumn: 5 + `"node_modules/tuf-js"`.length}}}],
    });

    const markdown = await check(dir, `--markdown`);
    expect(markdown.code).toBe(1);
    expect(markdown.stdout).toContain(`| \`tuf-js@1.0.0\` | violation | \`SOURCE_REPO_MISMATCH\``);
  });

  it(`remembers verified evidence per user: an unchanged lockfile fetches nothing again, and a new policy still applies`, async () => {
    const store = mkdtempSync(join(work, `store-`));
    const dir = project(`npm-remembered`, {
      [`package-lock.json`]: packageLock({[`node_modules/tuf-js`]: npmEntry(`tuf-js`, `1.0.0`, tufJs.expected.integrity)}),
    });
    const first = await checkWithStore(store, dir, `--json`);
    expect(first.code).toBe(0);
    const before = registry.requests.length;

    const again = await checkWithStore(store, dir, `--json`);
    expect(again.code).toBe(0);
    expect(recordOf(again, `tuf-js@1.0.0`)).toMatchObject({status: `verified`, sourceRepo: `https://github.com/theupdateframework/tuf-js`});
    writeFileSync(join(dir, `.provenance.yml`), POLICY);
    const stricter = await checkWithStore(store, dir, `--json`);
    expect(stricter.code).toBe(1);
    expect(recordOf(stricter, `tuf-js@1.0.0`)).toMatchObject({code: `SOURCE_REPO_MISMATCH`});
    expect(registry.requests.length).toBe(before);
  });

  it(`judges continuity against the pins beside the policy, as the install does, and refuses a broken pins file`, async () => {
    // sigstore@2 pinned as built elsewhere: the version in the lockfile changed repository within its line.
    const pins = `version: 1\npins:\n  sigstore@2:\n    source: github.com/someone/else\n    workflow: .github/workflows/release.yml\n    builder: github-actions\n    runner: hosted\n    issuer: https://token.actions.githubusercontent.com\n    publishAttestation: true\n    trustedPublisher: false\n    staged: false\n    since: 2.0.0\n`;
    const dir = project(`npm-pins`, {
      [`package-lock.json`]: packageLock({[`node_modules/sigstore`]: npmEntry(`sigstore`, `2.3.1`, sigstore2.expected.integrity)}),
      [`.provenance.yml`]: `version: 1\n`,
      [`.provenance.lock`]: pins,
    });
    const run = await check(dir, `--json`);
    expect(run.code).toBe(1);
    expect(recordOf(run, `sigstore@2.3.1`)).toMatchObject({status: `violation`, code: `SOURCE_REPO_CHANGED`, allowed: false});
    // A check reads the pins and never writes them.
    expect(readFileSync(join(dir, `.provenance.lock`), `utf8`)).toBe(pins);

    writeFileSync(join(dir, `.provenance.lock`), pins.replace(`staged: false`, `staged: false\n    mode: off`));
    const broken = await check(dir, `--json`);
    expect(broken.code).toBe(2);
    expect(records(broken)[0]).toMatchObject({type: `error`, code: `PINS_INVALID`});
  });

  it(`exits 3, not 1, when the registry does not answer`, async () => {
    const dir = project(`npm-unreachable`, {
      // npm's own retries (10 s, then 60 s) would only make this test slow.
      [`.npmrc`]: `registry=http://127.0.0.1:9/\nfetch-retries=0\n`,
      [`package-lock.json`]: packageLock({[`node_modules/sigstore`]: npmEntry(`sigstore`, `2.3.1`, sigstore2.expected.integrity)}),
    });
    const run = await check(dir, `--json`);
    expect(run.code).toBe(3);
    expect(recordOf(run, `sigstore@2.3.1`)).toMatchObject({status: `unverifiable`, code: `NETWORK_UNVERIFIABLE`});
  });

  it(`takes a scope's registry from @scope:registry`, async () => {
    const fixture = loadFixture(`@laurentsimon__provenance-npm-test@1.0.5`);
    const {name, version} = fixture.pkg;
    const dir = project(`npm-scoped`, {
      [`.npmrc`]: `registry=http://127.0.0.1:9/\n@laurentsimon:registry=${registry.url}\n`,
      [`package-lock.json`]: packageLock({[`node_modules/${name}`]: {version, resolved: `https://registry.npmjs.org/${name}/-/provenance-npm-test-${version}.tgz`, integrity: fixture.expected.integrity}}),
    });
    const run = await check(dir, `--json`);
    expect(run.code).toBe(0);
    expect(recordOf(run, `${name}@${version}`)).toMatchObject({status: `verified`});
  });

  it(`sends a scoped registry its .npmrc token, and reports a refusal as unverifiable, not as a pass`, async () => {
    // A private registry in front of the test registry: it answers only requests carrying the token.
    const seen: Array<string | undefined> = [];
    const gate = createServer((request, response) => {
      seen.push(request.headers.authorization);
      if (request.headers.authorization !== `Bearer s3cret`) {
        response.writeHead(401).end();
        return;
      }
      fetch(`${registry.url}${request.url!.replace(/^\/private/, ``)}`).then(async answer => {
        response.writeHead(answer.status, {[`content-type`]: `application/json`}).end(Buffer.from(await answer.arrayBuffer()));
      }, () => response.writeHead(502).end());
    });
    await new Promise<void>(listening => gate.listen(0, `127.0.0.1`, listening));
    const privateUrl = `http://127.0.0.1:${(gate.address() as AddressInfo).port}/private`;
    try {
      const fixture = loadFixture(`@laurentsimon__provenance-npm-test@1.0.5`);
      const {name, version} = fixture.pkg;
      const lock = packageLock({[`node_modules/${name}`]: {version, resolved: `https://registry.npmjs.org/${name}/-/provenance-npm-test-${version}.tgz`, integrity: fixture.expected.integrity}});
      const scoped = `@laurentsimon:registry=${privateUrl}/\n`;

      const withToken = await check(project(`npm-token`, {[`.npmrc`]: `${scoped}${privateUrl.replace(/^http:/, ``)}/:_authToken=\${TEST_TOKEN}\n`, [`package-lock.json`]: lock}), `--json`);
      expect(withToken.code).toBe(0);
      expect(recordOf(withToken, `${name}@${version}`)).toMatchObject({status: `verified`});
      // The attestations and the version document (its registry signature), both with the token.
      expect(seen).toEqual([`Bearer s3cret`, `Bearer s3cret`]);

      const withoutToken = await check(project(`npm-no-token`, {[`.npmrc`]: scoped, [`package-lock.json`]: lock}), `--json`);
      expect(withoutToken.code).toBe(3);
      expect(recordOf(withoutToken, `${name}@${version}`)).toMatchObject({status: `unverifiable`, code: `NETWORK_UNVERIFIABLE`});
    } finally {
      await new Promise(closed => gate.close(closed));
    }
  });

  it.each([
    [`a lockfile version 1 (npm 6)`, {[`package-lock.json`]: JSON.stringify({lockfileVersion: 1, dependencies: {}})}, `LOCKFILE_INVALID`],
    [`a lockfile that is not JSON`, {[`package-lock.json`]: `{"lockfileVersion": 3,`}, `LOCKFILE_INVALID`],
    [`no lockfile at all`, {}, `INPUT_UNREADABLE`],
  ])(`exits 2 with a coded line and no stack trace for %s`, async (_, files, code) => {
    const run = await check(project(`npm-usage`, files));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^${code}: `));
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe(`yarn-provenance check with a pnpm-lock.yaml`, () => {
  /** A pnpm 9/10 lockfile of a workspace: the root importer and packages/app, as pnpm writes them. */
  function pnpmLock({rootDeps, appDeps, packages}: {rootDeps: string, appDeps: string, packages: string}): string {
    return `lockfileVersion: '9.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  .:
    dependencies:
${rootDeps}
  packages/app:
    dependencies:
${appDeps}
packages:

${packages}
snapshots:

  sigstore@2.3.1: {}
`;
  }
  const dep = (as: string, specifier: string, version: string) => `      ${as}:\n        specifier: ${specifier}\n        version: ${version}\n`;
  const pkg = (key: string, resolution: string, extra = ``) => `  '${key}':\n    resolution: ${resolution}\n${extra}\n`;

  it(`exits 0 when every package of every importer verifies, an alias included`, async () => {
    const dir = project(`pnpm-allowed`, {
      [`pnpm-lock.yaml`]: pnpmLock({
        rootDeps: dep(`sigstore`, `2.3.1`, `2.3.1`),
        appDeps: dep(`my-sig`, `npm:sigstore@1.3.0`, `sigstore@1.3.0`) + dep(`lib`, `link:../lib`, `link:../lib`),
        packages: pkg(`sigstore@2.3.1`, `{integrity: ${sigstore2.expected.integrity}}`) + pkg(`sigstore@1.3.0`, `{integrity: ${sigstore1.expected.integrity}}`),
      }),
    });
    const run = await check(dir, `--json`);
    expect(run.code).toBe(0);
    expect(recordOf(run, `sigstore@2.3.1`)).toMatchObject({status: `verified`});
    expect(recordOf(run, `sigstore@1.3.0`)).toMatchObject({status: `verified`, installedAs: [`my-sig`]});
    expect(records(run).find(record => record.name === `lib`)).toMatchObject({status: `project`});
  });

  it(`blocks each scenario with its own code and exits 1`, async () => {
    const codeload = `https://codeload.github.com/o/r/tar.gz/${GIT}`;
    const dir = project(`pnpm-blocked`, {
      [`pnpm-lock.yaml`]: pnpmLock({
        rootDeps: dep(`tuf-js`, `1.0.0`, `1.0.0`) + dep(`gitdep`, `github:o/r#${GIT}`, codeload),
        appDeps: dep(`my-sig`, `npm:sigstore@1.3.0`, `sigstore@1.3.0`) + dep(`sigstore`, `2.3.1`, `2.3.1`) + dep(`old`, `1.0.0`, `1.0.0`),
        packages: pkg(`tuf-js@1.0.0`, `{integrity: ${tufJs.expected.integrity}}`)
          + pkg(`sigstore@1.3.0`, `{integrity: ${sigstore1.expected.integrity}}`)
          // sigstore@2.3.1 pinned to another tarball's integrity: pnpm would install those bytes.
          + pkg(`sigstore@2.3.1`, `{integrity: ${sigstore1.expected.integrity}}`)
          + pkg(`gitdep@${codeload}`, `{tarball: ${codeload}}`, `    version: 1.0.0\n`)
          + pkg(`old@1.0.0`, `{integrity: ${SHA1}}`),
      }),
      [`.provenance.yml`]: POLICY,
    });
    const run = await check(dir, `--json`);
    expect(run.code).toBe(1);
    expect(recordOf(run, `sigstore@2.3.1`)).toMatchObject({status: `invalid`, code: `SUBJECT_DIGEST_MISMATCH`});
    expect(recordOf(run, `tuf-js@1.0.0`)).toMatchObject({status: `violation`, code: `SOURCE_REPO_MISMATCH`});
    expect(recordOf(run, `sigstore@1.3.0`)).toMatchObject({code: `SOURCE_REPO_MISMATCH`, installedAs: [`my-sig`]});
    expect(recordOf(run, `gitdep@1.0.0`)).toMatchObject({status: `unattestable`, code: `SOURCE_UNATTESTABLE`, origin: `git ${codeload}`});
    expect(recordOf(run, `old@1.0.0`)).toMatchObject({status: `missing`, code: `PROVENANCE_MISSING`});

    // SARIF places each finding at its package's key under `packages` in pnpm-lock.yaml.
    const sarif = await check(dir, `--sarif`);
    expect(sarif.code).toBe(1);
    const results = JSON.parse(sarif.stdout).runs[0].results as Array<{ruleId: string, locations: Array<{physicalLocation: {region?: object}}>}>;
    const tufLine = lineOf(dir, `pnpm-lock.yaml`, `'tuf-js@1.0.0':`);
    expect(results.find(result => result.ruleId === `SOURCE_REPO_MISMATCH` && JSON.stringify(result).includes(`tuf-js@1.0.0`))!.locations[0]!.physicalLocation)
      .toMatchObject({artifactLocation: {uri: `pnpm-lock.yaml`}, region: {startLine: tufLine, startColumn: 3, endLine: tufLine, endColumn: 3 + `'tuf-js@1.0.0'`.length}});
    const gitLine = lineOf(dir, `pnpm-lock.yaml`, `'gitdep@${codeload}':`);
    expect(results.find(result => result.ruleId === `SOURCE_UNATTESTABLE`)!.locations[0]!.physicalLocation).toMatchObject({region: {startLine: gitLine, startColumn: 3}});
  });

  it(`exits 2 with LOCKFILE_INVALID for a pnpm lockfile version it does not read`, async () => {
    const run = await check(project(`pnpm-old`, {[`pnpm-lock.yaml`]: `lockfileVersion: 5.4\n`}));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^LOCKFILE_INVALID: /);
  });
});
