import {toSignatureKeys} from '../core/registry/registrySignature';
import type {VerifierFactory} from '../core/run/runVerify';
import {parseSignatureKeys} from '../core/trust/registryKeyList';
import {readTrustTexts, trustDigest} from '../core/trust/trustTexts';
import {defaultPoolSize, VerifierPool} from '../core/verify/verifierPool';
import {VERIFY_WORKER_SOURCE} from './generated/verifyWorkerSource';

/**
 * Inside Yarn, verification always runs on the embedded worker: it keeps sigstore-js out of the
 * plugin's main bundle, which every Yarn command parses. Trust material is the embedded public-good
 * one or the configured files; it is not refreshed over the TUF client's own network stack.
 */
export const verifyOnWorker: VerifierFactory = async ({offline: _offline, ...files}) => {
  const texts = await readTrustTexts(files);
  const signatureKeys = toSignatureKeys(parseSignatureKeys(texts.registryKeys, texts.registryKeysOrigin), texts.registryKeysOrigin);
  const pool = new VerifierPool(VERIFY_WORKER_SOURCE, files, 1);
  return {verify: pool.verifyBody, trustDigest: trustDigest(texts), signatureKeys, notes: [], close: () => pool.close()};
};

/** `alone`: the command does nothing but verify (`audit`), so the workers may take every core, Yarn's too. */
export function createWorkerPool(files: ConstructorParameters<typeof VerifierPool>[1], {alone = false}: {alone?: boolean} = {}): VerifierPool {
  return new VerifierPool(VERIFY_WORKER_SOURCE, files, defaultPoolSize({alone}));
}
