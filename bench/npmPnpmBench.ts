/**
 * The npm and pnpm half of `yarn bench`: on the same generated project and test registry as the Yarn runs,
 * `npm ci` and `pnpm install --frozen-lockfile`, plain and with `yarn-provenance check` in front (the README's
 * recipes), cold (empty caches, store and node_modules) and warm (caches and the check's store kept). The
 * check's cost is its own run, timed apart and added to the install it stands in front of.
 */
import {spawn} from 'node:child_process';
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

import type {GeneratedProject} from '../test/generator/generatePackages';
import {machineFolder} from './measure';
import type {Measurement} from './measure';

type Tool = `npm` | `pnpm`;

export type NpmPnpmPaths = {root: string, cli: string, pnpm: string, npm: string};

/** Medians, in seconds, for one package manager. */
export type ToolResult = {
  tool: Tool;
  plainCold: number;
  checkCold: number;
  installAfterCheckCold: number;
  plainWarm: number;
  checkWarm: number;
  installAfterCheckWarm: number;
  /** (check + install) / plain install. */
  coldRatio: number;
  warmRatio: number;
};

const INSTALL: Record<Tool, Array<string>> = {npm: [`ci`], pnpm: [`install`, `--frozen-lockfile`]};
const LOCKFILE: Record<Tool, string> = {npm: `package-lock.json`, pnpm: `pnpm-lock.yaml`};
const WARM_REPEATS = 5;
const COLD_REPEATS = Number(process.env.BENCH_COLD_REPEATS ?? 3);

export async function benchNpmPnpm({paths, registryUrl, project, trust, work, size}: {
  paths: NpmPnpmPaths;
  registryUrl: string;
  project: GeneratedProject;
  trust: {trustedRootPath: string, registryKeysPath: string};
  work: string;
  size: number;
}): Promise<Array<ToolResult>> {
  const results: Array<ToolResult> = [];
  for (const tool of [`npm`, `pnpm`] as const) {
    const lockfile = await makeLockfile(paths, tool, registryUrl, project, join(work, `${tool}-lock-${size}`));
    const plainDir = join(work, `${tool}-plain-${size}`);
    const checkedDir = join(work, `${tool}-checked-${size}`);
    const install = (dir: string) => run(paths, tool, dir, INSTALL[tool]);
    const check = (dir: string) => run(paths, `check`, dir, [`check`, `--trusted-root`, trust.trustedRootPath, `--registry-keys`, trust.registryKeysPath]);

    const cold: Array<[Measurement, Measurement, Measurement]> = [];
    for (let i = 0; i < COLD_REPEATS; i++) {
      const plain = await install(scratch(tool, registryUrl, project, lockfile, plainDir));
      scratch(tool, registryUrl, project, lockfile, checkedDir);
      const checked = await check(checkedDir);
      cold.push([plain, checked, await install(checkedDir)]);
    }
    const warm: Array<[Measurement, Measurement, Measurement]> = [];
    for (let i = 0; i < WARM_REPEATS; i++) {
      const plain = await install(plainDir);
      const checked = await check(checkedDir);
      warm.push([plain, checked, await install(checkedDir)]);
    }

    const [plainCold, checkCold, installAfterCheckCold] = [0, 1, 2].map(column => median(cold.map(row => row[column]!), `${tool} cold`));
    const [plainWarm, checkWarm, installAfterCheckWarm] = [0, 1, 2].map(column => median(warm.map(row => row[column]!), `${tool} warm`));
    const result = {
      tool, plainCold: plainCold!, checkCold: checkCold!, installAfterCheckCold: installAfterCheckCold!,
      plainWarm: plainWarm!, checkWarm: checkWarm!, installAfterCheckWarm: installAfterCheckWarm!,
      coldRatio: (checkCold! + installAfterCheckCold!) / plainCold!,
      warmRatio: (checkWarm! + installAfterCheckWarm!) / plainWarm!,
    };
    log(`${String(size).padStart(5)}  ${tool} plain ${INSTALL[tool].join(` `)}: cold ${plainCold!.toFixed(2)} s, warm ${plainWarm!.toFixed(2)} s; check: cold ${checkCold!.toFixed(2)} s, warm ${checkWarm!.toFixed(2)} s`);
    results.push(result);
  }
  return results;
}

/** The lines `yarn bench` prints for npm and pnpm, before its own last line. */
export function npmPnpmLines(size: number, results: ReadonlyArray<ToolResult>): Array<string> {
  return results.map(result => `${size} packages, ${result.tool} ${INSTALL[result.tool].join(` `)}: check in front adds `
    + `${percent(result.coldRatio)} cold (${result.coldRatio.toFixed(2)}x, target 1.15) and ${percent(result.warmRatio)} warm (${result.warmRatio.toFixed(2)}x); `
    + `check ${result.checkCold.toFixed(2)} s cold, ${result.checkWarm.toFixed(2)} s warm (target 0.3)`);
}

