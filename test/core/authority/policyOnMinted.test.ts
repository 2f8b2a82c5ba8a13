import {describe, expect, it} from 'vitest';

import {evaluatePolicy} from '../../../sources/core/policy/evaluatePolicy';
import {parsePolicy} from '../../../sources/core/policy/parsePolicy';
import type {BuildIdentity} from '../../authority';
import {NOW, privateDeployment, tarball} from './privateDeployment';

// The policy engine on provenance that the production verifier established from minted attestations.
async function verdictFor(policyYaml: string, name: string, identity: BuildIdentity) {
  const {authority, verify} = await privateDeployment();
  const pkg = {name, version: `1.0.0`};
  const {sha512} = tarball();
  const provenance = verify(pkg, await authority.mint({pkg, tarballSha512: sha512, identity}), sha512);
  return evaluatePolicy(parsePolicy(policyYaml, `test.yml`), pkg, {ok: true, provenance}, NOW);
}

const GITHUB_HOSTED_ONLY = `
version: 1
rules:
  - packages: ["widget-*"]
    runner: github-hosted
`;

const GITLAB_SOURCE = `
version: 1
rules:
  - packages: ["widget-gitlab"]
    source: gitlab.com/acme/widget
    ref: refs/heads/main
    workflow: .gitlab-ci.yml
    runner: hosted
    issuer: https://gitlab.com
`;

describe(`runner requirements`, () => {
  it(`reports RUNNER_MISMATCH for a package built on a self-hosted runner`, async () => {
    const verdict = await verdictFor(GITHUB_HOSTED_ONLY, `widget-selfhosted`, {platform: `github`, repository: `https://github.com/acme/widget`, runnerEnvironment: `self-hosted`});
    expect(verdict).toMatchObject({status: `violation`, code: `RUNNER_MISMATCH`, allowed: false, found: `self-hosted`});
  });

  it(`lets the same rule pass a package built on a github-hosted runner`, async () => {
    const verdict = await verdictFor(GITHUB_HOSTED_ONLY, `widget-hosted`, {platform: `github`, repository: `https://github.com/acme/widget`});
    expect(verdict).toMatchObject({status: `verified`, allowed: true});
    expect(verdict.code).toBeUndefined();
  });
});

describe(`source requirements`, () => {
  it(`verifies a GitLab package against a gitlab.com source rule`, async () => {
    const verdict = await verdictFor(GITLAB_SOURCE, `widget-gitlab`, {platform: `gitlab`, repository: `https://gitlab.com/acme/widget`});
    expect(verdict).toMatchObject({status: `verified`, allowed: true});
    expect(verdict.code).toBeUndefined();
  });

  it(`reports SOURCE_REPO_MISMATCH when the same package comes from another GitLab project`, async () => {
    const verdict = await verdictFor(GITLAB_SOURCE, `widget-gitlab`, {platform: `gitlab`, repository: `https://gitlab.com/acme/widget-fork`});
    expect(verdict).toMatchObject({status: `violation`, code: `SOURCE_REPO_MISMATCH`, allowed: false});
  });
});
