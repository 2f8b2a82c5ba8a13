import {execFile} from 'node:child_process';
import {appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {FIXTURES_ROOT} from '../helpers/fixtures';
import {startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';

// The npm recipe as the README gives it, `yarn-provenance check && npm ci`, on a lockfile written by the
// real npm on this machine (the one that ships with Node) against the test registry.
const BIN = resolve(__dirname, `../../bundles/yarn-provenance.cjs`);
const TRUST = `--trusted-root ${join(FIXTURES_ROOT, `sigstore/trusted_root.json`)} --registry-keys ${join(FIXTURES_ROOT, `sigstore/npm-registry-keys.json`)}`;

let registry: TestRegistry;
const work = mkdtempSync(join(tmpdir(), `provenance-npm-`));
const dir = join(work, `project`);
beforeAll(async () => {
  registry = await startRegistry();
  registry.add({name: `scripted`, version: `1.0.0`, scripts: {postinstall: `node -e "require('fs').writeFileSync(require('path').join(process.env.INIT_CWD, 'marker'), 'ran')"`}});
  mkdirSync(dir, {recursive: true});
  writeFileSync(join(dir, `.npmrc`), `registry=${registry.url}/\ncache=${join(work, `cache`)}\naudit=false\nfund=false\n`);
  writeFileSync(join(dir, `package.json`), JSON.stringify({
    name: `demo`, version: `1.0.0`, dependencies: {sigstore: `2.3.1`, [`my-sig`]: `npm:sigstore@1.3.0`, scripted: `1.0.0`},
  }));
  const locked = await shell(`npm install --package-lock-only`);
  expect(locked.code).toBe(0);
});
afterAll(async () => {
  await registry.close();
  rmSync(work, {recursive: true, force: true});
});

function shell(command: string): Promise<{code: number, output: string}> {
  const home = join(work, `home`);
  const env = {...process.env, NO_COLOR: `1`, HOME: home, XDG_CACHE_HOME: join(home, `.cache`), NPM_CONFIG_USERCONFIG: join(home, `.npmrc`)};
  return new Promise(done => {
    execFile(`/bin/sh`, [`-c`, command], {cwd: dir, env}, (error, stdout, stderr) => {
      const code = error ? Number((error as {code?: unknown}).code) : 0;
      // PROVENANCE_E2E_LOG=<file>: the command and its output, for a look by hand (as ScratchProject logs Yarn runs).
      if (process.env.PROVENANCE_E2E_LOG)
        appendFileSync(process.env.PROVENANCE_E2E_LOG, `\n$ ${command}  (exit ${code})\n${stdout}${stderr}`);
      done({code, output: `${stdout}${stderr}`});
    });
  });
}

const recipe = `node ${BIN} check ${TRUST} && npm ci`;

describe(`the npm recipe (check && npm ci)`, () => {
  it(`blocks before npm ci fetches anything or runs a script`, async () => {
    writeFileSync(join(dir, `.provenance.yml`), `version: 1\nrules:\n  - packages: my-sig\n    source: github.com/someone/else\n`);
    const result = await shell(recipe);
    expect(result.code).toBe(1);
    // The alias npm wrote as `node_modules/my-sig` with `name: sigstore` is judged under both names.
    expect(result.output).toMatch(/sigstore@1\.3\.0 \(installed as my-sig\): violation SOURCE_REPO_MISMATCH/);
    expect(existsSync(join(dir, `node_modules`))).toBe(false);
    expect(existsSync(join(dir, `marker`))).toBe(false);
  });

  it(`lets npm ci install when every package passes`, async () => {
    writeFileSync(join(dir, `.provenance.yml`), `version: 1\nrules:\n  - packages: [sigstore, my-sig]\n    source: github.com/sigstore/sigstore-js\n`);
    const result = await shell(recipe);
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, `node_modules/my-sig/package.json`))).toBe(true);
    expect(existsSync(join(dir, `marker`))).toBe(true);
  });
});
