import {describe, expect, it} from 'vitest';

import {normaliseSource, repoMatches} from '../../../sources/core/policy/source';

describe(`normaliseSource`, () => {
  it.each([
    [`https://github.com/a/b`, `github.com/a/b`],
    [`github.com/a/b/`, `github.com/a/b`],
    [`https://github.com/a/b.git`, `github.com/a/b`],
    [`HTTPS://GitHub.COM/Owner/Repo`, `github.com/Owner/Repo`],
  ])(`%s → %s`, (input, expected) => {
    expect(normaliseSource(input)).toBe(expected);
  });
});

describe(`repoMatches`, () => {
  it.each([
    [`github.com/a/b`, `https://github.com/a/b`],
    [`github.com/a/b`, `github.com/a/b`],
    [`https://github.com/a/b`, `github.com/a/b.git`],
    [`github.com/sigstore/*`, `https://github.com/sigstore/sigstore-js`],
    [`github.com/A/B`, `https://GITHUB.com/a/b`],
    [`gitlab.com/Group/Sub/Repo`, `https://gitlab.com/group/sub/repo`],
    [`git.example.com/team/repo`, `https://GIT.example.com/team/repo`],
  ])(`%s matches %s`, (pattern, repo) => {
    expect(repoMatches(pattern, repo)).toBe(true);
  });

  it.each([
    [`github.com/a/b`, `https://github.com/a/bc`, `a longer name`],
    [`github.com/a/b`, `https://github.com/a/b-evil`, `an evil suffix`],
    [`github.com/a/b`, `https://github.com/a/b/c`, `an extra segment`],
    [`github.com/a/b`, `https://github.com/a`, `a missing segment`],
    [`github.com/a/b`, `https://github.com/ab`, `segments run together`],
    [`github.com/a/b`, `https://github.com.evil.com/a/b`, `an evil host`],
    [`github.com/a/b`, `https://evilgithub.com/a/b`, `a host with a prefix`],
    [`github.com/a/b`, `https://gitlab.com/a/b`, `another host`],
    [`github.com/a/b`, `http://github.com/a/b`, `another scheme`],
    [`github.com/a/b`, `https://github.com/a/b?x=1`, `a query`],
    [`github.com/a/b`, `https://github.com/a/b#x`, `a fragment`],
    [`github.com/sigstore/*`, `https://github.com/sigstore`, `a wildcard with nothing to match`],
    [`github.com/sigstore/*`, `https://github.com/sigstore/`, `a wildcard against an empty segment`],
    [`github.com/sigstore/*`, `https://github.com/sigstore/x/y`, `a wildcard against two segments`],
    [`github.com/sigstore/*`, `https://github.com/sigstore-evil/x`, `a wildcard under another owner`],
    [`github.com/sigstore/*`, `https://github.com/sigstore/..`, `a wildcard against ..`],
    [`git.example.com/Team/Repo`, `https://git.example.com/team/repo`, `case on a case-sensitive host`],
  ])(`%s does not match %s (%s)`, (pattern, repo) => {
    expect(repoMatches(pattern, repo)).toBe(false);
  });
});
