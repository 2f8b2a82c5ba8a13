import {rmSync} from 'node:fs';
import {join} from 'node:path';

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';
import {expectBlocked, expectPassed, gateLinesWith, Scratches, snapshot, writeFile, writeManifest} from './shapes';

// Another package installed under a pinned name: an alias in the project's manifest, an alias a mirror
// adds to an attested package's dependencies, or a yarn.lock entry edited to resolve to another package.
// The rules of both names apply, and the output names both (issue 7, "Packages that get in unchecked" 3).
let registry: TestRegistry;
const scratches = new Scratches(() => registry.url);

const PINNED = `version: 1
rules:
  - packages: [sigstore]
    source: github.com/sigstore/sigstore-js
`;
const GATE_OFF = `version: 1\ndefault:\n  mode: off\n`;

beforeAll(async () => {
  registry = await startRegistry();
  registry.add({name: `shapes-other`, version: `1.0.0`});
  registry.add({name: `shapes-evil`, version: `1.0.0`});
});
afterAll(async () => {
  await registry.close();
});

describe(`aliases`, () => {
  it(`judge an alias in the project's manifest by the rule of the name it is installed as`, async () => {
    const scratch = await scratches.project({policy: PINNED, manifest: {dependencies: {sigstore: `npm:shapes-other@1.0.0`}}});
    const before = snapshot(scratch);
    const result = await scratch.yarn(`install`);
    expectBlocked(result, scratch, before, {codes: [`PROVENANCE_MISSING`], unlinked: [`sigstore`]});
    expect(gateLinesWith(result.output, `sigstore`, `shapes-other@1.0.0`, `PROVENANCE_MISSING`)).not.toEqual([]);
  });

  it(`judge an alias that the mirror adds to an attested package's dependencies by the rules of both names`, async () => {
    registry.fault(`tuf-js@1.0.0`, {kind: `manifest-fields`, fields: {dependencies: {sigstore: `npm:gundam-visor@1.0.1`}}});
    try {
      const scratch = await scratches.project({policy: PINNED, manifest: {dependencies: {"tuf-js": `1.0.0`}}});
      const before = snapshot(scratch);
      const result = await scratch.yarn(`install`);
      // gundam-visor's provenance is genuine, from its own repository: not the one `sigstore` is pinned to.
      expectBlocked(result, scratch, before, {codes: [`SOURCE_REPO_MISMATCH`], unlinked: [`sigstore`, `tuf-js`]});
      expect(gateLinesWith(result.output, `sigstore`, `gundam-visor@1.0.1`, `SOURCE_REPO_MISMATCH`)).not.toEqual([]);
    } finally {
      registry.fault(`tuf-js@1.0.0`, null);
    }
  });

  it(`block a yarn.lock entry edited to resolve sigstore@npm:2.3.1 to another package, also --immutable on a fresh clone`, async () => {
    // The edited lockfile, with a checksum that matches: made by Yarn from an alias, then renamed so
    // that the entry reads as `sigstore@npm:2.3.1` with `resolution: "shapes-evil@npm:1.0.0"`.
    const scratch = await scratches.project({policy: GATE_OFF, manifest: {dependencies: {sigstore: `npm:shapes-evil@1.0.0`}}});
    expectPassed(await scratch.yarn(`install`), scratch);
    rmSync(join(scratch.dir, `node_modules`), {recursive: true});
    const lockfile = scratch.read(`yarn.lock`)
      .replace(`"sigstore@npm:shapes-evil@1.0.0":`, `"sigstore@npm:2.3.1":`)
      .replace(`sigstore: "npm:shapes-evil@1.0.0"`, `sigstore: "npm:2.3.1"`);
    expect(lockfile).toContain(`resolution: "shapes-evil@npm:1.0.0"`);
    expect(lockfile).not.toContain(`sigstore@npm:shapes-evil`);
    writeFile(scratch, `yarn.lock`, lockfile);
    writeManifest(scratch, {dependencies: {sigstore: `2.3.1`}});
    scratch.policy(PINNED);

    const before = snapshot(scratch);
    const result = await scratch.yarn(`install`);
    expectBlocked(result, scratch, before, {codes: [`LOCKFILE_RESOLUTION_MISMATCH`], unlinked: [`sigstore`, `shapes-evil`]});
    expect(gateLinesWith(result.output, `shapes-evil`)).not.toEqual([]);

    const fresh = scratches.clone(scratch);
    const freshBefore = snapshot(fresh);
    const immutable = await fresh.yarn(`install`, `--immutable`);
    expectBlocked(immutable, fresh, freshBefore, {codes: [`LOCKFILE_RESOLUTION_MISMATCH`], unlinked: [`sigstore`, `shapes-evil`]});
  });

  it(`re-judge an install that passed before once a yarn.lock entry is edited to a range its resolution does not satisfy`, async () => {
    // Same packages, names, sources, policy and zips: only the entry's range differs, which a warm
    // install's remembered outcome must not hide (the gate finds lockfile problems only when judging).
    const scratch = await scratches.project({policy: `version: 1\ndefault:\n  require: none\n`, manifest: {dependencies: {"shapes-other": `1.0.0`}}});
    expectPassed(await scratch.yarn(`install`), scratch);
    expect((await scratch.yarn(`install`, `--immutable`)).output).toContain(`nothing to re-check`);
    rmSync(join(scratch.dir, `node_modules`), {recursive: true});
    const lockfile = scratch.read(`yarn.lock`)
      .replace(`"shapes-other@npm:1.0.0":`, `"shapes-other@npm:^2.0.0":`)
      .replace(`shapes-other: "npm:1.0.0"`, `shapes-other: "npm:^2.0.0"`);
    expect(lockfile).toContain(`resolution: "shapes-other@npm:1.0.0"`);
    writeFile(scratch, `yarn.lock`, lockfile);
    writeManifest(scratch, {dependencies: {"shapes-other": `^2.0.0`}});

    const before = snapshot(scratch);
    const result = await scratch.yarn(`install`, `--immutable`);
    expect(result.output).not.toContain(`nothing to re-check`);
    expectBlocked(result, scratch, before, {codes: [`LOCKFILE_RESOLUTION_MISMATCH`], unlinked: [`shapes-other`]});
  });
});
