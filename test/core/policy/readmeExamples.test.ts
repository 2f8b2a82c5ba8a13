import {readFileSync} from 'node:fs';
import {resolve} from 'node:path';

import semver from 'semver';
import {describe, expect, it} from 'vitest';

import {parseAttestations} from '../../../sources/core/attestations/parseAttestations';
import {evaluatePolicy} from '../../../sources/core/policy/evaluatePolicy';
import {parsePolicy} from '../../../sources/core/policy/parsePolicy';
import {fixtureIds, loadFixture} from '../../helpers/fixtures';
import {publicGoodVerifier} from '../../helpers/verifier';

// The policies README.md shows, read from README.md itself, applied to the real sigstore releases
// they are written about: what the README promises must be what happens.
const README = readFileSync(resolve(__dirname, `../../../README.md`), `utf8`);
const NOW = new Date(`2026-11-21T12:00:00Z`);

function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from + start.length);
  if (from === -1 || to === -1)
    throw new Error(`README.md no longer has ${JSON.stringify(start)} … ${JSON.stringify(end)}`);
  return text.slice(from + start.length, to);
}

const QUICK_START = between(README, `cat > .provenance.yml <<'YAML'\n`, `\nYAML\n`);
const FULL_EXAMPLE = between(between(README, `\n## The policy\n`, `\n## Commands\n`), "```yaml\n", "```");

async function verdictFor(yaml: string, id: string) {
  const fixture = loadFixture(id);
  const verifier = await publicGoodVerifier();
  const provenance = verifier.verify({package: fixture.pkg, attestations: parseAttestations(fixture.attestationsText), tarballSha512: fixture.tarballSha512});
  return evaluatePolicy(parsePolicy(yaml, `README.md`), fixture.pkg, {ok: true, provenance}, NOW);
}

const sigstoreWithProvenance = fixtureIds().filter(id => id.startsWith(`sigstore@`) && loadFixture(id).expected.attestationsPresent.provenance);

describe(`README quick start policy`, () => {
  it.each(sigstoreWithProvenance)(`verifies the genuine %s`, async id => {
    expect(await verdictFor(QUICK_START, id)).toMatchObject({status: `verified`, allowed: true, rule: expect.stringContaining(`rules[0]`)});
  });
});

describe(`README full policy example`, () => {
  // The example's `versions: ">=1.3"`: sigstore-js published with npm's first format before that.
  const covered = sigstoreWithProvenance.filter(id => semver.gte(loadFixture(id).pkg.version, `1.3.0`));

  it(`covers the 2023 gha/v2 release and the SLSA v1 ones`, () => {
    expect(covered).toEqual(expect.arrayContaining([`sigstore@1.3.0`, `sigstore@2.3.1`]));
  });

  it.each(covered)(`verifies the genuine %s, every constraint of its first rule holding`, async id => {
    const verdict = await verdictFor(FULL_EXAMPLE, id);
    expect(verdict).toMatchObject({status: `verified`, allowed: true, rule: expect.stringContaining(`rules[0]`)});
  });

  it.each(sigstoreWithProvenance.filter(id => !covered.includes(id)))(`leaves %s, older than its range, to the default`, async id => {
    expect(await verdictFor(FULL_EXAMPLE, id)).toMatchObject({rule: `default`, allowed: true});
  });
});
