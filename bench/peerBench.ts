/**
 * The peers' own checks in `yarn bench`, on the same generated project and test registry as the Yarn runs, each
 * against its own plain run:
 * - pnpm with `trustPolicy: no-downgrade` (pnpm-workspace.yaml) against pnpm without it. pnpm evaluates the policy
 *   only while it resolves: a `--frozen-lockfile` install takes a downgraded version from the lockfile without a
 *   word (checked by hand with a downgrade, issue 10). So both run `pnpm install` without a lockfile; warm keeps the
 *   store and metadata cache. With the policy pnpm asks for full packuments (it reads `time`, `_npmUser` and
 *   `dist.attestations`); the test registry serves the full document to every request, plain pnpm's too. Every
 *   generated package has one version, so no earlier version is there to compare with: the policy costs the full
 *   packuments and the check itself, which is what it costs on a project that has no downgrade.
 * - `npm ci` followed by `npm audit signatures` against `npm ci` alone. npm's audit first refreshes the public
 *   Sigstore TUF repository, unreachable here (it then fails after about 70 s of retries, checking nothing), and
 *   verifies attestations against the trusted root it gets from there. A preload stands in for that repository
 *   only: it serves the test authority's trusted root and no registry keys (as the public repository has none for a
 *   loopback registry), so npm fetches the keys from the registry's `/-/npm/v1/keys` and verifies every registry
 *   signature and attestation with its own code (reading the trusted root once per bundle, as sigstore.verify does
 *   from the TUF cache). npm has no setting that names another trust root.
 */
