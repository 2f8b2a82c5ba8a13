import {createHash} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {createTestAuthority} from '../authority';
import {startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';
import {ScratchProject} from './scratchProject';
import {expectNoCrash, messages} from './output';
import type {RunResult} from './scratchProject';

// The commands beside the gate must judge by the same project: its policy, its trust settings, its
// registries (issue 7, "Commands that ignore the project", `yarn dlx`, and the crashes of audit/explain).
let registry: TestRegistry;
let base: ScratchProject;
/** sigstore@2.3.1 installed under a matching policy. */
let installed: ScratchProject;
/** package.json lists sigstore@2.3.1, the policy pins it to another repository, and nothing is installed yet. */
let blocked: ScratchProject;

const SIGSTORE_POLICY = `version: 1\nrules:\n  - packages: [sigstore]\n    source: github.com/sigstore/sigstore-js\n`;
const OTHER_REPO_POLICY = `version: 1\nrules:\n  - packages: [sigstore]\n    source: github.com/attacker/sigstore-js\n`;

beforeAll(async () => {
  registry = await startRegistry();
  base = new ScratchProject(registry.url);
  await base.importPlugin();

  installed = base.cloneTo(registry.url);
  installed.policy(SIGSTORE_POLICY);
  const install = await installed.yarn(`add`, `sigstore@2.3.1`);
  if (install.code !== 0)
    throw new Error(install.output);

  blocked = base.cloneTo(registry.url);
  blocked.policy(OTHER_REPO_POLICY);
  const manifest = {name: `scratch`, private: true, dependencies: {sigstore: `2.3.1`}};
  writeFileSync(join(blocked.dir, `package.json`), `${JSON.stringify(manifest, null, 2)}\n`);
});
afterAll(async () => {
  await registry.close();
});



/** The one JSON object `verify --json` prints. */
function verifyRecord(result: RunResult): {status: string, code: string | null, sourceRepo?: string | null} {
  return JSON.parse(result.stdout.split(`\n`)[0]!);
}

describe(`a project whose first install was blocked`, () => {
  it(`the block says nothing changed and ends with the command to inspect the package`, async () => {
    const before = {manifest: blocked.read(`package.json`), lockfile: blocked.read(`yarn.lock`)};
    const result = await blocked.yarn(`install`);
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain(`SOURCE_REPO_MISMATCH`);
    expect(messages(result).filter(line => /yarn provenance explain sigstore(@2\.3\.1)?`?\.?$/.test(line)), result.output).not.toEqual([]);
    expect(blocked.read(`package.json`)).toBe(before.manifest);
    expect(blocked.read(`yarn.lock`)).toBe(before.lockfile);
    expect(blocked.exists(`node_modules/sigstore`)).toBe(false);
  });

  it(`yarn provenance audit shows the blocked package with its code`, async () => {
    const result = await blocked.yarn(`provenance`, `audit`, `--json`);
    expect(result.code, result.output).toBe(1);
    expectNoCrash(result);
    const records = result.stdout.split(`\n`).filter(line => line.startsWith(`{`)).map(line => JSON.parse(line));
    expect(records.find(record => record.name === `sigstore`)).toMatchObject({status: `violation`, code: `SOURCE_REPO_MISMATCH`});
  });

  it(`yarn provenance explain shows the blocked package with its code`, async () => {
    const result = await blocked.yarn(`provenance`, `explain`, `sigstore`);
    expect(result.code, result.output).toBe(1);
    expectNoCrash(result);
    expect(result.stdout).toContain(`sigstore@2.3.1`);
    expect(result.stdout).toContain(`SOURCE_REPO_MISMATCH`);
  });
});

describe(`yarn provenance verify inside a project`, () => {
  it(`applies the project's policy`, async () => {
    const result = await blocked.yarn(`provenance`, `verify`, `--package`, `sigstore@2.3.1`, `--json`);
    expect(result.code, result.output).toBe(1);
    expect(verifyRecord(result)).toMatchObject({status: `violation`, code: `SOURCE_REPO_MISMATCH`});
  });

  it(`adds --source-uri to the project's matching rule: both must hold`, async () => {
    const sourceUri = `github.com/sigstore/sigstore-js`;
    const result = await blocked.yarn(`provenance`, `verify`, `--package`, `sigstore@2.3.1`, `--source-uri`, sourceUri, `--json`);
    expect(result.code, result.output).toBe(1);
    expect(verifyRecord(result)).toMatchObject({status: `violation`, code: `SOURCE_REPO_MISMATCH`});
  });

  it(`uses the project's trust settings (a private Sigstore deployment)`, async () => {
    const authority = await createTestAuthority();
    const pkg = {name: `acme-widget`, version: `1.0.0`};
    registry.add(pkg);
    const tarball = Buffer.from(await (await fetch(`${registry.url}/acme-widget/-/acme-widget-1.0.0.tgz`)).arrayBuffer());
    const tarballSha512 = createHash(`sha512`).update(tarball).digest(`hex`);
    const identity = {platform: `github` as const, repository: `https://github.com/acme/widget`};
    // Same files, so the same deterministic tarball: now with attestations only this authority signed.
    registry.add({...pkg, attestations: await authority.mint({pkg, tarballSha512, identity})});

    const scratch = base.cloneTo(registry.url);
    const {trustedRootPath, registryKeysPath} = authority.writeTrustFiles(join(scratch.dir, `trust`));
    scratch.writeRc(registry.url, {
      provenanceTrustedRootPath: trustedRootPath,
      provenanceRegistryKeysPath: registryKeysPath,
    });
    scratch.policy(`version: 1\nrules:\n  - packages: [acme-widget]\n    source: github.com/acme/widget\n`);

    const result = await scratch.yarn(`provenance`, `verify`, `--package`, `acme-widget@1.0.0`, `--json`);
    expect(result.code, result.output).toBe(0);
    expect(verifyRecord(result)).toMatchObject({status: `verified`, code: null, sourceRepo: `https://github.com/acme/widget`});
  });

  it(`uses the package's scoped registry (npmScopes)`, async () => {
    // The default registry is a closed port: only the scope's registry can answer.
    const scratch = base.cloneTo(`http://127.0.0.1:1`, {npmScopes: {laurentsimon: {npmRegistryServer: registry.url}}});
    const name = `@laurentsimon/provenance-npm-test`;
    scratch.policy(`version: 1\nrules:\n  - packages: ["${name}"]\n    source: github.com/laurentsimon/provenance-npm-test\n`);
    const result = await scratch.yarn(`provenance`, `verify`, `--package`, `${name}@1.0.3`, `--json`);
    expect(result.code, result.output).toBe(0);
    const sourceRepo = `https://github.com/laurentsimon/provenance-npm-test`;
    expect(verifyRecord(result)).toMatchObject({status: `verified`, sourceRepo});
  });
});

describe(`yarn provenance audit with a trust file that does not exist`, () => {
  it(`exits 2 with the code and the setting, no stack trace`, async () => {
    const scratch = installed.cloneTo(registry.url, {provenanceTrustedRootPath: `missing-root.json`});
    const result = await scratch.yarn(`provenance`, `audit`);
    expect(result.code, result.output).toBe(2);
    expect(result.output).toContain(`SETTING_INVALID`);
    expect(result.output).toContain(`provenanceTrustedRootPath`);
    expectNoCrash(result);
  });

  it(`writes no partial SARIF document to stdout`, async () => {
    const scratch = installed.cloneTo(registry.url, {provenanceTrustedRootPath: `missing-root.json`});
    const result = await scratch.yarn(`provenance`, `audit`, `--sarif`);
    expect(result.code, result.output).toBe(2);
    expect(result.stdout).toBe(``);
    expect(result.stderr).toContain(`SETTING_INVALID`);
    expectNoCrash(result);
  });
});

describe(`yarn dlx inside a project with a policy`, () => {
  it(`applies the project's policy: a package it forbids is blocked with its code, and none of its code runs`, async () => {
    const scratch = base.cloneTo(registry.url, {enableScripts: true});
    scratch.policy(`version: 1\ndefault:\n  require: provenance\n`);
    const marker = join(scratch.dir, `DLX_RAN`);
    // The test registry serves no `bin` in its manifests, so the package's own code that dlx would run
    // first is its postinstall script.
    const script = `node -e "require('fs').writeFileSync(${JSON.stringify(marker).replace(/"/g, `'`)}, 'x')"`;
    registry.add({name: `dlx-tool`, version: `1.0.0`, scripts: {postinstall: script}});

    const result = await scratch.yarn(`dlx`, `dlx-tool`);

    expect(scratch.exists(`DLX_RAN`), result.output).toBe(false);
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain(`PROVENANCE_MISSING`);
    expect(scratch.read(`package.json`)).toBe(base.read(`package.json`));
    expect(scratch.read(`yarn.lock`)).toBe(base.read(`yarn.lock`));
  });
});
