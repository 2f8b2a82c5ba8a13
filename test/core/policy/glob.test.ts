import {describe, expect, it} from 'vitest';

import {matchesGlob} from '../../../sources/core/policy/glob';

describe(`matchesGlob`, () => {
  it.each([
    [`@sigstore/*`, `@sigstore/bundle`],
    [`*`, `@a/b`],
    [`*`, `left-pad`],
    [`sigstore`, `sigstore`],
    [`@types/*`, `@types/node`],
    [`refs/tags/*`, `refs/tags/release/1`],
    [`refs/tags/v*`, `refs/tags/v1.2.3`],
    [`.github/workflows/*.yml`, `.github/workflows/release.yml`],
    [`https://github.com/actions/runner/*`, `https://github.com/actions/runner/github-hosted`],
    [`@(a|b)`, `a`],
  ])(`%s matches %s`, (pattern, value) => {
    expect(matchesGlob(pattern, value)).toBe(true);
  });

  it.each([
    [`@sigstore/*`, `@sigstore-evil/bundle`],
    [`@sigstore/*`, `sigstore`],
    [`sigstore`, `sigstore-evil`],
    [`sigstore`, `@evil/sigstore`],
    [`refs/tags/*`, `refs/heads/main`],
    [`.github/workflows/*.yml`, `.github/workflows/release.yaml`],
    [`!a`, `b`],
  ])(`%s does not match %s`, (pattern, value) => {
    expect(matchesGlob(pattern, value)).toBe(false);
  });
});