function percent(ratio: number): string {
  return `${ratio >= 1 ? `+` : ``}${((ratio - 1) * 100).toFixed(0)}%`;
}

/** The lockfile every run installs from, written once by the package manager itself. */
export async function makeLockfile(paths: NpmPnpmPaths, tool: Tool, registryUrl: string, project: GeneratedProject, dir: string): Promise<string> {
  scratch(tool, registryUrl, project, null, dir);
  const result = await run(paths, tool, dir, tool === `npm` ? [`install`, `--package-lock-only`] : [`install`, `--lockfile-only`]);
  if (result.code !== 0)
    throw new Error(`${tool} could not resolve the generated project:\n${result.output}`);
  return readFileSync(join(dir, LOCKFILE[tool]), `utf8`);
}

/** A fresh project folder and machine (caches, store, the check's store); `lockfile` null writes none. */
export function scratch(tool: Tool, registryUrl: string, project: GeneratedProject, lockfile: string | null, dir: string): string {
  rmSync(dir, {recursive: true, force: true});
  rmSync(machineFolder(dir), {recursive: true, force: true});
  mkdirSync(dir, {recursive: true});
  mkdirSync(machineFolder(dir), {recursive: true});
  writeFileSync(join(dir, `package.json`), JSON.stringify({name: `bench`, version: `1.0.0`, private: true, dependencies: project.rootDependencies}, null, 2));
  if (lockfile !== null)
    writeFileSync(join(dir, LOCKFILE[tool]), lockfile);
  const machine = machineFolder(dir);
  const npmrc = tool === `npm`
    ? [`cache=${join(machine, `npm-cache`)}`, `audit=false`, `fund=false`, `update-notifier=false`, `progress=false`]
    : [`cache=${join(machine, `npm-cache`)}`, `store-dir=${join(machine, `pnpm-store`)}`, `cache-dir=${join(machine, `pnpm-cache`)}`];
  writeFileSync(join(dir, `.npmrc`), `registry=${registryUrl}/\n${npmrc.join(`\n`)}\n`);
  writeFileSync(join(dir, `.provenance.yml`), [
    `version: 1`, `default:`, `  require: provenance`, `rules:`, `  - packages: "*"`, `    source: github.com/bench-org/*`, `    runner: github-hosted`,
  ].join(`\n`) + `\n`);
  return dir;
}

/**
 * Runs npm, pnpm or the check in `dir` with only the machine folder as home; wall time of the whole process.
 * `extra.nodeArgs` go to node before the script (a `--require` preload), `extra.env` adds variables.
 */
export function run(paths: NpmPnpmPaths, what: Tool | `check`, dir: string, args: Array<string>, extra: {nodeArgs?: Array<string>, env?: Record<string, string>} = {}): Promise<Measurement> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(npm_|pnpm_|berry_|yarn_|project_cwd$|init_cwd$|node_options$)/i.test(key))
      env[key] = value;
  const machine = machineFolder(dir);
  Object.assign(env, {XDG_CACHE_HOME: machine, HOME: machine, NPM_CONFIG_USERCONFIG: join(machine, `absent-npmrc`), NO_COLOR: `1`, CI: `1`}, extra.env);
  const script = what === `check` ? paths.cli : what === `npm` ? paths.npm : paths.pnpm;

  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...extra.nodeArgs ?? [], script, ...args], {cwd: dir, env, stdio: [`ignore`, `pipe`, `pipe`]});
    let output = ``;
    child.stdout.on(`data`, chunk => { output += chunk; });
    child.stderr.on(`data`, chunk => { output += chunk; });
    child.on(`error`, reject);
    child.on(`close`, code => {
      const seconds = (performance.now() - start) / 1000;
      if (code !== 0)
        log(`${what} ${args.join(` `)} in ${dir} exited ${code}:\n${output.split(`\n`).slice(-15).join(`\n`)}`);
      resolve({seconds, peakRssMiB: 0, cpuSeconds: 0, code, output});
    });
  });
}

export function median(runs: Array<Measurement>, what: string): number {
  if (runs.some(measurement => measurement.code !== 0))
    log(`(${what}: some runs failed; their times are still counted)`);
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!.seconds;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Where npm's own CLI is: the one that ships with the Node running the bench. */
export function npmCliPath(): string {
  const candidates = [join(process.execPath, `../../lib/node_modules/npm/bin/npm-cli.js`), `/usr/lib/node_modules/npm/bin/npm-cli.js`, `/usr/local/lib/node_modules/npm/bin/npm-cli.js`];
  for (const candidate of candidates) {
    try {
      readFileSync(candidate);
      return candidate;
    } catch {}
  }
  throw new Error(`npm's CLI was not found beside ${process.execPath}`);
}
