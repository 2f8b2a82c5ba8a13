import {writeFileSync} from 'node:fs';
import {join} from 'node:path';

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';
import {ScratchProject} from './scratchProject';

// Real `yarn add` / `yarn install` runs of the committed Yarn with the freshly built plugin, against
// the real attestations served on 127.0.0.1.
let registry: TestRegistry;
beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry.close();
});

const SIGSTORE_POLICY = `version: 1\nrules:\n  - packages: [sigstore]\n    source: github.com/sigstore/sigstore-js\n    runner: github-hosted\n`;
const OTHER_REPO_POLICY = `version: 1\nrules:\n  - packages: [sigstore]\n    source: github.com/attacker/sigstore-js\n`;

async function project(policy: string | null, settings: Record<string, unknown> = {}): Promise<ScratchProject> {
  const scratch = new ScratchProject(registry.url, {settings});
  await scratch.importPlugin();
  if (policy !== null)
    scratch.policy(policy);
  return scratch;
}

/** A blocked install changed nothing: manifest, lockfile and node_modules as before. */
function expectUntouched(scratch: ScratchProject, before: {manifest: string, lockfile: string}): void {
  expect(scratch.read(`package.json`)).toBe(before.manifest);
  expect(scratch.read(`yarn.lock`)).toBe(before.lockfile);
  expect(scratch.exists(`node_modules/sigstore`)).toBe(false);
}

function snapshot(scratch: ScratchProject) {
  return {manifest: scratch.read(`package.json`), lockfile: scratch.read(`yarn.lock`)};
}

