import {describe, expect, it} from 'vitest';

import {parseAttestations} from '../../../sources/core/attestations/parseAttestations';
import type {CertificateIdentity, ProvenanceClaims} from '../../../sources/core/provenance.types';
import {toSlsaLevel} from '../../../sources/core/verify/slsaLevel';
import {loadFixture} from '../../helpers/fixtures';
import {publicGoodVerifier} from '../../helpers/verifier';

// SLSA Build L3 on real provenance built by slsa-github-generator's Node.js builder (signed by its
// low-permission delegator at refs/tags/v1.6.0), and what happens when the certificate says otherwise.
const BYOB = `@laurentsimon__provenance-npm-test@1.0.5`;
const DELEGATOR = `https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_lowperms-generic_slsa3.yml`;

async function realPair(id: string): Promise<{claims: ProvenanceClaims, identity: CertificateIdentity}> {
  const fixture = loadFixture(id);
  const verifier = await publicGoodVerifier();
  const {provenance} = verifier.verify({package: fixture.pkg, attestations: parseAttestations(fixture.attestationsText), tarballSha512: fixture.tarballSha512});
  return structuredClone(provenance!);
}

describe(`toSlsaLevel`, () => {
  it(`grants L3 to the delegator at a release tag, on a hosted runner`, async () => {
    const pair = await realPair(BYOB);
    expect(pair.identity.buildSignerUri).toBe(`${DELEGATOR}@refs/tags/v1.6.0`);
    expect(toSlsaLevel(pair)).toBe(3);
  });

  it.each([
    [`at a branch`, `${DELEGATOR}@refs/heads/main`],
    [`at a tag that is not a release`, `${DELEGATOR}@refs/tags/v1.6.0-rc.1`],
    [`from a fork of the generator`, `https://github.com/attacker/slsa-github-generator/.github/workflows/delegator_lowperms-generic_slsa3.yml@refs/tags/v1.6.0`],
    [`as a workflow of any other repository`, `https://github.com/acme/builders/.github/workflows/release.yml@refs/tags/v1.6.0`],
  ])(`grants at most L2 to a reusable workflow %s`, async (_, signer) => {
    const pair = await realPair(BYOB);
    pair.identity.buildSignerUri = signer;
    expect(toSlsaLevel(pair)).toBe(2);
  });

  it(`ignores a predicate that names an isolated builder the certificate does not show signing`, async () => {
    const pair = await realPair(`sigstore@2.3.1`);
    pair.claims.builderId = `https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_nodejs_slsa3.yml@refs/tags/v1.6.0`;
    expect(toSlsaLevel(pair)).toBe(2);
  });

  it(`never grants L3 under another issuer or on a self-hosted runner`, async () => {
    const otherIssuer = await realPair(BYOB);
    otherIssuer.identity.issuer = `https://gitlab.com`;
    expect(toSlsaLevel(otherIssuer)).toBe(2);

    const selfHosted = await realPair(BYOB);
    selfHosted.identity.runnerEnvironment = `self-hosted`;
    expect(toSlsaLevel(selfHosted)).toBe(1);
  });

  it(`reads legacy certificates, which record no runner, as L1`, async () => {
    expect(toSlsaLevel(await realPair(`sigstore@0.4.0`))).toBe(1);
  });
});
