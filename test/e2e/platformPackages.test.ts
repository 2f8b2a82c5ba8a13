import {readdirSync} from 'node:fs';
import {join} from 'node:path';

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';
import {expectBlocked, expectPassed, readBytes, Scratches, snapshot, writeFile} from './shapes';

// Projects shaped like esbuild, rollup 4, @swc/core, sharp, biome or turbo: a main package with one
// optional package per platform, each declaring `os`/`cpu`. Yarn installs only the one for this machine
// and records no checksum for it (issue 7: every install after the first was blocked with
// CACHE_BINDING_MISMATCH "Yarn recorded no checksum").
let registry: TestRegistry;
const scratches = new Scratches(() => registry.url);

const HOST = `${process.platform}-${process.arch}`;
const PLATFORMS = [...new Set([`linux-x64`, `linux-arm64`, `darwin-x64`, `darwin-arm64`, `win32-x64`, HOST])];
const variant = (platform: string) => `@shapes/bundler-${platform}`;

// An attested package (a real fixture) listed by the mirror as this machine's platform package.
const ATTESTED = `@laurentsimon/provenance-npm-test`;
const ATTESTED_POLICY = `version: 1
rules:
  - packages: ["${ATTESTED}"]
    source: github.com/laurentsimon/provenance-npm-test
`;

beforeAll(async () => {
  registry = await startRegistry();
  for (const platform of PLATFORMS) {
    const [os, cpu] = platform.split(`-`);
    registry.add({name: variant(platform), version: `1.0.0`, os: [os!], cpu: [cpu!], files: {"bin/bundler": `#!/bin/sh\necho ${platform}\n`}});
  }
  registry.add({
    name: `@shapes/bundler`,
    version: `1.0.0`,
    optionalDependencies: Object.fromEntries(PLATFORMS.map(platform => [variant(platform), `1.0.0`])),
  });
  registry.add({
    name: `@shapes/bundler-attested`,
    version: `1.0.0`,
    optionalDependencies: {[variant(`win32-x64`)]: `1.0.0`, [ATTESTED]: `1.0.5`},
  });
  const [os, cpu] = HOST.split(`-`);
  registry.fault(`${ATTESTED}@1.0.5`, {kind: `manifest-fields`, fields: {os: [os!], cpu: [cpu!]}});
});
afterAll(async () => {
  await registry.close();
});

/** The cache file(s) of a package in a project-local cache, by the name Yarn gives them. */
function cacheFiles(dir: string, name: string, version: string): Array<string> {
  const prefix = `${name.replace(`/`, `-`)}-npm-${version}-`;
  return readdirSync(join(dir, `.yarn/cache`)).filter(file => file.startsWith(prefix));
}

describe(`platform-specific optional packages`, () => {
  it(`install, install again, and install --immutable on a fresh clone, under the policy "version: 1"`, async () => {
    const scratch = await scratches.project({policy: `version: 1\n`, manifest: {dependencies: {"@shapes/bundler": `1.0.0`}}});
    const first = await scratch.yarn(`install`);
    expectPassed(first, scratch, [`@shapes/bundler`, variant(HOST)]);
    for (const platform of PLATFORMS.filter(platform => platform !== HOST))
      expect(scratch.exists(`node_modules/${variant(platform)}`), platform).toBe(false);
    // The shape that tripped the gate: Yarn keeps no checksum for a conditional package.
    const entry = scratch.read(`yarn.lock`).split(`\n\n`).find(block => block.includes(`"${variant(HOST)}@npm:1.0.0"`));
    expect(entry).toContain(`conditions:`);
    expect(entry).not.toContain(`checksum:`);

    const second = await scratch.yarn(`install`);
    expectPassed(second, scratch, [variant(HOST)]);
    expect(second.output).not.toContain(`CACHE_BINDING_MISMATCH`);

    const fresh = scratches.clone(scratch);
    const immutable = await fresh.yarn(`install`, `--immutable`);
    expectPassed(immutable, fresh, [`@shapes/bundler`, variant(HOST)]);
    expect(immutable.output).not.toContain(`CACHE_BINDING_MISMATCH`);
  });

  it(`verify an attested platform package on every install and fresh clone, and catch its cached zip replaced in place`, async () => {
    const scratch = await scratches.project({policy: ATTESTED_POLICY, manifest: {dependencies: {"@shapes/bundler-attested": `1.0.0`}}});
    const first = await scratch.yarn(`install`);
    expectPassed(first, scratch, [ATTESTED]);
    expect(first.output).toContain(`1 verified`);
    expect(cacheFiles(scratch.dir, ATTESTED, `1.0.5`)).toHaveLength(1);

    const second = await scratch.yarn(`install`);
    expectPassed(second, scratch, [ATTESTED]);

    const fresh = scratches.clone(scratch);
    const immutable = await fresh.yarn(`install`, `--immutable`);
    expectPassed(immutable, fresh, [ATTESTED]);
    expect(immutable.output).toContain(`1 verified`);

    // Another package's zip under the attested package's cache name: with no checksum, Yarn cannot tell.
    const [zip] = cacheFiles(scratch.dir, ATTESTED, `1.0.5`);
    const [foreign] = cacheFiles(scratch.dir, `@shapes/bundler-attested`, `1.0.0`);
    writeFile(scratch, `.yarn/cache/${zip}`, readBytes(scratch, `.yarn/cache/${foreign}`));
    const linked = scratch.read(`node_modules/${ATTESTED}/package.json`);
    const before = snapshot(scratch);
    const tampered = await scratch.yarn(`install`);
    // That zip was bound on this machine to the other package's tarball, which is not the attested one
    // (SUBJECT_DIGEST_MISMATCH); on a machine that never bound it, re-deriving fails (CACHE_BINDING_MISMATCH).
    expectBlocked(tampered, scratch, before, {codes: [/CACHE_BINDING_MISMATCH|SUBJECT_DIGEST_MISMATCH/], unlinked: []});
    expect(scratch.read(`node_modules/${ATTESTED}/package.json`)).toBe(linked);
  });
});
