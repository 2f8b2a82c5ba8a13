import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {afterAll, describe, expect, it} from 'vitest';

import {LocalStore} from '../../../sources/core/cache/localStore';
import type {EvidenceKey} from '../../../sources/core/cache/localStore';
import {DEFAULT_POLICY} from '../../../sources/core/policy/defaultPolicy';
import {parsePolicy} from '../../../sources/core/policy/parsePolicy';
import {pinsFromData} from '../../../sources/core/pins/pinsFile';
import {loadFixture} from '../../helpers/fixtures';
import {rejectionCode, verifyJson} from '../../helpers/verifier';

const folders: Array<string> = [];
afterAll(() => {
  for (const folder of folders)
    rmSync(folder, {recursive: true, force: true});
});
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), `provenance-store-`));
  folders.push(dir);
  return dir;
}

const fixture = loadFixture(`sigstore@2.3.1`);
const evidence = () => verifyJson({name: `sigstore`, version: `2.3.1`}, fixture.attestationsJson, fixture.tarballSha512);
const key = (): EvidenceKey => ({trustDigest: `t`, registry: `https://registry.npmjs.org`, name: `sigstore`, version: `2.3.1`, tarballSha512: fixture.tarballSha512});
const ZIP = `a`.repeat(128);

async function reopen(dir: string): Promise<LocalStore> {
  return LocalStore.open(dir);
}

describe(`the local store`, () => {
  it(`remembers real verified evidence, bindings, policies and passed installs across runs`, async () => {
    const dir = folder();
    const store = await LocalStore.open(dir);
    const policy = parsePolicy(`version: 1\nrules:\n  - packages: [sigstore]\n    source: github.com/sigstore/sigstore-js\n`, `/p/.provenance.yml`);
    const verified = await evidence();
    const memory = await store.evidence();
    memory.set(key(), verified);
    memory.setBinding(ZIP, fixture.tarballSha512);
    store.setPolicy(`p`, policy);
    store.setPassedInstall(`k`, {at: `2026-01-01T00:00:00.000Z`, summary: `s`, warnings: [], preKey: `pre`});
    await store.save();

    const again = await reopen(dir);
    const remembered = (await again.evidence()).get(key());
    expect(remembered?.provenance?.identity.sourceRepo).toBe(`https://github.com/sigstore/sigstore-js`);
    expect(remembered?.provenance?.integratedTime).toEqual(verified.provenance?.integratedTime);
    expect((await again.evidence()).getBinding(ZIP)).toBe(fixture.tarballSha512);
    expect(again.getPolicy(`p`)).toEqual(policy);
    expect(again.getPassedInstall(`k`)?.summary).toBe(`s`);
    expect(again.hasPassedPreKey(`pre`)).toBe(true);
  });

  it(`treats hostile or corrupted entries as absent, never as a pass and never as a crash`, async () => {
    const dir = folder();
    const store = await LocalStore.open(dir);
    (await store.evidence()).set(key(), await evidence());
    store.setPolicy(`p`, DEFAULT_POLICY);
    await store.save();

    const recent = JSON.parse(readFileSync(join(dir, `recent-v4.json`), `utf8`));
    recent.policies.p = {...recent.policies.p, rules: null};
    recent.policies.q = null;
    recent.policies.r = {...DEFAULT_POLICY, default: {require: `none`, mode: `off`}};
    recent.passedInstalls.k = {at: null, summary: 3};
    writeFileSync(join(dir, `recent-v4.json`), JSON.stringify(recent));
    const stored = JSON.parse(readFileSync(join(dir, `evidence-v4.json`), `utf8`));
    const [only] = Object.keys(stored.evidence);
    // Evidence of this package filed under the key of another tarball, and a binding that is not a digest.
    stored.evidence[only!.replace(fixture.tarballSha512, `b`.repeat(128))] = stored.evidence[only!];
    stored.evidence[only!] = {...stored.evidence[only!], slsaLevel: null};
    stored.bindings[ZIP] = null;
    writeFileSync(join(dir, `evidence-v4.json`), JSON.stringify(stored));

    const again = await reopen(dir);
    expect(again.getPolicy(`p`)).toBeUndefined();
    expect(again.getPolicy(`q`)).toBeUndefined();
    // A policy whose content does not match its own digest (mode switched off) is not trusted.
    expect(again.getPolicy(`r`)).toBeUndefined();
    expect(again.getPassedInstall(`k`)).toBeUndefined();
    const memory = await again.evidence();
    expect(memory.get(key())).toBeUndefined();
    expect(memory.get({...key(), tarballSha512: `b`.repeat(128)})).toBeUndefined();
    expect(memory.getBinding(ZIP)).toBeUndefined();
    expect(memory.getBinding(`__proto__`)).toBeUndefined();
  });

  it(`starts empty from files that are not JSON, or not objects`, async () => {
    const dir = folder();
    writeFileSync(join(dir, `recent-v4.json`), `{"format": 4, "policies": [1], "passedInstalls": "x"}`);
    writeFileSync(join(dir, `evidence-v4.json`), `not json`);
    const store = await LocalStore.open(dir);
    expect(store.getPolicy(`0`)).toBeUndefined();
    expect(store.hasPassedPreKey(`x`)).toBe(false);
    expect((await store.evidence()).get(key())).toBeUndefined();
  });

  it(`remembers the day expiring exceptions were announced, per project, and ignores a malformed day`, async () => {
    const dir = folder();
    const store = await LocalStore.open(dir);
    store.setExpiryNotice(`/p`, `2026-11-22`);
    await store.save();
    expect((await reopen(dir)).getExpiryNotice(`/p`)).toBe(`2026-11-22`);
    expect((await reopen(dir)).getExpiryNotice(`/q`)).toBeUndefined();

    const file = join(dir, `recent-v4.json`);
    const data = JSON.parse(readFileSync(file, `utf8`));
    writeFileSync(file, JSON.stringify({...data, expiryNotices: {'/p': `tomorrow`}}));
    expect((await reopen(dir)).getExpiryNotice(`/p`)).toBeUndefined();
  });

  it(`remembers a pins file's data, which is checked again when used: a tampered entry is refused, never trusted`, async () => {
    const dir = folder();
    const store = await LocalStore.open(dir);
    const data = {version: 1, pins: {'widget@1': {source: `github.com/acme/widget`, builder: `github-actions`, runner: `hosted`, publishAttestation: true, trustedPublisher: false, staged: false, since: `1.0.0`}}};
    store.setPinsData(`k`, data);
    await store.save();
    const again = await reopen(dir);
    expect(pinsFromData(again.getPinsData(`k`), `x`).entries.get(`widget@1`)).toMatchObject({source: `github.com/acme/widget`});

    const file = join(dir, `recent-v4.json`);
    const stored = JSON.parse(readFileSync(file, `utf8`));
    stored.pins.k.pins[`widget@1`].mode = `off`;
    writeFileSync(file, JSON.stringify(stored));
    expect(await rejectionCode(async () => pinsFromData((await reopen(dir)).getPinsData(`k`), `x`))).toBe(`PINS_INVALID`);
  });

  it(`reads and writes nothing without a folder`, async () => {
    const store = await LocalStore.open(null);
    (await store.evidence()).setBinding(ZIP, fixture.tarballSha512);
    await store.save();
    expect((await store.evidence()).getBinding(ZIP)).toBe(fixture.tarballSha512);
  });
});
