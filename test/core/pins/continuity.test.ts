import {describe, expect, it} from 'vitest';

import {parseAllowChange} from '../../../sources/core/pins/allowChange';
import {approvePins} from '../../../sources/core/pins/approvePins';
import {checkContinuity, pinFor, unpinnedCount} from '../../../sources/core/pins/continuity';
import {makePins, NO_PINS} from '../../../sources/core/pins/pinsFile';
import {recordPins} from '../../../sources/core/pins/recordPins';
import type {Pin} from '../../../sources/core/pins/pins.types';
import {evaluateSubject} from '../../../sources/core/pipeline/evaluateSubject';
import {registrySubject} from '../../../sources/core/pipeline/registrySubject';
import {parsePolicy} from '../../../sources/core/policy/parsePolicy';
import {DEFAULT_CONTINUITY} from '../../../sources/core/policy/policy.types';
import type {PackageRef, VerifiedProvenance} from '../../../sources/core/provenance.types';
import {applyModeOverride} from '../../../sources/yarn/projectPolicy';
import {loadFixture} from '../../helpers/fixtures';
import {verifyJson} from '../../helpers/verifier';

const GITHUB = `https://token.actions.githubusercontent.com`;

type Build = {repo?: string, workflow?: string, runner?: string, issuer?: string, publish?: boolean, trustedPublisher?: boolean};

/** Verified evidence as the verifier returns it, for a build described by `build` (null: no provenance). */
function evidence(pkg: PackageRef, build: Build | null): VerifiedProvenance {
  if (build === null)
    return {package: pkg, tarballSha512: `a`.repeat(128), slsaLevel: 0, unknownPredicateTypes: [], publish: {keyId: `k`}};
  const {repo = `https://github.com/acme/widget`, workflow = `.github/workflows/release.yml`, runner = `github-hosted`, issuer = GITHUB} = build;
  return {
    package: pkg, tarballSha512: `a`.repeat(128), slsaLevel: 2, unknownPredicateTypes: [],
    provenance: {
      claims: {predicateType: `https://slsa.dev/provenance/v1`, buildType: `b`, builderId: `https://github.com/actions/runner/${runner}`, sourceRepo: repo},
      identity: {sourceRepo: repo, workflowPath: workflow, runnerEnvironment: runner, issuer, buildSignerUri: `${repo}/${workflow}@refs/heads/main`, buildConfigUri: `${repo}/${workflow}@refs/heads/main`, extensions: {}},
    },
    ...(build.publish === false ? {} : {publish: {keyId: `k`}}),
    ...(build.trustedPublisher !== undefined ? {registry: {signature: `verified` as const, trustedPublisher: build.trustedPublisher, staged: false}} : {}),
  };
}

const PIN: Pin = {
  source: `github.com/acme/widget`, workflow: `.github/workflows/release.yml`, builder: `github-actions`, runner: `hosted`,
  issuer: GITHUB, publishAttestation: true, trustedPublisher: false, staged: false, since: `1.0.0`,
};

const pins = (entries: Record<string, Pin>) => makePins(new Map(Object.entries(entries)), `.provenance.lock`);
const ref = (version: string): PackageRef => ({name: `widget`, version});
const codeOf = (version: string, build: Build | null, entries: Record<string, Pin> = {'widget@1': PIN}, mode: `enforce` | `warn` = `enforce`) =>
  checkContinuity(pins(entries), DEFAULT_CONTINUITY, ref(version), evidence(ref(version), build), mode)?.finding;

