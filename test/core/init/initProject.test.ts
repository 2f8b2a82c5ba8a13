import {readFileSync} from 'node:fs';
import {join} from 'node:path';

import {describe, expect, it} from 'vitest';

import {initProject} from '../../../sources/core/init/initProject';
import {PRESET_NAMES, PRESETS} from '../../../sources/core/init/presets';
import {SCHEMA_LINE} from '../../../sources/core/init/policyText';
import {parsePins} from '../../../sources/core/pins/pinsFile';
import {evaluatePolicy} from '../../../sources/core/policy/evaluatePolicy';
import {parsePolicy} from '../../../sources/core/policy/parsePolicy';
import type {Verdict} from '../../../sources/core/provenance.types';
import {evidence, verdict} from './initFixtures';

const NOW = new Date(`2026-11-22T10:00:00Z`);
const PROJECT: Array<Verdict> = [
  verdict(`sigstore`, `2.3.1`, `sigstore/sigstore-js`),
  verdict(`@sigstore/sign`, `2.3.2`, `sigstore/sigstore-js`),
  verdict(`@sigstore/bundle`, `2.3.2`, `sigstore/sigstore-js`),
  verdict(`tuf-js`, `2.2.1`, `theupdateframework/tuf-js`),
  verdict(`left-pad`, `1.3.0`),
  verdict(`scratch`, `0.0.0`, undefined, {status: `project`, provenance: undefined}),
];

function init(verdicts: Array<Verdict>, preset: (typeof PRESET_NAMES)[number] = `recommended`) {
  const outcome = initProject({verdicts, preset, pins: new Map(), policyOrigin: `.provenance.yml`, now: NOW});
  if (!outcome.ok)
    throw new Error(`unexpected: ${outcome.unsettled.map(v => v.code).join()}`);
  return outcome;
}

describe(`initProject`, () => {
  it(`writes a policy that parses, requires each package's repository, and lists the unattested in a comment`, () => {
    const {policyText, summary} = init(PROJECT);
    expect(policyText.split(`\n`)[0]).toBe(SCHEMA_LINE);
    // The schema line is the README's, a URL that resolves (never a placeholder).
    const readme = readFileSync(join(__dirname, `../../../README.md`), `utf8`);
    expect(readme.split(`\n`).find(line => line.startsWith(`# yaml-language-server:`))).toBe(SCHEMA_LINE);
    const policy = parsePolicy(policyText, `.provenance.yml`);
    expect(policy.default).toEqual({require: `none`, mode: `enforce`});
    expect(policy.rules.map(rule => [rule.packages, rule.source, rule.require])).toEqual([
      [[`@sigstore/*`, `sigstore`], [`github.com/sigstore/sigstore-js`], `provenance`],
      [[`tuf-js`], [`github.com/theupdateframework/tuf-js`], `provenance`],
    ]);
    expect(policyText).toMatch(/^# Without provenance when init ran \(1\): .*\n#   left-pad@1\.3\.0$/m);
    expect(summary).toEqual({packages: 5, attested: 4, rules: 2, unattested: 1, unattestable: 0, pinsAdded: 4});
    // The rule is about the repository: the same package from elsewhere is a violation.
    expect(evaluatePolicy(policy, {name: `tuf-js`, version: `2.2.1`}, {ok: true, provenance: evidence(`tuf-js`, `2.2.1`, `attacker/tuf-js`)}, NOW))
      .toMatchObject({allowed: false, code: `SOURCE_REPO_MISMATCH`});
  });

  it(`records a pin per attested release line, and keeps the pins already there`, () => {
    const {pinsText} = init(PROJECT);
    const pins = parsePins(pinsText, `.provenance.lock`);
    expect([...pins.entries.keys()].sort()).toEqual([`@sigstore/bundle@2`, `@sigstore/sign@2`, `sigstore@2`, `tuf-js@2`]);
    const kept = {...pins.entries.get(`tuf-js@2`)!, since: `2.0.0`, workflow: `.github/workflows/old.yml`};
    const again = initProject({verdicts: PROJECT, preset: `recommended`, pins: new Map([[`tuf-js@2`, kept]]), policyOrigin: `.provenance.yml`, now: NOW});
    expect(again.ok && parsePins(again.pinsText, `x`).entries.get(`tuf-js@2`)).toEqual(kept);
    expect(again.ok && again.summary.pinsAdded).toBe(3);
  });

  it(`under a preset that requires provenance, allows the packages without any by name, with a reason`, () => {
    const {policyText} = init([...PROJECT, verdict(`from-git`, `0.0.0`, undefined, {status: `unattestable`, provenance: undefined, origin: `git https://example.com/x.git`})], `strict`);
    const policy = parsePolicy(policyText, `.provenance.yml`);
    expect(policy.default).toEqual({require: `provenance`, mode: `enforce`, level: 2});
    expect(policy.rules.at(-1)).toMatchObject({packages: [`from-git`, `left-pad`], require: `none`, reason: `no provenance when yarn provenance init ran on 2026-11-22`});
    expect(policyText).toContain(`#   from-git@0.0.0 (git https://example.com/x.git)`);
  });

  it(`states a lower level on a rule whose packages show less than the preset's`, () => {
    const low = verdict(`old`, `1.0.0`, `o/old`, {provenance: evidence(`old`, `1.0.0`, `o/old`, 1)});
    const policy = parsePolicy(init([low], `strict`).policyText, `x`);
    expect(policy.rules).toMatchObject([{packages: [`old`], level: 1}]);
    expect(parsePolicy(init([verdict(`new`, `1.0.0`, `o/new`)], `strict`).policyText, `x`).rules).toMatchObject([{packages: [`new`], level: 2}]);
  });

  it(`writes nothing when a package failed or could not be verified`, () => {
    const outcome = initProject({
      verdicts: [...PROJECT, verdict(`evil`, `1.0.0`, undefined, {status: `invalid`, code: `SUBJECT_DIGEST_MISMATCH`, allowed: false, provenance: undefined})],
      preset: `recommended`, pins: new Map(), policyOrigin: `x`, now: NOW,
    });
    expect(outcome).toMatchObject({ok: false, unsettled: [{package: {name: `evil`}}]});
  });

  it(`writes an empty rule list for a project without provenance anywhere`, () => {
    expect(parsePolicy(init([verdict(`left-pad`, `1.3.0`)]).policyText, `x`).rules).toEqual([]);
  });
});

describe(`presets`, () => {
  it.each(PRESET_NAMES)(`%s has the default and continuity of policies/%s.yml`, name => {
    const file = join(__dirname, `../../../policies/${name}.yml`);
    const preset = parsePolicy(readFileSync(file, `utf8`), file);
    expect(PRESETS[name]).toEqual({default: preset.default, continuity: preset.continuity});
  });
});
