import {createPublicKey, generateKeyPairSync} from 'node:crypto';

import {ASN1Obj, crypto, X509Certificate} from '@sigstore/core';
import {describe, expect, it} from 'vitest';

import {ecJwkOf, installSigstoreAcceleration} from '../../../sources/core/verify/sigstoreAcceleration';
import {fixtureIds, loadFixture} from '../../helpers/fixtures';

// Captured before the memoisation is installed (each test file has its own module instances).
const original = {
  equals: X509Certificate.prototype.equals,
  verify: X509Certificate.prototype.verify,
  toDER: ASN1Obj.prototype.toDER,
};

function nodesOf(node: ASN1Obj): Array<ASN1Obj> {
  return [node, ...node.subs.flatMap(nodesOf)];
}

function certificates(): Array<Buffer<ArrayBuffer>> {
  const all: Array<Buffer<ArrayBuffer>> = [];
  for (const id of fixtureIds()) {
    for (const entry of loadFixture(id).attestationsJson.attestations) {
      const material = entry.bundle.verificationMaterial;
      const raw = material.certificate ? [material.certificate] : material.x509CertificateChain?.certificates ?? [];
      for (const cert of raw)
        all.push(Buffer.from(cert.rawBytes, `base64`) as Buffer<ArrayBuffer>);
    }
  }
  return all;
}

describe(`installSigstoreAcceleration`, () => {
  it(`answers equals, verify and clone exactly as sigstore-js does`, () => {
    const ders = certificates();
    const plain = ders.map(der => X509Certificate.parse(der));
    installSigstoreAcceleration();
    const fast = ders.map(der => X509Certificate.parse(der));

    expect(ders.length).toBeGreaterThan(10);
    for (let i = 0; i < ders.length; i++) {
      for (let j = 0; j < ders.length; j += 3) {
        expect(fast[i]!.equals(fast[j]!)).toBe(original.equals.call(plain[i]!, plain[j]!));
        expect(fast[i]!.verify(fast[j]!)).toBe(original.verify.call(plain[i]!, plain[j]!));
        // Asked twice: the memo must give the same answer.
        expect(fast[i]!.verify(fast[j]!)).toBe(original.verify.call(plain[i]!, plain[j]!));
      }
      expect(fast[i]!.clone().root.toDER().equals(ders[i]!)).toBe(true);
    }
  });

  it(`encodes every node as sigstore-js does, also after the SCT extension is spliced out of a clone`, () => {
    installSigstoreAcceleration();
    let nodes = 0;
    for (const der of certificates()) {
      const certificate = X509Certificate.parse(der);
      for (const node of nodesOf(certificate.root)) {
        expect(node.toDER().equals(original.toDER.call(node))).toBe(true);
        nodes++;
      }
      // What verifySCTs does: edit a clone, re-encode its tbsCertificate. The original stays whole.
      const clone = certificate.clone();
      const extensions = clone.extensions;
      expect(extensions.length).toBeGreaterThan(1);
      extensions.splice(extensions.length - 1, 1);
      expect(clone.tbsCertificate.toDER().equals(original.toDER.call(clone.tbsCertificate))).toBe(true);
      expect(clone.tbsCertificate.toDER().length).toBeLessThan(certificate.tbsCertificate.toDER().length);
      expect(certificate.root.toDER().equals(der)).toBe(true);
    }
    expect(nodes).toBeGreaterThan(1000);
  });

  it(`encodes long lengths (two and three length bytes) and empty values as sigstore-js does`, () => {
    installSigstoreAcceleration();
    const tag = X509Certificate.parse(certificates()[0]!).root.subs[1]!.subs[0]!.tag;
    for (const size of [0, 1, 127, 128, 255, 256, 65535, 65536, 70000]) {
      const node = new ASN1Obj(tag, Buffer.alloc(size, 7), []);
      const nested = new ASN1Obj(tag, Buffer.alloc(0), [node, node]);
      expect(node.toDER().equals(original.toDER.call(node))).toBe(true);
      expect(nested.toDER().equals(original.toDER.call(nested))).toBe(true);
    }
  });

  it(`imports EC keys as the same keys Node's DER import gives, and refuses the same points`, () => {
    installSigstoreAcceleration();
    const spkis = certificates().map(der => X509Certificate.parse(der).publicKey);
    for (const namedCurve of [`P-256`, `P-384`])
      spkis.push(generateKeyPairSync(`ec`, {namedCurve}).publicKey.export({format: `der`, type: `spki`}));
    let viaJwk = 0;
    for (const spki of spkis) {
      if (ecJwkOf(spki) !== null)
        viaJwk++;
      const key = crypto.createPublicKey(spki);
      expect(key.equals(createPublicKey({key: spki, format: `der`, type: `spki`}))).toBe(true);
      // A point off the curve: both ways refuse it.
      const offCurve = Buffer.from(spki);
      offCurve[offCurve.length - 1]! ^= 1;
      expect(() => createPublicKey({key: offCurve, format: `der`, type: `spki`})).toThrow();
      expect(() => crypto.createPublicKey(offCurve)).toThrow();
    }
    expect(viaJwk).toBeGreaterThan(10);
    // Anything else goes the usual way: another curve, another algorithm, extra bytes.
    for (const other of [
      generateKeyPairSync(`ec`, {namedCurve: `secp256k1`}).publicKey.export({format: `der`, type: `spki`}),
      generateKeyPairSync(`ed25519`).publicKey.export({format: `der`, type: `spki`}),
    ]) {
      expect(ecJwkOf(other)).toBeNull();
      expect(crypto.createPublicKey(other).equals(createPublicKey({key: other, format: `der`, type: `spki`}))).toBe(true);
    }
    expect(ecJwkOf(Buffer.concat([spkis[0]!, Buffer.from([0])]))).toBeNull();
  });

  it(`is installed once, however often it is called`, () => {
    installSigstoreAcceleration();
    const verify = X509Certificate.prototype.verify;
    installSigstoreAcceleration();
    expect(X509Certificate.prototype.verify).toBe(verify);
  });
});
