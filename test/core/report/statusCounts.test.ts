import {describe, expect, it} from 'vitest';

import type {Verdict} from '../../../sources/core/provenance.types';
import {describeExtension} from '../../../sources/core/report/fulcioExtensionNames';
import {formatStatusCounts, plural} from '../../../sources/core/report/statusCounts';
import {toMarkdown} from '../../../sources/core/report/toMarkdown';
import {toTable} from '../../../sources/core/report/toTable';
import {summaryRecord} from '../../../sources/core/report/jsonRecords';

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

describe(`verdicts about the registry's integrity only (bound: registry)`, () => {
  const local: Verdict = {...verdict(`verified`), bound: `local`};
  const registry: Verdict = {...verdict(`verified`), package: {name: `q`, version: `1.0.0`}, bound: `registry`};
  const forged: Verdict = {...verdict(`invalid`), package: {name: `r`, version: `1.0.0`}, code: `SUBJECT_DIGEST_MISMATCH`, bound: `registry`};

  it(`the table says so on the row and in the last line`, () => {
    const lines = toTable([local, registry]);
    expect(lines.find(line => line.startsWith(`p@1.0.0`))).toMatch(/^p@1\.0\.0\s+verified\s/);
    expect(lines.find(line => line.startsWith(`q@1.0.0`))).toMatch(/^q@1\.0\.0\s+verified \(registry\)\s/);
    expect(lines.at(-1)).toContain(`; 1 judged against the registry's signed integrity only`);
    expect(toTable([local]).at(-1)).not.toContain(`registry`);
  });

  it(`the Markdown summary says so, on its finding rows too`, () => {
    const markdown = toMarkdown([local, registry, forged], `.provenance.yml`);
    expect(markdown).toContain(`2 packages judged against the registry's signed integrity only`);
    expect(markdown).toContain(`| \`r@1.0.0\` | invalid (registry) |`);
    expect(toMarkdown([local], `.provenance.yml`)).not.toContain(`registry`);
  });

  it(`the JSON summary counts both`, () => {
    expect(summaryRecord([local, registry, forged, verdict(`project`)], 0).bound).toEqual({local: 1, registry: 2});
  });
});

describe(`describeExtension`, () => {
  it(`names Fulcio's extensions and keeps other OIDs as they are`, () => {
    expect(describeExtension(`1.3.6.1.4.1.57264.1.12`)).toBe(`SourceRepositoryURI (1.3.6.1.4.1.57264.1.12)`);
    expect(describeExtension(`1.3.6.1.4.1.57264.1.5`)).toBe(`GithubWorkflowRepository (1.3.6.1.4.1.57264.1.5)`);
    expect(describeExtension(`1.3.6.1.4.1.57264.1.99`)).toBe(`1.3.6.1.4.1.57264.1.99`);
  });
});
