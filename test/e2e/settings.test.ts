import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {FIXTURES_ROOT} from '../helpers/fixtures';
import {startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';
import {ScratchProject} from './scratchProject';
import {expectNoCrash, messages, snapshot} from './output';
import type {RunResult} from './scratchProject';

// Settings are the other way to talk the gate out of enforcing (issue 7, "Settings that quietly disable
// it"): a bad value must stop the install with SETTING_INVALID, naming the setting and the .yarnrc.yml it
// came from, and a setting that turns the gate off or weakens it must say so on every install.
let registry: TestRegistry;
let base: ScratchProject;

/** A rule that only warns when sigstore comes from another repository: a typo must not make it the rule. */
const WARN_ON_OTHER_REPO = `version: 1
rules:
  - packages: [sigstore]
    source: github.com/attacker/sigstore-js
    mode: warn
`;
const OTHER_REPO_POLICY = `version: 1\nrules:\n  - packages: [sigstore]\n    source: github.com/attacker/sigstore-js\n`;
const SIGSTORE_POLICY = `version: 1\nrules:\n  - packages: [sigstore]\n    source: github.com/sigstore/sigstore-js\n`;

beforeAll(async () => {
  registry = await startRegistry();
  base = new ScratchProject(registry.url);
  await base.importPlugin();
});
afterAll(async () => {
  await registry.close();
});

/** A project with the plugin imported (copied from `base`, no yarn run), this policy and these settings. */
function project(policy: string | null, settings: Record<string, unknown> = {}): ScratchProject {
  const scratch = base.cloneTo(registry.url, settings);
  if (policy !== null)
    scratch.policy(policy);
  return scratch;
}



function gateLines(result: RunResult): Array<string> {
  return messages(result).filter(line => /^Provenance gate (OFF|weakened)\b/.test(line));
}


describe(`a setting with a value it cannot take stops the install`, () => {
  type Case = {title: string, settings: Record<string, unknown>, folder?: string};
  const cases: Array<Case> = [
    {title: `provenanceDefaultMode: block`, settings: {provenanceDefaultMode: `block`}},
    {title: `provenanceDefaultMode: ENFORCE`, settings: {provenanceDefaultMode: `ENFORCE`}},
    {title: `provenanceConcurrency: 0`, settings: {provenanceConcurrency: 0}},
    {title: `provenanceConcurrency: -3`, settings: {provenanceConcurrency: -3}},
    {title: `provenancePolicyPath set to a missing file`, settings: {provenancePolicyPath: `missing-policy.yml`}},
    {title: `provenancePolicyPath set to a folder`, settings: {provenancePolicyPath: `policies`}, folder: `policies`},
    {title: `provenanceTrustedRootPath set to a missing file`, settings: {provenanceTrustedRootPath: `missing-root.json`}},
    {title: `provenanceRegistryKeysPath set to a missing file`, settings: {provenanceRegistryKeysPath: `missing-keys.json`}},
  ];

  it.each(cases)(`$title: SETTING_INVALID naming the setting and its file, nothing changed`, async ({settings, folder}) => {
    const setting = Object.keys(settings)[0]!;
    const scratch = project(WARN_ON_OTHER_REPO, settings);
    if (folder !== undefined)
      mkdirSync(join(scratch.dir, folder));
    const before = snapshot(scratch);

    const result = await scratch.yarn(`add`, `sigstore@2.3.1`);

    expect(result.code, result.output).toBe(1);
    const rcPath = join(scratch.dir, `.yarnrc.yml`);
    const named = messages(result).filter(line => [`SETTING_INVALID`, setting, rcPath].every(part => line.includes(part)));
    expect(named, result.output).not.toEqual([]);
    expect(result.output).not.toContain(`EISDIR`);
    expectNoCrash(result);
    expect(snapshot(scratch)).toEqual(before);
    expect(scratch.exists(`node_modules/sigstore`)).toBe(false);
  });
});

describe(`a setting that turns the gate off or weakens it says so on every install`, () => {
  it(`provenanceEnabled: false in the project's .yarnrc.yml`, async () => {
    const scratch = project(OTHER_REPO_POLICY, {provenanceEnabled: false});
    const result = await scratch.yarn(`add`, `sigstore@2.3.1`);
    expect(result.code, result.output).toBe(0);
    const lines = gateLines(result);
    expect(lines, result.output).toHaveLength(1);
    expect(lines[0]).toMatch(/^Provenance gate OFF/);
    expect(lines[0]).toContain(`provenanceEnabled`);
    expect(lines[0]).toContain(join(scratch.dir, `.yarnrc.yml`));
  });

  it(`provenanceEnabled: false in a nested packages/a/.yarnrc.yml, for yarn run from packages/a`, async () => {
    const scratch = project(OTHER_REPO_POLICY);
    const manifest = {name: `scratch`, private: true, workspaces: [`packages/*`], dependencies: {sigstore: `2.3.1`}};
    writeFileSync(join(scratch.dir, `package.json`), `${JSON.stringify(manifest, null, 2)}\n`);
    mkdirSync(join(scratch.dir, `packages/a`), {recursive: true});
    writeFileSync(join(scratch.dir, `packages/a/package.json`), `${JSON.stringify({name: `a`, version: `1.0.0`})}\n`);
    const nestedRc = join(scratch.dir, `packages/a/.yarnrc.yml`);
    writeFileSync(nestedRc, `provenanceEnabled: false\n`);

    const result = await scratch.yarn(`--cwd`, join(scratch.dir, `packages/a`), `install`);

    expect(result.code, result.output).toBe(0);
    const lines = gateLines(result);
    expect(lines, result.output).toHaveLength(1);
    expect(lines[0]).toMatch(/^Provenance gate OFF/);
    expect(lines[0]).toContain(`provenanceEnabled`);
    expect(lines[0]).toContain(nestedRc);
  });

  it.each([`warn`, `off`])(`provenanceDefaultMode: %s`, async mode => {
    const scratch = project(OTHER_REPO_POLICY, {provenanceDefaultMode: mode});
    const result = await scratch.yarn(`add`, `sigstore@2.3.1`);
    expect(result.code, result.output).toBe(0);
    const lines = gateLines(result);
    expect(lines, result.output).toHaveLength(1);
    expect(lines[0]).toContain(`provenanceDefaultMode`);
    expect(lines[0]).toContain(join(scratch.dir, `.yarnrc.yml`));
  });

  it(`custom trust files (here copies of the public-good ones, so the package still verifies)`, async () => {
    const scratch = project(SIGSTORE_POLICY, {
      provenanceTrustedRootPath: join(FIXTURES_ROOT, `sigstore/trusted_root.json`),
      provenanceRegistryKeysPath: join(FIXTURES_ROOT, `sigstore/npm-registry-keys.json`),
    });
    const result = await scratch.yarn(`add`, `sigstore@2.3.1`);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`1 verified`);
    const lines = gateLines(result);
    expect(lines, result.output).not.toEqual([]);
    const said = lines.join(`\n`);
    expect(said).toContain(`provenanceTrustedRootPath`);
    expect(said).toContain(`provenanceRegistryKeysPath`);
    expect(said).toContain(join(scratch.dir, `.yarnrc.yml`));
  });

  it(`no policy at the default path: every install says the gate is OFF, not only the first`, async () => {
    const scratch = project(null);
    for (const args of [[`add`, `sigstore@2.3.1`], [`install`]]) {
      const result = await scratch.yarn(...args);
      expect(result.code, result.output).toBe(0);
      const lines = gateLines(result);
      expect(lines, result.output).toHaveLength(1);
      expect(lines[0]).toMatch(/^Provenance gate OFF/);
      expect(lines[0]).toContain(`.provenance.yml`);
    }
  });
});
