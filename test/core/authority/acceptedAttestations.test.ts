import {bundleFromJSON} from '@sigstore/bundle';
import {describe, expect, it} from 'vitest';

import {NOW, privateDeployment, tarball} from './privateDeployment';

// What the production verifier establishes from attestations minted by the test authority, once it
// trusts that authority. Each expectation is what was minted, read back through the real checks.
const COMMIT = `0123456789abcdef0123456789abcdef01234567`;

describe(`GitHub Actions, github-hosted runner (SLSA v1)`, () => {
  it(`verifies, with the minted identity read back from the certificate and the predicate`, async () => {
    const {authority, verify} = await privateDeployment();
    const pkg = {name: `@acme/widget`, version: `1.2.3`};
    const {sha512} = tarball();
    const answer = await authority.mint({
      pkg,
      tarballSha512: sha512,
      identity: {platform: `github`, repository: `https://github.com/acme/widget`, ref: `refs/tags/v1.2.3`, commit: COMMIT, workflowPath: `.github/workflows/publish.yml`},
    });

    const verified = verify(pkg, answer, sha512);
    expect(verified.slsaLevel).toBe(2);
    expect(verified.provenance?.identity).toMatchObject({
      issuer: `https://token.actions.githubusercontent.com`,
      sourceRepo: `https://github.com/acme/widget`,
      ref: `refs/tags/v1.2.3`,
      commit: COMMIT,
      workflowPath: `.github/workflows/publish.yml`,
      runnerEnvironment: `github-hosted`,
      subjectAlternativeName: `https://github.com/acme/widget/.github/workflows/publish.yml@refs/tags/v1.2.3`,
    });
    expect(verified.provenance?.claims).toMatchObject({
      predicateType: `https://slsa.dev/provenance/v1`,
      builderId: `https://github.com/actions/runner/github-hosted`,
      sourceRepo: `https://github.com/acme/widget`,
      ref: `refs/tags/v1.2.3`,
      commit: COMMIT,
      workflowPath: `.github/workflows/publish.yml`,
      runnerEnvironment: `github-hosted`,
    });
  });

  it(`signs the publish attestation with the registry key it lists, logged after the provenance`, async () => {
    const {authority, trust, verify} = await privateDeployment();
    const pkg = {name: `widget`, version: `1.0.0`};
    const {sha512} = tarball();
    const verified = verify(pkg, await authority.mint({pkg, tarballSha512: sha512, identity: {platform: `github`, repository: `https://github.com/acme/widget`}}), sha512);

    const [listed] = (authority.registryKeys as {keys: Array<{keyId: string}>}).keys;
    expect(trust.source).toBe(`custom`);
    expect(verified.publish?.keyId).toBe(listed?.keyId);
    expect(verified.provenance?.integratedTime).toEqual(new Date(NOW.getTime() + 2000));
    expect(verified.publish?.integratedTime).toEqual(new Date(NOW.getTime() + 4000));
  });

  it(`fills in the documented defaults`, async () => {
    const {authority, verify} = await privateDeployment();
    const pkg = {name: `widget`, version: `2.0.0`};
    const {sha512} = tarball();
    const verified = verify(pkg, await authority.mint({pkg, tarballSha512: sha512, identity: {platform: `github`, repository: `https://github.com/acme/widget`}}), sha512);

    expect(verified.provenance?.identity).toMatchObject({ref: `refs/heads/main`, workflowPath: `.github/workflows/release.yml`, runnerEnvironment: `github-hosted`});
    expect(verified.provenance?.identity.commit).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe(`GitHub Actions, self-hosted runner`, () => {
  it(`verifies at SLSA level 1, the certificate and the builder both saying self-hosted`, async () => {
    const {authority, verify} = await privateDeployment();
    const pkg = {name: `widget-selfhosted`, version: `1.0.0`};
    const {sha512} = tarball();
    const answer = await authority.mint({pkg, tarballSha512: sha512, identity: {platform: `github`, repository: `https://github.com/acme/widget`, runnerEnvironment: `self-hosted`}});

    const verified = verify(pkg, answer, sha512);
    expect(verified.slsaLevel).toBe(1);
    expect(verified.provenance?.identity.runnerEnvironment).toBe(`self-hosted`);
    expect(verified.provenance?.claims).toMatchObject({builderId: `https://github.com/actions/runner/self-hosted`, runnerEnvironment: `self-hosted`});
  });
});

describe(`GitLab CI (SLSA v0.2, npm's gitlab/v0alpha1)`, () => {
  it(`verifies, with repository, ref, config path and runner read back`, async () => {
    const {authority, verify} = await privateDeployment();
    const pkg = {name: `widget-gitlab`, version: `3.1.0`};
    const {sha512} = tarball();
    const answer = await authority.mint({pkg, tarballSha512: sha512, identity: {platform: `gitlab`, repository: `https://gitlab.com/acme/widget`, commit: COMMIT}});

    const verified = verify(pkg, answer, sha512);
    expect(verified.slsaLevel).toBe(2);
    expect(verified.provenance?.identity).toMatchObject({
      issuer: `https://gitlab.com`,
      sourceRepo: `https://gitlab.com/acme/widget`,
      ref: `refs/heads/main`,
      commit: COMMIT,
      workflowPath: `.gitlab-ci.yml`,
      runnerEnvironment: `gitlab-hosted`,
    });
    expect(verified.provenance?.claims).toMatchObject({
      predicateType: `https://slsa.dev/provenance/v0.2`,
      buildType: `https://github.com/npm/cli/gitlab/v0alpha1`,
      sourceRepo: `https://gitlab.com/acme/widget`,
      ref: `refs/heads/main`,
      commit: COMMIT,
      workflowPath: `.gitlab-ci.yml`,
      entryPoint: `publish`,
    });
    expect(verified.provenance?.claims.builderId).toMatch(/^https:\/\/gitlab\.com\/acme\/widget\/-\/runners\/\d+$/);
  });

  it(`reads a tag pipeline's ref and a config file outside the root`, async () => {
    const {authority, verify} = await privateDeployment();
    const pkg = {name: `widget-gitlab`, version: `3.2.0`};
    const {sha512} = tarball();
    const answer = await authority.mint({
      pkg,
      tarballSha512: sha512,
      identity: {platform: `gitlab`, repository: `https://gitlab.com/acme/widget`, ref: `refs/tags/v3.2.0`, workflowPath: `ci/release.yml`, runnerEnvironment: `self-hosted`},
    });

    const verified = verify(pkg, answer, sha512);
    expect(verified.slsaLevel).toBe(1);
    expect(verified.provenance?.identity).toMatchObject({ref: `refs/tags/v3.2.0`, workflowPath: `ci/release.yml`, runnerEnvironment: `self-hosted`});
    expect(verified.provenance?.claims).toMatchObject({ref: `refs/tags/v3.2.0`, workflowPath: `ci/release.yml`});
  });
});

describe(`bundle media types`, () => {
  it(`mints v0.2 bundles with a certificate chain and intoto entries by default`, async () => {
    const {authority} = await privateDeployment();
    const {sha512} = tarball();
    const {attestations} = await authority.mint({pkg: {name: `widget`, version: `1.0.0`}, tarballSha512: sha512, identity: {platform: `github`, repository: `https://github.com/acme/widget`}});

    for (const {bundle} of attestations) {
      const parsed = bundleFromJSON(bundle);
      expect(parsed.mediaType).toBe(`application/vnd.dev.sigstore.bundle+json;version=0.2`);
      expect(parsed.verificationMaterial.tlogEntries[0]?.kindVersion).toEqual({kind: `intoto`, version: `0.0.2`});
    }
    const provenance = bundleFromJSON(attestations[1]?.bundle);
    expect(provenance.verificationMaterial.content.$case).toBe(`x509CertificateChain`);
  });

  it(`verifies v0.3 bundles (single certificate, dsse entries)`, async () => {
    const {authority, verify} = await privateDeployment();
    const pkg = {name: `widget-v03`, version: `1.0.0`};
    const {sha512} = tarball();
    const answer = await authority.mint({pkg, tarballSha512: sha512, identity: {platform: `github`, repository: `https://github.com/acme/widget`}, bundleMediaType: `v0.3`});

    const provenance = bundleFromJSON(answer.attestations.find(entry => entry.predicateType.startsWith(`https://slsa.dev/`))?.bundle);
    expect(provenance.mediaType).toBe(`application/vnd.dev.sigstore.bundle.v0.3+json`);
    expect(provenance.verificationMaterial.content.$case).toBe(`certificate`);
    expect(provenance.verificationMaterial.tlogEntries[0]?.kindVersion).toEqual({kind: `dsse`, version: `0.0.1`});

    const verified = verify(pkg, answer, sha512);
    expect(verified.slsaLevel).toBe(2);
    expect(verified.publish).toBeDefined();
  });
});

describe(`which attestations are minted`, () => {
  it(`mints provenance alone or publish alone when asked`, async () => {
    const {authority, verify} = await privateDeployment();
    const pkg = {name: `widget-partial`, version: `1.0.0`};
    const {sha512} = tarball();
    const identity = {platform: `github`, repository: `https://github.com/acme/widget`} as const;

    const provenanceOnly = verify(pkg, await authority.mint({pkg, tarballSha512: sha512, identity, publish: false}), sha512);
    expect(provenanceOnly.publish).toBeUndefined();
    expect(provenanceOnly.slsaLevel).toBe(2);

    const publishOnly = verify(pkg, await authority.mint({pkg, tarballSha512: sha512, identity, provenance: false}), sha512);
    expect(publishOnly.provenance).toBeUndefined();
    expect(publishOnly.publish).toBeDefined();
    expect(publishOnly.slsaLevel).toBe(0);
  });
});
