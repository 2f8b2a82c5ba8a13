import {describe, expect, it} from 'vitest';

import {PUBLISH_PREDICATE_TYPE} from '../../../sources/core/provenance.types';
import {cloneJson, entryOf, loadFixture} from '../../helpers/fixtures';
import {rejectionCode, verifyJson} from '../../helpers/verifier';

// Forgeries built from real attestations. Each must be rejected, and by the right code.
const sigstore231 = loadFixture(`sigstore@2.3.1`);
const sigstore130 = loadFixture(`sigstore@1.3.0`);
const sigstore100 = loadFixture(`sigstore@1.0.0`);
const tufJs100 = loadFixture(`tuf-js@1.0.0`);
const gundam = loadFixture(`gundam-visor@1.0.1`);
const playwright = loadFixture(`@playwright__cli@0.1.1`);

describe(`binding to the package`, () => {
  it(`rejects a tarball that is not the attested one`, async () => {
    const code = await rejectionCode(() => verifyJson(sigstore231.pkg, sigstore231.attestationsJson, sigstore130.tarballSha512));
    expect(code).toBe(`SUBJECT_DIGEST_MISMATCH`);
  });

  it(`rejects one package's attestations presented for another package`, async () => {
    const code = await rejectionCode(() => verifyJson(sigstore100.pkg, tufJs100.attestationsJson, sigstore100.tarballSha512));
    expect(code).toBe(`SUBJECT_NAME_MISMATCH`);
  });

  it(`rejects another version's attestations, even with that version's own tarball`, async () => {
    const code = await rejectionCode(() => verifyJson(sigstore231.pkg, sigstore130.attestationsJson, sigstore130.tarballSha512));
    expect(code).toBe(`SUBJECT_NAME_MISMATCH`);
  });

  it(`rejects a provenance attestation alone when it belongs to another package`, async () => {
    const forged = {attestations: [entryOf(gundam, `provenance`)]};
    const code = await rejectionCode(() => verifyJson(sigstore231.pkg, forged, gundam.tarballSha512));
    expect(code).toBe(`SUBJECT_NAME_MISMATCH`);
  });
});

describe(`signatures`, () => {
  it(`rejects a provenance payload altered after signing`, async () => {
    const provenance = entryOf(sigstore231, `provenance`);
    const statement = JSON.parse(Buffer.from(provenance.bundle.dsseEnvelope.payload, `base64`).toString());
    statement.predicate.buildDefinition.externalParameters.workflow.repository = `https://github.com/attacker/sigstore-js`;
    provenance.bundle.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString(`base64`);

    const code = await rejectionCode(() => verifyJson(sigstore231.pkg, {attestations: [provenance]}, sigstore231.tarballSha512));
    expect(code).toBe(`SIGNATURE_INVALID`);
  });

  it(`rejects a publish payload altered after signing`, async () => {
    const publish = entryOf(sigstore231, `publish`);
    const statement = JSON.parse(Buffer.from(publish.bundle.dsseEnvelope.payload, `base64`).toString());
    statement.subject[0].digest.sha512 = sigstore130.tarballSha512;
    publish.bundle.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString(`base64`);

    const code = await rejectionCode(() => verifyJson(sigstore231.pkg, {attestations: [publish]}, sigstore130.tarballSha512));
    expect(code).toBe(`SIGNATURE_INVALID`);
  });

  it(`rejects a certificate swapped in from another package's provenance`, async () => {
    const provenance = entryOf(sigstore231, `provenance`);
    provenance.bundle.verificationMaterial.x509CertificateChain = entryOf(gundam, `provenance`).bundle.verificationMaterial.x509CertificateChain;

    const code = await rejectionCode(() => verifyJson(sigstore231.pkg, {attestations: [provenance]}, sigstore231.tarballSha512));
    expect(code).toBe(`SIGNATURE_INVALID`);
  });

  it(`rejects a signature swapped in from another bundle`, async () => {
    const provenance = entryOf(sigstore231, `provenance`);
    provenance.bundle.dsseEnvelope.signatures = entryOf(gundam, `provenance`).bundle.dsseEnvelope.signatures;

    const code = await rejectionCode(() => verifyJson(sigstore231.pkg, {attestations: [provenance]}, sigstore231.tarballSha512));
    expect(code).toBe(`SIGNATURE_INVALID`);
  });

  it(`rejects a transparency-log entry swapped in from another bundle`, async () => {
    const provenance = entryOf(sigstore231, `provenance`);
    provenance.bundle.verificationMaterial.tlogEntries = entryOf(gundam, `provenance`).bundle.verificationMaterial.tlogEntries;

    const code = await rejectionCode(() => verifyJson(sigstore231.pkg, {attestations: [provenance]}, sigstore231.tarballSha512));
    expect(code).toBe(`SIGNATURE_INVALID`);
  });

  it(`rejects a 2026 publish attestation relabelled with the key that expired in 2025`, async () => {
    const publish = entryOf(playwright, `publish`);
    publish.bundle.verificationMaterial.publicKey.hint = `SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA`;

    const code = await rejectionCode(() => verifyJson(playwright.pkg, {attestations: [publish]}, playwright.tarballSha512));
    expect(code).toBe(`SIGNATURE_INVALID`);
  });

  it(`rejects a publish attestation signed by a key the registry does not list`, async () => {
    const publish = entryOf(sigstore231, `publish`);
    publish.bundle.verificationMaterial.publicKey.hint = `SHA256:not-a-registry-key`;

    const code = await rejectionCode(() => verifyJson(sigstore231.pkg, {attestations: [publish]}, sigstore231.tarballSha512));
    expect(code).toBe(`SIGNATURE_INVALID`);
  });
});

