import {describe, expect, it} from 'vitest';

import {evaluatePolicy} from '../../../sources/core/policy/evaluatePolicy';
import {parsePolicy} from '../../../sources/core/policy/parsePolicy';
import type {VerifiedProvenance} from '../../../sources/core/provenance.types';
import type {BuildIdentity} from '../../authority';
import {NOW, privateDeployment, tarball} from './privateDeployment';

// Builder constraints and SLSA levels on shapes no public fixture has: self-hosted runners, reusable
// workflows at a tag or a branch, builders nobody vouches for. Minted by the test authority, read back by
// the production verifier.
const HOSTED = `https://github.com/actions/runner/github-hosted`;
const SELF_HOSTED = `https://github.com/actions/runner/self-hosted`;
const BARE_RUNNER = `https://github.com/actions/runner`;
const GENERATOR = `https://github.com/slsa-framework/slsa-github-generator/.github/workflows`;
const GENERIC = `${GENERATOR}/generator_generic_slsa3.yml`;
const WIDGET = `https://github.com/acme/widget`;

let counter = 0;
async function mintVerified(identity: BuildIdentity): Promise<VerifiedProvenance> {
  const {authority, verify} = await privateDeployment();
  const pkg = {name: `widget-${++counter}`, version: `1.0.0`};
  const {sha512} = tarball();
  return verify(pkg, await authority.mint({pkg, tarballSha512: sha512, identity}), sha512);
}

function statusFor(provenance: VerifiedProvenance, builder: string) {
  const policy = parsePolicy(`version: 1\nrules:\n  - packages: ["*"]\n    builder: ${JSON.stringify(builder)}\n`, `test.yml`);
  const verdict = evaluatePolicy(policy, provenance.package, {ok: true, provenance}, NOW);
  return verdict.code ?? verdict.status;
}

/** A reusable workflow signs for the package and names itself as the builder, as the SLSA generators do. */
function signedBy(signerWorkflow: string, extra: Partial<BuildIdentity> = {}): BuildIdentity {
  return {platform: `github`, repository: WIDGET, signerWorkflow, builderId: signerWorkflow, ...extra};
}

describe(`self-hosted runners`, () => {
  it(`SLSA v1: only the self-hosted builder id matches`, async () => {
    const provenance = await mintVerified({platform: `github`, repository: WIDGET, runnerEnvironment: `self-hosted`});
    expect(provenance.provenance?.claims.builderId).toBe(SELF_HOSTED);
    expect(statusFor(provenance, SELF_HOSTED)).toBe(`verified`);
    expect(statusFor(provenance, HOSTED)).toBe(`BUILDER_MISMATCH`);
    expect(statusFor(provenance, BARE_RUNNER)).toBe(`BUILDER_MISMATCH`);
    expect(provenance.slsaLevel).toBe(1);
  });

  it(`gha/v2, whose predicate names no runner: the certificate's runner decides`, async () => {
    const provenance = await mintVerified({platform: `github`, repository: WIDGET, runnerEnvironment: `self-hosted`, predicateFormat: `npm-gha-v2`});
    expect(provenance.provenance?.claims).toMatchObject({buildType: `https://github.com/npm/cli/gha/v2`, builderId: BARE_RUNNER});
    expect(statusFor(provenance, SELF_HOSTED)).toBe(`verified`);
    expect(statusFor(provenance, `https://github.com/actions/runner/*`)).toBe(`verified`);
    // The predicate's own id reads as github-hosted, which the certificate denies.
    expect(statusFor(provenance, BARE_RUNNER)).toBe(`BUILDER_MISMATCH`);
    expect(statusFor(provenance, HOSTED)).toBe(`BUILDER_MISMATCH`);
  });

  it(`gha/v2 on a github-hosted runner matches the github-hosted id`, async () => {
    const provenance = await mintVerified({platform: `github`, repository: WIDGET, predicateFormat: `npm-gha-v2`});
    expect(statusFor(provenance, HOSTED)).toBe(`verified`);
    expect(statusFor(provenance, SELF_HOSTED)).toBe(`BUILDER_MISMATCH`);
    expect(provenance.slsaLevel).toBe(2);
  });
});

