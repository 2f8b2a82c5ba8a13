import {describe, expect, it} from 'vitest';

import {parseAttestations} from '../../../sources/core/attestations/parseAttestations';
import {ProvenanceError} from '../../../sources/core/errors';
import {evaluatePolicy} from '../../../sources/core/policy/evaluatePolicy';
import type {Evidence} from '../../../sources/core/policy/evaluatePolicy';
import {parsePolicy} from '../../../sources/core/policy/parsePolicy';
import type {VerifiedProvenance} from '../../../sources/core/provenance.types';
import {loadFixture} from '../../helpers/fixtures';
import {publicGoodVerifier, verifyJson} from '../../helpers/verifier';

const NOW = new Date(`2026-11-21T12:00:00Z`);

async function verified(id: string): Promise<Evidence & {ok: true}> {
  const fixture = loadFixture(id);
  const verifier = await publicGoodVerifier();
  const provenance: VerifiedProvenance = verifier.verify({package: fixture.pkg, attestations: parseAttestations(fixture.attestationsText), tarballSha512: fixture.tarballSha512});
  return {ok: true, provenance};
}

function policy(yaml: string) {
  return parsePolicy(yaml, `test.yml`);
}

const SIGSTORE = {name: `sigstore`, version: `2.3.1`};

describe(`evaluatePolicy on real provenance`, () => {
  it(`verifies a package whose certificate satisfies every constraint of its rule`, async () => {
    const verdict = evaluatePolicy(policy(`
version: 1
rules:
  - packages: [sigstore]
    source: github.com/sigstore/sigstore-js
    ref: refs/heads/*
    workflow: .github/workflows/release.yml
    builder: https://github.com/actions/runner/*
    runner: github-hosted
    issuer: https://token.actions.githubusercontent.com
`), SIGSTORE, await verified(`sigstore@2.3.1`), NOW);
    expect(verdict).toMatchObject({status: `verified`, allowed: true});
    expect(verdict.code).toBeUndefined();
  });

  it.each([
    [`SOURCE_REPO_MISMATCH`, `source: github.com/sigstore/sigstore-j`],
    [`SOURCE_REPO_MISMATCH`, `source: github.com/sigstore/sigstore-js-evil`],
    [`REF_MISMATCH`, `ref: refs/tags/*`],
    [`WORKFLOW_MISMATCH`, `workflow: .github/workflows/publish.yml`],
    [`BUILDER_MISMATCH`, `builder: https://github.com/slsa-framework/*`],
    [`RUNNER_MISMATCH`, `runner: self-hosted`],
    [`ISSUER_MISMATCH`, `issuer: https://gitlab.com`],
  ])(`reports %s for %s`, async (code, constraint) => {
    const verdict = evaluatePolicy(policy(`version: 1\nrules:\n  - packages: [sigstore]\n    ${constraint}\n`), SIGSTORE, await verified(`sigstore@2.3.1`), NOW);
    expect(verdict).toMatchObject({status: `violation`, code, allowed: false});
    expect(verdict.expected).toBeDefined();
    expect(verdict.found).toBeDefined();
  });

  it(`lets a violation through in warn mode, still reporting it`, async () => {
    const verdict = evaluatePolicy(policy(`version: 1\nrules:\n  - packages: [sigstore]\n    source: github.com/a/b\n    mode: warn\n`), SIGSTORE, await verified(`sigstore@2.3.1`), NOW);
    expect(verdict).toMatchObject({status: `violation`, code: `SOURCE_REPO_MISMATCH`, allowed: true, mode: `warn`});
  });

  it(`cannot confirm a github-hosted runner from a certificate that predates that extension`, async () => {
    const verdict = evaluatePolicy(policy(`version: 1\nrules:\n  - packages: [sigstore]\n    runner: github-hosted\n`), {name: `sigstore`, version: `0.4.0`}, await verified(`sigstore@0.4.0`), NOW);
    expect(verdict).toMatchObject({status: `violation`, code: `RUNNER_MISMATCH`});
  });

  it(`requires provenance where the rule says so`, async () => {
    const verdict = evaluatePolicy(policy(`version: 1\ndefault:\n  require: provenance\n`), {name: `sigstore`, version: `1.8.0`}, await verified(`sigstore@1.8.0`), NOW);
    expect(verdict).toMatchObject({status: `missing`, code: `PROVENANCE_MISSING`, allowed: false});
  });

  it(`allows a package without provenance where none is required`, async () => {
    const verdict = evaluatePolicy(policy(`version: 1\n`), {name: `sigstore`, version: `1.8.0`}, await verified(`sigstore@1.8.0`), NOW);
    expect(verdict).toMatchObject({status: `missing`, allowed: true});
    expect(verdict.code).toBeUndefined();
  });

  it(`says when an exception has expired, and applies what follows it`, async () => {
    const verdict = evaluatePolicy(policy(`
version: 1
default:
  require: provenance
rules:
  - packages: [sigstore]
    require: none
    reason: reviewed
    expires: 2026-01-01
`), {name: `sigstore`, version: `1.8.0`}, await verified(`sigstore@1.8.0`), NOW);
    expect(verdict).toMatchObject({status: `missing`, code: `PROVENANCE_MISSING`, rule: `default`});
    expect(verdict.notes).toHaveLength(1);
  });

  it(`keeps a verification failure apart from a violation`, () => {
    const error = new ProvenanceError({code: `SUBJECT_DIGEST_MISMATCH`, message: `x`});
    expect(evaluatePolicy(policy(`version: 1\n`), SIGSTORE, {ok: false, error}, NOW)).toMatchObject({status: `invalid`, code: `SUBJECT_DIGEST_MISMATCH`, allowed: false});
  });

  it(`never reports a network failure as a violation`, () => {
    const error = new ProvenanceError({code: `NETWORK_UNVERIFIABLE`, message: `timeout`});
    const enforce = evaluatePolicy(policy(`version: 1\n`), SIGSTORE, {ok: false, error}, NOW);
    expect(enforce).toMatchObject({status: `unverifiable`, code: `NETWORK_UNVERIFIABLE`, allowed: false});
    const warn = evaluatePolicy(policy(`version: 1\ndefault:\n  mode: warn\n`), SIGSTORE, {ok: false, error}, NOW);
    expect(warn).toMatchObject({status: `unverifiable`, allowed: true});
  });
});

