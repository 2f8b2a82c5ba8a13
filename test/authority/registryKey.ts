/**
 * The registry's key: it signs publish attestations, which bundles name by key id only (`publicKey.hint`),
 * and `dist.signatures` (`<name>@<version>:<integrity>`); verifiers look the key up in the registry's
 * keys.json, listed once per usage as npm lists its own.
 */
import {createHash, generateKeyPairSync} from 'node:crypto';
import type {KeyObject} from 'node:crypto';

export type RegistryKey = {
  keyId: string;
  privateKey: KeyObject;
  /** DER SubjectPublicKeyInfo. */
  spki: Buffer;
  /** TUF `registry.npmjs.org/keys.json` content listing this key. */
  keysJson: object;
};

export function createRegistryKey(validFrom: Date): RegistryKey {
  const {privateKey, publicKey} = generateKeyPairSync(`ec`, {namedCurve: `P-256`});
  const spki = publicKey.export({type: `spki`, format: `der`});
  // npm's ids look like `SHA256:<unpadded base64>`; to a verifier they are opaque hints.
  const keyId = `SHA256:${createHash(`sha256`).update(spki).digest(`base64`).replace(/=+$/, ``)}`;

  return {
    keyId,
    privateKey,
    spki,
    keysJson: {
      keys: [`npm:signatures`, `npm:attestations`].map(keyUsage => ({
        keyId,
        keyUsage,
        publicKey: {
          rawBytes: spki.toString(`base64`),
          keyDetails: `PKIX_ECDSA_P256_SHA_256`,
          validFor: {start: validFrom.toISOString()},
        },
      })),
    },
  };
}
