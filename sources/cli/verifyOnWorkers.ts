import {availableParallelism} from 'node:os';
import {join} from 'node:path';

import {defaultStoreFolder} from '../core/cache/storeFolder';
import type {VerifierFactory} from '../core/run/runVerify';
import {createNodeFetcher} from '../core/registry/nodeFetcher';
import {toTrust} from '../core/trust/loadTrust';
import {MachineTrust} from '../core/trust/machineTrust';
import {readTrustTexts, trustDigest} from '../core/trust/trustTexts';
import {VerifierPool} from '../core/verify/verifierPool';

/** At most this many workers: beyond it, attestation requests, not signatures, bound a check. */
const MAX_WORKERS = 8;
const TRUST_REFRESH_MS = 3000;

/**
 * `check` verifies on worker threads, one per core: its main thread only fetches attestations, so a
 * large lockfile's signature checks spread over every core. Each worker runs this bin's own file (see
 * main.ts), with the same trust files the main thread chose: the user's, this machine's TUF-refreshed
 * copy (refreshed unless offline), or the embedded one. No worker starts while every package's evidence
 * is remembered.
 */
export function verifyOnWorkers(bundlePath: string): VerifierFactory {
  return async ({offline, ...files}) => {
    const machine = await MachineTrust.open({
      // The plugin's per-user trust folder ($XDG_CACHE_HOME/yarn-plugin-provenance/trust): one refreshed copy per user.
      folder: join(defaultStoreFolder(), `trust`),
      fetcher: createNodeFetcher({deadlineMs: TRUST_REFRESH_MS}),
      deadlineMs: TRUST_REFRESH_MS,
      files,
      offline,
    });
    const {files: chosen, notes} = machine.choice;
    const texts = await readTrustTexts(chosen);
    // Built once here too, so that unusable trust files are a usage error even when no package needs a worker.
    const trust = toTrust({...texts, source: `custom`});
    const digest = trustDigest(texts);
    const size = Math.max(1, Math.min(MAX_WORKERS, availableParallelism()));
    const pool = new VerifierPool(`require(${JSON.stringify(bundlePath)});`, chosen, size);
    // Registry signatures are checked on this thread (one P-256 verify each): the keys come from the same trust.
    return {verify: pool.verifyBody, trustDigest: digest, signatureKeys: trust.signatureKeys, notes, close: () => pool.close()};
  };
}
