import {describe, expect, it} from 'vitest';

import {parseAttestations} from '../../../sources/core/attestations/parseAttestations';
import {toPurl} from '../../../sources/core/verify/statement';
import {fixtureIds, loadFixture} from '../../helpers/fixtures';
import {publicGoodVerifier} from '../../helpers/verifier';

// Every real npm attestation we hold must verify and reproduce the facts recorded beside it.
describe.each(fixtureIds())(`real fixture %s`, id => {
  const fixture = loadFixture(id);
  const {expected} = fixture;

  it(`verifies every bundle and binds them to the tarball`, async () => {
    const verifier = await publicGoodVerifier();
    const result = verifier.verify({package: fixture.pkg, attestations: parseAttestations(fixture.attestationsText), tarballSha512: fixture.tarballSha512});

    expect(fixture.tarballSha512).toBe(expected.subjectDigestSha512Hex);
    expect(toPurl(fixture.pkg)).toBe(expected.purl);
    expect(result.provenance !== undefined).toBe(expected.attestationsPresent.provenance);
    expect(result.publish !== undefined).toBe(expected.attestationsPresent.publish);

    const publishBundle = expected.bundles.find(bundle => bundle.keyHint !== null);
    if (publishBundle !== undefined) {
      expect(result.publish?.keyId).toBe(publishBundle.keyHint);
      expect(result.publish?.integratedTime?.toISOString()).toBe(publishBundle.tlog.integratedTime);
    }
  });

});

// sigstore@1.8.0 carries only a publish attestation, so it has no provenance facts to reproduce.
const withProvenance = fixtureIds().filter(id => loadFixture(id).expected.attestationsPresent.provenance);

describe.each(withProvenance)(`real provenance %s`, id => {
  const fixture = loadFixture(id);
  const {expected} = fixture;

  it(`reproduces the provenance facts from the certificate and the predicate`, async () => {
    const verifier = await publicGoodVerifier();
    const {provenance, slsaLevel} = verifier.verify({package: fixture.pkg, attestations: parseAttestations(fixture.attestationsText), tarballSha512: fixture.tarballSha512});
    const {claims, identity} = provenance!;

    expect(claims.predicateType).toBe(expected.provenancePredicateType);
    expect(claims.buildType).toBe(expected.buildType);
    expect(claims.builderId).toBe(expected.builderId);
    expect(claims.sourceRepo).toBe(expected.sourceRepo);
    expect(claims.ref).toBe(expected.ref);
    expect(claims.commit).toBe(expected.commit);
    expect(claims.workflowPath).toBe(expected.workflowPath);

    // The certificate says the same, and is what the policy reads.
    expect(identity.sourceRepo).toBe(expected.sourceRepo);
    expect(identity.ref).toBe(expected.ref);
    expect(identity.commit).toBe(expected.commit);
    expect(identity.workflowPath).toBe(expected.workflowPath);
    expect(identity.issuer).toBe(expected.issuer);
    expect(identity.subjectAlternativeName).toBe(expected.certificateSubjectAlternativeName);
    expect(identity.extensions).toEqual(expected.certificateExtensions);
    expect(identity.runnerEnvironment ?? claims.runnerEnvironment ?? null).toBe(expected.runnerEnvironment ?? null);
    expect(expected.certMatchesPredicate).toBe(true);

    expect(slsaLevel).toBe(expectedLevel(id, identity.runnerEnvironment));
  });
});

function expectedLevel(id: string, runner: string | undefined): number {
  if (id.startsWith(`@laurentsimon__provenance-npm-test@1.0.5`))
    return 3;
  return runner === `github-hosted` ? 2 : 1;
}
