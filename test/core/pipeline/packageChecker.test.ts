import {describe, expect, it} from 'vitest';

import {ProvenanceError} from '../../../sources/core/errors';
import type {CheckerEdges} from '../../../sources/core/pipeline/packageChecker';
import {PackageChecker} from '../../../sources/core/pipeline/packageChecker';
import type {PackageSubject} from '../../../sources/core/pipeline/packageSubject.types';
import {parsePolicy} from '../../../sources/core/policy/parsePolicy';
import type {VerifiedProvenance} from '../../../sources/core/provenance.types';
import {loadFixture} from '../../helpers/fixtures';
import {verifyJson} from '../../helpers/verifier';

// The one pipeline behind the gate and every command, with its edges (network, binding, memory)
// replaced by the answers the real ones would give: the real verifier and policy engine decide.
const NOW = new Date(`2026-11-21T12:00:00Z`);
const fixture = loadFixture(`sigstore@2.3.1`);
const REGISTRY = `https://registry.npmjs.org`;
const PINNED = `version: 1\nrules:\n  - packages: [sigstore]\n    source: github.com/sigstore/sigstore-js\n`;

function subject(overrides: Partial<PackageSubject> = {}): PackageSubject {
  return {id: `sigstore@2.3.1`, ref: {name: `sigstore`, version: `2.3.1`}, installedAs: [], source: {kind: `registry`, registry: REGISTRY}, problems: [], ...overrides};
}

type Calls = {tarball: number, attestations: number, verify: number};

function edges(calls: Calls, overrides: Partial<CheckerEdges> = {}): CheckerEdges {
  return {
    trustDigest: `trust`,
    verify: async input => {
      calls.verify += 1;
      return verifyJson(input.package, JSON.parse(Buffer.from(input.attestations!).toString(`utf8`)), input.tarballSha512);
    },
    tarballDigest: async () => {
      calls.tarball += 1;
      return fixture.tarballSha512;
    },
    fetchAttestations: async () => {
      calls.attestations += 1;
      return Buffer.from(JSON.stringify(fixture.attestationsJson));
    },
    ...overrides,
  };
}

function checker(policyText: string, calls: Calls, overrides: Partial<CheckerEdges> = {}, skipOff = true): PackageChecker {
  return new PackageChecker(edges(calls, overrides), parsePolicy(policyText, `/p/.provenance.yml`), {skipOff, concurrency: 4, now: NOW});
}

const fresh = (): Calls => ({tarball: 0, attestations: 0, verify: 0});

