import {crypto as sigcrypto} from '@sigstore/core';
import {VerificationError} from '@sigstore/verify';
import type {KeyFinderFunc} from '@sigstore/verify';

import {ProvenanceError} from '../errors';
import type {RegistryKey} from './registryKeyList';

export {parseRegistryKeys, parseSignatureKeys, SIGNATURE_KEY_USAGE} from './registryKeyList';
export type {RegistryKey} from './registryKeyList';

/**
 * The key finder handed to sigstore-js: it serves a key only for the transparency-log time inside
 * its window, so a rotated-out key cannot sign new attestations.
 */
export function toKeyFinder(keys: ReadonlyArray<RegistryKey>, origin: string): KeyFinderFunc {
  const byId = new Map<string, {publicKey: ReturnType<typeof sigcrypto.createPublicKey>, key: RegistryKey}>();
  for (const key of keys) {
    try {
      byId.set(key.keyId, {publicKey: sigcrypto.createPublicKey(key.spki), key});
    } catch (cause) {
      throw new ProvenanceError({code: `TRUST_MATERIAL_INVALID`, message: `${origin}: key ${key.keyId} is not a valid public key`, cause});
    }
  }

  return (hint: string) => {
    const found = byId.get(hint);
    if (found === undefined)
      throw new VerificationError({code: `PUBLIC_KEY_ERROR`, message: `no registry attestation key with id ${hint} in ${origin}`});

    return {
      publicKey: found.publicKey,
      validFor: (date: Date) => (found.key.start === undefined || found.key.start <= date) && (found.key.end === undefined || date <= found.key.end),
    };
  };
}
