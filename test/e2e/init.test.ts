import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';
import {expectNoCrash, messages} from './output';
import {ScratchProject} from './scratchProject';

// `yarn provenance init` on a project installed without a policy, then the installs that follow
// (issue 8, items 5 and 6): the policy and pins it writes pass unchanged, and stay unchanged.
let registry: TestRegistry;
let project: ScratchProject;

const DEPENDENCIES = [`sigstore@2.3.1`, `tuf-js@1.0.0`, `gundam-visor@1.0.1`, `plain-pkg@1.0.0`];

beforeAll(async () => {
  registry = await startRegistry();
  // Published without provenance, as most of the registry is.
  registry.add({name: `plain-pkg`, version: `1.0.0`});
  project = new ScratchProject(registry.url);
  await project.importPlugin();
  const install = await project.yarn(`add`, ...DEPENDENCIES);
  if (install.code !== 0)
    throw new Error(install.output);
});
afterAll(async () => {
  await registry.close();
});

function files(scratch: ScratchProject): {policy: string, pins: string} {
  return {policy: scratch.read(`.provenance.yml`), pins: scratch.read(`.provenance.lock`)};
}

function inDays(days: number): string {
  return new Date(Date.now() + days * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

describe(`yarn provenance init`, () => {
  let written: {policy: string, pins: string};

  beforeAll(async () => {
    const result = await project.yarn(`provenance`, `init`);
    expect(result.code, result.output).toBe(0);
    expect(messages(result)).toContain(`Wrote .provenance.yml: 4 packages, 3 attested in 3 rules, 1 unattested`);
    expect(messages(result)).toContain(`Wrote .provenance.lock: 3 release lines pinned`);
    written = files(project);
  });

  it(`writes a rule per source repository and lists the package without provenance`, () => {
    expect(written.policy).toContain(`  - packages: ["sigstore"]\n    source: github.com/sigstore/sigstore-js\n    require: provenance\n`);
    expect(written.policy).toContain(`  - packages: ["tuf-js"]\n    source: github.com/theupdateframework/tuf-js\n`);
    expect(written.policy).toMatch(/^#   plain-pkg@1\.0\.0$/m);
    expect(written.pins).toMatch(/^ {2}sigstore@2:\n {4}source: github\.com\/sigstore\/sigstore-js$/m);
  });

  it(`writes a policy the next install passes, and installs leave both files byte-identical`, async () => {
    for (let i = 0; i < 2; i++) {
      const install = await project.yarn(`install`);
      expect(install.code, install.output).toBe(0);
      expect(install.output).toMatch(/packages checked against .*\.provenance\.yml/);
      expect(files(project)).toEqual(written);
    }
  });

  it(`never overwrites a policy without --force (exit 2), and replaces it with --force`, async () => {
    const refused = await project.yarn(`provenance`, `init`, `--preset`, `strict`);
    expect(refused.code, refused.output).toBe(2);
    expect(refused.output).toContain(`USAGE_INVALID`);
    expect(refused.output).toContain(`--force`);
    expectNoCrash(refused);
    expect(files(project)).toEqual(written);

    const scratch = project.cloneTo(registry.url);
    scratch.policy(`version: 1\n`);
    const forced = await scratch.yarn(`provenance`, `init`, `--preset`, `strict`, `--force`);
    expect(forced.code, forced.output).toBe(0);
    // Strict requires provenance of every package: the one without is allowed by name, with a reason.
    expect(scratch.read(`.provenance.yml`)).toMatch(/- packages: \["plain-pkg"\]\n {4}require: none\n {4}reason: "no provenance when yarn provenance init ran on \d{4}-\d{2}-\d{2}"/);
    const install = await scratch.yarn(`install`);
    expect(install.code, install.output).toBe(0);
  });

  it(`refuses an unknown preset as a usage error`, async () => {
    const result = await project.yarn(`provenance`, `init`, `--preset`, `lenient`, `--force`);
    expect(result.code).not.toBe(0);
    expect(files(project)).toEqual(written);
  });
});

describe(`exception hygiene`, () => {
  let scratch: ScratchProject;

  beforeAll(() => {
    scratch = project.cloneTo(registry.url);
    scratch.policy(`version: 1
default:
  require: provenance
rules:
  - packages: [sigstore, tuf-js, gundam-visor]
  - packages: [left-pad]
    require: none
    reason: "removed from the project long ago"
  - packages: [plain-pkg]
    versions: "1.0.0"
    require: none
    reason: "no provenance upstream"
    expires: ${inDays(5)}
`);
  });

  it(`warns about an exception expiring within 14 days on the first install of the day, not on the second`, async () => {
    const first = await scratch.yarn(`install`);
    expect(first.code, first.output).toBe(0);
    expect(messages(first).filter(line => line.includes(`expires on ${inDays(5)}`))).toHaveLength(1);
    const second = await scratch.yarn(`install`);
    expect(second.code, second.output).toBe(0);
    expect(second.output).not.toContain(`expires on`);
  });

  it(`audit reports the stale rule with the lines to delete, and the expiring exception`, async () => {
    const table = await scratch.yarn(`provenance`, `audit`);
    expect(table.code, table.output).toBe(0);
    expect(messages(table)).toContain(`rules[1] (.provenance.yml:6) matches no installed package: delete lines 6-8`);
    expect(messages(table).some(line => line.startsWith(`rules[2] (.provenance.yml:9), an exception for plain-pkg`))).toBe(true);

    const json = await scratch.yarn(`provenance`, `audit`, `--json`);
    const records = json.stdout.trim().split(`\n`).map(line => JSON.parse(line)).filter(record => record.type === `policy`);
    expect(records.map(({kind, rule, line, lines}) => ({kind, rule, line, lines}))).toEqual([
      {kind: `stale`, rule: 1, line: 6, lines: {first: 6, last: 8}},
      {kind: `expiring`, rule: 2, line: 9, lines: {first: 9, last: 13}},
    ]);
  });

  it(`an exception for an exact version stops applying when the version changes`, async () => {
    registry.add({name: `plain-pkg`, version: `1.0.1`});
    const clone = scratch.cloneTo(registry.url);
    const result = await clone.yarn(`add`, `plain-pkg@1.0.1`);
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain(`PROVENANCE_MISSING`);
  });
});
