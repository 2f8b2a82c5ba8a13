import type {KeyObject} from 'node:crypto';

import {crypto, X509Certificate} from '@sigstore/core';

import {readElement} from './certificateEncoding';

/**
 * sigstore-js re-encodes certificates to DER for every comparison and re-verifies the same CA
 * signatures for every bundle: with trust loaded once, that was 70% of the time spent verifying a
 * package (profile in the issue notes). This memoises those pure computations per certificate
 * instance, leaving every check in place:
 *
 * - `parse` remembers the DER bytes a certificate was parsed from; `equals` and `clone` use them
 *   instead of re-encoding (DER is canonical, so the bytes are the same).
 * - `verify(issuer)` remembers its result per (certificate, issuer) pair of instances. CA
 *   certificates of the trust material are the same instances for every bundle, so their signatures
 *   are checked once per run instead of once per package. It checks the signature over the
 *   to-be-signed bytes sliced from the parsed DER (not re-encoded), with the issuer's public key
 *   object made once per certificate.
 *
 * Safe because sigstore-js never mutates a certificate it compares or verifies: the one it edits
 * (to strip the SCT extension) is a fresh `clone()`, which is a new instance with no memo. Installed
 * once per process, whatever number of copies of this module are loaded.
 */
const INSTALLED = Symbol.for(`yarn-plugin-provenance/sigstore-acceleration`);

type Cert = X509Certificate & {[INSTALLED]?: true};

export function installSigstoreAcceleration(): void {
  const proto = X509Certificate.prototype as Cert;
  if (proto[INSTALLED])
    return;
  proto[INSTALLED] = true;

  const derOf = new WeakMap<X509Certificate, Buffer>();
  const der = (certificate: X509Certificate): Buffer => {
    let bytes = derOf.get(certificate);
    if (bytes === undefined) {
      bytes = certificate.root.toDER();
      derOf.set(certificate, bytes);
    }
    return bytes;
  };

  const parse = X509Certificate.parse.bind(X509Certificate);
  X509Certificate.parse = (input: Buffer<ArrayBuffer> | string) => {
    const certificate = parse(input);
    // A string is PEM; only raw DER input is remembered as-is.
    if (typeof input !== `string`)
      derOf.set(certificate, Buffer.from(input));
    return certificate;
  };

  proto.equals = function (this: X509Certificate, other: X509Certificate) {
    return this === other || der(this).equals(der(other));
  };

  proto.clone = function (this: X509Certificate) {
    return X509Certificate.parse(Buffer.from(der(this)) as Buffer<ArrayBuffer>);
  };

  const keys = new WeakMap<X509Certificate, KeyObject>();
  const keyOf = (certificate: X509Certificate): KeyObject => {
    let key = keys.get(certificate);
    if (key === undefined) {
      key = crypto.createPublicKey(certificate.publicKey);
      keys.set(certificate, key);
    }
    return key;
  };

  const toBeSigned = (certificate: X509Certificate): Buffer => {
    const bytes = derOf.get(certificate);
    return bytes === undefined ? certificate.tbsCertificate.toDER() : firstElement(bytes);
  };

  const verified = new WeakMap<X509Certificate, WeakMap<X509Certificate, boolean>>();
  proto.verify = function (this: X509Certificate, issuer?: X509Certificate) {
    const signer = issuer ?? this;
    let results = verified.get(this);
    if (results === undefined) {
      results = new WeakMap();
      verified.set(this, results);
    }
    let result = results.get(signer);
    if (result === undefined) {
      result = crypto.verify(toBeSigned(this), keyOf(signer), this.signatureValue, this.signatureAlgorithm);
      results.set(signer, result);
    }
    return result;
  };
}

/**
 * The first element inside a DER SEQUENCE (a certificate's tbsCertificate), header included.
 * Throws on anything that is not definite-length DER, which then fails verification.
 */
function firstElement(der: Buffer): Buffer {
  const inner = readElement(der, readElement(der, 0).contentStart);
  return der.subarray(inner.start, inner.end);
}
