import {rmSync} from 'node:fs';
import {resolve} from 'node:path';

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';
import {PLUGIN, ScratchProject} from './scratchProject';

// The freshly built plugin loaded by a real Yarn 3 (the pinned devDependency @yarnpkg/cli-dist), which
// the committed Yarn 4 hands over to through `yarnPath`.
const YARN_3 = resolve(__dirname, `../../node_modules/@yarnpkg/cli-dist/bin/yarn.js`);

let registry: TestRegistry;
let scratch: ScratchProject;
beforeAll(async () => {
  registry = await startRegistry();
  scratch = new ScratchProject(registry.url, {settings: {yarnPath: YARN_3}});
  const version = await scratch.yarn(`--version`);
  expect(version.stdout.trim()).toMatch(/^3\./);
  const imported = await scratch.yarn(`plugin`, `import`, PLUGIN);
  expect(imported.code, imported.output).toBe(0);
  scratch.policy(`version: 1\nrules:\n  - packages: [sigstore]\n    source: github.com/sigstore/sigstore-js\n`);
});
afterAll(async () => {
  rmSync(scratch.dir, {recursive: true, force: true});
  await registry.close();
});

const codedLines = (output: string) => output.split(`\n`).filter(line => line.includes(`YARN_UNSUPPORTED`));

describe(`the plugin on Yarn 3`, () => {
  it(`stops every install with one coded line naming the supported range, before anything is fetched`, async () => {
    const result = await scratch.yarn(`add`, `sigstore@2.3.1`);
    expect(result.code, result.output).toBe(1);
    expect(codedLines(result.output)).toHaveLength(1);
    expect(codedLines(result.output)[0]).toContain(`>=4.1.0 <5.0.0`);
    expect(result.output).not.toContain(`VERIFIER_FAILED`);
    expect(scratch.exists(`node_modules/sigstore`)).toBe(false);
    expect(registry.requests.filter(request => request.url.includes(`sigstore`))).toEqual([]);

    const install = await scratch.yarn(`install`);
    expect(install.code, install.output).toBe(1);
    expect(codedLines(install.output)).toHaveLength(1);
  });

  it(`answers its provenance commands with the same coded line and exit 2`, async () => {
    const result = await scratch.yarn(`provenance`, `audit`, `--json`);
    expect(result.code, result.output).toBe(2);
    expect(codedLines(result.output)).toHaveLength(1);
  });

  it(`installs without the gate when provenanceEnabled is false, as the line says`, async () => {
    const disabled = new ScratchProject(registry.url, {settings: {yarnPath: YARN_3}});
    try {
      const imported = await disabled.yarn(`plugin`, `import`, PLUGIN);
      expect(imported.code, imported.output).toBe(0);
      // Yarn refuses a plugin's setting in .yarnrc.yml until the plugin is there to declare it.
      disabled.writeRc(registry.url, {yarnPath: YARN_3, provenanceEnabled: false});
      const result = await disabled.yarn(`add`, `sigstore@2.3.1`);
      expect(result.code, result.output).toBe(0);
      expect(codedLines(result.output)).toEqual([]);
      expect(disabled.exists(`node_modules/sigstore`)).toBe(true);
    } finally {
      rmSync(disabled.dir, {recursive: true, force: true});
    }
  });
});
