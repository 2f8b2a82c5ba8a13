import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';

import {afterAll, describe, expect, it} from 'vitest';

import {loadFixture} from '../helpers/fixtures';

// The built bin, as users run it: `yarn test` builds it before running the suite.
const BIN = resolve(__dirname, `../../bundles/yarn-provenance.cjs`);
const fixture = loadFixture(`sigstore@2.3.1`);
const other = loadFixture(`sigstore@1.3.0`);
const work = mkdtempSync(join(tmpdir(), `provenance-cli-`));
afterAll(() => {
  rmSync(work, {recursive: true, force: true});
});

function run(...args: Array<string>) {
  const result = spawnSync(process.execPath, [BIN, `verify`, ...args], {encoding: `utf8`, env: {...process.env, NO_COLOR: `1`}});
  return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

/** `--json` prints the package's record (or an error record), then a summary record: the first line. */
const firstRecord = (result: {stdout: string}) => JSON.parse(result.stdout.split(`\n`)[0]!);

const files = (f = fixture) => [`--tarball`, join(f.dir, `package.tgz`), `--attestations`, join(f.dir, `attestations.json`), `--offline`];

describe(`yarn-provenance verify`, () => {
  it(`exits 0 and prints the evidence for a package that verifies`, () => {
    const result = run(`--package`, `sigstore@2.3.1`, ...files(), `--source-uri`, `github.com/sigstore/sigstore-js`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`https://github.com/sigstore/sigstore-js`);
  });

  it(`prints one JSON object with the documented fields`, () => {
    const result = run(`--package`, `sigstore@2.3.1`, ...files(), `--json`);
    expect(result.code).toBe(0);
    expect(firstRecord(result)).toMatchObject({
      package: `sigstore@2.3.1`, status: `verified`, code: null,
      sourceRepo: `https://github.com/sigstore/sigstore-js`, builderId: `https://github.com/actions/runner/github-hosted`, slsaLevel: 2,
    });
  });

  it(`exits 1 with SOURCE_REPO_MISMATCH when the repository differs`, () => {
    const result = run(`--package`, `sigstore@2.3.1`, ...files(), `--source-uri`, `github.com/sigstore/sigstore-js-evil`, `--json`);
    expect(result.code).toBe(1);
    expect(firstRecord(result)).toMatchObject({status: `violation`, code: `SOURCE_REPO_MISMATCH`, expected: `github.com/sigstore/sigstore-js-evil`});
  });

  it(`writes found as the policy writes a repository, like expected`, () => {
    const result = run(`sigstore@2.3.1`, ...files(), `--source-uri`, `github.com/sigstore/sigstore-js-evil`, `--json`);
    expect(firstRecord(result)).toMatchObject({code: `SOURCE_REPO_MISMATCH`, found: `github.com/sigstore/sigstore-js`});
  });

  it(`takes the package as its argument, the same as --package`, () => {
    const result = run(`sigstore@2.3.1`, ...files(), `--json`);
    expect(result.code, result.stderr).toBe(0);
    expect(firstRecord(result)).toMatchObject({package: `sigstore@2.3.1`, status: `verified`});
  });

  it(`exits 2 with USAGE_INVALID when no package is given, or two different ones`, () => {
    const none = run();
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^USAGE_INVALID: /);
    const two = run(`sigstore@2.3.1`, `--package`, `sigstore@1.8.0`, ...files());
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/^USAGE_INVALID: /);
  });

  it(`exits 1 when --source-uri is given and the package has no attestations at all`, () => {
    const empty = join(work, `no-attestations.json`);
    writeFileSync(empty, `{"attestations": []}`);
    const only = loadFixture(`sigstore@1.8.0`);
    const result = run(`sigstore@1.8.0`, `--tarball`, join(only.dir, `package.tgz`), `--attestations`, empty, `--offline`, `--source-uri`, `github.com/sigstore/sigstore-js`, `--json`);
    expect(result.code).toBe(1);
    expect(firstRecord(result)).toMatchObject({status: `missing`, code: `PROVENANCE_MISSING`, allowed: false});
  });

  it(`exits 1 with BUILDER_MISMATCH when the builder differs`, () => {
    const result = run(`--package`, `sigstore@2.3.1`, ...files(), `--builder-id`, `https://github.com/slsa-framework/*`, `--json`);
    expect(result.code).toBe(1);
    expect(firstRecord(result).code).toBe(`BUILDER_MISMATCH`);
  });

  it(`exits 1 with SUBJECT_DIGEST_MISMATCH for a tarball that is not the attested one`, () => {
    const result = run(`--package`, `sigstore@2.3.1`, `--tarball`, join(other.dir, `package.tgz`), `--attestations`, join(fixture.dir, `attestations.json`), `--offline`, `--json`);
    expect(result.code).toBe(1);
    expect(firstRecord(result)).toMatchObject({status: `invalid`, code: `SUBJECT_DIGEST_MISMATCH`});
  });

  it(`exits 1 with PROVENANCE_MISSING when the policy requires provenance that is absent`, () => {
    const policy = join(work, `strict.yml`);
    writeFileSync(policy, `version: 1\ndefault:\n  require: provenance\n`);
    const only = loadFixture(`sigstore@1.8.0`);
    const result = run(`--package`, `sigstore@1.8.0`, ...files(only), `--policy`, policy, `--json`);
    expect(result.code).toBe(1);
    expect(firstRecord(result)).toMatchObject({status: `missing`, code: `PROVENANCE_MISSING`});
  });

  it(`exits 2 with POLICY_INVALID, listing every problem with its line, for a bad policy`, () => {
    const policy = join(work, `bad.yml`);
    writeFileSync(policy, `version: 1\ndefault:\n  mode: block\nrules:\n  - packages: [x]\n    sorce: github.com/a/b\n`);
    const result = run(`--package`, `sigstore@2.3.1`, ...files(), `--policy`, policy);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^POLICY_INVALID/);
    expect(result.stderr).toContain(`bad.yml:3:`);
    expect(result.stderr).toContain(`bad.yml:6:`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it(`exits 2 with INPUT_UNREADABLE for a missing input file`, () => {
    const result = run(`--package`, `sigstore@2.3.1`, `--tarball`, join(work, `absent.tgz`), `--attestations`, join(fixture.dir, `attestations.json`), `--offline`, `--json`);
    expect(result.code).toBe(2);
    expect(firstRecord(result).code).toBe(`INPUT_UNREADABLE`);
  });

  it.each([
    [`a version range`, [`--package`, `sigstore@^2`]],
    [`an unknown flag`, [`--package`, `sigstore@2.3.1`, `--frobnicate`]],
    [`no package`, []],
  ])(`exits 2 for %s`, (_, args) => {
    expect(run(...args).code).toBe(2);
  });

  it(`exits 1 with ATTESTATIONS_MALFORMED for a truncated attestations file, without a stack trace`, () => {
    const truncated = join(work, `truncated.json`);
    writeFileSync(truncated, fixture.attestationsText.slice(0, 500));
    const result = run(`--package`, `sigstore@2.3.1`, `--tarball`, join(fixture.dir, `package.tgz`), `--attestations`, truncated, `--offline`);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`ATTESTATIONS_MALFORMED`);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  it(`exits 3 (unverifiable), not 1, when the registry is needed and the network is off`, () => {
    const result = run(`--package`, `sigstore@2.3.1`, `--offline`, `--json`);
    expect(result.code).toBe(3);
    expect(firstRecord(result)).toMatchObject({status: `unverifiable`, code: `NETWORK_UNVERIFIABLE`});
  });

  it(`exits 3 when the registry does not answer`, () => {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    const result = run(`--package`, `sigstore@2.3.1`, `--registry`, `http://127.0.0.1:9`, `--json`, `--trusted-root`, join(fixture.dir, `../../sigstore/trusted_root.json`));
    expect(result.code).toBe(3);
    expect(firstRecord(result).status).toBe(`unverifiable`);
  });
});

describe(`yarn-provenance verify into a pipe that closes early`, () => {
  it(`drops the rest of the output without a stack trace, and still exits with the verdict's code`, () => {
    const args = [BIN, `verify`, `--package`, `sigstore@2.3.1`, ...files(), `--source-uri`, `github.com/sigstore/sigstore-js-evil`];
    const command = `${JSON.stringify(process.execPath)} ${args.map(arg => JSON.stringify(arg)).join(` `)} | head -c 1 >/dev/null; echo "exit \${PIPESTATUS[0]}" >&2`;
    const result = spawnSync(`bash`, [`-c`, command], {encoding: `utf8`});
    expect(result.stderr).not.toContain(`EPIPE`);
    expect(result.stderr.trim().split(`\n`).pop()).toBe(`exit 1`);
  });
});

describe(`yarn-provenance verify with a constraint flag it cannot use`, () => {
  it.each([
    [`--builder-id`, `https://x/[`],
    [`--source-uri`, `http://github.com/sigstore/sigstore-js`],
  ])(`exits 2 with USAGE_INVALID for %s %s, never an internal error`, (flag, value) => {
    const result = run(`--package`, `sigstore@2.3.1`, ...files(), flag, value);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`USAGE_INVALID`);
    expect(result.stderr).not.toContain(`Internal error`);
  });
});
