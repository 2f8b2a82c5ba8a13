/**
 * A Rekor v2 log and an RFC 3161 timestamp authority for the test authority's bundles, built as the
 * sigstore-conformance case `rekor2-dsse-happy-path` has them (read, not copied): the provenance's
 * entry is `hashedrekord` 0.0.2 over the DSSE pre-authentication encoding, proved by an inclusion
 * proof and a signed checkpoint; it has no integrated time and no inclusion promise, so the time a
 * verifier judges the certificate at comes from the timestamp authority alone.
 */
import {createHash, generateKeyPairSync, randomInt, sign} from 'node:crypto';

import {initializeTSA} from '@sigstore/mock/dist/timestamp/tsa';

import {pae} from '../../authority/dsse';

export type RekorV2Log = {
  /** The log as a trusted root lists it. */
  trustedRootTlog: object;
  /** The tlog entry of a DSSE envelope signed by the given certificate. */
  entryFor(envelope: {payloadType: string, payload: Buffer, signature: Buffer}, certificate: Buffer): object;
};

export type TimestampAuthority = {
  trustedRootEntry: object;
  /** An RFC 3161 timestamp over a signature, as a bundle's `rfc3161Timestamps` item. */
  timestamp(signature: Buffer): Promise<object>;
};

export function createRekorV2Log(baseUrl: string, validFrom: Date): RekorV2Log {
  const {publicKey, privateKey} = generateKeyPairSync(`ed25519`);
  const spki = publicKey.export({type: `spki`, format: `der`});
  const logId = createHash(`sha256`).update(spki).digest();
  const origin = new URL(baseUrl).host;

  return {
    trustedRootTlog: {
      baseUrl,
      hashAlgorithm: `SHA2_256`,
      publicKey: {rawBytes: spki.toString(`base64`), keyDetails: `PKIX_ED25519`, validFor: {start: validFrom.toISOString()}},
      logId: {keyId: logId.toString(`base64`)},
    },
    entryFor(envelope, certificate) {
      const body = Buffer.from(JSON.stringify({
        apiVersion: `0.0.2`,
        kind: `hashedrekord`,
        spec: {hashedRekordV002: {
          data: {algorithm: `SHA2_256`, digest: sha256(pae(envelope.payloadType, envelope.payload)).toString(`base64`)},
          signature: {content: envelope.signature.toString(`base64`), verifier: {keyDetails: `PKIX_ECDSA_P256_SHA_256`, x509Certificate: {rawBytes: certificate.toString(`base64`)}}},
        }},
      }));

      // A log of one entry: the root is the leaf hash (RFC 6962: sha256(0x00 || entry)), no proof hashes.
      const rootHash = sha256(Buffer.concat([Buffer.from([0]), body]));
      const note = `${origin}\n1\n${rootHash.toString(`base64`)}\n`;
      const signature = Buffer.concat([logId.subarray(0, 4), sign(null, Buffer.from(note), privateKey)]);
      const logIndex = `0`;
      return {
        logIndex,
        logId: {keyId: logId.toString(`base64`)},
        kindVersion: {kind: `hashedrekord`, version: `0.0.2`},
        inclusionProof: {
          logIndex,
          rootHash: rootHash.toString(`base64`),
          treeSize: `1`,
          hashes: [],
          checkpoint: {envelope: `${note}\n\u2014 ${origin} ${signature.toString(`base64`)}\n`},
        },
        canonicalizedBody: body.toString(`base64`),
      };
    },
  };
}

/** A timestamp authority whose certificates are valid from its creation; `clock` is the time it states. */
export async function createTimestampAuthority(clock: Date, validFrom: Date): Promise<TimestampAuthority> {
  const tsa = await initializeTSA(generateKeyPairSync(`ec`, {namedCurve: `P-256`}), clock);
  return {
    trustedRootEntry: {
      subject: {organization: `sigstore.test`, commonName: `tsa`},
      uri: `https://tsa.sigstore.test`,
      certChain: {certificates: [tsa.intCertificate, tsa.rootCertificate].map(der => ({rawBytes: Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString(`base64`)}))},
      validFor: {start: validFrom.toISOString()},
    },
    async timestamp(signature) {
      const response = await tsa.timestamp({artifactHash: sha256(signature), hashAlgorithmOID: `2.16.840.1.101.3.4.2.1`, nonce: randomInt(1_000_000), policyOID: `1.3.6.1.4.1.57264.2`});
      return {signedTimestamp: Buffer.from(response.buffer, response.byteOffset, response.byteLength).toString(`base64`)};
    },
  };
}

function sha256(bytes: Buffer): Buffer {
  return createHash(`sha256`).update(bytes).digest();
}
