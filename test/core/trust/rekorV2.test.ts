import {beforeAll, describe, expect, it} from 'vitest';

import {toAttestationSet} from '../../../sources/core/attestations/parseAttestations';
import {toTrust} from '../../../sources/core/trust/loadTrust';
import {createPackageVerifier} from '../../../sources/core/verify/verifyPackage';
import {createTestAuthority} from '../../authority';
import type {AttestationsAnswer, TestAuthority} from '../../authority';
import {rejectionCode} from '../../helpers/verifier';
import {tarball} from '../authority/privateDeployment';
import {createRekorV2Log, createTimestampAuthority} from './rekorV2';
import type {RekorV2Log, TimestampAuthority} from './rekorV2';

// Rekor v2 (the sigstore-conformance case rekor2-dsse-happy-path, rebuilt with the test authority):
// a provenance whose only transparency-log entry is `hashedrekord` 0.0.2 over the DSSE PAE, timed by
// an RFC 3161 timestamp. @sigstore/verify 3.1.1 rejects such an entry (TLOG_BODY_ERROR, digest
// mismatch: it hashes the payload, not the PAE); 4.1.0 and later verify it.
const pkg = {name: `@acme/widget`, version: `2.0.0`};
const {sha512} = tarball();
const LOGGED_AFTER_MS = 60_000;

let authority: TestAuthority;
let log: RekorV2Log;
let tsa: TimestampAuthority;
let answer: AttestationsAnswer;

beforeAll(async () => {
  // The timestamp authority's certificates start now; the leaf is issued after, the timestamp within its life.
  // Whole seconds: the TSA library drops trailing zeros of a fraction (".12Z"), which sigstore-js refuses.
  const signedAt = new Date(Math.floor((Date.now() + LOGGED_AFTER_MS) / 1000) * 1000);
  tsa = await createTimestampAuthority(signedAt, new Date(Date.now() - 86_400_000));
  authority = await createTestAuthority({now: new Date(signedAt.getTime() - 2_000)});
  log = createRekorV2Log(`https://log2026-1.rekor.sigstore.test`, new Date(Date.now() - 86_400_000));

  answer = await authority.mint({pkg, tarballSha512: sha512, bundleMediaType: `v0.3`, identity: {platform: `github`, repository: `https://github.com/acme/widget`}});
  await toRekorV2(answer.attestations.find(entry => entry.predicateType.startsWith(`https://slsa.dev/provenance/`))!);
});

type BundleJson = {
  dsseEnvelope: {payload: string, payloadType: string, signatures: Array<{sig: string}>};
  verificationMaterial: {certificate: {rawBytes: string}, tlogEntries: Array<object>, timestampVerificationData: {rfc3161Timestamps: Array<object>}};
};

/** Logs the provenance to the Rekor v2 log instead, and has its signature timestamped. */
async function toRekorV2(entry: {bundle: unknown}) {
  const bundle = entry.bundle as BundleJson;
  const {payloadType, payload, signature} = envelopeOf(bundle);
  bundle.verificationMaterial.tlogEntries = [log.entryFor({payloadType, payload, signature}, certificateOf(bundle))];
  bundle.verificationMaterial.timestampVerificationData = {rfc3161Timestamps: [await tsa.timestamp(signature)]};
}

function envelopeOf(bundle: BundleJson) {
  const envelope = bundle.dsseEnvelope;
  return {payloadType: envelope.payloadType, payload: Buffer.from(envelope.payload, `base64`), signature: Buffer.from(envelope.signatures[0]!.sig, `base64`)};
}

function certificateOf(bundle: BundleJson): Buffer {
  return Buffer.from(bundle.verificationMaterial.certificate.rawBytes, `base64`);
}

function verify(attestations: AttestationsAnswer, {withTimestampAuthority = true} = {}) {
  const root = authority.trustedRoot as {tlogs: Array<object>};
  const trustedRoot = {...root, tlogs: [...root.tlogs, log.trustedRootTlog], timestampAuthorities: withTimestampAuthority ? [tsa.trustedRootEntry] : []};
  const trust = toTrust({
    trustedRoot: JSON.stringify(trustedRoot),
    registryKeys: JSON.stringify(authority.registryKeys),
    trustedRootOrigin: `the test trusted root`,
    registryKeysOrigin: `the test registry keys`,
    source: `custom`,
  });
  return createPackageVerifier(trust).verify({package: pkg, attestations: toAttestationSet(attestations), tarballSha512: sha512});
}

describe(`a provenance logged to Rekor v2`, () => {
  it(`verifies: hashedrekord 0.0.2 over the DSSE PAE, inclusion proved by a signed checkpoint, time from the TSA`, () => {
    const verified = verify(answer);
    expect(verified.provenance?.identity.sourceRepo).toBe(`https://github.com/acme/widget`);
    // A Rekor v2 entry states no integrated time: none is reported.
    expect(verified.provenance?.integratedTime).toBeUndefined();
  });

  it(`is SIGNATURE_INVALID without a trusted timestamp authority (the entry itself carries no signed time)`, async () => {
    expect(await rejectionCode(() => verify(answer, {withTimestampAuthority: false}))).toBe(`SIGNATURE_INVALID`);
  });

  it(`is SIGNATURE_INVALID when the logged digest is not the one of the signed PAE`, async () => {
    const tampered = structuredClone(answer);
    const provenance = tampered.attestations.find(entry => entry.predicateType.startsWith(`https://slsa.dev/provenance/`))!.bundle as BundleJson;
    // Properly logged and checkpointed, but over the PAE of another payload type than the envelope states.
    provenance.verificationMaterial.tlogEntries = [log.entryFor({...envelopeOf(provenance), payloadType: ``}, certificateOf(provenance))];
    expect(await rejectionCode(() => verify(tampered))).toBe(`SIGNATURE_INVALID`);
  });
});
