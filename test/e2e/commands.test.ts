import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';
import {sarifValidator} from '../core/report/sarifSchema';
import {ATTESTATIONS_DIR} from '../helpers/fixtures';
import {ScratchProject} from './scratchProject';

// `yarn provenance audit|explain|verify` in a project installed with the gate off (mode: off), so
// that the audit, not the install, is what finds the problems.
let registry: TestRegistry;
let scratch: ScratchProject;

const POLICY = `version: 1
rules:
  - packages: [sigstore]
    source: github.com/sigstore/sigstore-js
  - packages: [tuf-js]
    source: github.com/attacker/tuf-js
`;

beforeAll(async () => {
  registry = await startRegistry();
  scratch = new ScratchProject(registry.url);
  await scratch.importPlugin();
  scratch.policy(`version: 1\ndefault:\n  mode: off\n`);
  const install = await scratch.yarn(`add`, `sigstore@2.3.1`, `tuf-js@1.0.0`, `gundam-visor@1.0.1`);
  if (install.code !== 0)
    throw new Error(install.output);
  scratch.policy(POLICY);
});
afterAll(async () => {
  await registry.close();
});

describe(`yarn provenance audit`, () => {
  it(`prints a table and exits 1 when a package violates the policy`, async () => {
    const result = await scratch.yarn(`provenance`, `audit`);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/tuf-js@1\.0\.0\s+violation\s+SOURCE_REPO_MISMATCH\s+yes\s/);
    expect(result.stdout).toMatch(/sigstore@2\.3\.1\s+verified\s+no\s+L2\s+sigstore\/sigstore-js\s+github-hosted/);
    const lines = result.stdout.trimEnd().split(`\n`);
    expect(Math.max(...lines.map(line => line.length))).toBeLessThanOrEqual(120);
    expect(lines.at(-1)).toMatch(/4 packages: 2 verified, 0 missing, 1 violation, 1 project; 1 blocking$/);
  });

  it(`lists only the packages with a finding with -f, in lockfile order`, async () => {
    const result = await scratch.yarn(`provenance`, `audit`, `-f`);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`tuf-js@1.0.0`);
    expect(result.stdout).not.toContain(`sigstore@2.3.1`);
    const json = await scratch.yarn(`provenance`, `audit`, `--failures-only`, `--json`);
    expect(json.stdout.trim().split(`\n`).map(line => JSON.parse(line).code ?? JSON.parse(line).type)).toEqual([`SOURCE_REPO_MISMATCH`, `summary`]);
  });

  it(`prints one JSON record per package with --json`, async () => {
    const result = await scratch.yarn(`provenance`, `audit`, `--json`);
    expect(result.code).toBe(1);
    const [summary, ...records] = result.stdout.trim().split(`\n`).map(line => JSON.parse(line)).reverse();
    expect(summary).toMatchObject({type: `summary`, packages: 4, blocking: 1, exitCode: 1});
    const byName = Object.fromEntries(records.map(record => [record.name, record]));
    expect(Object.keys(byName).sort()).toEqual([`gundam-visor`, `scratch`, `sigstore`, `tuf-js`]);
    // The workspace is the project's own code: listed, never judged.
    expect(byName[`scratch`]).toMatchObject({status: `project`, allowed: true, code: null});
    expect(byName[`tuf-js`]).toMatchObject({status: `violation`, code: `SOURCE_REPO_MISMATCH`, allowed: false});
    expect(byName[`sigstore`]).toMatchObject({status: `verified`, slsaLevel: 2, builderId: `https://github.com/actions/runner/github-hosted`});
    expect(byName[`gundam-visor`]).toMatchObject({status: `verified`, rule: `default`});
  });

  it(`prints SARIF 2.1.0 that validates with formats, each finding at its yarn.lock entry with fingerprints`, async () => {
    const result = await scratch.yarn(`provenance`, `audit`, `--sarif`);
    expect(result.code).toBe(1);
    const log = JSON.parse(result.stdout);
    const {validate, warnings} = sarifValidator();
    expect(validate(log)).toBeNull();
    expect(warnings).toEqual([]);
    const [finding, ...others] = log.runs[0].results;
    expect(others).toEqual([]);
    expect(finding).toMatchObject({ruleId: `SOURCE_REPO_MISMATCH`, level: `error`, partialFingerprints: {packageFinding: `tuf-js@1.0.0:SOURCE_REPO_MISMATCH`}});
    // The region is the line whose lockfile key resolves to tuf-js@1.0.0.
    const lockfile = readFileSync(join(scratch.dir, `yarn.lock`), `utf8`).split(`\n`);
    const {artifactLocation, region} = finding.locations[0].physicalLocation;
    expect(artifactLocation.uri).toBe(`yarn.lock`);
    expect(lockfile[region.startLine - 1]).toMatch(/^"tuf-js@npm:1\.0\.0.*:$/);
    expect(lockfile[region.startLine + 1]).toBe(`  resolution: "tuf-js@npm:1.0.0"`);
  });

  it(`prints an invalid policy as SARIF at the policy's line, and exits 2`, async () => {
    scratch.policy(`version: 1\nrules:\n  - packages: [tuf-js]\n    sorce: github.com/attacker/tuf-js\n`);
    try {
      const result = await scratch.yarn(`provenance`, `audit`, `--sarif`);
      expect(result.code, result.output).toBe(2);
      const log = JSON.parse(result.stdout);
      expect(sarifValidator().validate(log)).toBeNull();
      expect(log.runs[0].results.map((r: any) => [r.ruleId, r.locations[0].physicalLocation.artifactLocation.uri, r.locations[0].physicalLocation.region.startLine]))
        .toEqual([[`POLICY_INVALID`, `.provenance.yml`, 4]]);
    } finally {
      scratch.policy(POLICY);
    }
  });

  it(`prints a Markdown summary for CI job summaries`, async () => {
    const result = await scratch.yarn(`provenance`, `audit`, `--markdown`);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^## npm provenance/);
    expect(result.stdout).toContain(`| \`tuf-js@1.0.0\` | violation | \`SOURCE_REPO_MISMATCH\``);
    expect(result.stdout).toContain(`| verified | missing | violation |`);
    expect(result.stdout).toContain(`checked against \`.provenance.yml\``);
    expect(result.stdout).not.toContain(scratch.dir);
  });

  it(`exits 0 when nothing violates the policy`, async () => {
    scratch.policy(`version: 1\nrules:\n  - packages: [sigstore]\n    source: github.com/sigstore/sigstore-js\n`);
    try {
      const result = await scratch.yarn(`provenance`, `audit`);
      expect(result.code, result.output).toBe(0);
    } finally {
      scratch.policy(POLICY);
    }
  });

  it(`exits 3 when a package cannot be verified and nothing else fails`, async () => {
    scratch.policy(`version: 1\n`);
    // A fresh global folder: nothing remembered, so the attestations must be fetched.
    const fresh = scratch.cloneTo(registry.url);
    registry.fault(`gundam-visor@1.0.1`, {kind: `attestations-status`, status: 500});
    try {
      const result = await fresh.yarn(`provenance`, `audit`, `--json`);
      expect(result.code, result.output).toBe(3);
      const records = result.stdout.trim().split(`\n`).map(line => JSON.parse(line));
      expect(records.find(record => record.name === `gundam-visor`)).toMatchObject({status: `unverifiable`, code: `NETWORK_UNVERIFIABLE`});
    } finally {
      registry.fault(`gundam-visor@1.0.1`, null);
      scratch.policy(POLICY);
    }
  });
});