describe(`attestation kinds`, () => {
  it(`rejects provenance listed under another provenance predicate type`, async () => {
    const provenance = entryOf(sigstore130, `provenance`);
    provenance.predicateType = `https://slsa.dev/provenance/v1`;

    const code = await rejectionCode(() => verifyJson(sigstore130.pkg, {attestations: [provenance]}, sigstore130.tarballSha512));
    expect(code).toBe(`PREDICATE_TYPE_MISMATCH`);
  });

  it(`rejects a provenance bundle presented as the publish attestation`, async () => {
    const provenance = entryOf(sigstore231, `provenance`);
    provenance.predicateType = PUBLISH_PREDICATE_TYPE;

    const code = await rejectionCode(() => verifyJson(sigstore231.pkg, {attestations: [provenance]}, sigstore231.tarballSha512));
    expect(code).toBe(`SIGNATURE_INVALID`);
  });

  it(`rejects a publish bundle presented as provenance`, async () => {
    const publish = entryOf(sigstore231, `publish`);
    publish.predicateType = `https://slsa.dev/provenance/v1`;

    const code = await rejectionCode(() => verifyJson(sigstore231.pkg, {attestations: [publish]}, sigstore231.tarballSha512));
    expect(code).toBe(`SIGNATURE_INVALID`);
  });

  it(`rejects a bundle that is not a Sigstore bundle`, async () => {
    const provenance = entryOf(sigstore231, `provenance`);
    delete provenance.bundle.verificationMaterial;

    const code = await rejectionCode(() => verifyJson(sigstore231.pkg, {attestations: [provenance]}, sigstore231.tarballSha512));
    expect(code).toBe(`BUNDLE_MALFORMED`);
  });

  it(`rejects a bundle with an unknown media type`, async () => {
    const provenance = entryOf(sigstore231, `provenance`);
    provenance.bundle.mediaType = `application/vnd.dev.sigstore.bundle+json;version=9.9`;

    const code = await rejectionCode(() => verifyJson(sigstore231.pkg, {attestations: [provenance]}, sigstore231.tarballSha512));
    expect(code).toBe(`BUNDLE_MALFORMED`);
  });

  it(`accepts attestations of unknown predicate types but reports them and trusts nothing in them`, async () => {
    const attestations = cloneJson(sigstore231.attestationsJson);
    attestations.attestations.push({predicateType: `https://example.com/custom/v1`, bundle: {anything: true}});

    const result = await verifyJson(sigstore231.pkg, attestations, sigstore231.tarballSha512);
    expect(result.unknownPredicateTypes).toEqual([`https://example.com/custom/v1`]);
    expect(result.provenance?.identity.sourceRepo).toBe(`https://github.com/sigstore/sigstore-js`);
  });
});
