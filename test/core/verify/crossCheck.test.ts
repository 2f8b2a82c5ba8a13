import {describe, expect, it} from 'vitest';

import {parseAttestations} from '../../../sources/core/attestations/parseAttestations';
import type {CertificateIdentity, ProvenanceClaims} from '../../../sources/core/provenance.types';
import {checkClaimsAgreeWithCertificate} from '../../../sources/core/verify/crossCheck';
import {loadFixture} from '../../helpers/fixtures';
import {publicGoodVerifier, rejectionCode} from '../../helpers/verifier';

// Real claims and identities, one field at a time made to disagree: what a signer who controls the
// predicate (but not the certificate) could write.
async function realPair(id: string): Promise<{claims: ProvenanceClaims, identity: CertificateIdentity}> {
  const fixture = loadFixture(id);
  const verifier = await publicGoodVerifier();
  const {provenance} = verifier.verify({package: fixture.pkg, attestations: parseAttestations(fixture.attestationsText), tarballSha512: fixture.tarballSha512});
  return structuredClone(provenance!);
}

describe(`checkClaimsAgreeWithCertificate`, () => {
  it.each([
    [`source repository`, (c: ProvenanceClaims) => { c.sourceRepo = `https://github.com/sigstore/sigstore-js-evil`; }],
    [`commit`, (c: ProvenanceClaims) => { c.commit = `0000000000000000000000000000000000000000`; }],
    [`ref`, (c: ProvenanceClaims) => { c.ref = `refs/heads/attacker`; }],
    [`workflow`, (c: ProvenanceClaims) => { c.workflowPath = `.github/workflows/other.yml`; }],
    [`runner environment`, (c: ProvenanceClaims) => { c.runnerEnvironment = `self-hosted`; }],
    [`reusable-workflow builder that did not sign`, (c: ProvenanceClaims) => { c.builderId = `https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_nodejs_slsa3.yml@refs/tags/v2.0.0`; }],
  ])(`rejects a predicate whose %s disagrees with the certificate`, async (_, tamper) => {
    const {claims, identity} = await realPair(`sigstore@2.3.1`);
    tamper(claims);
    expect(await rejectionCode(() => checkClaimsAgreeWithCertificate(claims, identity))).toBe(`CERT_PREDICATE_MISMATCH`);
  });

  it(`rejects a certificate that names no repository`, async () => {
    const {claims, identity} = await realPair(`sigstore@2.3.1`);
    identity.sourceRepo = undefined;
    expect(await rejectionCode(() => checkClaimsAgreeWithCertificate(claims, identity))).toBe(`CERT_PREDICATE_MISMATCH`);
  });

  it(`accepts the slsa-github-generator builder, which signs from its own repository at its tag`, async () => {
    const {claims, identity} = await realPair(`@laurentsimon__provenance-npm-test@1.0.5`);
    expect(() => checkClaimsAgreeWithCertificate(claims, identity)).not.toThrow();
  });

  it(`rejects that builder when the signer is at another ref than the builder claims`, async () => {
    const {claims, identity} = await realPair(`@laurentsimon__provenance-npm-test@1.0.5`);
    identity.buildSignerUri = identity.buildSignerUri!.replace(`@refs/tags/v1.6.0`, `@refs/heads/main`);
    expect(await rejectionCode(() => checkClaimsAgreeWithCertificate(claims, identity))).toBe(`CERT_PREDICATE_MISMATCH`);
  });

  it(`compares repositories case-insensitively, as GitHub does`, async () => {
    const {claims, identity} = await realPair(`sigstore@2.3.1`);
    claims.sourceRepo = `https://github.com/Sigstore/Sigstore-JS`;
    expect(() => checkClaimsAgreeWithCertificate(claims, identity)).not.toThrow();
  });
});
