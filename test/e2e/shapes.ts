import {copyFileSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';

import {expect} from 'vitest';

import type {RunResult} from './scratchProject';
import {PLUGIN, ScratchProject} from './scratchProject';

// Helpers for the e2e tests of real project shapes (platform packages, aliases, non-registry sources,
// workspaces, hostile mirrors): scratch projects made with fewer Yarn runs (test/setup.ts removes them),
// and the assertions every blocked install shares.

export type ProjectOptions = {
  /** The policy file's text; null for none. */
  policy: string | null;
  settings?: Record<string, unknown>;
  /** package.json in full (`name` and `private` are added); `dependencies` alone is the common case. */
  manifest?: Record<string, unknown>;
  /** Further files, paths relative to the project. */
  files?: Record<string, string>;
};

/** What a blocked install must leave as it was. */
export type Snapshot = {manifest: string, lockfile: string, installState: string | null};

const PLUGIN_FILE = `.yarn/plugins/@yarnpkg/plugin-provenance.cjs`;

/** Scratch projects on one test registry, whose URL is known once the registry has started. */
export class Scratches {
  constructor(private readonly registryUrl: () => string) {}

  /**
   * A project with the freshly built plugin, imported by copying it where `yarn plugin import` puts it
   * (each Yarn run costs seconds; ScratchProject.writeRc lists a plugin found there).
   */
  async project(options: ProjectOptions): Promise<ScratchProject> {
    const settings = options.settings ?? {};
    const scratch = new ScratchProject(this.registryUrl(), {settings});
    mkdirSync(dirname(join(scratch.dir, PLUGIN_FILE)), {recursive: true});
    copyFileSync(PLUGIN, join(scratch.dir, PLUGIN_FILE));
    scratch.writeRc(this.registryUrl(), settings);
    if (!scratch.read(`.yarnrc.yml`).includes(PLUGIN_FILE))
      await scratch.importPlugin();

    writeManifest(scratch, options.manifest ?? {});
    for (const [path, text] of Object.entries(options.files ?? {})) {
      mkdirSync(dirname(join(scratch.dir, path)), {recursive: true});
      writeFileSync(join(scratch.dir, path), text);
    }
    if (options.policy !== null)
      scratch.policy(options.policy);
    return scratch;
  }

  /** A fresh machine's checkout of `origin` (ScratchProject.cloneTo). */
  clone(origin: ScratchProject, settings: Record<string, unknown> = {}): ScratchProject {
    return origin.cloneTo(this.registryUrl(), settings);
  }
}

export function snapshot(scratch: ScratchProject): Snapshot {
  const state = `node_modules/.yarn-state.yml`;
  return {
    manifest: scratch.read(`package.json`),
    lockfile: scratch.exists(`yarn.lock`) ? scratch.read(`yarn.lock`) : ``,
    installState: scratch.exists(state) ? scratch.read(state) : null,
  };
}

/**
 * A blocked install: exit 1 with every code named (a RegExp for "either of"), package.json, yarn.lock and
 * what node-modules had linked unchanged, none of `unlinked` in node_modules, none of `markers` written.
 */
export function expectBlocked(
  result: RunResult,
  scratch: ScratchProject,
  before: Snapshot,
  expected: {codes: Array<string | RegExp>, unlinked: Array<string>, markers?: Array<string>},
): void {
  expect(result.code, result.output).toBe(1);
  for (const code of expected.codes) {
    if (typeof code === `string`)
      expect(result.output).toContain(code);
    else
      expect(result.output).toMatch(code);
  }
  expect(snapshot(scratch)).toEqual(before);
  for (const name of expected.unlinked)
    expect(scratch.exists(`node_modules/${name}`), `node_modules/${name}`).toBe(false);
  for (const marker of expected.markers ?? [])
    expect(scratch.exists(marker), marker).toBe(false);
}

/** An install that passed; `linked` are in node_modules. */
export function expectPassed(result: RunResult, scratch: ScratchProject, linked: Array<string> = []): void {
  expect(result.code, result.output).toBe(0);
  for (const name of linked)
    expect(scratch.exists(`node_modules/${name}`), `node_modules/${name}`).toBe(true);
}

/**
 * The output without Yarn's own lines that list packages (`YN0085` resolution, `YN0013` fetch, `YN0007`
 * build, peer warnings…): what is left is Yarn's bare progress and the plugin's report (`YN0000`), so an
 * assertion that a package is "listed" cannot be satisfied by Yarn naming it.
 */
export function gateLines(output: string): Array<string> {
  return output.split(`\n`).filter(line => !/\bYN0(?!000)\d{3}:/.test(line));
}

/** One `yarn provenance audit --json` record (README: "--json"): the fields these tests read. */
export type AuditRecord = {package: string, name: string, version: string, status: string, code: string | null, allowed: boolean};

/** `yarn provenance audit -A --json` (every workspace) in this project: its exit code and one record per package. */
export async function audit(scratch: ScratchProject): Promise<{code: number | null, records: Array<AuditRecord>, output: string}> {
  const result = await scratch.yarn(`provenance`, `audit`, `--all`, `--json`);
  const records = result.stdout.split(`\n`).filter(line => line.startsWith(`{"type":"package"`)).map(line => JSON.parse(line) as AuditRecord);
  return {code: result.code, records, output: result.output};
}

/** The plugin's lines that mention every one of `words` (a verdict line names the package and its code). */
export function gateLinesWith(output: string, ...words: Array<string>): Array<string> {
  return gateLines(output).filter(line => words.every(word => line.includes(word)));
}

/**
 * A package script that proves it ran: writes `<project>/<marker>` (Yarn sets PROJECT_CWD for
 * dependencies' scripts). Returns the files and scripts to spread into a SyntheticPackage.
 */
type LifecycleEvent = `preinstall` | `install` | `postinstall`;

export function markerScript(event: LifecycleEvent, marker: string): {files: Record<string, string>, scripts: Record<string, string>} {
  const path = `require('path').join(process.env.PROJECT_CWD, ${JSON.stringify(marker)})`;
  return {files: {"marker.js": `require('fs').writeFileSync(${path}, 'ran');\n`}, scripts: {[event]: `node marker.js`}};
}

/** Writes the project's package.json: `name` and `private` plus the given fields. */
export function writeManifest(scratch: ScratchProject, manifest: Record<string, unknown>): void {
  writeFile(scratch, `package.json`, `${JSON.stringify({name: `scratch`, private: true, ...manifest}, null, 2)}\n`);
}

export function readJson(scratch: ScratchProject, path: string): any {
  return JSON.parse(scratch.read(path));
}

export function writeFile(scratch: ScratchProject, path: string, text: string | Uint8Array): void {
  mkdirSync(dirname(join(scratch.dir, path)), {recursive: true});
  writeFileSync(join(scratch.dir, path), text);
}

export function readBytes(scratch: ScratchProject, path: string): Buffer {
  return readFileSync(join(scratch.dir, path));
}
