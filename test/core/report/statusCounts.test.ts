import {describe, expect, it} from 'vitest';

import type {Verdict} from '../../../sources/core/provenance.types';
import {describeExtension} from '../../../sources/core/report/fulcioExtensionNames';
import {formatStatusCounts, plural} from '../../../sources/core/report/statusCounts';
import {toMarkdown} from '../../../sources/core/report/toMarkdown';

function verdict(status: Verdict[`status`]): Verdict {
  return {package: {name: `p`, version: `1.0.0`}, status, allowed: true, mode: `enforce`, rule: `default`, notes: []};
}

describe(`counts and their words`, () => {
  it(`writes one and several of a noun`, () => {
    expect([plural(0, `package`), plural(1, `package`), plural(2, `violation`)]).toEqual([`0 packages`, `1 package`, `2 violations`]);
  });

  it(`names each state as its status is named, with verified and missing always shown`, () => {
    expect(formatStatusCounts([verdict(`violation`)])).toBe(`0 verified, 0 missing, 1 violation`);
    expect(formatStatusCounts([verdict(`missing`), verdict(`violation`), verdict(`violation`), verdict(`project`)]))
      .toBe(`0 verified, 1 missing, 2 violations, 1 project`);
  });

  it(`heads the Markdown summary's counts with the status names`, () => {
    const markdown = toMarkdown([verdict(`missing`)], `.provenance.yml`);
    expect(markdown).toContain(`1 package checked`);
    expect(markdown).toContain(`| verified | missing | violation | invalid | unverifiable | unattestable | patched | project |`);
    expect(markdown).toContain(`| 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 |`);
  });
});

describe(`describeExtension`, () => {
  it(`names Fulcio's extensions and keeps other OIDs as they are`, () => {
    expect(describeExtension(`1.3.6.1.4.1.57264.1.12`)).toBe(`SourceRepositoryURI (1.3.6.1.4.1.57264.1.12)`);
    expect(describeExtension(`1.3.6.1.4.1.57264.1.5`)).toBe(`GithubWorkflowRepository (1.3.6.1.4.1.57264.1.5)`);
    expect(describeExtension(`1.3.6.1.4.1.57264.1.99`)).toBe(`1.3.6.1.4.1.57264.1.99`);
  });
});
