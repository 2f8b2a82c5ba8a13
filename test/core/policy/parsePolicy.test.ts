import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {afterAll, describe, expect, it} from 'vitest';

import {DEFAULT_POLICY, loadPolicyFile, parsePolicy} from '../../../sources/core/policy/parsePolicy';
import {isProvenanceError} from '../../../sources/core/errors';

const FULL = `
version: 1
default:
  require: provenance
  mode: warn
rules:
  - packages: ["sigstore", "@sigstore/*"]
    versions: ">=2"
    source: https://GitHub.com/sigstore/sigstore-js.git/
    ref: "refs/tags/*"
    workflow: .github/workflows/release.yml
    builder: "https://github.com/actions/runner/*"
    runner: github-hosted
    issuer: https://token.actions.githubusercontent.com
    mode: enforce
  - packages: left-pad
    require: none
    reason: "no provenance upstream; reviewed"
    expires: 2027-03-01
  - packages: "@acme/*"
    source: [github.com/acme/a, github.com/acme/b]
`;

describe(`parsePolicy`, () => {
  it(`applies defaults and turns one-or-list fields into lists`, () => {
    const policy = parsePolicy(FULL, `policy.yml`);

    expect(policy.version).toBe(1);
    expect(policy.origin).toBe(`policy.yml`);
    expect(policy.default).toEqual({require: `provenance`, mode: `warn`});
    expect(policy.rules).toHaveLength(3);

    const [pinned, exception, listed] = policy.rules;
    expect(pinned).toMatchObject({
      index: 0,
      position: {line: 7, column: 5},
      packages: [`sigstore`, `@sigstore/*`],
      versions: `>=2`,
      source: [`github.com/sigstore/sigstore-js`],
      ref: [`refs/tags/*`],
      workflow: [`.github/workflows/release.yml`],
      builder: [`https://github.com/actions/runner/*`],
      runner: `github-hosted`,
      issuer: [`https://token.actions.githubusercontent.com`],
      require: `provenance`,
      mode: `enforce`,
    });
    expect(exception).toMatchObject({packages: [`left-pad`], require: `none`, mode: `warn`, expires: `2027-03-01`});
    expect(listed?.source).toEqual([`github.com/acme/a`, `github.com/acme/b`]);
  });

  it(`defaults a rule's require to provenance when it constrains identity, else to default.require`, () => {
    const policy = parsePolicy(`
version: 1
rules:
  - packages: a
    runner: any
  - packages: b
  - packages: c
    issuer: https://gitlab.com
    require: none
`, `policy.yml`);

    expect(policy.default).toEqual({require: `none`, mode: `enforce`});
    expect(policy.rules.map(rule => rule.require)).toEqual([`provenance`, `none`, `none`]);
    expect(policy.rules.map(rule => rule.mode)).toEqual([`enforce`, `enforce`, `enforce`]);
  });

  it(`accepts a policy without rules`, () => {
    expect(parsePolicy(`version: 1\n`, `policy.yml`).rules).toEqual([]);
  });

  it(`keeps expires as text when YAML reads it as a timestamp`, () => {
    const explicitTag = parsePolicy(`version: 1\nrules:\n  - packages: a\n    reason: r\n    expires: !!timestamp 2027-03-01\n`, `p.yml`);
    const yaml11 = parsePolicy(`%YAML 1.1\n---\nversion: 1\nrules:\n  - packages: a\n    reason: r\n    expires: 2027-03-01\n`, `p.yml`);

    expect(explicitTag.rules[0]?.expires).toBe(`2027-03-01`);
    expect(yaml11.rules[0]?.expires).toBe(`2027-03-01`);
  });

  it(`exports a built-in default policy`, () => {
    expect(DEFAULT_POLICY).toMatchObject({version: 1, default: {require: `none`, mode: `enforce`}, rules: [], origin: `<built-in>`});
    expect(DEFAULT_POLICY.digest).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe(`policy digest`, () => {
  const digestOf = (text: string) => parsePolicy(text, `policy.yml`).digest;
  const base = `version: 1\nrules:\n  - packages: sigstore\n    source: github.com/sigstore/sigstore-js\n`;

  it(`does not change with comments, layout, key order, spelled-out defaults or origin`, () => {
    const commented = `# header\nversion: 1 # v1\n\nrules:\n  # pinned\n  - source: https://github.com/sigstore/sigstore-js.git\n    packages: [sigstore]\n`;
    const explicit = `version: 1\ndefault: {require: none, mode: enforce}\nrules:\n  - packages: sigstore\n    source: github.com/sigstore/sigstore-js\n    require: provenance\n`;

    expect(digestOf(commented)).toBe(digestOf(base));
    expect(digestOf(explicit)).toBe(digestOf(base));
    expect(parsePolicy(base, `elsewhere.yml`).digest).toBe(digestOf(base));
    expect(digestOf(`version: 1\n`)).toBe(DEFAULT_POLICY.digest);
  });

  it(`changes with anything that changes a verdict`, () => {
    const variants = [
      base.replace(`sigstore-js`, `sigstore-go`),
      base.replace(`packages: sigstore`, `packages: sigstore*`),
      `${base}    mode: warn\n`,
      `${base}    runner: github-hosted\n`,
      `${base}  - packages: tuf-js\n`,
      `version: 1\ndefault:\n  mode: warn\nrules:\n  - packages: sigstore\n    source: github.com/sigstore/sigstore-js\n`,
    ];
    const digests = new Set([digestOf(base), ...variants.map(digestOf)]);
    expect(digests.size).toBe(variants.length + 1);
  });

  it(`changes with rule order, since the first matching rule decides`, () => {
    const twoRules = `version: 1\nrules:\n  - packages: a\n  - packages: "*"\n    runner: hosted\n`;
    const swapped = `version: 1\nrules:\n  - packages: "*"\n    runner: hosted\n  - packages: a\n`;
    expect(digestOf(twoRules)).not.toBe(digestOf(swapped));
  });
});

describe(`loadPolicyFile`, () => {
  const folders: Array<string> = [];
  const policyPath = () => {
    const folder = mkdtempSync(join(tmpdir(), `policy-`));
    folders.push(folder);
    return join(folder, `policy.yml`);
  };
  afterAll(() => {
    for (const folder of folders)
      rmSync(folder, {recursive: true, force: true});
  });

  it(`reads and parses a file, naming it as the origin`, () => {
    const path = policyPath();
    writeFileSync(path, `version: 1\n`);
    expect(loadPolicyFile(path).origin).toBe(path);
  });

  it(`reports an unreadable file as INPUT_UNREADABLE`, () => {
    const missing = join(tmpdir(), `no-such-dir-${process.pid}`, `policy.yml`);
    try {
      loadPolicyFile(missing);
      expect.unreachable();
    } catch (error) {
      expect(isProvenanceError(error) && error.code).toBe(`INPUT_UNREADABLE`);
    }
  });

  it(`reports an invalid file as POLICY_INVALID`, () => {
    const path = policyPath();
    writeFileSync(path, `version: 2\n`);
    expect(() => loadPolicyFile(path)).toThrow(expect.objectContaining({code: `POLICY_INVALID`}));
  });
});
