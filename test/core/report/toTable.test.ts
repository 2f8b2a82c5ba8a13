import {describe, expect, it} from 'vitest';

import type {Verdict, VerifiedProvenance} from '../../../sources/core/provenance.types';
import {shortUrl, toTable} from '../../../sources/core/report/toTable';

const LOCKFILE = `__metadata:
  version: 8

"zeta@npm:1.0.0":
  version: 1.0.0
  resolution: "zeta@npm:1.0.0"

"@very-long-scope-name-for-a-test/with-an-even-longer-package-name-inside@npm:10.20.30":
  version: 10.20.30
  resolution: "@very-long-scope-name-for-a-test/with-an-even-longer-package-name-inside@npm:10.20.30"

"alpha@npm:2.0.0":
  version: 2.0.0
  resolution: "alpha@npm:2.0.0"
`;

function evidence(sourceRepo: string, builderId: string): VerifiedProvenance {
  return {
    package: {name: `x`, version: `1.0.0`}, tarballSha512: ``, slsaLevel: 2, unknownPredicateTypes: [],
    provenance: {claims: {predicateType: ``, buildType: ``, builderId, sourceRepo}, identity: {sourceRepo, extensions: {}}},
  };
}

const LONG_REPO = `https://github.com/a-rather-long-organisation-name/a-repository-whose-name-goes-on-and-on-and-on`;
const VERDICTS: Array<Verdict> = [
  {package: {name: `alpha`, version: `2.0.0`}, status: `verified`, allowed: true, mode: `enforce`, rule: `default`, notes: [],
    provenance: evidence(`https://github.com/o/alpha`, `https://github.com/actions/runner/github-hosted`)},
  {package: {name: `@very-long-scope-name-for-a-test/with-an-even-longer-package-name-inside`, version: `10.20.30`}, status: `violation`,
    code: `SOURCE_REPO_MISMATCH`, allowed: true, mode: `warn`, rule: `rules[0]`, notes: [],
    provenance: evidence(LONG_REPO, `https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v1.9.0`)},
  {package: {name: `zeta`, version: `1.0.0`}, status: `missing`, code: `PROVENANCE_MISSING`, allowed: false, mode: `enforce`, rule: `default`, notes: []},
];

const columns = (line: string) => line.split(/ {2,}/);

describe(`toTable`, () => {
  const lines = toTable(VERDICTS, {lockfileText: LOCKFILE});

  it(`fits 120 columns, shortening long cells`, () => {
    expect(Math.max(...lines.map(line => line.length))).toBeLessThanOrEqual(120);
    expect(lines.some(line => line.includes(`…`))).toBe(true);
  });

  it(`lists packages in lockfile order`, () => {
    expect(lines.slice(2, 5).map(line => columns(line)[0]!.slice(0, 6))).toEqual([`zeta@1`, `@very-`, `alpha@`]);
  });

  it(`says whether each package blocks, and by which mode a finding was let through`, () => {
    expect(columns(lines[0]!)).toEqual([`package`, `status`, `code`, `blocks`, `SLSA`, `source`, `builder`]);
    // Cells by the header's column starts: an empty code cell is a gap of spaces.
    const starts = [`status`, `code`, `blocks`, `SLSA`].map(title => lines[0]!.indexOf(title));
    const cells = (line: string) => starts.slice(0, -1).map((start, i) => line.slice(start, starts[i + 1]).trim());
    expect(lines.slice(2, 5).map(cells)).toEqual([
      [`missing`, `PROVENANCE_MISSING`, `yes`],
      [`violation`, `SOURCE_REPO_MISMATCH`, `no (warn)`],
      [`verified`, ``, `no`],
    ]);
  });

  it(`ends with the counts per status and how many block`, () => {
    expect(lines.at(-1)).toBe(`3 packages: 1 verified, 1 missing, 1 violation; 1 blocking`);
  });

  it(`lists only the packages with a finding with failuresOnly, and still counts all`, () => {
    const failures = toTable(VERDICTS, {lockfileText: LOCKFILE, failuresOnly: true});
    expect(failures.slice(2, -1).map(line => columns(line)[2])).toEqual([`PROVENANCE_MISSING`, `SOURCE_REPO_MISMATCH`]);
    expect(failures.at(-1)).toMatch(/^3 packages: /);
  });

  it(`shortens the prefixes every row would repeat`, () => {
    expect(shortUrl(`https://github.com/actions/runner/github-hosted`)).toBe(`github-hosted`);
    expect(shortUrl(`https://github.com/o/r`)).toBe(`o/r`);
    expect(shortUrl(`https://gitlab.com/o/r`)).toBe(`gitlab.com/o/r`);
    expect(shortUrl(`https://github.com/slsa-framework/slsa-github-generator/.github/workflows/g.yml@v1`)).toBe(`slsa-framework/slsa-github-generator/…/g.yml@v1`);
  });

  it(`colours each status cell by what it means at install, padding measured on the plain text`, () => {
    const colour = (text: string, tone: string) => `<${tone}>${text}</${tone}>`;
    const coloured = toTable(VERDICTS, {lockfileText: LOCKFILE, colour});
    expect(coloured.slice(2, 5).map(line => /<(\w+)>(\w+)\s*<\//.exec(line)!.slice(1))).toEqual([
      [`blocks`, `missing`], [`warns`, `violation`], [`verified`, `verified`],
    ]);
    expect(coloured.map(line => line.replace(/<\/?\w+>/g, ``))).toEqual(lines);
  });
});