describe(`level: the lowest SLSA Build level`, () => {
  const NOW_L = new Date(`2026-11-21T12:00:00Z`);
  async function levelVerdict(policyText: string, id = `sigstore@2.3.1`) {
    const fixture = loadFixture(id);
    const provenance = await verifyJson(fixture.pkg, fixture.attestationsJson, fixture.tarballSha512);
    return evaluatePolicy(parsePolicy(policyText, `test.yml`), fixture.pkg, {ok: true, provenance}, NOW_L);
  }

  it(`allows evidence at or above the level, and blocks below it with LEVEL_TOO_LOW`, async () => {
    // sigstore@2.3.1: provenance from a GitHub-hosted runner, by its own workflow: L2.
    expect(await levelVerdict(`version: 1\nrules:\n  - packages: sigstore\n    level: 2\n`)).toMatchObject({status: `verified`, allowed: true});
    expect(await levelVerdict(`version: 1\nrules:\n  - packages: sigstore\n    level: 3\n`)).toMatchObject({status: `violation`, code: `LEVEL_TOO_LOW`, allowed: false, expected: `SLSA Build L3 or higher`, found: `L2`});
  });

  it(`is inherited from default by rules that set none, and implies require: provenance`, async () => {
    const inherited = parsePolicy(`version: 1\ndefault:\n  level: 3\nrules:\n  - packages: sigstore\n    source: github.com/sigstore/sigstore-js\n`, `test.yml`);
    expect(inherited.default).toMatchObject({require: `provenance`, level: 3});
    expect(inherited.rules[0]).toMatchObject({level: 3, require: `provenance`});
    expect(await levelVerdict(`version: 1\ndefault:\n  level: 3\nrules:\n  - packages: sigstore\n    source: github.com/sigstore/sigstore-js\n`)).toMatchObject({code: `LEVEL_TOO_LOW`});
  });

  it(`is not judged where provenance is not required, and must be 0 to 3`, async () => {
    expect(await levelVerdict(`version: 1\nrules:\n  - packages: sigstore\n    level: 3\n    require: none\n`)).toMatchObject({status: `verified`, allowed: true});
    expect(() => parsePolicy(`version: 1\ndefault:\n  level: 4\n`, `test.yml`)).toThrow(expect.objectContaining({code: `POLICY_INVALID`}));
  });
});
