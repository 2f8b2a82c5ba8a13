import {createHash, generateKeyPairSync, sign} from 'node:crypto';
import type {KeyObject} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';

import {describe, expect, it, vi} from 'vitest';

import {checkRegistrySignature, signedIntegrity, toSignatureKeys} from '../../../sources/core/registry/registrySignature';
import type {RegistrySignatureInput} from '../../../sources/core/registry/registrySignature';
import {parseRegistryKeys, parseSignatureKeys, SIGNATURE_KEY_USAGE} from '../../../sources/core/trust/registryKeys';
import {createRegistryKey} from '../../authority/registryKey';
import {FIXTURES_ROOT} from '../../helpers/fixtures';

// Node's verify, counted: a signature already verified in this run over the same bytes is not verified again.
const {verifyCalls} = vi.hoisted(() => ({verifyCalls: {count: 0}}));
vi.mock(`node:crypto`, async original => {
  const crypto = await original<typeof import('node:crypto')>();
  return {...crypto, verify: (...args: Parameters<typeof crypto.verify>) => {
    verifyCalls.count++;
    return crypto.verify(...args);
  }};
});

// The registry's ECDSA signature over `<name>@<version>:<integrity>`, checked against keys of the trust
// material: a key made here plays npm's, listed in a keys.json the way npm lists its own.
const PKG = {name: `@acme/widget`, version: `1.2.3`};
const TARBALL = Buffer.from(`the published tarball`);
const SHA512 = createHash(`sha512`).update(TARBALL).digest(`hex`);
const INTEGRITY = `sha512-${createHash(`sha512`).update(TARBALL).digest(`base64`)}`;
const PUBLISHED = new Date(`2025-06-01T00:00:00Z`);

const registryKey = createRegistryKey(new Date(`2020-01-01T00:00:00Z`));
const keys = toSignatureKeys(parseRegistryKeys(registryKey.keysJson, `keys.json`, SIGNATURE_KEY_USAGE), `keys.json`);

function signature(message: string, privateKey: KeyObject = registryKey.privateKey, keyid = registryKey.keyId) {
  return {keyid, sig: sign(`sha256`, Buffer.from(message), privateKey).toString(`base64`)};
}

function document({signatures = [signature(`${PKG.name}@${PKG.version}:${INTEGRITY}`)], integrity = INTEGRITY, npmUser = {name: `someone`} as object} = {}) {
  return {name: PKG.name, version: PKG.version, _npmUser: npmUser, dist: {integrity, tarball: `https://registry.example/widget.tgz`, signatures}};
}

function check(overrides: Partial<RegistrySignatureInput> = {}) {
  return checkRegistrySignature({package: PKG, tarballSha512: SHA512, document: document(), publishedAt: PUBLISHED, keys, ...overrides});
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as {code?: string}).code;
  }
  return undefined;
}