describe(`continuity within a release line`, () => {
  it(`finds nothing when the identity is unchanged, whatever the version or the repository's case`, () => {
    expect(codeOf(`1.9.0`, {})).toBeUndefined();
    expect(codeOf(`1.9.0`, {repo: `https://github.com/ACME/Widget`})).toBeUndefined();
  });

  it(`names each change by its code, enforced by default`, () => {
    expect(codeOf(`1.1.0`, null)).toMatchObject({code: `PROVENANCE_DOWNGRADE`, mode: `enforce`});
    expect(codeOf(`1.1.0`, {repo: `https://github.com/evil/widget`})).toMatchObject({code: `SOURCE_REPO_CHANGED`, mode: `enforce`, expected: `github.com/acme/widget`, found: `github.com/evil/widget`});
    expect(codeOf(`1.1.0`, {workflow: `.github/workflows/other.yml`})?.code).toBe(`WORKFLOW_CHANGED`);
    expect(codeOf(`1.1.0`, {repo: `https://gitlab.com/acme/widget`, issuer: `https://gitlab.com`, runner: `gitlab-hosted`})?.code).toBe(`SOURCE_REPO_CHANGED`);
    expect(codeOf(`1.1.0`, {runner: `self-hosted`})?.code).toBe(`RUNNER_DOWNGRADE`);
    expect(codeOf(`1.1.0`, {publish: false})?.code).toBe(`PUBLISHER_DOWNGRADE`);
    expect(codeOf(`1.1.0`, {trustedPublisher: false}, {'widget@1': {...PIN, trustedPublisher: true}})?.code).toBe(`PUBLISHER_DOWNGRADE`);
  });

  it(`says what was pinned, since when, and what was found`, () => {
    expect(codeOf(`1.1.0`, {repo: `https://github.com/evil/widget`})?.message).toBe(`Source repository differs from the pin of release line 1: pinned github.com/acme/widget since 1.0.0, found github.com/evil/widget at 1.1.0`);
  });

  it(`never reads a trusted-publisher signal that was not asked for as lost`, () => {
    expect(codeOf(`1.1.0`, {}, {'widget@1': {...PIN, trustedPublisher: true}})).toBeUndefined();
  });

  it(`never matches a wildcard written into a pin`, () => {
    expect(codeOf(`1.1.0`, {}, {'widget@1': {...PIN, source: `github.com/*/widget`}})?.code).toBe(`SOURCE_REPO_CHANGED`);
  });

  it(`judges a backport by its own line, never by what was published later`, () => {
    const entries = {'widget@1': PIN, 'widget@2': {...PIN, source: `github.com/acme/widget-next`, since: `2.0.0`}};
    expect(codeOf(`1.4.2`, {}, entries)).toBeUndefined();
    expect(codeOf(`2.1.0`, {repo: `https://github.com/acme/widget-next`}, entries)).toBeUndefined();
  });

  it(`is never stricter than the rule deciding for the package`, () => {
    expect(codeOf(`1.1.0`, null, {'widget@1': PIN}, `warn`)).toMatchObject({code: `PROVENANCE_DOWNGRADE`, mode: `warn`});
    const off = checkContinuity(pins({'widget@1': PIN}), DEFAULT_CONTINUITY, ref(`1.1.0`), evidence(ref(`1.1.0`), null), `off`);
    expect(off?.finding).toBeUndefined();
  });

  it(`skips a check whose mode is off, and still finds the others`, () => {
    const continuity = {...DEFAULT_CONTINUITY, source: `off` as const};
    const build = {repo: `https://github.com/evil/widget`, runner: `self-hosted`};
    expect(checkContinuity(pins({'widget@1': PIN}), continuity, ref(`1.1.0`), evidence(ref(`1.1.0`), build), `enforce`)?.finding?.code).toBe(`RUNNER_DOWNGRADE`);
  });
});

describe(`a new release line`, () => {
  it(`is compared with the nearest lower line's pin, in newLine mode (warn)`, () => {
    const entries = {'widget@1': PIN, 'widget@3': {...PIN, source: `github.com/acme/three`, since: `3.0.0`}};
    expect(pinFor(pins(entries), ref(`2.0.0`))?.key).toBe(`widget@1`);
    expect(pinFor(pins(entries), ref(`4.0.0`))?.key).toBe(`widget@3`);
    expect(pinFor(pins({'widget@3': entries['widget@3']}), ref(`0.9.0`))?.key).toBe(`widget@3`);
    expect(codeOf(`2.0.0`, {repo: `https://github.com/other/widget`}, entries)).toMatchObject({code: `SOURCE_REPO_CHANGED`, mode: `warn`});
    expect(codeOf(`2.0.0`, {}, entries)).toBeUndefined();
  });
});

