import {describe, expect, it} from 'vitest';

import {findRule} from '../../../sources/core/policy/findRule';
import {parsePolicy} from '../../../sources/core/policy/parsePolicy';

const NOW = new Date(`2026-06-15T12:00:00Z`);

const policy = parsePolicy(`
version: 1
rules:
  - packages: ["@acme/*"]
    versions: ">=2"
    source: github.com/acme/monorepo
  - packages: "@acme/*"
    require: none
  - packages: left-pad
    require: none
    reason: reviewed
    expires: 2026-06-15
  - packages: left-pad
    versions: "<1.3.0"
    require: none
    reason: old releases, reviewed
    expires: 2030-01-01
  - packages: "*"
    runner: hosted
`, `policy.yml`);

const indexFor = (name: string, version: string, now = NOW) => findRule(policy, {name, version}, now).rule?.index;

describe(`findRule`, () => {
  it(`picks the first rule whose packages and versions match`, () => {
    expect(indexFor(`@acme/core`, `2.0.0`)).toBe(0);
    expect(indexFor(`@acme/core`, `1.9.9`)).toBe(1);
    expect(indexFor(`lodash`, `4.17.21`)).toBe(4);
  });

  it(`includes prereleases in version ranges`, () => {
    expect(indexFor(`@acme/core`, `3.0.0-beta.1`)).toBe(0);
    // With prereleases included, `>=2` starts at 2.0.0-0: a release candidate of 2.0.0 is in range.
    expect(indexFor(`@acme/core`, `2.0.0-rc.1`)).toBe(0);
    expect(indexFor(`@acme/core`, `1.9.9-rc.1`)).toBe(1);
    expect(indexFor(`left-pad`, `1.3.0-beta.1`)).toBe(3);
  });

  it(`never applies a ranged rule to a version it cannot parse`, () => {
    expect(indexFor(`@acme/core`, `not-a-version`)).toBe(1);
  });

  it(`returns no rule when none matches, so the default applies`, () => {
    const bare = parsePolicy(`version: 1\nrules:\n  - packages: a\n`, `policy.yml`);
    expect(findRule(bare, {name: `b`, version: `1.0.0`}, NOW)).toEqual({expired: []});
  });

  it(`skips an exception from the start of its expiry day and reports it as expired`, () => {
    const dayBefore = findRule(policy, {name: `left-pad`, version: `1.3.0`}, new Date(`2026-06-14T23:59:59Z`));
    expect(dayBefore.rule?.index).toBe(2);
    expect(dayBefore.expired).toEqual([]);

    const onTheDay = findRule(policy, {name: `left-pad`, version: `1.3.0`}, new Date(`2026-06-15T00:00:00Z`));
    expect(onTheDay.rule?.index).toBe(4);
    expect(onTheDay.expired.map(rule => rule.index)).toEqual([2]);
  });

  it(`lets a later, still valid exception decide after an expired one`, () => {
    const match = findRule(policy, {name: `left-pad`, version: `1.2.0`}, NOW);
    expect(match.rule?.index).toBe(3);
    expect(match.expired.map(rule => rule.expires)).toEqual([`2026-06-15`]);
  });
});