describe(`registry signatures`, () => {
  it(`verifies the registry's signature over the installed tarball's integrity, and names its key`, () => {
    expect(check()).toEqual({signature: `verified`, keyId: registryKey.keyId, trustedPublisher: false, staged: false});
  });

  it(`verifies a real npm signature with npm's keys.json (tiny-tarball@1.0.0, signed by SHA256:jl3bwswu…)`, () => {
    // Public data: the version document npm serves, and npm's keys as @sigstore/tuf embeds them.
    const npmKeys = parseSignatureKeys(readFileSync(join(FIXTURES_ROOT, `sigstore/npm-registry-keys.json`), `utf8`), `npm keys.json`);
    const integrity = `sha512-SxmEuEiq4d9L2UjUCyP7g3KHND65MJnsFbEwCbaoMp9NYjHjufAzIUCRaRHB+FNTwzZ1e2xjBoYobBB8pqB5IQ==`;
    const real = {
      name: `tiny-tarball`, version: `1.0.0`,
      dist: {integrity, signatures: [{keyid: `SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA`, sig: `MEUCICguG74eMv+l6RBT6cDoOhWysqtjms2zSXyWwg6LC5XnAiEAq1VSNbCx+D4LT6lgzYx0JGs0PPWKgP9XuQn8tniow2c=`}]},
    };
    const sha512 = Buffer.from(integrity.slice(`sha512-`.length), `base64`).toString(`hex`);
    const input = {package: {name: `tiny-tarball`, version: `1.0.0`}, tarballSha512: sha512, document: real, keys: toSignatureKeys(npmKeys, `npm keys.json`)};
    expect(checkRegistrySignature(input)).toMatchObject({signature: `verified`, keyId: `SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA`});
    // Published 2015, inside the key's npm:signatures window (1999 to 2025-01-29); after it, refused.
    expect(checkRegistrySignature({...input, publishedAt: new Date(`2015-03-10T00:00:00Z`)}).signature).toBe(`verified`);
    expect(codeOf(() => checkRegistrySignature({...input, publishedAt: new Date(`2025-06-01T00:00:00Z`)}))).toBe(`REGISTRY_SIGNATURE_INVALID`);
  });

  it(`refuses a forged signature: another key under the registry's key id`, () => {
    const forger = generateKeyPairSync(`ec`, {namedCurve: `P-256`}).privateKey;
    const forged = document({signatures: [signature(`${PKG.name}@${PKG.version}:${INTEGRITY}`, forger)]});
    expect(codeOf(() => check({document: forged}))).toBe(`REGISTRY_SIGNATURE_INVALID`);
  });

  it(`refuses a genuine signature over another integrity than the installed tarball's`, () => {
    const otherIntegrity = `sha512-${createHash(`sha512`).update(`another tarball`).digest(`base64`)}`;
    const overOther = document({signatures: [signature(`${PKG.name}@${PKG.version}:${otherIntegrity}`)]});
    expect(codeOf(() => check({document: overOther}))).toBe(`REGISTRY_SIGNATURE_INVALID`);
    // …and one over another version of the same tarball.
    const otherVersion = document({signatures: [signature(`${PKG.name}@1.2.4:${INTEGRITY}`)]});
    expect(codeOf(() => check({document: otherVersion}))).toBe(`REGISTRY_SIGNATURE_INVALID`);
  });

  it(`refuses a registry whose dist.integrity is not the installed tarball's, with both in the mismatch`, () => {
    const otherIntegrity = `sha512-${createHash(`sha512`).update(`another tarball`).digest(`base64`)}`;
    const doc = document({integrity: otherIntegrity, signatures: [signature(`${PKG.name}@${PKG.version}:${otherIntegrity}`)]});
    try {
      check({document: doc});
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({code: `REGISTRY_SIGNATURE_INVALID`, mismatch: {expected: INTEGRITY, found: otherIntegrity}});
    }
  });

  it(`refuses a signature by a key id the trust material does not list`, () => {
    const stranger = generateKeyPairSync(`ec`, {namedCurve: `P-256`}).privateKey;
    const unknown = document({signatures: [signature(`${PKG.name}@${PKG.version}:${INTEGRITY}`, stranger, `SHA256:unknown`)]});
    expect(codeOf(() => check({document: unknown}))).toBe(`REGISTRY_SIGNATURE_INVALID`);
    // A key listed only for attestations does not sign packages.
    const attestationOnly = toSignatureKeys(parseRegistryKeys(registryKey.keysJson, `keys.json`), `keys.json`);
    expect(attestationOnly.size).toBe(1);
    expect(codeOf(() => check({keys: toSignatureKeys([], `empty keys.json`)}))).toBe(`REGISTRY_SIGNATURE_INVALID`);
  });

  it(`refuses a key that had expired (or not started) when the version was published, and accepts it within its window`, () => {
    const [listed] = parseRegistryKeys(registryKey.keysJson, `keys.json`, SIGNATURE_KEY_USAGE);
    const rotated = toSignatureKeys([{...listed!, end: new Date(`2025-01-29T00:00:00Z`)}], `keys.json`);
    expect(codeOf(() => check({keys: rotated}))).toBe(`REGISTRY_SIGNATURE_INVALID`);
    expect(check({keys: rotated, publishedAt: new Date(`2024-12-01T00:00:00Z`)}).signature).toBe(`verified`);
    const notYet = toSignatureKeys([{...listed!, start: new Date(`2026-01-01T00:00:00Z`)}], `keys.json`);
    expect(codeOf(() => check({keys: notYet}))).toBe(`REGISTRY_SIGNATURE_INVALID`);
  });

  it(`requires every signature served to verify`, () => {
    const good = signature(`${PKG.name}@${PKG.version}:${INTEGRITY}`);
    const bad = {...good, sig: Buffer.from(`not DER at all`).toString(`base64`)};
    expect(codeOf(() => check({document: document({signatures: [good, bad]})}))).toBe(`REGISTRY_SIGNATURE_INVALID`);
  });

  it(`reports a version without signatures, or without a version document, as absent`, () => {
    expect(check({document: document({signatures: []})})).toEqual({signature: `absent`, trustedPublisher: false, staged: false});
    const {dist: _dist, ...unsigned} = document();
    expect(check({document: unsigned}).signature).toBe(`absent`);
    expect(check({document: null})).toEqual({signature: `absent`, trustedPublisher: false, staged: false});
  });

  it(`refuses a version document of another shape`, () => {
    expect(codeOf(() => check({document: `<html>`}))).toBe(`REGISTRY_SIGNATURE_INVALID`);
    expect(codeOf(() => check({document: {dist: {signatures: {keyid: `x`}}}}))).toBe(`REGISTRY_SIGNATURE_INVALID`);
  });

  it(`reads the publisher signals: trusted publishing and staged publishing's approver`, () => {
    const trusted = document({npmUser: {name: `GitHub Actions`, email: `npm-oidc-no-reply@github.com`, trustedPublisher: {id: `github`, oidcConfigId: `oidc:1`}}});
    expect(check({document: trusted})).toMatchObject({signature: `verified`, trustedPublisher: true, staged: false});
    const staged = document({npmUser: {name: `someone`, approver: {name: `maintainer`}}});
    expect(check({document: staged})).toMatchObject({trustedPublisher: false, staged: true});
    // The signals are read even when no signature was served.
    expect(check({document: document({signatures: [], npmUser: {trustedPublisher: {id: `github`}}})})).toMatchObject({signature: `absent`, trustedPublisher: true});
  });

  it(`refuses a keys file whose signing key is not a public key`, () => {
    const [listed] = parseRegistryKeys(registryKey.keysJson, `keys.json`, SIGNATURE_KEY_USAGE);
    expect(codeOf(() => toSignatureKeys([{...listed!, spki: Buffer.from(`nope`)}], `keys.json`))).toBe(`TRUST_MATERIAL_INVALID`);
  });
  it(`verifies a document's signatures once: after signedIntegrity, only the key's window is judged again`, () => {
    const doc = document();
    expect(signedIntegrity(PKG, doc, keys)).toBe(SHA512);
    const before = verifyCalls.count;
    expect(checkRegistrySignature({package: PKG, tarballSha512: SHA512, document: doc, publishedAt: PUBLISHED, keys}).signature).toBe(`verified`);
    expect(verifyCalls.count).toBe(before);
    // The window still decides: a publish time before the key's start is refused.
    expect(codeOf(() => checkRegistrySignature({package: PKG, tarballSha512: SHA512, document: doc, publishedAt: new Date(`2019-01-01T00:00:00Z`), keys}))).toBe(`REGISTRY_SIGNATURE_INVALID`);
  });

  it(`verifies again whatever changed since: a signature replaced in the same document, or another key set`, () => {
    const doc = document();
    expect(signedIntegrity(PKG, doc, keys)).toBe(SHA512);
    const forger = generateKeyPairSync(`ec`, {namedCurve: `P-256`}).privateKey;
    doc.dist.signatures = [signature(`${PKG.name}@${PKG.version}:${INTEGRITY}`, forger)];
    expect(codeOf(() => checkRegistrySignature({package: PKG, tarballSha512: SHA512, document: doc, publishedAt: PUBLISHED, keys}))).toBe(`REGISTRY_SIGNATURE_INVALID`);

    const genuine = document();
    expect(signedIntegrity(PKG, genuine, keys)).toBe(SHA512);
    const sameKeysAgain = toSignatureKeys(parseRegistryKeys(registryKey.keysJson, `keys.json`, SIGNATURE_KEY_USAGE), `keys.json`);
    const before = verifyCalls.count;
    expect(checkRegistrySignature({package: PKG, tarballSha512: SHA512, document: genuine, publishedAt: PUBLISHED, keys: sameKeysAgain}).signature).toBe(`verified`);
    expect(verifyCalls.count).toBe(before + 1);
  });
});
