import {join} from 'node:path';

import {describe, expect, it} from 'vitest';

import {findRule} from '../../../sources/core/policy/findRule';
import {loadPolicyFile} from '../../../sources/core/policy/parsePolicy';
import type {Policy} from '../../../sources/core/policy/policy.types';

const load = (name: string) => loadPolicyFile(join(__dirname, `../../../policies`, name));
const NOW = new Date(`2026-01-01T00:00:00Z`);

/** What decides for a package: the pinned sources and runner, or `default`. */
function decision(policy: Policy, name: string) {
  const {rule} = findRule(policy, {name, version: `1.0.0`}, NOW);
  if (!rule)
    return {default: policy.default};
  return {source: rule.source, runner: rule.runner, require: rule.require, mode: rule.mode};
}

const SIGSTORE = {source: [`github.com/sigstore/sigstore-js`], runner: `github-hosted`, require: `provenance`};
const PROTOBUF = {source: [`github.com/sigstore/protobuf-specs`], runner: `github-hosted`, require: `provenance`};
const TUF = {source: [`github.com/theupdateframework/tuf-js`], runner: `github-hosted`, require: `provenance`};

describe(`policies/recommended.yml`, () => {
  const policy = load(`recommended.yml`);

  it(`requires nothing by default and enforces`, () => {
    expect(policy.default).toEqual({require: `none`, mode: `enforce`});
    expect(decision(policy, `left-pad`)).toEqual({default: {require: `none`, mode: `enforce`}});
  });

  // No runner pin here: certificates from before March 2023 do not record it.
  const anyRunner = <T extends {runner: string}>(pin: T) => ({...pin, runner: undefined, mode: `enforce`});

  it(`pins well-known packages to their repositories`, () => {
    expect(decision(policy, `sigstore`)).toEqual(anyRunner(SIGSTORE));
    expect(decision(policy, `@sigstore/bundle`)).toEqual(anyRunner(SIGSTORE));
    expect(decision(policy, `@sigstore/protobuf-specs`)).toEqual(anyRunner(PROTOBUF));
    expect(decision(policy, `tuf-js`)).toEqual(anyRunner(TUF));
    expect(decision(policy, `@tufjs/models`)).toEqual(anyRunner(TUF));
    expect(decision(policy, `sigstore-evil`)).toEqual({default: policy.default});
  });
});

describe(`policies/strict.yml`, () => {
  const policy = load(`strict.yml`);

  it(`requires provenance by default, from a hosted runner, at SLSA Build L2 or higher`, () => {
    expect(policy.default).toEqual({require: `provenance`, mode: `enforce`, level: 2});
    expect(policy.rules.every(rule => rule.level === 2)).toBe(true);
    expect(decision(policy, `left-pad`)).toEqual({source: undefined, runner: `hosted`, require: `provenance`, mode: `enforce`});
  });

  it(`keeps the pins`, () => {
    expect(decision(policy, `@sigstore/verify`)).toEqual({...SIGSTORE, mode: `enforce`});
    expect(decision(policy, `@tufjs/canonical-json`)).toEqual({...TUF, mode: `enforce`});
  });
});

describe(`policies/audit-only.yml`, () => {
  const policy = load(`audit-only.yml`);

  it(`only warns, for the default and the pins alike`, () => {
    expect(policy.default).toEqual({require: `provenance`, mode: `warn`});
    expect(decision(policy, `left-pad`)).toEqual({default: {require: `provenance`, mode: `warn`}});
    expect(decision(policy, `sigstore`)).toEqual({...SIGSTORE, mode: `warn`});
    expect(policy.rules.every(rule => rule.mode === `warn`)).toBe(true);
  });
});

describe(`presets`, () => {
  it(`differ from one another`, () => {
    const digests = new Set([`recommended.yml`, `strict.yml`, `audit-only.yml`].map(name => load(name).digest));
    expect(digests.size).toBe(3);
  });
});
