import {describe, expect, it} from 'vitest';

import type {Verdict} from '../../../sources/core/provenance.types';
import {formatVerdict} from '../../../sources/core/report/formatVerdict';

const RULE = `rules[1] (packages: tuf-js; line 5)`;
const base: Verdict = {package: {name: `tuf-js`, version: `1.0.0`}, status: `verified`, allowed: true, mode: `enforce`, rule: RULE, notes: []};

describe(`formatVerdict`, () => {
  it(`names the rule once when the finding's message already names it`, () => {
    const lines = formatVerdict({...base, status: `violation`, code: `SOURCE_REPO_MISMATCH`, allowed: false, message: `Source repository does not match ${RULE}`});
    expect(lines.filter(line => line.includes(RULE))).toHaveLength(1);
  });

  it(`names the rule that allowed a package`, () => {
    expect(formatVerdict(base).filter(line => line.includes(RULE))).toHaveLength(1);
  });
});
