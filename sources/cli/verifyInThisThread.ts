import {join} from 'node:path';

import {defaultStoreFolder} from '../core/cache/storeFolder';
import type {VerifierFactory} from '../core/run/runVerify';
import {loadTrust} from '../core/trust/loadTrust';
import {refreshTrust} from '../core/trust/refresh';
import {createPackageVerifier, inThreadVerifier} from '../core/verify/verifyPackage';

/**
 * The standalone bin verifies in its own thread: one package (`verify`) does not repay a worker, and
 * `check` has only signatures to verify (no tarballs to hash). Trust is refreshed unless offline.
 */
export const verifyInThisThread: VerifierFactory = async ({offline, ...files}) => {
  const trust = await loadTrust({
    ...files,
    refresh: offline ? undefined : () => refreshTrust({cachePath: join(defaultStoreFolder(), `trust`), timeoutMs: 3000}),
  });
  return {verify: inThreadVerifier(createPackageVerifier(trust)), trustDigest: trust.digest, signatureKeys: trust.signatureKeys, notes: trust.notes};
};
