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
  /** CPU milliseconds by thread (Linux only: elsewhere all zero; see the preload below), and the main thread's peak V8 heap. */
  threads?: ThreadSplit;
};

/** CPU ms of Yarn's main thread, the plugin's verification worker, Yarn's own workers, and V8's and libuv's threads. */
export type ThreadSplit = {main: number, verifier: number, yarnWorkers: number, helpers: number, heapPeakMiB: number, heapLimitMiB: number};

/** Two processes' figures (Yarn may re-spawn itself): CPU summed, heap the larger. */
export function sumSplits(a: ThreadSplit, b: ThreadSplit): ThreadSplit {
  return {
    main: a.main + b.main, verifier: a.verifier + b.verifier, yarnWorkers: a.yarnWorkers + b.yarnWorkers, helpers: a.helpers + b.helpers,
    heapPeakMiB: Math.max(a.heapPeakMiB, b.heapPeakMiB), heapLimitMiB: Math.max(a.heapLimitMiB, b.heapLimitMiB),
  };
}

// Loaded into each Yarn process (and each of its worker threads): reports the process's peak RSS and CPU
// on exit, so that memory is measured the same way on every machine, without /usr/bin/time. On Linux the
// main thread also samples every thread's CPU from /proc (each 50 ms, and at exit), so that the added CPU
// can be split by thread: Yarn's main thread, the plugin's verification worker (the one worker started
// with workerData), Yarn's own workers (tarball to zip), and the rest (V8's GC and compiler threads,
// libuv's pool). A thread that ends between two samples loses at most 50 ms of its count. It samples
// the main thread's V8 heap in use as well, for its peak beside the heap limit.
const PRELOAD = join(tmpdir(), `provenance-bench-preload.cjs`);
writeFileSync(PRELOAD, `
const fs = require('fs');
const threads = require('worker_threads');
const file = process.env.BENCH_RSS_FILE;
const linux = fs.existsSync('/proc/thread-self');
if (file && linux && !threads.isMainThread) {
  const tid = fs.readlinkSync('/proc/thread-self').split('/').pop();
  fs.appendFileSync(file + '.threads', process.pid + ' ' + tid + ' ' + (threads.workerData === undefined ? 'yarnWorkers' : 'verifier') + '\\n');
}
if (file && threads.isMainThread) {
  const ticks = new Map();
  const v8 = require('v8');
  let heapPeak = 0;
  const sample = () => {
    heapPeak = Math.max(heapPeak, v8.getHeapStatistics().used_heap_size);
    if (!linux) return;
    for (const tid of fs.readdirSync('/proc/self/task')) {
      try {
        const stat = fs.readFileSync('/proc/self/task/' + tid + '/stat', 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks.set(tid, Number(fields[11]) + Number(fields[12]));
      } catch {}
    }
  };
  setInterval(sample, 50).unref();
  process.on('exit', () => {
    sample();
    const kinds = new Map();
    try {
      for (const line of fs.readFileSync(file + '.threads', 'utf8').trim().split('\\n')) {
        const [pid, tid, kind] = line.split(' ');
        if (pid === String(process.pid)) kinds.set(tid, kind);
      }
    } catch {}
    // Clock ticks of 10 ms (USER_HZ 100) per thread, summed by kind, in ms.
    const split = {main: 0, verifier: 0, yarnWorkers: 0, helpers: 0, heapPeakMiB: Math.round(heapPeak / 1048576), heapLimitMiB: Math.round(v8.getHeapStatistics().heap_size_limit / 1048576)};
    for (const [tid, count] of ticks)
      split[tid === String(process.pid) ? 'main' : kinds.get(tid) ?? 'helpers'] += count * 10;
    const u = process.resourceUsage();
    fs.appendFileSync(file, u.maxRSS + ' ' + (u.userCPUTime + u.systemCPUTime) + ' ' + JSON.stringify(split) + '\\n');
  });
}
`);

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
      let threads: ThreadSplit | undefined;
      try {
        // One line per process (Yarn may re-spawn itself): the peak of peaks, the sum of CPU.
        for (const line of readFileSync(rssFile, `utf8`).trim().split(`\n`)) {
          const [rss, cpu, split] = line.split(` `);
          peakKiB = Math.max(peakKiB, Number(rss));
          cpuMicros += Number(cpu);
          if (split !== undefined && split !== ``) {
            const parsed = JSON.parse(split) as ThreadSplit;
            threads = threads === undefined ? parsed : sumSplits(threads, parsed);
          }
        }
      } catch {}
      rmSync(rssFile, {force: true});
      rmSync(`${rssFile}.threads`, {force: true});
      resolve({seconds, peakRssMiB: peakKiB / 1024, cpuSeconds: cpuMicros / 1e6, code, output, ...(threads === undefined ? {} : {threads})});
    });
  });
}
