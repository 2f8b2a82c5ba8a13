/**
 * The authority's trusted_root.json: what a private Sigstore deployment hands its verifiers. Built
 * through protobuf-specs' own serializer so that field names and enum spellings are the real ones.
 */
import {createHash} from 'node:crypto';

import {HashAlgorithm, PublicKeyDetails, TrustedRoot} from '@sigstore/protobuf-specs';

import type {CertificateAuthority} from './certificateAuthority';
import type {TransparencyLog} from './transparencyLog';

export const FULCIO_URL = `https://fulcio.sigstore.test`;
export const REKOR_URL = `https://rekor.sigstore.test`;
export const CTFE_URL = `https://ctfe.sigstore.test`;

export function toTrustedRoot({ca, tlog, validFrom}: {ca: CertificateAuthority, tlog: TransparencyLog, validFrom: Date}): object {
  const logKey = (rawBytes: Buffer) => ({rawBytes, keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256, validFor: {start: validFrom, end: undefined}});

  return TrustedRoot.toJSON({
    mediaType: `application/vnd.dev.sigstore.trustedroot+json;version=0.1`,
    certificateAuthorities: [{
      subject: {organization: `sigstore.test`, commonName: `sigstore`},
      uri: FULCIO_URL,
      certChain: {certificates: ca.chain.map(rawBytes => ({rawBytes}))},
      validFor: {start: validFrom, end: undefined},
      operator: `test authority`,
    }],
    tlogs: [{
      baseUrl: tlog.baseUrl,
      hashAlgorithm: HashAlgorithm.SHA2_256,
      publicKey: logKey(tlog.publicKey),
      logId: {keyId: createHash(`sha256`).update(tlog.publicKey).digest()},
      checkpointKeyId: undefined,
      operator: `test authority`,
    }],
    ctlogs: [{
      baseUrl: CTFE_URL,
      hashAlgorithm: HashAlgorithm.SHA2_256,
      publicKey: logKey(ca.ctLog.publicKey),
      logId: {keyId: ca.ctLog.logId},
      checkpointKeyId: undefined,
      operator: `test authority`,
    }],
    timestampAuthorities: [],
  }) as object;
}
