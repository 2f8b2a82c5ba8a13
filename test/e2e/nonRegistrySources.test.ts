import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {packPackage, startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';
import type {GitServer} from './gitServer';
import {startGitServer} from './gitServer';
import {audit, expectBlocked, expectPassed, gateLinesWith, markerScript, Scratches, snapshot, writeFile, writeManifest} from './shapes';

// Dependencies that do not come from a registry by version: a tarball URL, git, `file:` (tarball or
// folder outside the project) and `exec:`. Nothing attests them; the gate must list each as
// `unattestable` and block it where provenance is required (SOURCE_UNATTESTABLE), including when a
// mirror injects one into an attested package's manifest or a lockfile edit points a pinned package at
// one (issue 7, "Packages that get in unchecked" 2).
let registry: TestRegistry;
let git: GitServer;
let outside: string;
const scratches = new Scratches(() => registry.url);

const REQUIRE_PROVENANCE = `version: 1
default:
  require: provenance
rules:
  - packages: [sigstore]
    source: github.com/sigstore/sigstore-js
`;
const SOURCES = [`shapes-tarball`, `shapes-git`, `shapes-file`, `shapes-folder`, `shapes-exec`];
// Yarn 4.18 fetches no git repository it was not told to trust, and runs exec: generators only with scripts on.
const SETTINGS = {enableScripts: true, approvedGitRepositories: [`**`]};

const EXEC_MANIFEST = JSON.stringify(JSON.stringify({name: `shapes-exec`, version: `1.0.0`}));

let tarballUrl: string;
let injectedUrl: string;

beforeAll(async () => {
  registry = await startRegistry();
  git = await startGitServer();
  // Folders outside any project: where `file:` dependencies point and where git's prepack leaves its marker.
  outside = mkdtempSync(join(tmpdir(), `provenance-outside-`));
  const withMarker = (name: string, marker: string) => ({name, version: `1.0.0`, ...markerScript(`postinstall`, marker)});
  tarballUrl = registry.addFile(`shapes-tarball-1.0.0.tgz`, withMarker(`shapes-tarball`, `RAN-tarball`));
  injectedUrl = registry.addFile(`shapes-injected-1.0.0.tgz`, withMarker(`shapes-injected`, `RAN-injected`));
  writeFileSync(join(outside, `shapes-file-1.0.0.tgz`), packPackage(withMarker(`shapes-file`, `RAN-file`)));
  mkdirSync(join(outside, `shapes-folder`));
  writeFileSync(join(outside, `shapes-folder/package.json`), JSON.stringify({name: `shapes-folder`, version: `1.0.0`}));
});
afterAll(async () => {
  rmSync(outside, {recursive: true, force: true});
  await git.close();
  await registry.close();
});

/** A project depending on one source of each kind; git's prepack writes `<outside>/<prepackMarker>`. */
async function everySource(policy: string, prepackMarker: string) {
  const repo = git.repo(`shapes-git-${prepackMarker.toLowerCase()}`, {
    "package.json": JSON.stringify({name: `shapes-git`, version: `1.0.0`, scripts: {prepack: `node prepack.js`}}),
    "prepack.js": `require('fs').writeFileSync(${JSON.stringify(join(outside, prepackMarker))}, 'ran');\n`,
    "index.js": `module.exports = 1;\n`,
  });
  return scratches.project({
    policy,
    settings: SETTINGS,
    manifest: {
      dependencies: {
        "shapes-tarball": tarballUrl,
        "shapes-git": repo.spec,
        "shapes-file": `file:${join(outside, `shapes-file-1.0.0.tgz`)}`,
        "shapes-folder": `file:${join(outside, `shapes-folder`)}`,
        "shapes-exec": `exec:./generate.js`,
      },
    },
    // An exec: generator writes the package into the build folder Yarn gives it (`execEnv.buildDir`).
    files: {"generate.js": `require('fs').writeFileSync(require('path').join(execEnv.buildDir, 'package.json'), ${EXEC_MANIFEST});\n`},
  });
}

describe(`non-registry sources`, () => {
  it(`block a tarball URL, git, file: tarball and folder, and exec: under require: provenance, saying git's prepack ran before`, async () => {
    const scratch = await everySource(REQUIRE_PROVENANCE, `PREPACK-BLOCKED`);
    const before = snapshot(scratch);
    const result = await scratch.yarn(`install`);
    expectBlocked(result, scratch, before, {
      codes: [`SOURCE_UNATTESTABLE`],
      unlinked: SOURCES,
      markers: [`RAN-tarball`, `RAN-file`],
    });
    for (const name of SOURCES)
      expect(gateLinesWith(result.output, name, `SOURCE_UNATTESTABLE`), name).not.toEqual([]);
    // Yarn packs a git dependency (running its prepack) while resolving, before any gate can run.
    expect(gateLinesWith(result.output, `prepack`)).not.toEqual([]);
  });

  it(`let them through under require: none, saying so, each listed as unattestable by audit`, async () => {
    const scratch = await everySource(`version: 1\n`, `PREPACK-ALLOWED`);
    const result = await scratch.yarn(`install`);
    expectPassed(result, scratch, SOURCES);
    expect(gateLinesWith(result.output, `unattestable`)).not.toEqual([]);

    const report = await audit(scratch);
    expect(report.code, report.output).toBe(0);
    for (const name of SOURCES)
      expect(report.records.filter(record => record.name === name).map(record => record.status), name).toEqual([`unattestable`]);
  });

  it(`block a tarball-URL dependency that the mirror adds to an attested package's manifest`, async () => {
    registry.fault(`sigstore@2.3.1`, {kind: `manifest-fields`, fields: {dependencies: {"shapes-injected": injectedUrl}}});
    try {
      const scratch = await scratches.project({policy: REQUIRE_PROVENANCE, settings: SETTINGS, manifest: {dependencies: {sigstore: `2.3.1`}}});
      const before = snapshot(scratch);
      const result = await scratch.yarn(`install`);
      expectBlocked(result, scratch, before, {codes: [`SOURCE_UNATTESTABLE`], unlinked: [`sigstore`, `shapes-injected`], markers: [`RAN-injected`]});
      expect(gateLinesWith(result.output, `shapes-injected`, `SOURCE_UNATTESTABLE`)).not.toEqual([]);
    } finally {
      registry.fault(`sigstore@2.3.1`, null);
    }
  });

  it(`block a pinned npm package whose lockfile resolution was edited to a tarball URL, under --immutable on a fresh clone`, async () => {
    // What an attacker's pull request does to yarn.lock, with a checksum that matches: made by Yarn
    // itself, then renamed so that the entry reads as `sigstore@npm:2.3.1`.
    const evilUrl = registry.addFile(`sigstore-evil.tgz`, {name: `sigstore`, version: `2.3.1`, ...markerScript(`postinstall`, `RAN-evil`)});
    const origin = await scratches.project({policy: `version: 1\ndefault:\n  mode: off\n`, manifest: {dependencies: {sigstore: evilUrl}}});
    expectPassed(await origin.yarn(`install`), origin);
    const lockfile = origin.read(`yarn.lock`)
      .replace(`"sigstore@${evilUrl}":`, `"sigstore@npm:2.3.1":`)
      .replace(`sigstore: "${evilUrl}"`, `sigstore: "npm:2.3.1"`);
    expect(lockfile).toContain(`resolution: "sigstore@${evilUrl}"`);
    expect(lockfile).not.toContain(`"sigstore@${evilUrl}":`);
    writeFile(origin, `yarn.lock`, lockfile);
    writeManifest(origin, {dependencies: {sigstore: `2.3.1`}});
    origin.policy(REQUIRE_PROVENANCE);

    const fresh = scratches.clone(origin, {enableScripts: true});
    const before = snapshot(fresh);
    const result = await fresh.yarn(`install`, `--immutable`);
    expectBlocked(result, fresh, before, {codes: [`LOCKFILE_RESOLUTION_MISMATCH`], unlinked: [`sigstore`], markers: [`RAN-evil`]});
  });
});
