import {createHash} from 'node:crypto';
import {copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {VERSION} from '../../sources/core/version';
import {loadFixture} from '../helpers/fixtures';
import {startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';
import {ScratchProject} from './scratchProject';
import {expectNoCrash, snapshot} from './output';
import type {RunResult} from './scratchProject';

// A pull request is all an attacker needs to change a repository's committed cache, lockfile and
// .yarnrc.yml. None of these may make the gate pass a package that was not made from the attested
// tarball (issue 7, "Packages that get in unchecked", items 4 and 5).
let registry: TestRegistry;

/** sigstore@2.3.1 installed under a matching policy: cache, lockfile and install state are genuine. */
let genuine: ScratchProject;
/**
 * sigstore@2.3.1 installed while the registry served sigstore@2.1.0's tarball under its name, with the
 * gate off: its cache zip and lockfile checksum agree with each other, but not with what was attested.
 */
let forged: ScratchProject;

const SIGSTORE_POLICY = `version: 1\nrules:\n  - packages: [sigstore]\n    source: github.com/sigstore/sigstore-js\n`;
const GENUINE_TARBALL_SHA512 = loadFixture(`sigstore@2.3.1`).tarballSha512;

beforeAll(async () => {
  registry = await startRegistry();
  const base = new ScratchProject(registry.url);
  await base.importPlugin();

  genuine = base.cloneTo(registry.url);
  genuine.policy(SIGSTORE_POLICY);
  const install = await genuine.yarn(`add`, `sigstore@2.3.1`);
  if (install.code !== 0)
    throw new Error(install.output);

  forged = base.cloneTo(registry.url);
  forged.policy(`version: 1\ndefault:\n  mode: off\n`);
  registry.fault(`sigstore@2.3.1`, {kind: `tarball-from`, fixture: `sigstore@2.1.0`});
  try {
    const forgedInstall = await forged.yarn(`add`, `sigstore@2.3.1`);
    if (forgedInstall.code !== 0)
      throw new Error(forgedInstall.output);
  } finally {
    registry.fault(`sigstore@2.3.1`, null);
  }
  forged.policy(SIGSTORE_POLICY);
});
afterAll(async () => {
  await registry.close();
});

/** The project cache's zip of sigstore@2.3.1 (its name carries the start of its checksum). */
function cachedZip(scratch: ScratchProject): string {
  const names = readdirSync(join(scratch.dir, `.yarn/cache`)).filter(name => name.startsWith(`sigstore-npm-2.3.1-`));
  expect(names).toHaveLength(1);
  return join(scratch.dir, `.yarn/cache`, names[0]!);
}

/** The checksum yarn.lock records for sigstore@2.3.1, as Yarn reports it (`<cacheKey>/<sha512 hex>`). */
function lockfileChecksum(scratch: ScratchProject): string {
  const checksum = /"sigstore@npm:2\.3\.1":[\s\S]*?checksum: (\S+)/.exec(scratch.read(`yarn.lock`))?.[1];
  expect(checksum).toBeDefined();
  return checksum!;
}

/** A fresh clone's blocked install: the forged zip's code never reaches node_modules. */
function expectBlockedByBinding(result: RunResult, scratch: ScratchProject, before: ReturnType<typeof snapshot>): void {
  expect(result.code, result.output).toBe(1);
  expect(result.output).toContain(`CACHE_BINDING_MISMATCH`);
  expectNoCrash(result);
  expect(snapshot(scratch)).toEqual(before);
  expect(scratch.exists(`node_modules/sigstore`)).toBe(false);
}

describe(`checksumBehavior: ignore and a committed cache zip replaced in place`, () => {
  beforeAll(() => {
    // Another valid zip of a package named sigstore (made from 2.1.0's tarball), under 2.3.1's file name;
    // yarn.lock keeps the genuine checksum. With `ignore`, Yarn reports that checksum for the forged zip.
    copyFileSync(cachedZip(forged), cachedZip(genuine));
    genuine.writeRc(registry.url, {checksumBehavior: `ignore`});
  });

  it(`blocks with CACHE_BINDING_MISMATCH on the machine that installed the genuine package`, async () => {
    const before = snapshot(genuine);
    const result = await genuine.yarn(`install`, `--immutable`);
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain(`CACHE_BINDING_MISMATCH`);
    expectNoCrash(result);
    expect(snapshot(genuine)).toEqual(before);
    expect(JSON.parse(genuine.read(`node_modules/sigstore/package.json`)).version).toBe(`2.3.1`);
  });

  it(`blocks with CACHE_BINDING_MISMATCH on a fresh clone with --immutable`, async () => {
    const fresh = genuine.cloneTo(registry.url, {checksumBehavior: `ignore`});
    const before = snapshot(fresh);
    const result = await fresh.yarn(`install`, `--immutable`);
    expectBlockedByBinding(result, fresh, before);
  });
});

describe(`globalFolder pointed at a folder committed in the repository, holding a forged plugin store`, () => {
  /**
   * A clone of `forged` whose .yarnrc.yml sets globalFolder to `.yarn/global` inside the clone, holding
   * these store files under today's names (see sources/core/cache/localStore.ts on main).
   */
  function cloneWithCommittedStore(files: (clone: ScratchProject) => Record<string, unknown>) {
    const clone = forged.cloneTo(registry.url);
    const globalFolder = join(clone.dir, `.yarn/global`);
    const store = join(globalFolder, `provenance`);
    mkdirSync(store, {recursive: true});
    for (const [name, content] of Object.entries(files(clone)))
      writeFileSync(join(store, name), JSON.stringify(content));
    clone.writeRc(registry.url, {globalFolder});
    return {clone, store};
  }

  /** The store's files as they were committed: never read as trusted, and never written to. */
  function storeContents(store: string): Record<string, string> {
    return Object.fromEntries(readdirSync(store).sort().map(name => [name, readFileSync(join(store, name), `utf8`)]));
  }

  it(`a binding of the forged zip to the genuine tarball's hash does not make it pass`, async () => {
    const {clone, store} = cloneWithCommittedStore(() => ({
      [`evidence-v3.json`]: {format: 3, bindings: {[lockfileChecksum(forged)]: GENUINE_TARBALL_SHA512}, evidence: {}},
    }));
    const committed = storeContents(store);
    const before = snapshot(clone);

    const result = await clone.yarn(`install`, `--immutable`);

    expectBlockedByBinding(result, clone, before);
    expect(storeContents(store)).toEqual(committed);
  });

  it(`null policy entries do not switch the gate off`, async () => {
    const {clone, store} = cloneWithCommittedStore(clone => {
      // The key today's store files a parsed policy under: the plugin version, the policy's path, its text.
      const origin = join(clone.dir, `.provenance.yml`);
      const key = createHash(`sha256`).update(JSON.stringify([VERSION, origin, clone.read(`.provenance.yml`)])).digest(`hex`);
      return {[`recent-v3.json`]: {format: 3, policies: {[key]: null}, verdictSets: {}}};
    });
    const committed = storeContents(store);
    const before = snapshot(clone);

    const result = await clone.yarn(`install`, `--immutable`);

    expectBlockedByBinding(result, clone, before);
    expect(storeContents(store)).toEqual(committed);
  });

  it(`null fields do not crash the install`, async () => {
    const {clone, store} = cloneWithCommittedStore(() => ({
      [`recent-v3.json`]: {format: 3, policies: {}, verdictSets: null},
      [`evidence-v3.json`]: {format: 3, bindings: null, evidence: null},
    }));
    const committed = storeContents(store);
    const before = snapshot(clone);

    const result = await clone.yarn(`install`, `--immutable`);

    expectBlockedByBinding(result, clone, before);
    expect(storeContents(store)).toEqual(committed);
  });
});

describe(`XDG_CACHE_HOME pointed inside the project, holding a forged store`, () => {
  it(`is never read: the install says so, and the forged zip is still blocked`, async () => {
    const clone = forged.cloneTo(registry.url);
    // What a repository would commit if it could make the per-user folder its own: a binding of the
    // forged zip to the genuine tarball's hash, in today's store format.
    const cacheHome = join(clone.dir, `.cache`);
    const store = join(cacheHome, `yarn-plugin-provenance`);
    mkdirSync(store, {recursive: true});
    writeFileSync(join(store, `evidence-v4.json`), JSON.stringify({format: 4, bindings: {[lockfileChecksum(forged).split(`/`).pop()!]: GENUINE_TARBALL_SHA512}, evidence: {}}));
    clone.cacheHome = cacheHome;
    const before = snapshot(clone);

    const result = await clone.yarn(`install`, `--immutable`);

    expectBlockedByBinding(result, clone, before);
    expect(result.output).toContain(`is inside this project`);
  });
});