describe(`the package checker`, () => {
  it(`verifies a registry package once per run, however often it is asked`, async () => {
    const calls = fresh();
    const check = checker(PINNED, calls);
    const [a, b] = await Promise.all([check.check(subject()), check.check(subject())]);
    expect(a).toBe(b);
    expect(a).toMatchObject({status: `verified`, allowed: true});
    expect(calls).toEqual({tarball: 1, attestations: 1, verify: 1});
  });

  it(`judges an alias by the rules of both names, and names both`, async () => {
    const calls = fresh();
    // The package really is sigstore (genuine), but it is installed as `left-pad`, pinned elsewhere.
    const verdict = await checker(`${PINNED}  - packages: [left-pad]\n    source: github.com/left-pad/left-pad\n`, calls).check(subject({installedAs: [`left-pad`]}));
    expect(verdict).toMatchObject({status: `violation`, code: `SOURCE_REPO_MISMATCH`, allowed: false, installedAs: [`left-pad`]});
    expect(verdict!.package).toEqual({name: `sigstore`, version: `2.3.1`});
    expect(verdict!.message).toContain(`installed as left-pad`);
  });

  it(`blocks an unattestable source under require: provenance, without any network, and says how to allow it`, async () => {
    const calls = fresh();
    const git = subject({source: {kind: `unattestable`, protocol: `git`, location: `https://github.com/a/b.git`, ranCodeBeforeGate: `prepack ran`}});
    const verdict = await checker(`version: 1\ndefault:\n  require: provenance\n`, calls).check(git);
    expect(verdict).toMatchObject({status: `unattestable`, code: `SOURCE_UNATTESTABLE`, allowed: false, origin: `git https://github.com/a/b.git`});
    expect(verdict!.message).toContain(`require: none`);
    expect(verdict!.notes).toContain(`prepack ran`);
    expect(calls).toEqual(fresh());

    const allowed = await checker(`version: 1\n`, fresh()).check(git);
    expect(allowed).toMatchObject({status: `unattestable`, allowed: true});
    expect(allowed!.code).toBeUndefined();
  });

  it(`blocks a lockfile problem whatever the evidence would say`, async () => {
    const calls = fresh();
    const problem = new ProvenanceError({code: `LOCKFILE_RESOLUTION_MISMATCH`, message: `edited`, mismatch: {what: `yarn.lock resolves sigstore@npm:2.3.1 to another package`, expected: `sigstore@npm:2.3.1`, found: `evil@npm:1.0.0`}});
    const verdict = await checker(`version: 1\n`, calls).check(subject({problems: [problem]}));
    expect(verdict).toMatchObject({status: `invalid`, code: `LOCKFILE_RESOLUTION_MISMATCH`, allowed: false, found: `evil@npm:1.0.0`});
    expect(calls).toEqual(fresh());
  });

  it(`lists patches and the project's own code without judging them`, async () => {
    const calls = fresh();
    const strict = checker(`version: 1\ndefault:\n  require: provenance\n`, calls);
    expect(await strict.check(subject({source: {kind: `patch`, of: `sigstore@npm:2.3.1`}}))).toMatchObject({status: `patched`, allowed: true});
    expect(await strict.check(subject({id: `ws`, source: {kind: `project`, location: `packages/a`}}))).toMatchObject({status: `project`, allowed: true});
    expect(calls).toEqual(fresh());
  });

  it(`fails closed with the binding's code when the bytes cannot be tied to the attested tarball`, async () => {
    const calls = fresh();
    const tarballDigest = async () => {
      throw new ProvenanceError({code: `CACHE_BINDING_MISMATCH`, message: `not made from the registry's tarball`});
    };
    const verdict = await checker(`version: 1\n`, calls, {tarballDigest}).check(subject());
    expect(verdict).toMatchObject({status: `invalid`, code: `CACHE_BINDING_MISMATCH`, allowed: false});
    expect(calls.attestations).toBe(0);
  });

  it(`reuses remembered evidence without fetching, and remembers what it verified`, async () => {
    const remembered = new Map<string, VerifiedProvenance>();
    const memory = async () => ({get: (key: {name: string}) => remembered.get(key.name), set: (key: {name: string}, value: VerifiedProvenance) => void remembered.set(key.name, value)});
    const first = fresh();
    await checker(PINNED, first, {memory}).check(subject());
    expect(first.verify).toBe(1);
    const second = fresh();
    expect(await checker(PINNED, second, {memory}).check(subject())).toMatchObject({status: `verified`});
    expect(second).toEqual({tarball: 1, attestations: 0, verify: 0});
  });

  it(`skips a package only when the rules of all its names say off`, async () => {
    const off = `version: 1\nrules:\n  - packages: [sigstore]\n    mode: off\n`;
    expect(checker(off, fresh()).check(subject())).toBeNull();
    expect(checker(off, fresh()).check(subject({installedAs: [`other`]}))).not.toBeNull();
    expect(checker(off, fresh(), {}, false).check(subject())).not.toBeNull();
  });

  it(`rejects for the caller's own mistakes instead of concluding anything about the package`, async () => {
    const verify = async () => {
      throw new ProvenanceError({code: `TRUST_MATERIAL_INVALID`, message: `bad root`});
    };
    await expect(checker(`version: 1\n`, fresh(), {verify}).check(subject())).rejects.toMatchObject({code: `TRUST_MATERIAL_INVALID`});
  });
});