describe(`slsa-github-generator at a release tag`, () => {
  it(`matches without a ref, or with its exact ref, and is SLSA Build L3`, async () => {
    const provenance = await mintVerified(signedBy(`${GENERIC}@refs/tags/v1.9.0`));
    expect(provenance.provenance?.identity.buildSignerUri).toBe(`${GENERIC}@refs/tags/v1.9.0`);
    expect(statusFor(provenance, GENERIC)).toBe(`verified`);
    expect(statusFor(provenance, `${GENERIC}@refs/tags/v1.9.0`)).toBe(`verified`);
    expect(statusFor(provenance, `${GENERIC}@refs/tags/v1.8.0`)).toBe(`BUILDER_MISMATCH`);
    expect(statusFor(provenance, HOSTED)).toBe(`BUILDER_MISMATCH`);
    expect(provenance.slsaLevel).toBe(3);
  });

  it(`is L2 when signed at a branch: whatever was pushed there ran`, async () => {
    const provenance = await mintVerified(signedBy(`${GENERIC}@refs/heads/main`));
    expect(statusFor(provenance, GENERIC)).toBe(`verified`);
    expect(provenance.slsaLevel).toBe(2);
  });

  it(`is L2 for a workflow of that repository that is not on the list`, async () => {
    const provenance = await mintVerified(signedBy(`${GENERATOR}/pre-submit.units.yml@refs/tags/v1.9.0`));
    expect(provenance.slsaLevel).toBe(2);
  });

  it(`is L1 on a self-hosted runner`, async () => {
    const provenance = await mintVerified(signedBy(`${GENERIC}@refs/tags/v1.9.0`, {runnerEnvironment: `self-hosted`}));
    expect(provenance.slsaLevel).toBe(1);
  });
});

describe(`any other reusable workflow`, () => {
  const BUILDERS = `https://github.com/acme/builders/.github/workflows`;

  it(`is matched by the workflow that signed, and is at most SLSA Build L2`, async () => {
    const provenance = await mintVerified(signedBy(`${BUILDERS}/build.yml@refs/tags/v1.0.0`));
    expect(statusFor(provenance, `${BUILDERS}/build.yml`)).toBe(`verified`);
    expect(statusFor(provenance, GENERIC)).toBe(`BUILDER_MISMATCH`);
    expect(provenance.slsaLevel).toBe(2);
  });

  it(`cannot name another builder in the predicate, as only a listed delegator may`, async () => {
    const provenance = await mintVerified(signedBy(`${BUILDERS}/delegator.yml@refs/tags/v1.0.0`, {builderId: `${BUILDERS}/builder_x.yml@refs/tags/v1.0.0`}));
    expect(statusFor(provenance, `${BUILDERS}/builder_x.yml`)).toBe(`BUILDER_MISMATCH`);
    // Signer and predicate disagree, so neither is a builder the evidence confirms.
    expect(statusFor(provenance, `${BUILDERS}/delegator.yml`)).toBe(`BUILDER_MISMATCH`);
  });

  it(`is no builder when the predicate names something else`, async () => {
    const provenance = await mintVerified(signedBy(`${BUILDERS}/build.yml@refs/tags/v1.0.0`, {builderId: `https://builders.example/trusted`}));
    expect(statusFor(provenance, `${BUILDERS}/build.yml`)).toBe(`BUILDER_MISMATCH`);
    expect(statusFor(provenance, `https://builders.example/trusted`)).toBe(`BUILDER_MISMATCH`);
  });

  it(`running npm publish: its runner and the shared workflow both match`, async () => {
    const shared = `https://github.com/acme/.github/.github/workflows/npm-release.yml@refs/heads/main`;
    const provenance = await mintVerified({platform: `github`, repository: WIDGET, signerWorkflow: shared});
    expect(provenance.provenance?.claims.builderId).toBe(HOSTED);
    expect(statusFor(provenance, HOSTED)).toBe(`verified`);
    expect(statusFor(provenance, `https://github.com/acme/.github/.github/workflows/npm-release.yml`)).toBe(`verified`);
    expect(provenance.slsaLevel).toBe(2);
  });
});

describe(`GitLab, which certifies no runner id`, () => {
  it(`accepts the predicate's runner only inside the certificate's project`, async () => {
    const own = await mintVerified({platform: `gitlab`, repository: `https://gitlab.com/acme/widget`});
    expect(statusFor(own, `https://gitlab.com/acme/widget/-/runners/*`)).toBe(`verified`);

    const elsewhere = await mintVerified({platform: `gitlab`, repository: `https://gitlab.com/acme/widget`, builderId: `https://gitlab.com/trusted/builder/-/runners/1`});
    expect(statusFor(elsewhere, `https://gitlab.com/trusted/builder/-/runners/*`)).toBe(`BUILDER_MISMATCH`);
  });
});
