import {spawn} from 'node:child_process';
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export type Measurement = {
  seconds: number;
  peakRssMiB: number;
  cpuSeconds: number;
  code: number | null;
  output: string;
  /** Requests to the test registry and TCP connections it accepted during the run, where counted. */
  requests?: number;
  connections?: number;
};

// Loaded into each Yarn process: reports its own peak RSS on exit, so that memory is measured the
// same way on every machine, without /usr/bin/time.
const PRELOAD = join(tmpdir(), `provenance-bench-maxrss.cjs`);
writeFileSync(PRELOAD, `process.on('exit', () => { if (process.env.BENCH_RSS_FILE) { const u = process.resourceUsage(); require('fs').appendFileSync(process.env.BENCH_RSS_FILE, u.maxRSS + ' ' + (u.userCPUTime + u.systemCPUTime) + '\\n'); } });\n`);

/**
 * The per-user cache folder (`XDG_CACHE_HOME`) of the machine a benchmark project runs on: beside the
 * project, never inside it (the plugin keeps its store there). Removing it makes a fresh machine.
 */
export function machineFolder(cwd: string): string {
  return `${cwd}.machine`;
}

/** Runs the committed Yarn in `cwd` and measures wall time and peak memory. */
export function runYarn(yarnPath: string, cwd: string, args: Array<string>): Promise<Measurement> {
  const rssFile = join(tmpdir(), `provenance-bench-rss-${process.pid}-${Math.random().toString(16).slice(2)}`);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(npm_|berry_|yarn_|project_cwd$|init_cwd$|node_options$)/i.test(key))
      env[key] = value;
  env.YARN_ENABLE_IMMUTABLE_INSTALLS = `0`;
  env.XDG_CACHE_HOME = machineFolder(cwd);
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of every Yarn process there, to see where time goes.
  env.NODE_OPTIONS = `--require ${PRELOAD}`;
  const profile = process.env.BENCH_CPU_PROF ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  env.BENCH_RSS_FILE = rssFile;

  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...profile, yarnPath, ...args], {cwd, env, stdio: [`ignore`, `pipe`, `pipe`]});
    let output = ``;
    child.stdout.on(`data`, chunk => { output += chunk; });
    child.stderr.on(`data`, chunk => { output += chunk; });
    child.on(`error`, reject);
    child.on(`close`, code => {
      const seconds = (performance.now() - start) / 1000;
      let peakKiB = 0;
      let cpuMicros = 0;
      try {
        // One line per process (Yarn may re-spawn itself): the peak of peaks, the sum of CPU.
        for (const line of readFileSync(rssFile, `utf8`).trim().split(`\n`)) {
          const [rss, cpu] = line.split(` `).map(Number);
          peakKiB = Math.max(peakKiB, rss!);
          cpuMicros += cpu!;
        }
      } catch {}
      rmSync(rssFile, {force: true});
      resolve({seconds, peakRssMiB: peakKiB / 1024, cpuSeconds: cpuMicros / 1e6, code, output});
    });
  });
}
