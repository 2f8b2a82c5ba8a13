/**
 * Sets up the whole private deployment once (CA chain, CT log, transparency log, registry key);
 * every mint then reuses it, so minting costs a leaf and a few signatures.
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

import type {TestAuthority} from './authority.types';
import {createCertificateAuthority} from './certificateAuthority';
import {mintAttestations} from './mint';
import {createRegistryKey} from './registryKey';
import {createSigningIdentities} from './signingIdentities';
import {toTimeline} from './timeline';
import {createTransparencyLog} from './transparencyLog';
import {REKOR_URL, toTrustedRoot} from './trustedRoot';

export async function createTestAuthority({now = new Date()}: {now?: Date} = {}): Promise<TestAuthority> {
  const timeline = toTimeline(now);
  const ca = await createCertificateAuthority(timeline);
  const tlog = await createTransparencyLog(REKOR_URL, timeline);
  const registryKey = createRegistryKey(timeline.trustStart);
  const identities = createSigningIdentities(ca);

  const trustedRoot = toTrustedRoot({ca, tlog, validFrom: timeline.trustStart});
  const registryKeys = registryKey.keysJson;

  return {
    trustedRoot,
    registryKeys,
    registrySigner: {keyId: registryKey.keyId, privateKey: registryKey.privateKey},
    mint: options => mintAttestations({identities, tlog, registryKey}, options),
    writeTrustFiles(dir) {
      mkdirSync(dir, {recursive: true});
      const trustedRootPath = join(dir, `trusted_root.json`);
      const registryKeysPath = join(dir, `registry-keys.json`);
      writeFileSync(trustedRootPath, `${JSON.stringify(trustedRoot, null, 2)}\n`);
      writeFileSync(registryKeysPath, `${JSON.stringify(registryKeys, null, 2)}\n`);
      return {trustedRootPath, registryKeysPath};
    },
  };
}
