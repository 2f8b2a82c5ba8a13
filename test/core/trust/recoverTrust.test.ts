import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';

import {toAttestationSet} from '../../../sources/core/attestations/parseAttestations';
import {createNodeFetcher} from '../../../sources/core/registry/nodeFetcher';
import {loadTrust} from '../../../sources/core/trust/loadTrust';
import {MachineTrust} from '../../../sources/core/trust/machineTrust';
import {verifyWithTrustRecovery} from '../../../sources/core/trust/recoverTrust';
import {findTrustGaps} from '../../../sources/core/trust/trustGaps';
import type {TrustFiles} from '../../../sources/core/trust/trustTexts';
import {createPackageVerifier} from '../../../sources/core/verify/verifyPackage';
import {createTestAuthority} from '../../authority';
import type {AttestationsAnswer, TestAuthority} from '../../authority';
import {rejectionCode} from '../../helpers/verifier';
import {tarball} from '../authority/privateDeployment';
import {createTufRepository} from './tufRepository';
import type {TestTufRepository, TrustContent} from './tufRepository';

// An upstream rotation, played with two test authorities: `current` signs the attestations, `other`
// lends the parts (registry key, log, CA, CT log) that a stale copy of the trust would still list.
const pkg = {name: `@acme/widget`, version: `1.2.3`};
const {sha512} = tarball();
const work = mkdtempSync(join(tmpdir(), `provenance-recover-trust-`));
let current: TestAuthority;
let other: TestAuthority;
let answer: AttestationsAnswer;

beforeAll(async () => {
  [current, other] = await Promise.all([createTestAuthority(), createTestAuthority()]);
  answer = await current.mint({pkg, tarballSha512: sha512, identity: {platform: `github`, repository: `https://github.com/acme/widget`}});
});
afterAll(() => rmSync(work, {recursive: true, force: true}));

type Part = `registry key` | `transparency log` | `certificate authority` | `CT log`;

/** The current authority's trust, with one part as it was before the rotation. */
function staleTrust(part: Part): TrustContent {
  const root = {...current.trustedRoot} as Record<string, unknown>;
  const otherRoot = other.trustedRoot as Record<string, unknown>;
  if (part === `transparency log`)
    root.tlogs = otherRoot.tlogs;
  if (part === `certificate authority`)
    root.certificateAuthorities = otherRoot.certificateAuthorities;
  if (part === `CT log`)
    root.ctlogs = otherRoot.ctlogs;
  const keys = part === `registry key` ? other.registryKeys : current.registryKeys;
  return {trustedRoot: JSON.stringify(root), registryKeys: JSON.stringify(keys)};
}

const freshTrust = (): TrustContent => ({trustedRoot: JSON.stringify(current.trustedRoot), registryKeys: JSON.stringify(current.registryKeys)});

/** The production verifier with the given trust, on these attestations and tarball digest. */
function verifierOf(attestations: AttestationsAnswer, tarballSha512 = sha512) {
  return async (files: TrustFiles) => createPackageVerifier(await loadTrust(files)).verify({package: pkg, attestations: toAttestationSet(attestations), tarballSha512});
}

const verifyWith = (files: TrustFiles) => verifierOf(answer)(files);

let repository: TestTufRepository;
let trust: MachineTrust;

async function openTrust(content: TrustContent) {
  repository.publish(content);
  trust = await MachineTrust.open({
    folder: mkdtempSync(join(work, `cache-`)),
    fetcher: createNodeFetcher(),
    repository: {mirror: repository.mirror, seedRoot: repository.seedRoot},
  });
  repository.requests.length = 0;
}

beforeEach(async () => {
  repository = await createTufRepository();
});
afterEach(() => repository.close());

describe(`findTrustGaps`, () => {
  it.each<Part>([`registry key`, `transparency log`, `certificate authority`, `CT log`])(`names a %s the trust does not list`, async part => {
    expect(await findTrustGaps(answer, staleTrust(part))).toHaveLength(1);
  });

  it(`names nothing when the trust lists everything the attestations name`, async () => {
    expect(await findTrustGaps(JSON.stringify(answer), freshTrust())).toEqual([]);
  });
});

describe(`verifyWithTrustRecovery`, () => {
  it.each<Part>([`registry key`, `certificate authority`])(`after a %s rotation, refreshes once and verifies`, async part => {
    await openTrust(staleTrust(part));
    expect(await rejectionCode(() => verifyWith(trust.choice.files))).toBe(`SIGNATURE_INVALID`);

    repository.publish(freshTrust());
    const verified = await verifyWithTrustRecovery({trust, attestations: answer, verify: verifyWith});
    expect(verified.provenance?.identity.sourceRepo).toBe(`https://github.com/acme/widget`);
    expect(trust.choice.source).toBe(`refreshed`);
    expect(repository.requests).toContain(`/timestamp.json`);
  });

  it(`is TRUST_STALE when the refreshed trust still lacks what the attestations name`, async () => {
    await openTrust(staleTrust(`registry key`));
    expect(await rejectionCode(() => verifyWithTrustRecovery({trust, attestations: answer, verify: verifyWith}))).toBe(`TRUST_STALE`);
  });

  it(`is TRUST_STALE when the refresh fails`, async () => {
    await openTrust(staleTrust(`transparency log`));
    repository.down = true;
    expect(await rejectionCode(() => verifyWithTrustRecovery({trust, attestations: answer, verify: verifyWith}))).toBe(`TRUST_STALE`);
  });

  it(`keeps SIGNATURE_INVALID, without a refresh, for a forged signature under keys the trust lists`, async () => {
    await openTrust(freshTrust());
    const forged = structuredClone(answer);
    const envelope = (forged.attestations[1]!.bundle as {dsseEnvelope: {signatures: Array<{sig: string}>}}).dsseEnvelope;
    const sig = Buffer.from(envelope.signatures[0]!.sig, `base64`);
    sig[sig.length - 1]! ^= 1;
    envelope.signatures[0]!.sig = sig.toString(`base64`);

    const recovery = verifyWithTrustRecovery({trust, attestations: forged, verify: verifierOf(forged)});
    expect(await rejectionCode(() => recovery)).toBe(`SIGNATURE_INVALID`);
    expect(repository.requests).toEqual([]);
  });

  it(`passes other failures through untouched, without a refresh`, async () => {
    await openTrust(freshTrust());
    const recovery = verifyWithTrustRecovery({trust, attestations: answer, verify: verifierOf(answer, `0`.repeat(128))});
    expect(await rejectionCode(() => recovery)).toBe(`SUBJECT_DIGEST_MISMATCH`);
    expect(repository.requests).toEqual([]);
  });
});
