import {describe, expect, it} from 'vitest';

import {parseAttestations} from '../../../sources/core/attestations/parseAttestations';
import {builderIdMatches} from '../../../sources/core/policy/builderMatch';
import {evaluatePolicy} from '../../../sources/core/policy/evaluatePolicy';
import {parsePolicy} from '../../../sources/core/policy/parsePolicy';
import {flagPolicy} from '../../../sources/core/policy/withRequirements';
import type {VerifiedProvenance} from '../../../sources/core/provenance.types';
import {loadFixture} from '../../helpers/fixtures';
import {publicGoodVerifier} from '../../helpers/verifier';

// `builder:` on real npm provenance of every generation, judged the way slsa-verifier's
// `verify-npm-package --builder-id` judges it: from the certificate's signer and runner.
const NOW = new Date(`2026-11-21T12:00:00Z`);
const HOSTED = `https://github.com/actions/runner/github-hosted`;
const SELF_HOSTED = `https://github.com/actions/runner/self-hosted`;
const GENERATOR = `https://github.com/slsa-framework/slsa-github-generator/.github/workflows`;

async function evidence(id: string): Promise<VerifiedProvenance> {
  const fixture = loadFixture(id);
  const verifier = await publicGoodVerifier();
  return verifier.verify({package: fixture.pkg, attestations: parseAttestations(fixture.attestationsText), tarballSha512: fixture.tarballSha512});
}

function builderRule(...builders: Array<string>): string {
  return `version: 1\nrules:\n  - packages: ["*"]\n    builder: ${JSON.stringify(builders)}\n`;
}

async function verdictFor(id: string, yaml: string, tamper?: (provenance: VerifiedProvenance) => void) {
  const provenance = structuredClone(await evidence(id));
  tamper?.(provenance);
  return evaluatePolicy(parsePolicy(yaml, `test.yml`), provenance.package, {ok: true, provenance}, NOW);
}

// gha/v2 (builder `https://github.com/actions/runner`) and SLSA v1 (`…/github-hosted`), certificates
// that record a github-hosted runner.
const RECORDED_HOSTED = [
  `sigstore@1.3.0`,
  `@laurentsimon__provenance-npm-test@1.0.3`,
  `@trishankatdatadog__supreme-goggles@1.0.5`,
  `sigstore@2.0.0`,
  `sigstore@2.1.0`,
  `sigstore@2.3.1`,
  `gundam-visor@1.0.1`,
  `@playwright__cli@0.1.1`,
];
// npm's first format (builder `https://github.com/npm/cli@<version>`), certificates without a runner.
const LEGACY = [`sigstore@0.4.0`, `sigstore@1.0.0`, `tuf-js@1.0.0`];

describe(`runner builder ids on real provenance`, () => {
  it.each(RECORDED_HOSTED)(`%s: github-hosted, npm's bare id and the runner glob match; self-hosted does not`, async id => {
    for (const builder of [HOSTED, `https://github.com/actions/runner`, `https://github.com/actions/runner/*`])
      expect(await verdictFor(id, builderRule(builder))).toMatchObject({status: `verified`, allowed: true});
    expect(await verdictFor(id, builderRule(SELF_HOSTED))).toMatchObject({status: `violation`, code: `BUILDER_MISMATCH`});
  });

  it.each(LEGACY)(`%s: a certificate that records no runner proves no runner builder`, async id => {
    for (const builder of [HOSTED, SELF_HOSTED, `https://github.com/actions/runner`, `https://github.com/actions/runner/*`]) {
      const verdict = await verdictFor(id, builderRule(builder));
      expect(verdict).toMatchObject({status: `violation`, code: `BUILDER_MISMATCH`, allowed: false});
      expect(verdict.found).toBeDefined();
    }
  });

  it.each(LEGACY)(`%s: the npm version in the predicate is never a builder on its own`, async id => {
    const {provenance} = await evidence(id);
    const claimed = provenance!.claims.builderId;
    expect(claimed).toMatch(/^https:\/\/github\.com\/npm\/cli@/);
    for (const builder of [claimed, `https://github.com/npm/cli`])
      expect(await verdictFor(id, builderRule(builder))).toMatchObject({status: `violation`, code: `BUILDER_MISMATCH`});
  });

  it(`--builder-id github-hosted verifies npm's gha/v2 provenance, as slsa-verifier does`, async () => {
    const provenance = await evidence(`sigstore@1.3.0`);
    const policy = flagPolicy(`sigstore`, {builder: HOSTED})!;
    expect(evaluatePolicy(policy, provenance.package, {ok: true, provenance}, NOW)).toMatchObject({status: `verified`, allowed: true});
    const selfHosted = flagPolicy(`sigstore`, {builder: SELF_HOSTED})!;
    expect(evaluatePolicy(selfHosted, provenance.package, {ok: true, provenance}, NOW)).toMatchObject({status: `violation`, code: `BUILDER_MISMATCH`});
  });
});