import {existsSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

import type {GeneratedProject} from '../test/generator/generatePackages';
import {machineFolder} from './measure';
import type {Measurement} from './measure';
import {makeLockfile, median, run, scratch} from './npmPnpmBench';
import type {NpmPnpmPaths, ToolResult} from './npmPnpmBench';

export type PeerName = `pnpm-trust-policy` | `npm-audit-signatures`;

/** Medians, in seconds: the peer's plain run and the run with its own check, cold and warm. */
export type PeerResult = {
  peer: PeerName;
  plainCold: number;
  policyCold: number;
  plainWarm: number;
  policyWarm: number;
  coldRatio: number;
  warmRatio: number;
  /** Runs that exited non-zero (their times are still counted). */
  failedRuns: number;
};

/** How each peer is labelled in the peer table. */
export const PEER_LABELS: Record<PeerName, string> = {
  'pnpm-trust-policy': `pnpm install (no lockfile) + trustPolicy no-downgrade`,
  'npm-audit-signatures': `npm ci + npm audit signatures (TUF stand-in: test root)`,
};

// Three, not five: `npm audit signatures` takes a minute or more at 1,000 packages.
const WARM_REPEATS = 3;
const COLD_REPEATS = Number(process.env.BENCH_COLD_REPEATS ?? 3);

// Replaces npm's TUF client (bundled @sigstore/tuf, found beside npm-cli.js) for the run; see the header.
const TUF_STAND_IN = `const {readFileSync} = require('node:fs');
const {dirname, join} = require('node:path');
const dist = join(dirname(process.argv[1]), '../node_modules/@sigstore/tuf/dist');
const {TUFClient} = require(join(dist, 'client.js'));
const {TUFError} = require(join(dist, 'error.js'));
TUFClient.prototype.refresh = async function () {};
TUFClient.prototype.getTarget = async function (name) {
  if (name === 'trusted_root.json') return readFileSync(process.env.BENCH_TUF_TRUSTED_ROOT, 'utf8');
  throw new TUFError({code: 'TUF_FIND_TARGET_ERROR', message: name + ' is not a target of the stand-in'});
};
`;

/** What every peer runs on: the same paths, registry, project and trust as the rest of the bench. */
type Setup = {
  paths: NpmPnpmPaths;
  registryUrl: string;
  project: GeneratedProject;
  trustedRootPath: string;
  work: string;
  size: number;
};

export async function benchPeers(setup: Setup): Promise<Array<PeerResult>> {
  return [await pnpmTrustPolicy(setup), await npmAuditSignatures(setup)];
}

async function pnpmTrustPolicy({paths, registryUrl, project, work, size}: Setup): Promise<PeerResult> {
  const plainDir = join(work, `peer-pnpm-${size}-plain`);
  const policyDir = join(work, `peer-pnpm-${size}-trust`);
  const fresh = (dir: string, policy: boolean) => {
    scratch(`pnpm`, registryUrl, project, null, dir);
    if (policy)
      writeFileSync(join(dir, `pnpm-workspace.yaml`), `trustPolicy: no-downgrade\n`);
    return dir;
  };
  // Warm: the store and metadata cache stay; what the last run resolved and linked goes, so pnpm resolves again.
  const again = (dir: string) => {
    rmSync(join(dir, `pnpm-lock.yaml`), {force: true});
    rmSync(join(dir, `node_modules`), {recursive: true, force: true});
    return dir;
  };
  const install = (dir: string) => run(paths, `pnpm`, dir, [`install`, `--no-frozen-lockfile`]);
  // With the policy on, pnpm keeps full packuments in a cache folder of their own: a sign that it read them.
  const policyInEffect = (dir: string, measurement: Measurement) => {
    const cache = join(machineFolder(dir), `pnpm-cache`);
    if (!existsSync(cache) || !readdirSync(cache).some(folder => folder.startsWith(`metadata-ff`)))
      process.stdout.write(`(pnpm in ${dir} fetched no full packuments: was trustPolicy in effect?)\n`);
    return measurement;
  };
  return measurePairs(`pnpm-trust-policy`, size, {
    cold: async () => [
      await install(fresh(plainDir, false)),
      policyInEffect(policyDir, await install(fresh(policyDir, true))),
    ],
    warm: async () => [await install(again(plainDir)), await install(again(policyDir))],
  });
}

async function npmAuditSignatures({paths, registryUrl, project, trustedRootPath, work, size}: Setup): Promise<PeerResult> {
  const lockfile = await makeLockfile(paths, `npm`, registryUrl, project, join(work, `peer-npm-lock-${size}`));
  const standIn = join(work, `npm-tuf-stand-in.cjs`);
  writeFileSync(standIn, TUF_STAND_IN);
  const plainDir = join(work, `peer-npm-${size}-plain`);
  const policyDir = join(work, `peer-npm-${size}-audit`);
  const ci = (dir: string) => run(paths, `npm`, dir, [`ci`]);
  const withStandIn = {nodeArgs: [`--require`, standIn], env: {BENCH_TUF_TRUSTED_ROOT: trustedRootPath}};
  const audit = (dir: string) => run(paths, `npm`, dir, [`audit`, `signatures`], withStandIn);
  const ciThenAudit = async (dir: string) => sum(await ci(dir), await audit(dir));
  return measurePairs(`npm-audit-signatures`, size, {
    cold: async () => [
      await ci(scratch(`npm`, registryUrl, project, lockfile, plainDir)),
      await ciThenAudit(scratch(`npm`, registryUrl, project, lockfile, policyDir)),
    ],
    warm: async () => [await ci(plainDir), await ciThenAudit(policyDir)],
  });
}

type Pair = [plain: Measurement, policy: Measurement];

/** Interleaved (plain, policy) pairs, cold then warm; medians and ratios. */
type Runs = {cold: () => Promise<Pair>, warm: () => Promise<Pair>};

async function measurePairs(peer: PeerName, size: number, runs: Runs): Promise<PeerResult> {
  const cold: Array<Pair> = [];
  for (let i = 0; i < COLD_REPEATS; i++)
    cold.push(await runs.cold());
  const warm: Array<Pair> = [];
  for (let i = 0; i < WARM_REPEATS; i++)
    warm.push(await runs.warm());
  const [plainCold, policyCold] = [0, 1].map(column => median(cold.map(pair => pair[column]!), `${peer} cold`));
  const [plainWarm, policyWarm] = [0, 1].map(column => median(warm.map(pair => pair[column]!), `${peer} warm`));
  process.stdout.write(`${String(size).padStart(5)}  ${PEER_LABELS[peer]}: `
    + `plain cold ${plainCold!.toFixed(2)} s, warm ${plainWarm!.toFixed(2)} s; `
    + `with its check cold ${policyCold!.toFixed(2)} s, warm ${policyWarm!.toFixed(2)} s\n`);
  return {
    peer, plainCold: plainCold!, policyCold: policyCold!, plainWarm: plainWarm!, policyWarm: policyWarm!,
    coldRatio: policyCold! / plainCold!, warmRatio: policyWarm! / plainWarm!,
    failedRuns: [...cold, ...warm].flat().filter(measurement => measurement.code !== 0).length,
  };
}

/** Two processes run one after the other, as one measurement: seconds add up, the first failure's code wins. */
function sum(first: Measurement, second: Measurement): Measurement {
  const code = first.code !== 0 ? first.code : second.code;
  return {...second, seconds: first.seconds + second.seconds, code, output: `${first.output}${second.output}`};
}

/** A row of the peer table: tool, then plain / with its check / ratio, cold and warm. */
export type PeerRow = {
  label: string;
  plainCold: number;
  checkedCold: number;
  coldRatio: number;
  plainWarm: number;
  checkedWarm: number;
  warmRatio: number;
};

export function peerTableLines(size: number, rows: ReadonlyArray<PeerRow>): Array<string> {
  const seconds = (value: number) => value.toFixed(2).padStart(6);
  const ratio = (value: number) => value.toFixed(2).padStart(5);
  if (rows.length === 0)
    return [];
  const width = Math.max(...rows.map(row => row.label.length));
  return [
    `${size} packages, peers (each against its own plain run; seconds)`,
    `  ${`tool`.padEnd(width)}  plain cold  checked cold  ratio  plain warm  checked warm  ratio`,
    ...rows.map(row => `  ${row.label.padEnd(width)}  `
      + `${seconds(row.plainCold)}      ${seconds(row.checkedCold)}        ${ratio(row.coldRatio)}  `
      + `${seconds(row.plainWarm)}      ${seconds(row.checkedWarm)}        ${ratio(row.warmRatio)}`),
  ];
}

type Seconds = {seconds: number} | null;

/** One size's summary, as installBench.ts keeps it: what the peer table reads. */
type SizeSummary = {
  plainCold: Seconds;
  pluginCold: Seconds;
  plainWarm: Seconds;
  pluginWarm: Seconds;
  coldRatio: number;
  warmRatio: number | null;
  npmPnpm?: Array<ToolResult>;
  peers?: Array<PeerResult>;
};

/** Ours and every peer, each with its check against its own plain run, for the peer table. */
export function peerRows(row: SizeSummary): Array<PeerRow> {
  const rows: Array<PeerRow> = [];
  if (row.plainCold && row.pluginCold && row.plainWarm && row.pluginWarm && row.warmRatio !== null) {
    rows.push({
      label: `yarn install --immutable + this plugin`,
      plainCold: row.plainCold.seconds, checkedCold: row.pluginCold.seconds, coldRatio: row.coldRatio,
      plainWarm: row.plainWarm.seconds, checkedWarm: row.pluginWarm.seconds, warmRatio: row.warmRatio,
    });
  }
  for (const tool of row.npmPnpm ?? []) {
    rows.push({
      label: `${tool.tool === `npm` ? `npm ci` : `pnpm install --frozen-lockfile`} + yarn-provenance check`,
      plainCold: tool.plainCold, checkedCold: tool.checkCold + tool.installAfterCheckCold, coldRatio: tool.coldRatio,
      plainWarm: tool.plainWarm, checkedWarm: tool.checkWarm + tool.installAfterCheckWarm, warmRatio: tool.warmRatio,
    });
  }
  for (const peer of row.peers ?? []) {
    rows.push({
      label: `${PEER_LABELS[peer.peer]}${peer.failedRuns > 0 ? ` (${peer.failedRuns} runs failed)` : ``}`,
      plainCold: peer.plainCold, checkedCold: peer.policyCold, coldRatio: peer.coldRatio,
      plainWarm: peer.plainWarm, checkedWarm: peer.policyWarm, warmRatio: peer.warmRatio,
    });
  }
  return rows;
}