describe(`continuity in the pipeline`, () => {
  const policy = (yaml = `version: 1\n`) => parsePolicy(yaml, `.provenance.yml`);
  const judge = (version: string, build: Build | null, yaml?: string, allowChange = parseAllowChange(undefined)) => {
    const subject = registrySubject(ref(version), `https://registry.npmjs.org`);
    return evaluateSubject(policy(yaml), subject, {ok: true, provenance: evidence(ref(version), build)}, new Date(), {pins: pins({'widget@1': PIN}), allowChange});
  };

  it(`turns a policy pass into a continuity block`, () => {
    expect(judge(`1.2.0`, {repo: `https://github.com/evil/widget`})).toMatchObject({status: `violation`, code: `SOURCE_REPO_CHANGED`, allowed: false, continuity: {key: `widget@1`, code: `SOURCE_REPO_CHANGED`}});
    expect(judge(`1.2.0`, {})).toMatchObject({status: `verified`, allowed: true, continuity: {key: `widget@1`, sameLine: true}});
  });

  it(`keeps a policy block as it is`, () => {
    const verdict = judge(`1.2.0`, null, `version: 1\ndefault:\n  require: provenance\n`);
    expect(verdict).toMatchObject({code: `PROVENANCE_MISSING`, allowed: false, continuity: {code: `PROVENANCE_DOWNGRADE`}});
  });

  it(`weakens with the rule: a package in warn mode is only warned about`, () => {
    expect(judge(`1.2.0`, null, `version: 1\nrules:\n  - packages: [widget]\n    mode: warn\n`)).toMatchObject({code: `PROVENANCE_DOWNGRADE`, allowed: true, mode: `warn`});
  });

  it(`lets an overridden package pass once, loudly, and records nothing for it`, () => {
    const verdict = judge(`1.2.0`, {runner: `self-hosted`}, undefined, parseAllowChange(`other, widget@1.2.0`));
    expect(verdict).toMatchObject({code: `RUNNER_DOWNGRADE`, allowed: true, continuity: {overridden: true}});
    expect(verdict.notes.some(note => note.startsWith(`Provenance continuity OVERRIDDEN for widget@1.2.0 by PROVENANCE_ALLOW_CHANGE`))).toBe(true);
    expect(recordPins(new Map(), [verdict]).added).toEqual([]);
    expect(judge(`1.2.0`, {runner: `self-hosted`}, undefined, parseAllowChange(`widget@1.2.1`)).allowed).toBe(false);
  });

  it(`judges by the policy alone without pins`, () => {
    const subject = registrySubject(ref(`1.2.0`), `https://registry.npmjs.org`);
    expect(evaluateSubject(policy(), subject, {ok: true, provenance: evidence(ref(`1.2.0`), null)}, new Date())).toMatchObject({status: `missing`, allowed: true});
  });

  it(`counts packages with provenance whose line has no pin`, () => {
    const verdicts = [`1.0.0`, `2.0.0`, `2.1.0`].map(version => ({package: ref(version), provenance: evidence(ref(version), {})}));
    expect(unpinnedCount(pins({'widget@1': PIN}), verdicts)).toBe(2);
    expect(unpinnedCount(NO_PINS, [{package: ref(`1.0.0`), provenance: evidence(ref(`1.0.0`), null)}])).toBe(0);
  });
});

describe(`the invariant: pins only add blocks`, () => {
  it(`a pin naming the found repository never lifts the policy's own block`, () => {
    const policy = parsePolicy(`version: 1\nrules:\n  - packages: [widget]\n    source: github.com/acme/widget\n`, `.provenance.yml`);
    const found = evidence(ref(`1.2.0`), {repo: `https://github.com/evil/widget`});
    const loosened = pins({'widget@1': {...PIN, source: `github.com/evil/widget`}});
    const verdict = evaluateSubject(policy, registrySubject(ref(`1.2.0`), `r`), {ok: true, provenance: found}, new Date(), {pins: loosened, allowChange: parseAllowChange(`widget`)});
    expect(verdict).toMatchObject({code: `SOURCE_REPO_MISMATCH`, allowed: false});
  });
});

