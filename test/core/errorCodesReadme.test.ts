import {readFileSync} from 'node:fs';
import {resolve} from 'node:path';

import {describe, expect, it} from 'vitest';

import {ERROR_CODES} from '../../sources/core/errors';

// Every code that can be printed is documented, under its kind, in README.md's "Statuses and codes".
const README = readFileSync(resolve(__dirname, `../../README.md`), `utf8`);

/** The table's rows as [kind, codes]: the first word of the first cell, the backquoted codes of the second. */
function documentedCodes(): Array<[string, Array<string>]> {
  const section = README.slice(README.indexOf(`### Statuses and codes`));
  const table = section.slice(section.indexOf(`| status | codes |`)).split(`\n\n`)[0]!;
  return table.split(`\n`).slice(2).map(row => {
    const [, kindCell = ``, codesCell = ``] = row.split(`|`).map(cell => cell.trim());
    // Explanations in parentheses may quote other words in backquotes; only the listed codes count.
    const listed = codesCell.replace(/\([^()]*\)/g, ``);
    return [kindCell.split(` `)[0]!, [...listed.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map(match => match[1]!)];
  });
}

describe(`README.md's table of codes`, () => {
  it(`has one row per kind`, () => {
    expect(documentedCodes().map(([kind]) => kind).sort()).toEqual([`invalid`, `unverifiable`, `usage`, `violation`]);
  });

  it(`lists every code of ERROR_CODES under its kind, and no other code`, () => {
    const documented: Record<string, string> = {};
    for (const [kind, codes] of documentedCodes())
      for (const code of codes)
        documented[code] = kind;
    expect(documented).toEqual({...ERROR_CODES});
  });

  it(`lists each code once`, () => {
    const codes = documentedCodes().flatMap(([, listed]) => listed);
    expect(codes.filter((code, index) => codes.indexOf(code) !== index)).toEqual([]);
  });
});
