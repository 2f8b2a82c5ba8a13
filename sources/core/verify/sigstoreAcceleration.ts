import {createPublicKey as nodeCreatePublicKey} from 'node:crypto';
import type {JsonWebKey, KeyObject} from 'node:crypto';

import {ASN1Obj, ByteStream, crypto, X509Certificate} from '@sigstore/core';

import {readElement} from './certificateEncoding';
import {makeDerParser} from './derParser';

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
 * - `clone` copies the parsed tree (new nodes and child arrays, the same tag objects and value
 *   bytes, which nothing writes to) instead of re-encoding and re-parsing the certificate.
 * - `crypto.createPublicKey` imports a P-256 or P-384 key given as SPKI DER (each leaf certificate's
 *   key, once per bundle) as the JWK of the same point: OpenSSL 3's DER decoder costs twice as much.
 *   Node checks the point is on the curve either way; any other key or encoding goes the usual way.
 * - `ByteStream.getUint8` reads the byte in place instead of through a one-byte Buffer view: the
 *   parser reads every tag and length byte of a certificate with it.
 * - `ASN1Obj.toDER` writes the same bytes in one allocation. sigstore-js's own grows a zero-filled
 *   1 KiB buffer per node and copies it back up the tree: re-encoding the leaf's tbsCertificate for
 *   each SCT check was a third of a package's verification (profile in README, "Benchmarks").
 * - `ASN1Obj.parseBuffer` is sigstore-js's parser without exceptions as control flow (derParser.ts):
 *   it tries every OCTET STRING as nested DER and catches the error when it is not, and building and
 *   unwinding those errors was over half of parsing a leaf certificate. Same trees, same errors.
 * - `ASN1Obj.toOID` remembers the OID string per value buffer (the bytes it is decoded from, which
 *   nothing writes to): each extension lookup decodes every extension's OID again, 5-6 times per bundle.
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
    return new X509Certificate(copyTree(this.root));
  };

  const createPublicKey = crypto.createPublicKey;
  (crypto as {createPublicKey: typeof createPublicKey}).createPublicKey = (key, type) => {
    const jwk = Buffer.isBuffer(key) && (type === undefined || type === `spki`) ? ecJwkOf(key) : null;
    return jwk !== null ? nodeCreatePublicKey({key: jwk, format: `jwk`}) : createPublicKey(key, type);
  };

  ByteStream.prototype.getUint8 = function (this: ByteStream) {
    // sigstore-js's getBlock(1)[0], with the same bound and error, without making a view.
    const stream = this as unknown as {start: number, view: Buffer};
    if (stream.start + 1 > stream.view.length)
      throw new Error(`request past end of buffer`);
    return stream.view[stream.start++]!;
  };

  ASN1Obj.prototype.toDER = function (this: ASN1Obj) {
    const parts: Array<Buffer> = [];
    const size = encode(this, parts);
    return Buffer.concat(parts, size);
  };

  ASN1Obj.parseBuffer = makeDerParser(ASN1Obj.parseBuffer.bind(ASN1Obj));

  const oids = new WeakMap<Buffer, string>();
  const toOID = ASN1Obj.prototype.toOID;
  ASN1Obj.prototype.toOID = function (this: ASN1Obj) {
    // Not an OID: sigstore-js's own throws its type error.
    if (!this.tag.isOID())
      return toOID.call(this);
    let oid = oids.get(this.value);
    if (oid === undefined) {
      oid = toOID.call(this);
      oids.set(this.value, oid);
    }
    return oid;
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

/** The SPKI DER of an uncompressed P-256 or P-384 point, up to the point's X and Y. */
const EC_SPKI = [
  {crv: `P-256`, size: 32, prefix: Buffer.from(`3059301306072a8648ce3d020106082a8648ce3d03010703420004`, `hex`)},
  {crv: `P-384`, size: 48, prefix: Buffer.from(`3076301006072a8648ce3d020106052b8104002203620004`, `hex`)},
];

/** The key as a JWK when `der` is exactly one of those SPKI encodings, else null. */
export function ecJwkOf(der: Buffer): JsonWebKey | null {
  for (const {crv, size, prefix} of EC_SPKI) {
    if (der.length === prefix.length + 2 * size && der.subarray(0, prefix.length).equals(prefix)) {
      const x = der.subarray(prefix.length, prefix.length + size);
      const y = der.subarray(prefix.length + size);
      return {kty: `EC`, crv, x: x.toString(`base64url`), y: y.toString(`base64url`)};
    }
  }
  return null;
}

/** A new tree of the same shape: sigstore-js splices the copy's arrays, never a node's tag or bytes. */
function copyTree(node: ASN1Obj): ASN1Obj {
  return new ASN1Obj(node.tag, node.value, node.subs.map(copyTree));
}

/**
 * Appends `node`'s encoding to `parts` and returns its size, exactly as sigstore-js encodes it: the
 * tag byte, the DER length, then the children's encodings if it has any, else its value bytes.
 */
function encode(node: ASN1Obj, parts: Array<Buffer>): number {
  const header = parts.length;
  parts.push(EMPTY);
  let length = 0;
  if (node.subs.length > 0) {
    for (const sub of node.subs)
      length += encode(sub, parts);
  } else {
    parts.push(node.value);
    length = node.value.length;
  }
  const head = lengthHeader(node.tag.toDER(), length);
  parts[header] = head;
  return head.length + length;
}

const EMPTY = Buffer.alloc(0);

function lengthHeader(tag: number, length: number): Buffer {
  if (length < 0x80)
    return Buffer.from([tag, length]);
  const bytes: Array<number> = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256))
    bytes.unshift(rest % 256);
  return Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
}

/**
 * The first element inside a DER SEQUENCE (a certificate's tbsCertificate), header included.
 * Throws on anything that is not definite-length DER, which then fails verification.
 */
function firstElement(der: Buffer): Buffer {
  const inner = readElement(der, readElement(der, 0).contentStart);
  return der.subarray(inner.start, inner.end);
}
