/**
 * `yarn bench`: installs one generated project with plain Yarn and with the plugin enforcing a
 * policy, at several sizes, cold (empty caches) and warm (`--immutable`, everything cached and
 * verified before), the cold ones again on a CI-like network (bench/networkProfile.ts), and times `yarn provenance
 * audit`. Prints figures; the last line is `cold_ratio=<x> warm_ratio=<y> audit_s=<z> cpu_ms_per_pkg=<a>
 * net_ratio=<b>` for 1,000 packages. Targets live in README.md.
 */
import {subscribe} from 'node:diagnostics_channel';
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import type {Server} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {createTestAuthority} from '../test/authority';
import {generateProject} from '../test/generator/generatePackages';
import type {GeneratedProject} from '../test/generator/generatePackages';
import {publishGenerated} from '../test/generator/publishGenerated';
import {startRegistry} from '../test/registry/server.mjs';
import {machineFolder, runYarn} from './measure';
import type {Measurement, ThreadSplit} from './measure';
import {NETWORK_ENABLED, NETWORK_PROFILE, networkProfileCold} from './networkProfile';
import type {NetworkResult} from './networkProfile';
import {benchNpmPnpm, npmCliPath, npmPnpmLines} from './npmPnpmBench';
import type {ToolResult} from './npmPnpmBench';
import {benchPeers, peerRows, peerTableLines} from './peerBench';
import type {PeerResult} from './peerBench';
import {policyChecksCost} from './policyChecksCost';

type Paths = {root: string, yarn: string, plugin: string};

/** TCP connections the test registry accepted (it runs in this process): are requests kept alive? */
let connections = 0;
subscribe(`net.server.socket`, () => {
  connections++;
});

/**
 * The test registry keeps an idle connection 1 s and says so (`Keep-Alive: timeout=1`); Node 20's
 * client agent, Yarn's too, keeps a connection only for the advertised time minus a 1 s margin, so
 * every request opened a new connection, plain Yarn's as well. A real registry keeps connections longer:
 * here it keeps them 5 s (Node's default), so that the bench measures requests, not connection set-ups.
 */
subscribe(`http.server.request.start`, message => {
  const {server} = message as {server: Server};
  if (server.keepAliveTimeout < 5000)
    server.keepAliveTimeout = 5000;
});

type SizeResult = {
  packages: number;
  plainCold: Measurement;
  pluginCold: Measurement;
  /** Each cold repeat as a (plain, plugin) pair, run back to back. */
  coldPairs: Array<[Measurement, Measurement]>;
  /** The same cold installs against the registry throttled like a CI runner's network (absent with BENCH_NETWORK=0). */
  network?: NetworkResult;
  // Absent with BENCH_ONLY=cold.
  plainWarm?: Measurement;
  pluginWarm?: Measurement;
  auditWarm?: Measurement;
  auditFreshMachine?: Measurement;
  /** `yarn config get` in the same project: what any Yarn command costs before doing anything. */
  yarnStartup?: Measurement;
  /** npm and pnpm on the same project and registry, plain and with `yarn-provenance check` in front. */
  npmPnpm?: Array<ToolResult>;
  /** The peers' own checks against their plain runs: pnpm's trustPolicy, npm audit signatures (bench/peerBench.ts). */
  peers?: Array<PeerResult>;
  /** `yarn provenance init --force` on the installed project, on a machine that remembers nothing. */
  init?: Measurement;
  /** CPU per package of the continuity and registry-signature checks (bench/policyChecksCost.ts). */
  checks?: {continuityMicros: number, signatureMicros: number};
};

/** Runs are noisy on a shared 2-core machine: this many of each, interleaved, and the median is kept. */
const WARM_REPEATS = 5;
const COLD_REPEATS = Number(process.env.BENCH_COLD_REPEATS ?? 3);
/**
 * One cold install of this many packages, plain and with the plugin, under Node's default heap (nothing
 * sets --max-old-space-size): peak RSS and the main thread's V8 heap. BENCH_MEMORY_SIZE=0 skips it.
 */
const MEMORY_SIZE = Number(process.env.BENCH_MEMORY_SIZE ?? 5000);
type MemoryResult = {packages: number, plain: Measurement, plugin: Measurement};
/** BENCH_ONLY=cold: the cold installs alone (for profiling the cold path); warm and audit figures are then absent. */
const ONLY_COLD = process.env.BENCH_ONLY === `cold`;

