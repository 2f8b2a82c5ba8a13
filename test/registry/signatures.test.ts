import {createHash, createPublicKey, generateKeyPairSync, verify} from 'node:crypto';

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {startRegistry, type TestRegistry} from './server.mjs';

// The test registry's registry signatures: what `dist.signatures` covers, the keys answer, the faults.
const {privateKey, publicKey} = generateKeyPairSync(`ec`, {namedCurve: `P-256`});
const KEY_ID = `SHA256:test-registry-key`;
const PKG = {name: `@acme/signed`, version: `1.0.0`};
let registry: TestRegistry;
let unsigned: TestRegistry;

beforeAll(async () => {
  registry = await startRegistry({signingKey: {keyId: KEY_ID, privateKey}});
  unsigned = await startRegistry();
  for (const served of [registry, unsigned]) {
    served.add({...PKG});
    served.add({name: `trusted-one`, version: `2.0.0`, trustedPublisher: true});
  }
});
afterAll(async () => {
  await Promise.all([registry?.close(), unsigned?.close()]);
});

async function versionDocument(from: TestRegistry, name = PKG.name, version = PKG.version): Promise<any> {
  const response = await fetch(`${from.url}/${name.replace(`/`, `%2f`)}/${version}`);
  expect(response.status).toBe(200);
  return response.json();
}

const verifies = (doc: any, integrity = doc.dist.integrity) => doc.dist.signatures.length > 0 && doc.dist.signatures.every((s: {sig: string}) =>
  verify(`sha256`, Buffer.from(`${doc.name}@${doc.version}:${integrity}`), publicKey, Buffer.from(s.sig, `base64`)));

describe(`the test registry's signatures`, () => {
  it(`signs <name>@<version>:<integrity> of the published tarball, and serves the key at /-/npm/v1/keys`, async () => {
    const doc = await versionDocument(registry);
    const tarball = Buffer.from(await (await fetch(`${registry.url}/@acme/signed/-/signed-1.0.0.tgz`)).arrayBuffer());
    expect(doc.dist.integrity).toBe(`sha512-${createHash(`sha512`).update(tarball).digest(`base64`)}`);
    expect(doc.dist.signatures.map((s: {keyid: string}) => s.keyid)).toEqual([KEY_ID]);
    expect(verifies(doc)).toBe(true);

    const keys = await (await fetch(`${registry.url}/-/npm/v1/keys`)).json() as {keys: Array<{keyid: string, key: string}>};
    expect(keys.keys.map(key => key.keyid)).toEqual([KEY_ID]);
    expect(createPublicKey({key: Buffer.from(keys.keys[0]!.key, `base64`), format: `der`, type: `spki`}).equals(publicKey)).toBe(true);
  });

  it(`names the publisher, with trustedPublisher for a trusted-published package`, async () => {
    expect((await versionDocument(registry))._npmUser.trustedPublisher).toBeUndefined();
    expect((await versionDocument(registry, `trusted-one`, `2.0.0`))._npmUser.trustedPublisher).toMatchObject({id: `github`});
  });

  it(`signs nothing without a signing key`, async () => {
    expect((await versionDocument(unsigned)).dist.signatures).toBeUndefined();
    expect((await fetch(`${unsigned.url}/-/npm/v1/keys`)).status).toBe(404);
  });

  it(`forges, strips, signs another integrity or names an unknown key on request`, async () => {
    const spec = `${PKG.name}@${PKG.version}`;
    try {
      registry.fault(spec, {kind: `signature`, signature: `forged`});
      const forged = await versionDocument(registry);
      expect(forged.dist.signatures[0].keyid).toBe(KEY_ID);
      expect(verifies(forged)).toBe(false);

      registry.fault(spec, {kind: `signature`, signature: `stripped`});
      expect((await versionDocument(registry)).dist.signatures).toBeUndefined();

      registry.fault(spec, {kind: `signature`, signature: `other-integrity`});
      const other = await versionDocument(registry);
      expect(verifies(other)).toBe(false);
      expect(verifies(other, `sha512-${createHash(`sha512`).update(`another tarball`).digest(`base64`)}`)).toBe(true);

      registry.fault(spec, {kind: `signature`, signature: `unknown-key`});
      const unknown = await versionDocument(registry);
      expect(unknown.dist.signatures[0].keyid).not.toBe(KEY_ID);
      expect(verifies(unknown)).toBe(true);

      expect(() => registry.fault(spec, {kind: `signature`, signature: `bogus`} as never)).toThrow();
    } finally {
      registry.fault(spec, null);
    }
    expect(verifies(await versionDocument(registry))).toBe(true);
  });
});
