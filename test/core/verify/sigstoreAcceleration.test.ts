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
  toOID: ASN1Obj.prototype.toOID,
  parseBuffer: ASN1Obj.parseBuffer.bind(ASN1Obj),
};

/** What a call gives: its value, or the class and message of what it threw. */
function outcome<T>(call: () => T): {value: T} | {threw: string} {
  try {
    return {value: call()};
  } catch (error) {
    return {threw: `${(error as Error).constructor.name}: ${(error as Error).message}`};
  }
}

/** The certificate with one byte changed, cut short, or with a byte appended: inputs the parser must refuse or read alike. */
function tampered(der: Buffer<ArrayBuffer>): Array<Buffer<ArrayBuffer>> {
  const variants: Array<Buffer<ArrayBuffer>> = [];
  for (let at = 0; at < der.length; at += 31) {
    for (const mask of [0x01, 0x80, 0xff]) {
      const copy = Buffer.from(der);
      copy[at]! ^= mask;
      variants.push(copy);
    }
    variants.push(der.subarray(0, at) as Buffer<ArrayBuffer>);
  }
  variants.push(Buffer.concat([der, Buffer.from([0])]) as Buffer<ArrayBuffer>);
  return variants;
}

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

  it(`parses DER, real and tampered, as sigstore-js does once installed (derParser.test.ts goes further)`, () => {
    installSigstoreAcceleration();
    let refused = 0;
    for (const der of certificates().slice(0, 3)) {
      for (const input of [der, ...tampered(der)]) {
        const fast = outcome(() => original.toDER.call(ASN1Obj.parseBuffer(input)));
        expect(fast).toEqual(outcome(() => original.toDER.call(original.parseBuffer(input))));
        if (`threw` in fast)
          refused++;
      }
    }
    expect(refused).toBeGreaterThan(100);
  });

  it(`decodes OIDs as sigstore-js does, also from altered bytes and from nodes that are not OIDs`, () => {
    installSigstoreAcceleration();
    let oids = 0;
    for (const der of certificates()) {
      for (const node of nodesOf(X509Certificate.parse(der).root)) {
        // Asked twice: the second answer comes from the memo.
        for (let i = 0; i < 2; i++)
          expect(outcome(() => node.toOID())).toEqual(outcome(() => original.toOID.call(node)));
        if (!node.tag.isOID())
          continue;
        oids++;
        // The same tag over other bytes (a last byte changed, a byte cut) is its own OID, not the memo's.
        for (const value of [Buffer.concat([node.value.subarray(0, -1), Buffer.from([node.value.at(-1)! ^ 1])]), node.value.subarray(1)]) {
          const altered = new ASN1Obj(node.tag, value, []);
          expect(outcome(() => altered.toOID())).toEqual(outcome(() => original.toOID.call(altered)));
          expect(altered.toOID()).not.toBe(node.toOID());
        }
      }
    }
    expect(oids).toBeGreaterThan(500);
  });

  it(`is installed once, however often it is called`, () => {
    installSigstoreAcceleration();
    const verify = X509Certificate.prototype.verify;
    installSigstoreAcceleration();
    expect(X509Certificate.prototype.verify).toBe(verify);
  });
});
