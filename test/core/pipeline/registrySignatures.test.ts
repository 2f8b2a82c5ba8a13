import {sign} from 'node:crypto';

import {describe, expect, it} from 'vitest';

import type {CheckerEdges, EvidenceMemory} from '../../../sources/core/pipeline/packageChecker';
import {PackageChecker} from '../../../sources/core/pipeline/packageChecker';
import type {PackageSubject} from '../../../sources/core/pipeline/packageSubject.types';
import {parsePolicy} from '../../../sources/core/policy/parsePolicy';
import type {PackageRef, VerifiedProvenance} from '../../../sources/core/provenance.types';
import {toSignatureKeys} from '../../../sources/core/registry/registrySignature';
import {parseRegistryKeys, SIGNATURE_KEY_USAGE} from '../../../sources/core/trust/registryKeys';
import {createRegistryKey} from '../../authority/registryKey';
import {loadFixture} from '../../helpers/fixtures';
import {publicGoodVerifier} from '../../helpers/verifier';

// The pipeline with the registry-signature edge: the real verifier (sigstore@2.3.1's real provenance,
// published 2024-05-16) and the real policy engine; the registry's version document is signed here by a
// key playing npm's, and the registry's answers are what the edges return.
const NOW = new Date(`2026-11-21T12:00:00Z`);
const fixture = loadFixture(`sigstore@2.3.1`);
const REGISTRY = `https://registry.npmjs.org`;
const registryKey = createRegistryKey(new Date(`2020-01-01T00:00:00Z`));
const [listed] = parseRegistryKeys(registryKey.keysJson, `keys.json`, SIGNATURE_KEY_USAGE);
const KEYS = toSignatureKeys([listed!], `keys.json`);

function subject(ref: PackageRef = fixture.pkg): PackageSubject {
  return {id: `${ref.name}@${ref.version}`, ref, installedAs: [], source: {kind: `registry`, registry: REGISTRY}, problems: []};
}

function versionDocument(ref: PackageRef, {signed = true, trustedPublisher = false} = {}) {
  const integrity = fixture.expected.integrity;
  const signatures = signed ? [{keyid: registryKey.keyId, sig: sign(`sha256`, Buffer.from(`${ref.name}@${ref.version}:${integrity}`), registryKey.privateKey).toString(`base64`)}] : [];
  return {name: ref.name, version: ref.version, _npmUser: trustedPublisher ? {name: `GitHub Actions`, trustedPublisher: {id: `github`}} : {name: `someone`}, dist: {integrity, signatures}};
}

type Options = {attested?: boolean, document?: unknown, keys?: typeof KEYS, memory?: EvidenceMemory};

function checker(policyText: string, {attested = true, document, keys = KEYS, memory}: Options = {}, fetched = {count: 0}): PackageChecker {
  const edges: CheckerEdges = {
    trustDigest: `trust`,
    verify: async input => {
      const verifier = await publicGoodVerifier();
      const attestations = input.attestations === null ? {unknownPredicateTypes: []} : toSet(input.attestations);
      return verifier.verify({package: input.package, attestations, tarballSha512: input.tarballSha512});
    },
    tarballDigest: async () => fixture.tarballSha512,
    fetchAttestations: async () => attested ? Buffer.from(fixture.attestationsText) : null,
    registrySignatures: {keys, fetchVersionMetadata: async s => {
      fetched.count += 1;
      return document === undefined ? versionDocument(s.ref) : document;
    }},
    ...(memory ? {memory: async () => memory} : {}),
  };
  return new PackageChecker(edges, parsePolicy(policyText, `/p/.provenance.yml`), {skipOff: true, concurrency: 4, now: NOW});
}

function toSet(bytes: Uint8Array) {
  const json = JSON.parse(Buffer.from(bytes).toString(`utf8`)) as {attestations: Array<{predicateType: string, bundle: unknown}>};
  const provenance = json.attestations.find(a => a.predicateType.startsWith(`https://slsa.dev/provenance/`));
  const publish = json.attestations.find(a => a.predicateType.includes(`/publish/`));
  return {provenance, publish, unknownPredicateTypes: []};
}

const POLICY = `version: 1\n`;

