import {describe, expect, it} from 'vitest';

import {problemsOf, rejectionOf} from './problemsOf';

/** One valid rule to wrap the line under test in; the line lands on line 4 of the file. */
const rule = (line: string) => `version: 1\nrules:\n  - packages: a\n    ${line}\n`;

describe(`invalid policies: one problem of each kind`, () => {
  it.each([
    [`unknown key in a rule`, rule(`sorce: github.com/a/b`), `rules[0].sorce@4:5`],
    [`unknown key at the top`, `version: 1\nrule: []\n`, `rule@2:1`],
    [`unknown key in default`, `version: 1\ndefault:\n  requires: none\n`, `default.requires@3:3`],
    [`version other than 1`, `version: 2\n`, `version@1:10`],
    [`version as a string`, `version: "1"\n`, `version@1:10`],
    [`missing version`, `rules: []\n`, `version@1:1`],
    [`bad default mode`, `version: 1\ndefault:\n  mode: enforcing\n`, `default.mode@3:9`],
    [`bad require`, rule(`require: always`), `rules[0].require@4:14`],
    [`bad runner`, rule(`runner: github`), `rules[0].runner@4:13`],
    [`invalid semver range`, rule(`versions: ">=banana"`), `rules[0].versions@4:15`],
    [`invalid glob`, rule(`ref: "refs/tags/[v*"`), `rules[0].ref@4:10`],
    [`negated glob`, rule(`workflow: "!.github/workflows/ci.yml"`), `rules[0].workflow@4:15`],
    [`non-string value`, rule(`ref: 42`), `rules[0].ref@4:10`],
    [`non-string list item`, `version: 1\nrules:\n  - packages: [a, true]\n`, `rules[0].packages[1]@3:19`],
    [`empty package list`, `version: 1\nrules:\n  - packages: []\n`, `rules[0].packages@3:15`],
    [`empty package name`, `version: 1\nrules:\n  - packages: ""\n`, `rules[0].packages@3:15`],
    [`missing packages`, `version: 1\nrules:\n  - require: none\n`, `rules[0].packages@3:5`],
    [`rule that is not a mapping`, `version: 1\nrules:\n  - sigstore\n`, `rules[0]@3:5`],
    [`rules that are not a list`, `version: 1\nrules: {}\n`, `rules@2:8`],
    // Points just past the colon, where the missing value belongs.
    [`empty value`, rule(`source:`), `rules[0].source@4:12`],
    [`source without a repository`, rule(`source: github.com/sigstore`), `rules[0].source@4:13`],
    [`source with another scheme`, rule(`source: http://github.com/a/b`), `rules[0].source@4:13`],
    [`source with an ssh scheme`, rule(`source: ssh://git@github.com/a/b`), `rules[0].source@4:13`],
    [`source with a query`, rule(`source: "github.com/a/b?ref=main"`), `rules[0].source@4:13`],
    [`source with a partial wildcard`, rule(`source: github.com/a/b*`), `rules[0].source@4:13`],
    [`source with a wildcard host`, rule(`source: "*/a/b"`), `rules[0].source@4:13`],
    [`source in scp form`, rule(`source: git@github.com:a/b`), `rules[0].source@4:13`],
    [`issuer that is not a URL`, rule(`issuer: token.actions.githubusercontent.com`), `rules[0].issuer@4:13`],
    [`expires that is not a date`, rule(`expires: next year\n    reason: r`), `rules[0].expires@4:14`],
    [`expires on a day that does not exist`, rule(`expires: 2027-02-30\n    reason: r`), `rules[0].expires@4:14`],
    [`expires without a reason`, rule(`expires: 2027-03-01`), `rules[0].reason@4:5`],
    [`duplicate key`, `version: 1\nrules:\n  - packages: a\n    mode: warn\n    mode: off\n`, `rules[0].mode@5:5`],
    [`YAML syntax error`, rule(`source: a: b`), `rules[0].source.a@4:13`],
    [`several YAML documents`, `version: 1\n---\nversion: 1\n`, `(root)@2:1`],
    [`empty file`, ``, `(root)@1:1`],
  ])(`%s`, (_scenario, text, expected) => {
    expect(problemsOf(text)).toContain(expected);
  });
});

describe(`invalid policies: reporting`, () => {
  it(`reports every problem in one pass, in file order`, () => {
    const text = [
      `version: 3`,
      `default:`,
      `  mode: loud`,
      `rules:`,
      `  - packages: []`,
      `    sorce: github.com/a/b`,
      `  - packages: "@scope/*"`,
      `    versions: "not a range"`,
      `    source: [github.com/a/b, "https://github.com/a"]`,
      `    expires: 2027-01-01`,
      ``,
    ].join(`\n`);

    expect(problemsOf(text)).toEqual([
      `version@1:10`,
      `default.mode@3:9`,
      `rules[0].packages@5:15`,
      `rules[0].sorce@6:5`,
      `rules[1].versions@8:15`,
      `rules[1].source[1]@9:30`,
      `rules[1].reason@10:5`,
    ]);
  });

  it(`suggests the closest known key for a typo`, () => {
    const [problem] = rejectionOf(rule(`sorce: github.com/a/b`)).problems;
    expect(problem?.message).toContain(`"source"`);
  });

  it(`suggests the closest allowed value for a misspelt enum`, () => {
    const [problem] = rejectionOf(`version: 1\ndefault:\n  mode: enforc\n`).problems;
    expect(problem?.message).toContain(`"enforce"`);
  });

  it(`lists every problem in the message as origin:line:column path`, () => {
    const error = rejectionOf(`version: 2\nrules:\n  - packages: a\n    sorce: x\n`);
    expect(error.message).toContain(`policy.yml:1:10 version: `);
    expect(error.message).toContain(`policy.yml:4:5 rules[0].sorce: `);
  });

  it(`does not pile schema noise on top of a syntax error`, () => {
    expect(problemsOf(`version: 2\nrules: [\n`)).not.toContain(`version@1:10`);
  });

  it(`still checks the content of a file whose only YAML error is a duplicate key`, () => {
    expect(problemsOf(`version: 2\nversion: 2\n`)).toEqual([`version@2:1`, `version@2:10`]);
  });
});
