/**
 * A Fulcio-like CA: root → intermediate → short-lived leaf, each leaf carrying an embedded SCT from
 * a CT log that the trusted root lists (sigstore-js demands one: the verifier runs with
 * ctlogThreshold 1). @sigstore/mock's own CA signs leaves straight from its root with a fixed
 * lifetime, so the certificates are built here with @peculiar/x509, and the mock's CT log signs the
 * precertificate exactly as the mock's CA has it do.
 */
import 'reflect-metadata';
import {createHash, generateKeyPairSync, KeyObject, randomBytes, webcrypto} from 'node:crypto';

import * as x509 from '@peculiar/x509';
// The mock's package index also loads its nock-based HTTP mocks (which patch node:http on load);
// only the CT log is wanted here.
import {initializeCTLog} from '@sigstore/mock/dist/fulcio/ctlog';
import type {CTLog} from '@sigstore/mock/dist/fulcio/ctlog';

import {derOctetString} from './der';
import {appendExtensionAndSign} from './embedSct';
import {LEAF_LIFETIME_MS} from './timeline';
import type {Timeline} from './timeline';

type WebCrypto = NonNullable<Parameters<typeof x509.X509CertificateGenerator.create>[1]>;
const crypto = webcrypto as unknown as WebCrypto;

const ROOT_NAME = `O=sigstore.test, CN=sigstore`;
const INTERMEDIATE_NAME = `O=sigstore.test, CN=sigstore-intermediate`;
const ECDSA_P384 = {name: `ECDSA`, namedCurve: `P-384`};
const SIGN_SHA384 = {name: `ECDSA`, hash: `SHA-384`};
const OID_SCT_LIST = `1.3.6.1.4.1.11129.2.4.2`;

export type LeafRequest = {
  /** DER SubjectPublicKeyInfo of the key that will sign the DSSE envelope. */
  publicKey: Buffer;
  subjectAlternativeName: string;
  /** Custom extensions with their values already DER-encoded (or raw, for Fulcio's legacy ones). */
  extensions: Array<{oid: string, value: Buffer}>;
  /** Issue it so that it has expired before the transparency log integrates its signature. */
  expired: boolean;
};

export type CertificateAuthority = {
  /** DER certificates as a trusted root lists them: intermediate first, then the root. */
  chain: [Buffer, Buffer];
  ctLog: {publicKey: Buffer, logId: Buffer};
  /** DER of a leaf signed by the intermediate, with an SCT over its precertificate. */
  issueLeaf(request: LeafRequest): Promise<Buffer>;
};

export async function createCertificateAuthority(timeline: Timeline): Promise<CertificateAuthority> {
  // Chains are built by matching each AuthorityKeyIdentifier with its issuer's SubjectKeyIdentifier.
  const rootKeys = await generateCaKeys();
  const rootKeyId = await keyIdentifier(rootKeys.publicKey);
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: ROOT_NAME,
    notBefore: timeline.trustStart,
    notAfter: timeline.trustEnd,
    keys: rootKeys,
    signingAlgorithm: SIGN_SHA384,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      new x509.SubjectKeyIdentifierExtension(rootKeyId),
    ],
  }, crypto);

  const intermediateKeys = await generateCaKeys();
  const intermediateKeyId = await keyIdentifier(intermediateKeys.publicKey);
  const intermediate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: INTERMEDIATE_NAME,
    issuer: root.subjectName,
    notBefore: timeline.trustStart,
    notAfter: timeline.trustEnd,
    publicKey: intermediateKeys.publicKey,
    signingKey: rootKeys.privateKey,
    signingAlgorithm: SIGN_SHA384,
    extensions: [
      // pathlen 0: it issues leaves only, as Fulcio's intermediate.
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.codeSigning]),
      new x509.SubjectKeyIdentifierExtension(intermediateKeyId),
      new x509.AuthorityKeyIdentifierExtension(rootKeyId),
    ],
  }, crypto);

  // One CT log key; one mock log instance per clock, since the mock timestamps with a fixed clock.
  const ctKeyPair = generateKeyPairSync(`ec`, {namedCurve: `P-256`});
  const ctLogs = {
    valid: await initializeCTLog(ctKeyPair, timeline.issuedAt),
    expired: await initializeCTLog(ctKeyPair, timeline.expiredIssuedAt),
  };
  // Signs the final leaf; the hash matches the ecdsa-with-SHA384 the precertificate already names.
  const leafSigner = {privateKey: KeyObject.from(intermediateKeys.privateKey), hash: `sha384` as const};
  // RFC 6962 IssuerKeyHash: the SCT is bound to the key of the CA that signs the leaf.
  const issuerId = toArrayBuffer(createHash(`sha256`).update(Buffer.from(intermediate.publicKey.rawData)).digest());

  return {
    chain: [Buffer.from(intermediate.rawData), Buffer.from(root.rawData)],
    ctLog: {publicKey: ctLogs.valid.publicKey, logId: Buffer.from(ctLogs.valid.logID.buffer)},

    async issueLeaf({publicKey, subjectAlternativeName, extensions, expired}) {
      const notBefore = expired ? timeline.expiredIssuedAt : timeline.issuedAt;
      const ctLog: CTLog = expired ? ctLogs.expired : ctLogs.valid;
      const leafKeyId = createHash(`sha1`).update(publicKey).digest(`hex`);

      const template = {
        serialNumber: randomSerial(),
        issuer: intermediate.subjectName,
        notBefore,
        notAfter: new Date(notBefore.getTime() + LEAF_LIFETIME_MS),
        publicKey: toArrayBuffer(publicKey),
        signingKey: intermediateKeys.privateKey,
        signingAlgorithm: SIGN_SHA384,
        extensions: [
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.codeSigning]),
          new x509.SubjectKeyIdentifierExtension(leafKeyId),
          new x509.AuthorityKeyIdentifierExtension(intermediateKeyId),
          new x509.SubjectAlternativeNameExtension([{type: `url`, value: subjectAlternativeName}], true),
          ...extensions.map(({oid, value}) => new x509.Extension(oid, false, value)),
        ],
      };

      // The SCT signs the leaf's TBS without the SCT extension; sigstore-js strips that extension
      // from the final certificate and re-encodes, so everything else must stay byte for byte. (No
      // CT poison extension: the mock's log signs the TBS it is given, as the mock's CA relies on.)
      const precertificate = await x509.X509CertificateGenerator.create(template, crypto);
      const sct = Buffer.from(await ctLog.log(precertificate.rawData, issuerId));
      const sctExtension = new x509.Extension(OID_SCT_LIST, false, derOctetString(sctList(sct)));
      return appendExtensionAndSign(Buffer.from(precertificate.rawData), Buffer.from(sctExtension.rawData), leafSigner);
    },
  };
}

async function generateCaKeys(): Promise<webcrypto.CryptoKeyPair> {
  return await webcrypto.subtle.generateKey(ECDSA_P384, true, [`sign`, `verify`]);
}

async function keyIdentifier(publicKey: webcrypto.CryptoKey): Promise<string> {
  const spki = Buffer.from(await webcrypto.subtle.exportKey(`spki`, publicKey));
  return createHash(`sha1`).update(spki).digest(`hex`);
}

/** A positive 20-byte serial, as RFC 5280 allows at most. */
function randomSerial(): string {
  const bytes = randomBytes(20);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString(`hex`);
}

/** SignedCertificateTimestampList: a uint16 byte length, then the SCT (which carries its own). */
function sctList(sct: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(sct.length);
  return Buffer.concat([length, sct]);
}

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return Uint8Array.from(bytes).buffer;
}
