import {describe, expect, it} from 'vitest';

import {evaluatePolicy} from '../../../sources/core/policy/evaluatePolicy';
import {parsePolicy} from '../../../sources/core/policy/parsePolicy';
import {ruleLineSpans} from '../../../sources/core/policy/ruleLines';
import type {ExpiryNotices} from '../../../sources/core/policy/ruleUsage';
import {dailyExpiryWarnings, describeRuleFinding, ruleUsage} from '../../../sources/core/policy/ruleUsage';
import type {VerifiedProvenance} from '../../../sources/core/provenance.types';

const NOW = new Date(`2026-11-22T10:00:00Z`);

const TEXT = `version: 1
default:
  require: provenance
rules:
  - packages: [sigstore]
    source: github.com/sigstore/sigstore-js

  # Exceptions
  - packages: left-pad
    require: none
    reason: "no provenance upstream"
  - packages: [tuf-js]
    versions: "1.2.3"
    require: none
    reason: "only this release"
  - packages: [is-odd]
    require: none
    reason: "reviewed"
    expires: 2026-11-30
  - packages: [is-even]
    require: none
    reason: "reviewed"
    expires: 2027-06-01
  - packages: [old]
    require: none
    reason: "reviewed"
    expires: 2026-11-01
`;

const INSTALLED = [
  {name: `sigstore`, version: `2.3.1`},
  {name: `tuf-js`, version: `1.2.4`},
  {name: `is-odd`, version: `3.0.1`},
  {name: `is-even`, version: `1.0.0`},
  {name: `old`, version: `1.0.0`},
];

const policy = parsePolicy(TEXT, `.provenance.yml`);

function unattested(name: string, version: string): VerifiedProvenance {
  return {package: {name, version}, tarballSha512: `ab`.repeat(64), slsaLevel: 0, unknownPredicateTypes: []};
}

describe(`exceptions scoped to exact versions`, () => {
  it(`apply to that version only`, () => {
    const at = (version: string) => evaluatePolicy(policy, {name: `tuf-js`, version}, {ok: true, provenance: unattested(`tuf-js`, version)}, NOW);
    expect(at(`1.2.3`)).toMatchObject({allowed: true, rule: expect.stringMatching(/^rules\[2\]/)});
    expect(at(`1.2.4`)).toMatchObject({allowed: false, code: `PROVENANCE_MISSING`, rule: `default`});
  });
});

describe(`ruleUsage`, () => {
  const findings = ruleUsage(policy, INSTALLED, NOW, ruleLineSpans(TEXT));

  it(`reports rules that match no installed package, with the lines to delete`, () => {
    const stale = findings.filter(finding => finding.kind === `stale`);
    // left-pad is not installed; tuf-js is, but not the version its exception names.
    expect(stale.map(finding => [finding.rule.index, finding.rule.position?.line, finding.lines])).toEqual([
      [1, 9, {first: 9, last: 11}],
      [2, 12, {first: 12, last: 15}],
    ]);
    expect(describeRuleFinding(stale[0]!, `.provenance.yml`)).toBe(`rules[1] (.provenance.yml:9) matches no installed package: delete lines 9-11`);
  });

  it(`reports exceptions that expire within 14 days, and those that already expired`, () => {
    const expiring = findings.filter(finding => finding.kind !== `stale`);
    expect(expiring.map(finding => [finding.kind, finding.rule.index, finding.daysLeft, finding.lines])).toEqual([
      [`expiring`, 3, 8, {first: 16, last: 19}],
      [`expired`, 5, undefined, {first: 24, last: 27}],
    ]);
    expect(describeRuleFinding(expiring[0]!, `.provenance.yml`)).toBe(`rules[3] (.provenance.yml:16), an exception for is-odd (reviewed), expires on 2026-11-30 (in 8 days): renew or remove it`);
  });

  it(`counts a package under every name given, so an alias keeps its rule in use`, () => {
    const withLeftPad = ruleUsage(policy, [...INSTALLED, {name: `left-pad`, version: `1.3.0`}], NOW);
    expect(withLeftPad.filter(finding => finding.kind === `stale`).map(finding => finding.rule.index)).toEqual([2]);
  });

  it(`finds the last rule's end at the end of the file`, () => {
    expect(ruleLineSpans(TEXT).at(-1)).toEqual({first: 24, last: 27});
    expect(ruleLineSpans(`version: 1\n`)).toEqual([]);
  });
});

describe(`dailyExpiryWarnings`, () => {
  function memory(): ExpiryNotices & {days: Map<string, string>} {
    const days = new Map<string, string>();
    return {days, getExpiryNotice: project => days.get(project), setExpiryNotice: (project, day) => void days.set(project, day)};
  }

  it(`warns on the first install of the day in a project, not on the next ones`, () => {
    const notices = memory();
    expect(dailyExpiryWarnings(policy, `/p`, notices, NOW)).toEqual([expect.stringContaining(`rules[3] (.provenance.yml:16), an exception for is-odd`)]);
    expect(dailyExpiryWarnings(policy, `/p`, notices, new Date(`2026-11-22T23:59:00Z`))).toEqual([]);
    // Another project, or the next day: said again.
    expect(dailyExpiryWarnings(policy, `/q`, notices, NOW)).toHaveLength(1);
    expect(dailyExpiryWarnings(policy, `/p`, notices, new Date(`2026-11-23T00:01:00Z`))).toHaveLength(1);
  });

  it(`says nothing, and remembers nothing, when no exception expires soon`, () => {
    const notices = memory();
    expect(dailyExpiryWarnings(policy, `/p`, notices, new Date(`2026-10-01T00:00:00Z`))).toEqual([]);
    expect(notices.days.size).toBe(0);
  });
});
