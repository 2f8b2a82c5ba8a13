import {describe, expect, it} from 'vitest';

import {groupRules} from '../../../sources/core/init/groupRules';
import {toInitInput} from '../../../sources/core/init/initPackages';
import type {Verdict} from '../../../sources/core/provenance.types';
import {verdict} from './initFixtures';

function group(verdicts: Array<Verdict>) {
  return groupRules(toInitInput(verdicts).packages);
}

function rulesOf(verdicts: Array<Verdict>) {
  return group(verdicts).rules.map(({packages, versions, source}) => ({packages, versions, source}));
}

describe(`groupRules`, () => {
  it(`makes one rule with several names when one repository publishes many packages`, () => {
    expect(rulesOf([
      verdict(`tuf-js`, `2.0.0`, `theupdateframework/tuf-js`),
      verdict(`sigstore`, `2.3.1`, `sigstore/sigstore-js`),
      verdict(`sigstore-cli`, `1.0.0`, `sigstore/sigstore-js`),
    ])).toEqual([
      {packages: [`sigstore`, `sigstore-cli`], versions: undefined, source: `github.com/sigstore/sigstore-js`},
      {packages: [`tuf-js`], versions: undefined, source: `github.com/theupdateframework/tuf-js`},
    ]);
  });

  it(`writes a scope glob only when every installed package of the scope comes from that repository`, () => {
    const rules = rulesOf([
      verdict(`@sigstore/bundle`, `2.3.2`, `sigstore/sigstore-js`),
      verdict(`@sigstore/sign`, `2.3.2`, `sigstore/sigstore-js`),
      // Same scope, another repository: no glob for @other.
      verdict(`@other/a`, `1.0.0`, `sigstore/sigstore-js`),
      verdict(`@other/b`, `1.0.0`, `other/b`),
      // A package of the scope without provenance: no glob for @mixed either.
      verdict(`@mixed/a`, `1.0.0`, `sigstore/sigstore-js`),
      verdict(`@mixed/c`, `1.0.0`, `sigstore/sigstore-js`),
      verdict(`@mixed/d`, `1.0.0`),
    ]);
    expect(rules).toEqual([
      {packages: [`@other/b`], versions: undefined, source: `github.com/other/b`},
      {packages: [`@mixed/a`, `@mixed/c`, `@other/a`, `@sigstore/*`], versions: undefined, source: `github.com/sigstore/sigstore-js`},
    ]);
  });

  it(`does not write a glob for a scope of one package`, () => {
    expect(rulesOf([verdict(`@solo/a`, `1.0.0`, `solo/a`)])[0]!.packages).toEqual([`@solo/a`]);
  });

  it(`lists packages without provenance, and those from outside the registry, apart`, () => {
    const grouping = group([
      verdict(`left-pad`, `1.3.0`),
      verdict(`sigstore`, `2.3.1`, `sigstore/sigstore-js`),
      verdict(`from-git`, `0.0.0`, undefined, {status: `unattestable`, provenance: undefined, origin: `git https://example.com/x.git`}),
      verdict(`scratch`, `0.0.0`, undefined, {status: `project`, provenance: undefined}),
    ]);
    expect(grouping.unattested).toEqual([{name: `left-pad`, version: `1.3.0`}]);
    expect(grouping.unattestable).toEqual([{ref: {name: `from-git`, version: `0.0.0`}, origin: `git https://example.com/x.git`}]);
    expect(grouping.namesWithoutProvenance).toEqual([`from-git`, `left-pad`]);
    expect(grouping.rules.map(rule => rule.packages)).toEqual([[`sigstore`]]);
  });

  it(`scopes a rule to versions when the installed versions of a name disagree`, () => {
    // An older major without provenance, a newer one with: provenance from the newer one on.
    expect(rulesOf([verdict(`foo`, `1.2.0`), verdict(`foo`, `3.1.0`, `o/foo`), verdict(`foo`, `3.2.0`, `o/foo`)]))
      .toEqual([{packages: [`foo`], versions: `>=3.1.0`, source: `github.com/o/foo`}]);
    // Moved to another repository: the older versions exactly, from the move on `>=`.
    expect(rulesOf([verdict(`bar`, `1.0.0`, `a/bar`), verdict(`bar`, `1.1.0`, `a/bar`), verdict(`bar`, `2.0.0`, `b/bar`)])).toEqual([
      {packages: [`bar`], versions: `1.0.0 || 1.1.0`, source: `github.com/a/bar`},
      {packages: [`bar`], versions: `>=2.0.0`, source: `github.com/b/bar`},
    ]);
  });

  it(`names an alias with the package it stands for, counting the package once`, () => {
    const grouping = group([verdict(`sigstore`, `1.0.0`, `sigstore/sigstore-js`, {installedAs: [`sigstore-old`]})]);
    expect(grouping.rules).toMatchObject([{packages: [`sigstore`, `sigstore-old`], covers: [{name: `sigstore`, version: `1.0.0`}]}]);
  });
});
