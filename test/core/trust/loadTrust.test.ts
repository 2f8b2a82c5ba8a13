import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {afterAll, describe, expect, it} from 'vitest';

import {parseAttestations} from '../../../sources/core/attestations/parseAttestations';
import {loadTrust} from '../../../sources/core/trust/loadTrust';
import {refreshTrust} from '../../../sources/core/trust/refresh';
import {createPackageVerifier} from '../../../sources/core/verify/verifyPackage';
import {FIXTURES_ROOT, loadFixture} from '../../helpers/fixtures';
import {rejectionCode} from '../../helpers/verifier';

const trustedRootPath = join(FIXTURES_ROOT, `sigstore/trusted_root.json`);
const registryKeysPath = join(FIXTURES_ROOT, `sigstore/npm-registry-keys.json`);
const fixture = loadFixture(`sigstore@2.3.1`);
const work = mkdtempSync(join(tmpdir(), `provenance-trust-`));
afterAll(() => rmSync(work, {recursive: true, force: true}));

function write(name: string, content: unknown): string {
  const path = join(work, name);
  writeFileSync(path, typeof content === `string` ? content : JSON.stringify(content));
  return path;
}

async function verifyWith(options: Parameters<typeof loadTrust>[0]) {
  const verifier = createPackageVerifier(await loadTrust(options));
  return verifier.verify({package: fixture.pkg, attestations: parseAttestations(fixture.attestationsText), tarballSha512: fixture.tarballSha512});
}

describe(`loadTrust`, () => {
  it(`embeds the public-good trust material, so that verification needs no network`, async () => {
    const trust = await loadTrust();
    expect(trust.source).toBe(`embedded`);
    expect(trust.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it(`falls back to the embedded material, with a note, when the TUF refresh fails`, async () => {
    const trust = await loadTrust({refresh: () => refreshTrust({cachePath: join(work, `tuf`), timeoutMs: 1})});
    expect(trust.source).toBe(`embedded`);
    expect(trust.notes).toHaveLength(1);
  });

  it(`uses a user-supplied trusted root and keys file, as a private deployment would`, async () => {
    const trust = await loadTrust({trustedRootPath, registryKeysPath});
    expect(trust.source).toBe(`custom`);
    const result = await verifyWith({trustedRootPath, registryKeysPath});
    expect(result.provenance?.identity.sourceRepo).toBe(`https://github.com/sigstore/sigstore-js`);
  });

  it(`accepts keys in the registry's /-/npm/v1/keys shape`, async () => {
    const tufKeys = JSON.parse(readFileSync(registryKeysPath, `utf8`));
    const registryShape = {keys: tufKeys.keys.filter((key: any) => key.keyUsage === `npm:attestations`).map((key: any) => ({
      keyid: key.keyId, keytype: `ecdsa-sha2-nistp256`, scheme: `ecdsa-sha2-nistp256`, key: key.publicKey.rawBytes, expires: key.publicKey.validFor.end ?? null,
    }))};
    const result = await verifyWith({registryKeysPath: write(`registry-keys.json`, registryShape)});
    expect(result.publish?.keyId).toBe(`SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA`);
  });

  it(`rejects publish attestations when the keys file lists no attestation key`, async () => {
    const tufKeys = JSON.parse(readFileSync(registryKeysPath, `utf8`));
    tufKeys.keys = tufKeys.keys.filter((key: any) => key.keyUsage !== `npm:attestations`);
    const path = write(`signatures-only.json`, tufKeys);
    expect(await rejectionCode(() => verifyWith({registryKeysPath: path}))).toBe(`SIGNATURE_INVALID`);
  });

  it(`rejects real bundles under a trusted root that lacks their transparency log`, async () => {
    const root = JSON.parse(readFileSync(trustedRootPath, `utf8`));
    root.tlogs = root.tlogs.filter((log: any) => log.baseUrl !== `https://rekor.sigstore.dev`);
    const path = write(`no-rekor.json`, root);
    expect(await rejectionCode(() => verifyWith({trustedRootPath: path, registryKeysPath}))).toBe(`SIGNATURE_INVALID`);
  });

  it.each([
    [`not JSON`, `{`],
    [`not a trusted root`, {mediaType: `x`}],
    [`a trusted root with no certificate authorities`, {tlogs: [{}], certificateAuthorities: [], ctlogs: [{}]}],
    [`a trusted root with no CT log (every certificate needs an SCT)`, {tlogs: [{}], certificateAuthorities: [{}], ctlogs: []}],
  ])(`rejects a trusted root that is %s`, async (name, content) => {
    const path = write(`${name}.json`, content);
    expect(await rejectionCode(() => loadTrust({trustedRootPath: path}))).toBe(`TRUST_MATERIAL_INVALID`);
  });

  it(`rejects a keys file of an unknown shape`, async () => {
    const path = write(`keys-unknown.json`, {keys: [{id: 1}]});
    expect(await rejectionCode(() => loadTrust({registryKeysPath: path}))).toBe(`TRUST_MATERIAL_INVALID`);
  });

  it(`reports a trust file that cannot be read as INPUT_UNREADABLE`, async () => {
    expect(await rejectionCode(() => loadTrust({trustedRootPath: join(work, `absent.json`)}))).toBe(`INPUT_UNREADABLE`);
  });
});