describe(`approve`, () => {
  const verdictFor = (version: string, build: Build | null, code?: `NETWORK_UNVERIFIABLE`) => ({
    package: ref(version), status: code ? `unverifiable` as const : `verified` as const, allowed: !code, mode: `enforce` as const, rule: `default`, notes: [],
    ...(code ? {code} : {provenance: evidence(ref(version), build)}),
  });

  it(`records the newest version's identity per line with since and reason, and changes nothing else`, () => {
    const current = new Map(Object.entries({'widget@1': PIN, 'gadget@1': {...PIN, source: `github.com/acme/gadget`}}));
    const {entries, approvals} = approvePins(current, [verdictFor(`1.2.0`, {repo: `https://github.com/other/widget`}), verdictFor(`1.1.0`, {})], `moved`);
    expect(approvals.map(approval => approval.kind)).toEqual([`recorded`]);
    expect(entries.get(`widget@1`)).toMatchObject({source: `github.com/other/widget`, since: `1.2.0`, reason: `moved`});
    expect(entries.get(`gadget@1`)).toBe(current.get(`gadget@1`));
  });

  it(`removes the pin of a line whose version has no provenance, and approves nothing unverified`, () => {
    const current = new Map([[`widget@1`, PIN]]);
    expect(approvePins(current, [verdictFor(`1.3.0`, null)], `gone`)).toMatchObject({approvals: [{kind: `removed`, reason: `gone`}]});
    expect(approvePins(current, [verdictFor(`1.3.0`, null)], `gone`).entries.has(`widget@1`)).toBe(false);
    const unverified = approvePins(current, [verdictFor(`1.3.0`, null, `NETWORK_UNVERIFIABLE`)], undefined);
    expect(unverified.approvals.map(approval => approval.kind)).toEqual([`unverified`]);
    expect(unverified.entries.get(`widget@1`)).toBe(PIN);
    expect(approvePins(current, [verdictFor(`1.1.0`, {})], undefined).approvals.map(approval => approval.kind)).toEqual([`unchanged`]);
  });
});

describe(`provenanceDefaultMode`, () => {
  it(`weakens continuity with the rules, and never strengthens it`, () => {
    const policy = parsePolicy(`version: 1\n`, `.provenance.yml`);
    expect(applyModeOverride(policy, `warn`).continuity).toEqual({...DEFAULT_CONTINUITY, provenance: `warn`, source: `warn`, workflow: `warn`, runner: `warn`, publisher: `warn`});
    expect(applyModeOverride(policy, `enforce`).continuity.newLine).toBe(`warn`);
  });
});

describe(`continuity on real npm attestations (sigstore-js)`, () => {
  const real = async (id: string) => {
    const fixture = loadFixture(id);
    return verifyJson(fixture.pkg, fixture.attestationsJson, fixture.tarballSha512);
  };
  const pinnedAt = async (id: string) => makePins(recordPins(new Map(), [{package: (await real(id)).package, status: `verified`, allowed: true, mode: `enforce`, rule: `default`, notes: [], provenance: await real(id)}]).entries, `x`);

  it(`does not trip across npm's predicate generations of one workflow (gha/v2 1.3.0 → SLSA v1 2.3.1; 2.0.0 → 2.3.1), and catches a real loss`, async () => {
    const v231 = await real(`sigstore@2.3.1`);
    const across = checkContinuity(await pinnedAt(`sigstore@1.3.0`), DEFAULT_CONTINUITY, v231.package, v231, `enforce`);
    expect(across?.sameLine).toBe(false);
    expect(across?.finding).toBeUndefined();
    expect(checkContinuity(await pinnedAt(`sigstore@2.0.0`), DEFAULT_CONTINUITY, v231.package, v231, `enforce`)?.finding).toBeUndefined();
    // The 1.8.0 fixture carries only the publish attestation.
    const v18 = await real(`sigstore@1.8.0`);
    expect(checkContinuity(await pinnedAt(`sigstore@1.3.0`), DEFAULT_CONTINUITY, v18.package, v18, `enforce`)?.finding?.code).toBe(`PROVENANCE_DOWNGRADE`);
  });

  it(`reports the real move from publish.yml (1.0.0) to release.yml (1.3.0) as a workflow change, and the unrecorded runner as no downgrade`, async () => {
    const v13 = await real(`sigstore@1.3.0`);
    expect(checkContinuity(await pinnedAt(`sigstore@1.0.0`), DEFAULT_CONTINUITY, v13.package, v13, `enforce`)?.finding?.code).toBe(`WORKFLOW_CHANGED`);
    const continuity = {...DEFAULT_CONTINUITY, workflow: `off` as const};
    expect(checkContinuity(await pinnedAt(`sigstore@1.0.0`), continuity, v13.package, v13, `enforce`)?.finding).toBeUndefined();
  });
});
