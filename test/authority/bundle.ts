/**
 * Sigstore bundles in the JSON form the npm registry serves them: a DSSE envelope, the key material
 * (a Fulcio leaf, or the registry key's hint) and one transparency-log entry.
 */
import {BUNDLE_V02_MEDIA_TYPE, BUNDLE_V03_MEDIA_TYPE} from '@sigstore/bundle';

import {envelopeJson} from './dsse';
import type {SignedEnvelope} from './dsse';
import type {TlogEntryJson} from './transparencyLog';

/** A bundle as JSON; @sigstore/bundle's `bundleFromJSON` is what checks it. */
export type BundleJson = {
  mediaType: string;
  verificationMaterial: ({publicKey: {hint: string}} | {x509CertificateChain: {certificates: Array<{rawBytes: string}>}} | {certificate: {rawBytes: string}}) & {
    tlogEntries: Array<TlogEntryJson>;
    timestampVerificationData: {rfc3161Timestamps: Array<never>};
  };
  dsseEnvelope: ReturnType<typeof envelopeJson>;
};

export type KeyMaterial =
  | {certificate: Buffer}
  | {publicKeyHint: string};

export function toBundleJson({mediaType, envelope, key, tlogEntry}: {
  mediaType: `v0.2` | `v0.3`;
  envelope: SignedEnvelope;
  key: KeyMaterial;
  tlogEntry: TlogEntryJson;
}): BundleJson {
  const tail = {tlogEntries: [tlogEntry], timestampVerificationData: {rfc3161Timestamps: []}};
  let verificationMaterial: BundleJson[`verificationMaterial`];
  if (`publicKeyHint` in key) {
    verificationMaterial = {publicKey: {hint: key.publicKeyHint}, ...tail};
  } else if (mediaType === `v0.2`) {
    // npm's v0.2 bundles list the leaf alone; the chain's other certificates come from the trusted root.
    verificationMaterial = {x509CertificateChain: {certificates: [{rawBytes: key.certificate.toString(`base64`)}]}, ...tail};
  } else {
    verificationMaterial = {certificate: {rawBytes: key.certificate.toString(`base64`)}, ...tail};
  }

  return {
    mediaType: mediaType === `v0.2` ? BUNDLE_V02_MEDIA_TYPE : BUNDLE_V03_MEDIA_TYPE,
    verificationMaterial,
    dsseEnvelope: envelopeJson(envelope),
  };
}
