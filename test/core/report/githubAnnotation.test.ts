import {describe, expect, it} from 'vitest';

import {parsePolicy} from '../../../sources/core/policy/parsePolicy';
import type {Verdict} from '../../../sources/core/provenance.types';
import {annotationPlace, toGithubAnnotation} from '../../../sources/core/report/githubAnnotation';

const policy = parsePolicy(`version: 1\nrules:\n  - packages: [left-pad]\n    source: github.com/a/b\n`, `/p/.provenance.yml`);
const verdict: Verdict = {
  package: {name: `left-pad`, version: `1.3.0`}, status: `violation`, code: `SOURCE_REPO_MISMATCH`, allowed: false, mode: `enforce`,
  rule: `rules[0] (packages: left-pad; line 3)`, notes: [], message: `Source repository: 50%,\nchecked`,
  expected: `github.com/a/b`, found: `github.com/c/d`,
};
const LOCKFILE = `__metadata:\n  version: 8\n\n"left-pad@npm:1.3.0":\n  version: 1.3.0\n  resolution: "left-pad@npm:1.3.0"\n`;

describe(`GitHub annotations`, () => {
  it(`writes one workflow command with file, line and title, escaped as GitHub requires`, () => {
    expect(toGithubAnnotation(verdict, {file: `yarn.lock`, line: 4}))
      .toBe(`::error file=yarn.lock,line=4,title=SOURCE_REPO_MISMATCH left-pad@1.3.0::Source repository: 50%25,%0Achecked; expected github.com/a/b; found github.com/c/d`);
  });

  it(`points at the lockfile entry, else at the policy rule, else at the lockfile`, () => {
    const where = (lockfileText: string | null, policyFile: string | null) => annotationPlace(verdict, {lockfileText, lockfileFile: `yarn.lock`, policy, policyFile});
    expect(where(LOCKFILE, `.provenance.yml`)).toEqual({file: `yarn.lock`, line: 4});
    expect(where(null, `.provenance.yml`)).toEqual({file: `.provenance.yml`, line: 3});
    expect(where(null, null)).toEqual({file: `yarn.lock`});
  });
});