describe(`the install gate`, () => {
  it(`allows an install whose provenance matches the policy`, async () => {
    const scratch = await project(SIGSTORE_POLICY);
    const result = await scratch.yarn(`add`, `sigstore@2.3.1`);
    expect(result.code, result.output).toBe(0);
    expect(JSON.parse(scratch.read(`node_modules/sigstore/package.json`)).version).toBe(`2.3.1`);
  });

  it(`blocks a package built from another repository than the policy names, changing nothing`, async () => {
    const scratch = await project(OTHER_REPO_POLICY);
    const before = snapshot(scratch);
    const result = await scratch.yarn(`add`, `sigstore@2.3.1`);
    expect(result.code).toBe(1);
    expect(result.output).toContain(`SOURCE_REPO_MISMATCH`);
    expect(result.output).toContain(`github.com/attacker/sigstore-js`);
    expectUntouched(scratch, before);
  });

  it(`blocks when the registry serves a tarball other than the attested one`, async () => {
    registry.fault(`sigstore@2.3.1`, {kind: `tarball-from`, fixture: `sigstore@2.1.0`});
    try {
      const scratch = await project(SIGSTORE_POLICY);
      const before = snapshot(scratch);
      const result = await scratch.yarn(`add`, `sigstore@2.3.1`);
      expect(result.code).toBe(1);
      expect(result.output).toContain(`SUBJECT_DIGEST_MISMATCH`);
      expectUntouched(scratch, before);
    } finally {
      registry.fault(`sigstore@2.3.1`, null);
    }
  });

  it(`blocks when the registry serves another version's attestations`, async () => {
    registry.fault(`sigstore@2.3.1`, {kind: `attestations-from`, fixture: `sigstore@2.1.0`});
    try {
      const scratch = await project(SIGSTORE_POLICY);
      const result = await scratch.yarn(`add`, `sigstore@2.3.1`);
      expect(result.code).toBe(1);
      expect(result.output).toContain(`SUBJECT_NAME_MISMATCH`);
    } finally {
      registry.fault(`sigstore@2.3.1`, null);
    }
  });

  it(`reports a failing attestations endpoint as unverifiable, and blocks in enforce mode`, async () => {
    registry.fault(`sigstore@2.3.1`, {kind: `attestations-status`, status: 500});
    try {
      const scratch = await project(SIGSTORE_POLICY);
      const result = await scratch.yarn(`add`, `sigstore@2.3.1`);
      expect(result.code).toBe(1);
      expect(result.output).toContain(`NETWORK_UNVERIFIABLE`);
      expect(result.output).not.toContain(`SOURCE_REPO_MISMATCH`);
    } finally {
      registry.fault(`sigstore@2.3.1`, null);
    }
  });

  it(`lets an unverifiable package through in warn mode, saying so`, async () => {
    registry.fault(`sigstore@2.3.1`, {kind: `attestations-status`, status: 503});
    try {
      const scratch = await project(SIGSTORE_POLICY.replace(`runner: github-hosted`, `runner: github-hosted\n    mode: warn`));
      const result = await scratch.yarn(`add`, `sigstore@2.3.1`);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain(`NETWORK_UNVERIFIABLE`);
      expect(scratch.exists(`node_modules/sigstore`)).toBe(true);
    } finally {
      registry.fault(`sigstore@2.3.1`, null);
    }
  });

  it(`treats an attestations endpoint that hangs as unverifiable once Yarn's timeout passes`, async () => {
    registry.fault(`sigstore@2.3.1`, {kind: `attestations-hang`});
    try {
      const scratch = await project(SIGSTORE_POLICY, {httpTimeout: 1500});
      const before = snapshot(scratch);
      const result = await scratch.yarn(`add`, `sigstore@2.3.1`);
      expect(result.code).toBe(1);
      expect(result.output).toContain(`NETWORK_UNVERIFIABLE`);
      expectUntouched(scratch, before);
    } finally {
      registry.fault(`sigstore@2.3.1`, null);
    }
  });

  it(`blocks a yarn up to a tampered release and keeps the installed version`, async () => {
    const scratch = await project(SIGSTORE_POLICY);
    expect((await scratch.yarn(`add`, `sigstore@2.1.0`)).code).toBe(0);
    const before = snapshot(scratch);

    registry.fault(`sigstore@2.3.1`, {kind: `tarball-from`, fixture: `sigstore@2.1.0`});
    try {
      const result = await scratch.yarn(`up`, `sigstore@2.3.1`);
      expect(result.code).toBe(1);
      expect(result.output).toContain(`SUBJECT_DIGEST_MISMATCH`);
      expect(scratch.read(`package.json`)).toBe(before.manifest);
      expect(scratch.read(`yarn.lock`)).toBe(before.lockfile);
      expect(JSON.parse(scratch.read(`node_modules/sigstore/package.json`)).version).toBe(`2.1.0`);

      // The refused version is in no manifest: explain and audit still show it, from the gate's record.
      const explained = await scratch.yarn(`provenance`, `explain`, `sigstore@2.3.1`);
      expect(explained.code).toBe(1);
      expect(explained.output).toContain(`SUBJECT_DIGEST_MISMATCH`);
      const audit = await scratch.yarn(`provenance`, `audit`);
      expect(audit.code, audit.output).toBe(0);
      expect(audit.output).toContain(`refused sigstore@2.3.1 (SUBJECT_DIGEST_MISMATCH)`);
    } finally {
      registry.fault(`sigstore@2.3.1`, null);
    }
  });

  it(`re-checks nothing when an install is identical to one that passed, and everything when a checksum changes`, async () => {
    const scratch = await project(SIGSTORE_POLICY);
    expect((await scratch.yarn(`add`, `sigstore@2.3.1`)).code).toBe(0);

    const before = registry.requests.length;
    const again = await scratch.yarn(`install`, `--immutable`);
    expect(again.code).toBe(0);
    expect(again.output).toContain(`nothing to re-check`);
    expect(registry.requests.slice(before).filter(request => request.url.includes(`/-/npm/v1/attestations/`))).toEqual([]);

    scratch.policy(SIGSTORE_POLICY.replace(`runner: github-hosted`, `runner: any`));
    const changed = await scratch.yarn(`install`, `--immutable`);
    expect(changed.code).toBe(0);
    expect(changed.output).not.toContain(`nothing to re-check`);
    expect(changed.output).toContain(`1 verified`);
  });

  it(`re-verifies cache hits: a policy change blocks an already installed package`, async () => {
    const scratch = await project(SIGSTORE_POLICY);
    expect((await scratch.yarn(`add`, `sigstore@2.3.1`)).code).toBe(0);
    const lockfile = scratch.read(`yarn.lock`);

    scratch.policy(OTHER_REPO_POLICY);
    const result = await scratch.yarn(`install`, `--immutable`);
    expect(result.code).toBe(1);
    expect(result.output).toContain(`SOURCE_REPO_MISMATCH`);
    expect(scratch.read(`yarn.lock`)).toBe(lockfile);
  });

  it(`blocks an unattested package with a lifecycle script under require: provenance, and its script never runs`, async () => {
    registry.add({name: `evil-postinstall`, version: `1.0.0`, scripts: {postinstall: `node -e "require('fs').writeFileSync('../../PWNED', 'x')"`}});
    const scratch = await project(`version: 1\ndefault:\n  require: provenance\n`, {enableScripts: true});
    const before = snapshot(scratch);
    const result = await scratch.yarn(`add`, `evil-postinstall@1.0.0`);
    expect(result.code).toBe(1);
    expect(result.output).toContain(`PROVENANCE_MISSING`);
    expect(scratch.exists(`PWNED`)).toBe(false);
    expect(scratch.exists(`node_modules/evil-postinstall`)).toBe(false);
    expect(scratch.read(`package.json`)).toBe(before.manifest);
  });

  it(`runs that script when the policy allows the package (the test above can fail)`, async () => {
    registry.add({name: `benign-postinstall`, version: `1.0.0`, scripts: {postinstall: `node -e "require('fs').writeFileSync('../../RAN', 'x')"`}});
    const scratch = await project(`version: 1\n`, {enableScripts: true});
    const result = await scratch.yarn(`add`, `benign-postinstall@1.0.0`);
    expect(result.code, result.output).toBe(0);
    expect(scratch.exists(`RAN`)).toBe(true);
  });

  it(`binds a committed cache on a machine that never saw it, and blocks a cache made from another tarball`, async () => {
    // Made while the registry served a forged tarball and the gate was off: cache and lockfile agree
    // with each other, but not with what was attested.
    registry.fault(`sigstore@2.3.1`, {kind: `tarball-from`, fixture: `sigstore@2.1.0`});
    const origin = await project(`version: 1\ndefault:\n  mode: off\n`);
    try {
      expect((await origin.yarn(`add`, `sigstore@2.3.1`)).code).toBe(0);
    } finally {
      registry.fault(`sigstore@2.3.1`, null);
    }

    const fresh = origin.cloneTo(registry.url);
    fresh.policy(SIGSTORE_POLICY);
    const result = await fresh.yarn(`install`, `--immutable`);
    expect(result.code).toBe(1);
    expect(result.output).toContain(`CACHE_BINDING_MISMATCH`);
  });

  it(`binds an honest committed cache on a fresh machine and allows it`, async () => {
    const origin = await project(SIGSTORE_POLICY);
    expect((await origin.yarn(`add`, `sigstore@2.3.1`)).code).toBe(0);

    const fresh = origin.cloneTo(registry.url);
    const result = await fresh.yarn(`install`, `--immutable`);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`1 verified`);
  });

  it(`refuses to start with an invalid policy, reporting every problem with its line`, async () => {
    const scratch = await project(`version: 1\ndefault:\n  mode: block\nrules:\n  - packages: [sigstore]\n    sorce: github.com/sigstore/sigstore-js\n`);
    const before = snapshot(scratch);
    const result = await scratch.yarn(`add`, `sigstore@2.3.1`);
    expect(result.code).toBe(1);
    expect(result.output).toContain(`POLICY_INVALID`);
    expect(result.output).toContain(`.provenance.yml:3:`);
    expect(result.output).toContain(`.provenance.yml:6:`);
    expectUntouched(scratch, before);
  });

  it(`stops with the trust file's problem, changing nothing, when the configured trusted root is not one`, async () => {
    const scratch = await project(SIGSTORE_POLICY);
    writeFileSync(join(scratch.dir, `bad-root.json`), `{"mediaType": "not a trusted root"}`);
    scratch.writeRc(registry.url, {provenanceTrustedRootPath: join(scratch.dir, `bad-root.json`)});
    const before = snapshot(scratch);
    const result = await scratch.yarn(`add`, `sigstore@2.3.1`);
    expect(result.code).toBe(1);
    expect(result.output).toContain(`TRUST_MATERIAL_INVALID`);
    expectUntouched(scratch, before);
  });

  it(`says on every install that the gate is off when there is no policy, how to create one, and does not block`, async () => {
    const scratch = await project(null);
    const first = await scratch.yarn(`add`, `sigstore@2.3.1`);
    expect(first.code).toBe(0);
    expect(first.output).toContain(`Provenance gate OFF: no policy at ${join(scratch.dir, `.provenance.yml`)}`);
    const second = await scratch.yarn(`install`);
    expect(second.code).toBe(0);
    expect(second.output).toContain(`Provenance gate OFF: no policy`);
  });

  it(`declares its settings in yarn config`, async () => {
    const scratch = await project(null);
    const result = await scratch.yarn(`config`, `get`, `provenancePolicyPath`);
    expect(result.stdout.trim()).toBe(`.provenance.yml`);
    expect(join(scratch.dir, `.yarnrc.yml`)).toBeTruthy();
  });
});
