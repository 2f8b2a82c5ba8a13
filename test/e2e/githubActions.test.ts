import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';
import {ScratchProject} from './scratchProject';

// A blocked install as a GitHub Actions runner sees it (GITHUB_ACTIONS=true): one annotation per blocked package,
// each finding printed once although Yarn repeats errors after every group on GitHub.
let registry: TestRegistry;
beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry.close();
});

const OTHER_REPO_POLICY = `version: 1\nrules:\n  - packages: [sigstore]\n    source: github.com/attacker/sigstore-js\n`;

async function onGithubActions<T>(run: () => Promise<T>): Promise<T> {
  const before = process.env.GITHUB_ACTIONS;
  process.env.GITHUB_ACTIONS = `true`;
  try {
    return await run();
  } finally {
    if (before === undefined)
      delete process.env.GITHUB_ACTIONS;
    else
      process.env.GITHUB_ACTIONS = before;
  }
}

describe(`a blocked install under GitHub Actions`, () => {
  it(`prints one annotation at the policy rule for a package yarn add was refused, and the finding once`, async () => {
    const scratch = new ScratchProject(registry.url);
    await scratch.importPlugin();
    scratch.policy(OTHER_REPO_POLICY);
    const result = await onGithubActions(() => scratch.yarn(`add`, `sigstore@2.3.1`));
    expect(result.code).toBe(1);
    const annotations = result.stdout.split(`\n`).filter(line => line.startsWith(`::error `));
    expect(annotations).toEqual([expect.stringMatching(/^::error file=\.provenance\.yml,line=3,title=SOURCE_REPO_MISMATCH sigstore@2\.3\.1::/)]);
    expect(result.stdout.split(`\n`).filter(line => line.includes(`✗ sigstore@2.3.1`))).toHaveLength(1);
  });

  it(`points at the package's yarn.lock entry when the lockfile has it`, async () => {
    const scratch = new ScratchProject(registry.url);
    await scratch.importPlugin();
    scratch.policy(`version: 1\ndefault:\n  mode: off\n`);
    const added = await scratch.yarn(`add`, `sigstore@2.3.1`);
    expect(added.code, added.output).toBe(0);
    scratch.policy(OTHER_REPO_POLICY);
    const result = await onGithubActions(() => scratch.yarn(`install`));
    expect(result.code).toBe(1);
    const [annotation, ...others] = result.stdout.split(`\n`).filter(line => line.startsWith(`::error `));
    expect(others).toEqual([]);
    const line = Number(/line=(\d+)/.exec(annotation!)![1]);
    expect(scratch.read(`yarn.lock`).split(`\n`)[line - 1]).toMatch(/^"sigstore@npm:2\.3\.1.*:$/);
    expect(annotation).toMatch(/^::error file=yarn\.lock,line=\d+,title=SOURCE_REPO_MISMATCH sigstore@2\.3\.1::/);
  });
});