export async function main(paths: Paths, sizes: Array<number>): Promise<void> {
  const authority = await createTestAuthority();
  const work = mkdtempSync(join(tmpdir(), `provenance-bench-`));
  // Only generated packages: an empty fixtures folder. The registry signs every version, as npm's does.
  mkdirSync(join(work, `no-fixtures`));
  const registry = await startRegistry({fixturesDir: join(work, `no-fixtures`), signingKey: authority.registrySigner});
  const trust = authority.writeTrustFiles(work);
  const results: Array<SizeResult> = [];
  let memory: MemoryResult | undefined;

  try {
    for (const size of sizes) {
      const project = generateProject({count: size, seed: size, org: `bench-org`});
      const publishStart = performance.now();
      await publishGenerated(project, registry, authority);
      log(`${size} packages generated and attested in ${((performance.now() - publishStart) / 1000).toFixed(1)} s`);

      const lockfile = await makeLockfile(paths, registry.url, project, join(work, `lock-${size}`));
      const plain = (name: string) => scratch(paths, registry.url, project, lockfile, join(work, `${name}-${size}`), null);
      const enforced = (name: string) => scratch(paths, registry.url, project, lockfile, join(work, `${name}-${size}`), trust);

      // Requests and connections each install made, to see what the plugin adds on the wire.
      const wire = async (run: Promise<Measurement>): Promise<Measurement> => {
        const [requests, accepted] = [registry.requests.length, connections];
        const result = await run;
        return {...result, requests: registry.requests.length - requests, connections: connections - accepted};
      };
      const plainDir = join(work, `plain-${size}`);
      const pluginDir = join(work, `plugin-${size}`);
      // Cold: empty cache and global folder each time (the lockfile stays), interleaved, median kept.
      const cold: Array<[Measurement, Measurement]> = [];
      for (let i = 0; i < COLD_REPEATS; i++) {
        cold.push([await wire(runYarn(paths.yarn, plain(`plain`), [`install`, `--immutable`])), await wire(runYarn(paths.yarn, enforced(`plugin`), [`install`, `--immutable`]))]);
      }
      const plainCold = report1(median(cold.map(([plainRun]) => plainRun)), `plain Yarn, cold (median of ${COLD_REPEATS})`, size);
      const pluginCold = report1(median(cold.map(([, pluginRun]) => pluginRun)), `with the plugin, cold (median of ${COLD_REPEATS})`, size);
      log(`${String(size).padStart(5)}  added CPU per package, cold: ${addedCpuMsPerPackage(cold, size).toFixed(2)} ms${describeByThread(addedCpuByThread(cold, size))}`);
      // The network profile at the first size only (1,000 by default, the size of the last line): it doubles the cold installs.
      const network = !NETWORK_ENABLED || size !== sizes[0] ? undefined : await networkProfileCold({
        registry, repeats: COLD_REPEATS, print: (measurement, label) => report1(measurement, label, size),
        plain: () => wire(runYarn(paths.yarn, plain(`net-plain`), [`install`, `--immutable`])),
        plugin: () => wire(runYarn(paths.yarn, enforced(`net-plugin`), [`install`, `--immutable`])),
      });
      if (ONLY_COLD) {
        results.push({packages: size, plainCold, pluginCold, coldPairs: cold, network});
        continue;
      }

      const warm: Array<[Measurement, Measurement]> = [];
      for (let i = 0; i < WARM_REPEATS; i++)
        warm.push([await runYarn(paths.yarn, plainDir, [`install`, `--immutable`]), await runYarn(paths.yarn, pluginDir, [`install`, `--immutable`])]);
      const plainWarm = report1(median(warm.map(([plainRun]) => plainRun)), `plain Yarn, warm (median of ${WARM_REPEATS})`, size);
      const pluginWarm = report1(median(warm.map(([, pluginRun]) => pluginRun)), `with the plugin, warm (median of ${WARM_REPEATS})`, size);

      const audits: Array<Measurement> = [];
      const startups: Array<Measurement> = [];
      for (let i = 0; i < WARM_REPEATS; i++) {
        audits.push(await runYarn(paths.yarn, pluginDir, [`provenance`, `audit`, `--json`]));
        startups.push(await runYarn(paths.yarn, pluginDir, [`config`, `get`, `enableTelemetry`]));
      }
      const auditWarm = report1(median(audits), `yarn provenance audit, warm (median)`, size);
      const yarnStartup = report1(median(startups), `yarn config get (Yarn's start-up, median)`, size);

      // The same project on a machine that never saw it: the cache is there, nothing is remembered.
      rmSync(join(pluginDir, `.yarn-global`), {recursive: true, force: true});
      rmSync(machineFolder(pluginDir), {recursive: true, force: true});
      const auditFreshMachine = await timed(paths, pluginDir, [`provenance`, `audit`, `--json`], `yarn provenance audit, fresh machine`, size);

      const npmPnpmPaths = {
        root: paths.root, cli: join(paths.root, `bundles/yarn-provenance.cjs`), npm: npmCliPath(), pnpm: join(paths.root, `node_modules/pnpm/bin/pnpm.cjs`),
      };
      // npm, pnpm, the peers and `init` at the first size only (1,000 by default, the size of the last line):
      // `npm audit signatures` alone takes minutes at 1,000 packages.
      const first = size === sizes[0];
      const npmPnpm = first ? await benchNpmPnpm({paths: npmPnpmPaths, registryUrl: registry.url, project, trust, work, size}) : undefined;
      const peers = first ? await benchPeers({paths: npmPnpmPaths, registryUrl: registry.url, project, trustedRootPath: trust.trustedRootPath, work, size}) : undefined;

      // `init` on the installed project, every package verified afresh (nothing remembered): the policy it writes replaces the bench's.
      rmSync(machineFolder(pluginDir), {recursive: true, force: true});
      const init = first ? await timed(paths, pluginDir, [`provenance`, `init`, `--force`], `yarn provenance init, fresh machine`, size) : undefined;
      const checks = policyChecksCost(size);
      log(`${String(size).padStart(5)}  continuity check ${checks.continuityMicros.toFixed(1)} µs CPU per package, registry signature check ${checks.signatureMicros.toFixed(1)} µs CPU per package (plus one version-document request per package on a cold install)`);

      results.push({packages: size, plainCold, plainWarm, pluginCold, pluginWarm, auditWarm, auditFreshMachine, yarnStartup, npmPnpm, peers, init, checks, coldPairs: cold, network});
    }

    if (MEMORY_SIZE > 0) {
      const project = generateProject({count: MEMORY_SIZE, seed: MEMORY_SIZE, org: `bench-org`});
      await publishGenerated(project, registry, authority);
      const lockfile = await makeLockfile(paths, registry.url, project, join(work, `lock-${MEMORY_SIZE}`));
      const plainRun = await runYarn(paths.yarn, scratch(paths, registry.url, project, lockfile, join(work, `plain-${MEMORY_SIZE}`), null), [`install`, `--immutable`]);
      const pluginRun = await runYarn(paths.yarn, scratch(paths, registry.url, project, lockfile, join(work, `plugin-${MEMORY_SIZE}`), trust), [`install`, `--immutable`]);
      report1(plainRun, `plain Yarn, cold (memory)`, MEMORY_SIZE);
      report1(pluginRun, `with the plugin, cold (memory)`, MEMORY_SIZE);
      memory = {packages: MEMORY_SIZE, plain: plainRun, plugin: pluginRun};
      log(`${String(MEMORY_SIZE).padStart(5)}  memory: peak RSS ${pluginRun.peakRssMiB.toFixed(0)} MiB with the plugin (plain ${plainRun.peakRssMiB.toFixed(0)} MiB); main thread's V8 heap peak ${pluginRun.threads?.heapPeakMiB ?? `-`} MiB of the default limit ${pluginRun.threads?.heapLimitMiB ?? `-`} MiB (plain ${plainRun.threads?.heapPeakMiB ?? `-`} MiB); exit ${pluginRun.code}`);
    }
  } finally {
    await registry.close();
    // Each size leaves caches of thousands of packages behind; BENCH_KEEP=1 keeps them for a look.
    if (!process.env.BENCH_KEEP)
      rmSync(work, {recursive: true, force: true});
  }

  report(paths, results, memory);
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function timed(paths: Paths, cwd: string, args: Array<string>, label: string, size: number): Promise<Measurement> {
  return report1(await runYarn(paths.yarn, cwd, args), label, size);
}

function median(runs: Array<Measurement>): Measurement {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!;
}

function report1(measurement: Measurement, label: string, size: number): Measurement {
  const ok = measurement.code === 0;
  const wire = measurement.requests === undefined ? `` : `  ${measurement.requests} requests, ${measurement.connections} connections`;
  log(`${String(size).padStart(5)}  ${label.padEnd(46)} ${measurement.seconds.toFixed(2).padStart(7)} s  ${measurement.cpuSeconds.toFixed(1).padStart(5)} s CPU  ${measurement.peakRssMiB.toFixed(0).padStart(5)} MiB${wire}${ok ? `` : `  (exit ${measurement.code})`}`);
  if (!ok)
    log(measurement.output.split(`\n`).slice(-15).join(`\n`));
  return measurement;
}

/** The lockfile both variants install from, so that neither pays for resolution differently. */
async function makeLockfile(paths: Paths, registryUrl: string, project: GeneratedProject, dir: string): Promise<string> {
  scratch(paths, registryUrl, project, null, dir, null);
  const result = await runYarn(paths.yarn, dir, [`install`, `--mode=update-lockfile`]);
  if (result.code !== 0)
    throw new Error(`Could not resolve the generated project:\n${result.output}`);
  return readFileSync(join(dir, `yarn.lock`), `utf8`);
}

function scratch(paths: Paths, registryUrl: string, project: GeneratedProject, lockfile: string | null, dir: string, trust: {trustedRootPath: string, registryKeysPath: string} | null): string {
  rmSync(dir, {recursive: true, force: true});
  rmSync(machineFolder(dir), {recursive: true, force: true});
  mkdirSync(dir, {recursive: true});
  writeFileSync(join(dir, `package.json`), JSON.stringify({name: `bench`, private: true, dependencies: project.rootDependencies}, null, 2));
  writeFileSync(join(dir, `yarn.lock`), lockfile ?? ``);
  const rc = [
    `yarnPath: ${JSON.stringify(paths.yarn)}`,
    `npmRegistryServer: "${registryUrl}"`,
    `unsafeHttpWhitelist: ["127.0.0.1"]`,
    `enableGlobalCache: false`,
    `enableTelemetry: false`,
    `globalFolder: ${JSON.stringify(join(dir, `.yarn-global`))}`,
  ];
  if (trust !== null) {
    mkdirSync(join(dir, `.yarn/plugins/@yarnpkg`), {recursive: true});
    copyFileSync(paths.plugin, join(dir, `.yarn/plugins/@yarnpkg/plugin-provenance.cjs`));
    rc.push(
      `provenanceTrustedRootPath: ${JSON.stringify(trust.trustedRootPath)}`,
      `provenanceRegistryKeysPath: ${JSON.stringify(trust.registryKeysPath)}`,
      `plugins:`,
      `  - path: .yarn/plugins/@yarnpkg/plugin-provenance.cjs`,
    );
    writeFileSync(join(dir, `.provenance.yml`), [
      `version: 1`,
      `default:`,
      `  require: provenance`,
      `rules:`,
      `  - packages: "*"`,
      `    source: github.com/bench-org/*`,
      `    runner: github-hosted`,
    ].join(`\n`) + `\n`);
  }
  writeFileSync(join(dir, `.yarnrc.yml`), `${rc.join(`\n`)}\n`);
  return dir;
}

function report(paths: Paths, results: Array<SizeResult>, memory: MemoryResult | undefined): void {
  const date = new Date().toISOString();
  const resultsDir = join(paths.root, `bench/results`);
  mkdirSync(resultsDir, {recursive: true});
  const figures = (m: Measurement | undefined) => m === undefined ? null : {seconds: round(m.seconds), cpuSeconds: round(m.cpuSeconds), peakRssMiB: round(m.peakRssMiB), exit: m.code, requests: m.requests, connections: m.connections};
  const ratio = (a: Measurement | undefined, b: Measurement | undefined) => a === undefined || b === undefined ? null : a.seconds / b.seconds;
  const summary = results.map(result => ({
    packages: result.packages,
    coldRatio: result.pluginCold.seconds / result.plainCold.seconds,
    warmRatio: ratio(result.pluginWarm, result.plainWarm),
    cpuMsPerPackage: round(addedCpuMsPerPackage(result.coldPairs, result.packages)),
    cpuMsPerPackageByThread: addedCpuByThread(result.coldPairs, result.packages),
    netRatio: result.network?.ratio ?? null,
    plainCold: figures(result.plainCold),
    plainWarm: figures(result.plainWarm),
    pluginCold: figures(result.pluginCold),
    pluginWarm: figures(result.pluginWarm),
    auditWarm: figures(result.auditWarm),
    auditFreshMachine: figures(result.auditFreshMachine),
    yarnStartup: figures(result.yarnStartup),
    npmPnpm: result.npmPnpm,
    peers: result.peers,
    pnpmTrustRatio: result.peers?.find(peer => peer.peer === `pnpm-trust-policy`)?.coldRatio ?? null,
    init: figures(result.init),
    checks: result.checks,
    network: result.network === undefined ? null : {latencyMs: result.network.latencyMs, bytesPerSecond: result.network.bytesPerSecond, plainCold: figures(result.network.plainCold), pluginCold: figures(result.network.pluginCold)},
  }));
  const memoryFigures = memory === undefined ? null : {
    packages: memory.packages,
    plain: {...figures(memory.plain), heapPeakMiB: memory.plain.threads?.heapPeakMiB},
    plugin: {...figures(memory.plugin), heapPeakMiB: memory.plugin.threads?.heapPeakMiB, heapLimitMiB: memory.plugin.threads?.heapLimitMiB},
  };
  writeFileSync(join(resultsDir, `${date.replace(/[:.]/g, `-`)}.json`), `${JSON.stringify({date, node: process.version, results: summary, memory: memoryFigures}, null, 2)}\n`);

  const fixed = (value: number | null | undefined) => value === null || value === undefined ? `-` : value.toFixed(2);
  log(``);
  for (const row of summary)
    log(`${row.packages} packages: cold ${fixed(row.coldRatio)}x plain Yarn (target 1.15), warm ${fixed(row.warmRatio)}x (target 1.03), added CPU ${fixed(row.cpuMsPerPackage)} ms per package (target 2.0), audit ${row.auditWarm?.seconds ?? `-`} s warm (target 0.3; Yarn's own start-up here ${row.yarnStartup?.seconds ?? `-`} s) / ${row.auditFreshMachine?.seconds ?? `-`} s on a fresh machine (target 3)`);
  for (const row of summary)
    if (row.netRatio !== null)
      log(`${row.packages} packages, CI network (${NETWORK_PROFILE}): cold ${fixed(row.netRatio)}x plain Yarn (target 1.05)`);
  for (const row of summary)
    for (const line of npmPnpmLines(row.packages, row.npmPnpm ?? []))
      log(line);
  for (const row of summary)
    for (const line of peerTableLines(row.packages, peerRows(row)))
      log(line);
  if (memory !== undefined)
    log(`${memory.packages} packages, memory: peak RSS ${memory.plugin.peakRssMiB.toFixed(0)} MiB with the plugin, ${memory.plain.peakRssMiB.toFixed(0)} MiB plain; V8 heap peak ${memory.plugin.threads?.heapPeakMiB ?? `-`} MiB of ${memory.plugin.threads?.heapLimitMiB ?? `-`} MiB (Node's default limit); ${memory.plugin.code === 0 ? `installed` : `FAILED, exit ${memory.plugin.code}`}`);
  const main = summary.find(row => row.packages === 1000) ?? summary[0]!;
  log(`cold_ratio=${fixed(main.coldRatio)} warm_ratio=${fixed(main.warmRatio)} audit_s=${main.auditWarm?.seconds ?? `-`} cpu_ms_per_pkg=${fixed(main.cpuMsPerPackage)} net_ratio=${fixed(main.netRatio)} pnpm_trust_ratio=${fixed(main.pnpmTrustRatio)}`);
}

/**
 * (plugin CPU − plain CPU) / packages, in ms: the median over the cold pairs, each pair run back to back
 * so that both runs saw the same machine. CPU is every Yarn process's user + system time (the worker included).
 */
function addedCpuMsPerPackage(pairs: Array<[Measurement, Measurement]>, packages: number): number {
  const added = pairs.map(([plainRun, pluginRun]) => (pluginRun.cpuSeconds - plainRun.cpuSeconds) * 1000 / packages).sort((a, b) => a - b);
  return added[Math.floor(added.length / 2)]!;
}

/** (plugin − plain) CPU per package for each kind of thread, in ms: the median over the cold pairs. */
function addedCpuByThread(pairs: Array<[Measurement, Measurement]>, packages: number): Omit<ThreadSplit, `heapPeakMiB` | `heapLimitMiB`> | null {
  if (pairs.some(([plainRun, pluginRun]) => plainRun.threads === undefined || pluginRun.threads === undefined))
    return null;
  const kinds = [`main`, `verifier`, `yarnWorkers`, `helpers`] as const;
  const medianOf = (kind: typeof kinds[number]) => {
    const added = pairs.map(([plainRun, pluginRun]) => (pluginRun.threads![kind] - plainRun.threads![kind]) / packages).sort((a, b) => a - b);
    return round(added[Math.floor(added.length / 2)]!);
  };
  return {main: medianOf(`main`), verifier: medianOf(`verifier`), yarnWorkers: medianOf(`yarnWorkers`), helpers: medianOf(`helpers`)};
}

function describeByThread(split: ReturnType<typeof addedCpuByThread>): string {
  if (split === null)
    return ``;
  const signed = (value: number) => `${value >= 0 ? `+` : ``}${value.toFixed(2)}`;
  return ` (by thread: Yarn's main ${signed(split.main)}, verification worker ${signed(split.verifier)}, Yarn's workers ${signed(split.yarnWorkers)}, V8 and libuv threads ${signed(split.helpers)})`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
