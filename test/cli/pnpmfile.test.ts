import {execFile} from 'node:child_process';
import {appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';

import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';

import {FIXTURES_ROOT, loadFixture} from '../helpers/fixtures';
import {startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';

// The recipe as users copy it, run by real pnpm (pinned in devDependencies) against the test registry:
// the install must stop before anything is fetched, linked or built.
const REPO = resolve(__dirname, `../..`);
const PNPM = join(REPO, `node_modules/pnpm/bin/pnpm.cjs`);
const PNPMFILE = join(REPO, `recipes/pnpm/.pnpmfile.cjs`);
const BIN = join(REPO, `bundles/yarn-provenance.cjs`);
const TRUST = [`--trusted-root`, join(FIXTURES_ROOT, `sigstore/trusted_root.json`), `--registry-keys`, join(FIXTURES_ROOT, `sigstore/npm-registry-keys.json`)];
const other = loadFixture(`sigstore@1.3.0`);

let registry: TestRegistry;
const work = mkdtempSync(join(tmpdir(), `provenance-pnpm-`));
const dir = join(work, `project`);
beforeAll(async () => {
  registry = await startRegistry();
  // Unattested, with an install script that leaves a marker: proof of whether dependency code ran.
  registry.add({name: `scripted`, version: `1.0.0`, scripts: {postinstall: `node -e "require('fs').writeFileSync(require('path').join(process.env.INIT_CWD, 'marker'), 'ran')"`}});
});
afterAll(async () => {
  await registry.close();
  rmSync(work, {recursive: true, force: true});
});

function pnpm(...args: Array<string>): Promise<{code: number, output: string}> {
  const home = join(work, `home`);
  const env = {
    ...process.env, NO_COLOR: `1`, HOME: home, XDG_DATA_HOME: home, XDG_CACHE_HOME: home, XDG_STATE_HOME: home, XDG_CONFIG_HOME: home,
    YARN_PROVENANCE_BIN: BIN, YARN_PROVENANCE_ARGS: JSON.stringify(TRUST), CI: `true`,
  };
  return new Promise(done => {
    execFile(process.execPath, [PNPM, ...args], {cwd: dir, env}, (error, stdout, stderr) => {
      const code = error ? Number((error as {code?: unknown}).code) : 0;
      // PROVENANCE_E2E_LOG=<file>: the command and its output, for a look by hand (as ScratchProject logs Yarn runs).
      if (process.env.PROVENANCE_E2E_LOG)
        appendFileSync(process.env.PROVENANCE_E2E_LOG, `\n$ pnpm ${args.join(` `)}  (exit ${code})\n${stdout}${stderr}`);
      done({code, output: `${stdout}${stderr}`});
    });
  });
}

/** A fresh project whose lockfile was written by `pnpm install --lockfile-only` (not checked: no lockfile yet). */
beforeEach(async () => {
  rmSync(dir, {recursive: true, force: true});
  mkdirSync(dir, {recursive: true});
  copyFileSync(PNPMFILE, join(dir, `.pnpmfile.cjs`));
  writeFileSync(join(dir, `.npmrc`), `registry=${registry.url}/\nstore-dir=${join(work, `store`)}\ncache-dir=${join(work, `cache`)}\n`);
  writeFileSync(join(dir, `package.json`), JSON.stringify({
    name: `demo`, version: `1.0.0`, dependencies: {sigstore: `2.3.1`, scripted: `1.0.0`}, pnpm: {onlyBuiltDependencies: [`scripted`]},
  }));
  const locked = await pnpm(`install`, `--lockfile-only`);
  expect(locked.code).toBe(0);
});

const installed = () => existsSync(join(dir, `node_modules`));
const scriptRan = () => existsSync(join(dir, `marker`));

describe(`the pnpm recipe (.pnpmfile.cjs, preResolution)`, () => {
  it(`lets a healthy lockfile install, scripts included`, async () => {
    writeFileSync(join(dir, `.provenance.yml`), `version: 1\nrules:\n  - packages: sigstore\n    source: github.com/sigstore/sigstore-js\n`);
    const result = await pnpm(`install`, `--frozen-lockfile`);
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, `node_modules/sigstore/package.json`))).toBe(true);
    expect(scriptRan()).toBe(true);
  });

  it.each([
    [`pnpm install --frozen-lockfile`, [`install`, `--frozen-lockfile`]],
    [`pnpm install`, [`install`]],
  ])(`stops %s before anything is installed or any script runs when the policy is violated`, async (_, args) => {
    writeFileSync(join(dir, `.provenance.yml`), `version: 1\ndefault:\n  require: provenance\n`);
    const result = await pnpm(...args);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(`ERR_PNPM_PROVENANCE_BLOCKED`);
    expect(result.output).toContain(`PROVENANCE_MISSING`);
    expect(result.output).not.toMatch(/\n\s+at /);
    expect(installed()).toBe(false);
    expect(scriptRan()).toBe(false);
  });

  it(`stops a frozen install of a lockfile edited to pin another tarball`, async () => {
    const lockfile = join(dir, `pnpm-lock.yaml`);
    const text = readFileSync(lockfile, `utf8`);
    const genuine = loadFixture(`sigstore@2.3.1`).expected.integrity;
    expect(text).toContain(genuine);
    writeFileSync(lockfile, text.replace(genuine, other.expected.integrity));
    const result = await pnpm(`install`, `--frozen-lockfile`);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(`SUBJECT_DIGEST_MISMATCH`);
    expect(installed()).toBe(false);
    expect(scriptRan()).toBe(false);
  });
});
