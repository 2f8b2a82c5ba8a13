import {X509Certificate} from '@sigstore/core';
import {describe, expect, it} from 'vitest';

import {installSigstoreAcceleration} from '../../../sources/core/verify/sigstoreAcceleration';
import {fixtureIds, loadFixture} from '../../helpers/fixtures';

// Captured before the memoisation is installed (each test file has its own module instances).
const original = {
  equals: X509Certificate.prototype.equals,
  verify: X509Certificate.prototype.verify,
};

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

  it(`is installed once, however often it is called`, () => {
    installSigstoreAcceleration();
    const verify = X509Certificate.prototype.verify;
    installSigstoreAcceleration();
    expect(X509Certificate.prototype.verify).toBe(verify);
  });
});