describe(`the predicate's builder id is only a cross-check`, () => {
  it(`does not satisfy a rule that names it when the certificate does not confirm it`, async () => {
    const custom = `https://github.com/acme/custom-builder`;
    const verdict = await verdictFor(`sigstore@2.3.1`, builderRule(custom), provenance => {
      provenance.provenance!.claims.builderId = custom;
    });
    expect(verdict).toMatchObject({status: `violation`, code: `BUILDER_MISMATCH`});
  });

  it(`cannot make a runner hosted that the certificate records as self-hosted`, async () => {
    const verdict = await verdictFor(`sigstore@2.3.1`, builderRule(HOSTED), provenance => {
      provenance.provenance!.identity.runnerEnvironment = `self-hosted`;
    });
    expect(verdict).toMatchObject({status: `violation`, code: `BUILDER_MISMATCH`});
  });

  it(`does not name a reusable workflow the certificate does not show signing`, async () => {
    const claimed = `${GENERATOR}/generator_generic_slsa3.yml@refs/tags/v1.9.0`;
    const verdict = await verdictFor(`sigstore@2.3.1`, builderRule(`${GENERATOR}/*`), provenance => {
      provenance.provenance!.claims.builderId = claimed;
    });
    expect(verdict).toMatchObject({status: `violation`, code: `BUILDER_MISMATCH`});
  });
});

describe(`a reusable-workflow builder on real provenance (slsa-github-generator's Node.js builder)`, () => {
  const ID = `@laurentsimon__provenance-npm-test@1.0.5`;

  it.each([
    `${GENERATOR}/builder_nodejs_slsa3.yml`,
    `${GENERATOR}/builder_nodejs_slsa3.yml@refs/tags/v1.6.0`,
    `${GENERATOR}/delegator_lowperms-generic_slsa3.yml`,
    `${GENERATOR}/*`,
  ])(`matches %s`, async builder => {
    expect(await verdictFor(ID, builderRule(builder))).toMatchObject({status: `verified`, allowed: true});
  });

  it.each([
    `${GENERATOR}/builder_nodejs_slsa3.yml@refs/tags/v1.5.0`,
    `${GENERATOR}/builder_nodejs_slsa3.yml@v1.6.0`,
    `${GENERATOR}/builder_go_slsa3.yml`,
    HOSTED,
  ])(`does not match %s`, async builder => {
    expect(await verdictFor(ID, builderRule(builder))).toMatchObject({status: `violation`, code: `BUILDER_MISMATCH`});
  });

  it(`takes the delegated builder only from a delegator at a release tag`, async () => {
    const verdict = await verdictFor(ID, builderRule(`${GENERATOR}/builder_nodejs_slsa3.yml`), provenance => {
      const {identity, claims} = provenance.provenance!;
      identity.buildSignerUri = identity.buildSignerUri!.replace(`@refs/tags/v1.6.0`, `@refs/heads/main`);
      claims.builderId = claims.builderId.replace(`@refs/tags/v1.6.0`, `@refs/heads/main`);
    });
    expect(verdict).toMatchObject({status: `violation`, code: `BUILDER_MISMATCH`});
  });
});

describe(`builderIdMatches`, () => {
  const GENERIC = `${GENERATOR}/generator_generic_slsa3.yml`;

  it.each([
    [GENERIC, `${GENERIC}@refs/tags/v1.9.0`, true],
    [GENERIC, GENERIC, true],
    [`${GENERIC}@refs/tags/v1.9.0`, `${GENERIC}@refs/tags/v1.9.0`, true],
    [`${GENERIC}@refs/tags/v1.*`, `${GENERIC}@refs/tags/v1.9.0`, true],
    [`${GENERIC}@refs/tags/v1.9.0`, `${GENERIC}@refs/tags/v1.9.1`, false],
    [`${GENERIC}@refs/tags/v1.9.0`, GENERIC, false],
    [`${GENERATOR}/generator_generic_slsa3.yml.evil`, `${GENERIC}@refs/tags/v1.9.0`, false],
    [`${GENERATOR}/*`, `${GENERIC}@refs/tags/v1.9.0`, true],
    [`${GENERATOR}/*@refs/heads/*`, `${GENERIC}@refs/tags/v1.9.0`, false],
    [`https://github.com/actions/runner/*`, HOSTED, true],
    [`https://github.com/actions/runner`, HOSTED, false],
  ])(`%s against %s: %s`, (pattern, id, expected) => {
    expect(builderIdMatches(pattern, id)).toBe(expected);
  });
});
