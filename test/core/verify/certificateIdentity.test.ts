import {X509Certificate} from '@sigstore/core';
import {describe, expect, it} from 'vitest';

import {readCertificateIdentity} from '../../../sources/core/verify/certificateIdentity';
import {fixtureIds, loadFixture} from '../../helpers/fixtures';

const FULCIO = `1.3.6.1.4.1.57264.1`;

/** The Fulcio extensions as `certificate.extension(oid)` answers them, one OID at a time. */
function extensionsOneByOne(certificate: X509Certificate): Record<string, Buffer> {
  const found: Record<string, Buffer> = {};
  for (let n = 1; n <= 22; n++) {
    const extension = certificate.extension(`${FULCIO}.${n}`);
    if (extension !== undefined)
      found[`${FULCIO}.${n}`] = extension.value;
  }
  return found;
}

function leafCertificates(): Array<X509Certificate> {
  const all: Array<X509Certificate> = [];
  for (const id of fixtureIds()) {
    for (const entry of loadFixture(id).attestationsJson.attestations) {
      const material = entry.bundle.verificationMaterial;
      const raw = material.certificate ?? material.x509CertificateChain?.certificates[0];
      if (raw !== undefined)
        all.push(X509Certificate.parse(Buffer.from(raw.rawBytes, `base64`)));
    }
  }
  return all;
}

describe(`readCertificateIdentity`, () => {
  it(`reads every Fulcio extension that extension(oid) finds, in OID order, legacy and new`, () => {
    const certificates = leafCertificates();
    expect(certificates.length).toBeGreaterThan(5);
    let legacy = 0;
    let current = 0;
    for (const certificate of certificates) {
      const expected = extensionsOneByOne(certificate);
      const {extensions} = readCertificateIdentity(certificate);
      expect(Object.keys(extensions)).toEqual(Object.keys(expected));
      for (const [oid, value] of Object.entries(expected)) {
        const n = Number(oid.slice(FULCIO.length + 1));
        if (n <= 6) {
          legacy++;
          expect(extensions[oid]).toBe(value.toString(`utf8`));
        } else {
          current++;
          // The newer extensions are DER UTF8Strings: the decoded text is inside the raw value.
          expect(value.toString(`utf8`).endsWith(extensions[oid]!)).toBe(true);
        }
      }
    }
    expect(legacy).toBeGreaterThan(0);
    expect(current).toBeGreaterThan(0);
  });

  it(`takes the first of two extensions with the same OID, as extension(oid) does`, () => {
    const withRepo = leafCertificates().filter(cert => cert.extension(`${FULCIO}.12`) !== undefined);
    const first = withRepo[0]!;
    const other = withRepo.find(cert => readCertificateIdentity(cert).sourceRepo !== readCertificateIdentity(first).sourceRepo)!;
    const repo = readCertificateIdentity(first).sourceRepo;
    // A second .12 after the first, naming another repository, is ignored.
    first.extensions.push(other.extensions.find(ext => ext.subs[0]!.toOID() === `${FULCIO}.12`)!);
    expect(readCertificateIdentity(first).sourceRepo).toBe(repo);
    expect(readCertificateIdentity(other).sourceRepo).not.toBe(repo);
  });
});