describe(`yarn provenance explain`, () => {
  it(`shows the evidence and the rule that decided`, async () => {
    const result = await scratch.yarn(`provenance`, `explain`, `tuf-js`);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`SOURCE_REPO_MISMATCH`);
    expect(result.stdout).toContain(`rules[1] (packages: tuf-js; line 5)`);
    expect(result.stdout).toContain(`GithubWorkflowRepository (1.3.6.1.4.1.57264.1.5)`);
    expect(result.stdout).toContain(`theupdateframework/tuf-js`);
  });

  it(`exits 2 with USAGE_INVALID, saying what is missing, when no package is given`, async () => {
    const result = await scratch.yarn(`provenance`, `explain`);
    expect(result.code, result.output).toBe(2);
    expect(result.stderr).toMatch(/^USAGE_INVALID: /);
  });

  it(`exits 2 for a package the project does not have`, async () => {
    const result = await scratch.yarn(`provenance`, `explain`, `left-pad`);
    expect(result.code).toBe(2);
  });
});

describe(`yarn provenance verify`, () => {
  it(`exits 2 with USAGE_INVALID, saying what is missing, when no package is given`, async () => {
    const result = await scratch.yarn(`provenance`, `verify`);
    expect(result.code, result.output).toBe(2);
    expect(result.stderr).toMatch(/^USAGE_INVALID: /);
  });

  it(`takes the package as its argument`, async () => {
    const dir = join(ATTESTATIONS_DIR, `sigstore@2.3.1`);
    const result = await scratch.yarn(`provenance`, `verify`, `sigstore@2.3.1`, `--tarball`, join(dir, `package.tgz`), `--attestations`, join(dir, `attestations.json`), `--json`);
    expect(JSON.parse(result.stdout.split(`\n`)[0]!)).toMatchObject({package: `sigstore@2.3.1`, status: `verified`});
  });

  it(`verifies one package from files, like the standalone bin`, async () => {
    const dir = join(ATTESTATIONS_DIR, `sigstore@2.3.1`);
    const result = await scratch.yarn(`provenance`, `verify`, `--package`, `sigstore@2.3.1`, `--tarball`, join(dir, `package.tgz`), `--attestations`, join(dir, `attestations.json`), `--source-uri`, `github.com/sigstore/sigstore-js-evil`, `--offline`, `--json`);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout.split(`\n`)[0]!)).toMatchObject({status: `violation`, code: `SOURCE_REPO_MISMATCH`});
  });

  it(`fetches through Yarn's network settings when no files are given`, async () => {
    const result = await scratch.yarn(`provenance`, `verify`, `--package`, `gundam-visor@1.0.1`, `--offline`, `--json`);
    expect(result.code).toBe(3);
    const online = await scratch.yarn(`provenance`, `verify`, `--package`, `gundam-visor@1.0.1`, `--json`);
    expect(online.code, online.output).toBe(0);
    expect(JSON.parse(online.stdout.split(`\n`)[0]!)).toMatchObject({status: `verified`, sourceRepo: `https://github.com/ramonpetgrave64/gundam-visor`});
  });
});

describe(`yarn provenance verify with a bad trusted root`, () => {
  it(`exits 2 with TRUST_MATERIAL_INVALID, as for any input the caller got wrong`, async () => {
    const dir = join(ATTESTATIONS_DIR, `sigstore@2.3.1`);
    const badRoot = join(scratch.dir, `not-a-root.json`);
    writeFileSync(badRoot, `{}`);
    const result = await scratch.yarn(`provenance`, `verify`, `--package`, `sigstore@2.3.1`, `--tarball`, join(dir, `package.tgz`), `--attestations`, join(dir, `attestations.json`), `--trusted-root`, badRoot, `--json`);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout.split(`\n`)[0]!).code).toBe(`TRUST_MATERIAL_INVALID`);
  });
});