describe(`registry signatures in the pipeline`, () => {
  it(`verifies the registry signature beside the provenance, and keeps it in the evidence`, async () => {
    const verdict = await checker(POLICY).check(subject())!;
    expect(verdict).toMatchObject({status: `verified`, allowed: true});
    expect(verdict.provenance?.registry).toEqual({signature: `verified`, keyId: registryKey.keyId, trustedPublisher: false, staged: false});
  });

  it(`verifies the signature of a package without provenance too`, async () => {
    const verdict = await checker(POLICY, {attested: false}).check(subject())!;
    expect(verdict).toMatchObject({status: `missing`, allowed: true});
    expect(verdict.provenance?.registry?.signature).toBe(`verified`);

    const forged = versionDocument(fixture.pkg);
    forged.dist.signatures[0]!.sig = sign(`sha256`, Buffer.from(`sigstore@2.3.1:sha512-other`), registryKey.privateKey).toString(`base64`);
    const blocked = await checker(POLICY, {attested: false, document: forged}).check(subject())!;
    expect(blocked).toMatchObject({status: `invalid`, code: `REGISTRY_SIGNATURE_INVALID`, allowed: false});
  });

  it(`judges the key's window at the publish attestation's log time`, async () => {
    // The key was rotated out before 2024-05-16, when the log recorded sigstore@2.3.1's publish.
    const expired = toSignatureKeys([{...listed!, end: new Date(`2024-01-01T00:00:00Z`)}], `keys.json`);
    const verdict = await checker(POLICY, {keys: expired}).check(subject())!;
    expect(verdict).toMatchObject({status: `invalid`, code: `REGISTRY_SIGNATURE_INVALID`, allowed: false});
    const stillValid = toSignatureKeys([{...listed!, end: new Date(`2024-06-01T00:00:00Z`)}], `keys.json`);
    expect(await checker(POLICY, {keys: stillValid}).check(subject())!).toMatchObject({status: `verified`, allowed: true});
  });

  it(`reports a registry that serves no signature as a note, and blocks it only with signatures.missing: enforce`, async () => {
    const unsigned = versionDocument(fixture.pkg, {signed: false});
    const noted = await checker(POLICY, {document: unsigned}).check(subject())!;
    expect(noted).toMatchObject({status: `verified`, allowed: true});
    expect(noted.code).toBeUndefined();
    expect(noted.notes.some(note => note.includes(`no signature`))).toBe(true);
    expect(noted.provenance?.registry?.signature).toBe(`absent`);

    const enforced = `version: 1\nsignatures:\n  missing: enforce\n`;
    expect(await checker(enforced, {document: unsigned}).check(subject())!).toMatchObject({status: `violation`, code: `REGISTRY_SIGNATURE_MISSING`, allowed: false});
    // A registry without version documents at all serves no signature either.
    expect(await checker(enforced, {document: null, attested: false}).check(subject())!).toMatchObject({code: `REGISTRY_SIGNATURE_MISSING`, allowed: false});

    const off = await checker(`version: 1\nsignatures:\n  missing: off\n`, {document: unsigned}).check(subject())!;
    expect(off.notes.some(note => note.includes(`no signature`))).toBe(false);
    // A rule's own exception (mode: warn) covers the missing signature too: reported, not blocked.
    const excused = await checker(`${enforced}rules:\n  - packages: [sigstore]\n    mode: warn\n    reason: our mirror strips signatures\n`, {document: unsigned}).check(subject())!;
    expect(excused).toMatchObject({allowed: true});
    expect(excused.notes.some(note => note.includes(`no signature`))).toBe(true);
  });

  it(`reads trusted publishing into the evidence`, async () => {
    const verdict = await checker(POLICY, {document: versionDocument(fixture.pkg, {trustedPublisher: true})}).check(subject())!;
    expect(verdict.provenance?.registry).toMatchObject({signature: `verified`, trustedPublisher: true, staged: false});
  });

  it(`checks again evidence remembered before registry signatures were checked`, async () => {
    const entries = new Map<string, VerifiedProvenance>();
    const memory: EvidenceMemory = {get: key => entries.get(key.name), set: (key, value) => void entries.set(key.name, value)};
    const first = await checker(POLICY, {attested: false}).check(subject())!;
    const {registry: _registry, ...older} = first.provenance!;
    entries.set(fixture.pkg.name, older);

    const fetched = {count: 0};
    const again = await checker(POLICY, {attested: false, memory}, fetched).check(subject())!;
    expect(fetched.count).toBe(1);
    expect(again.provenance?.registry?.signature).toBe(`verified`);
    // Now remembered with it: the next run asks nothing.
    await checker(POLICY, {attested: false, memory}, fetched).check(subject())!;
    expect(fetched.count).toBe(1);
  });
});
