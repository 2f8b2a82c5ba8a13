import {createHash} from 'node:crypto';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {gunzipSync} from 'node:zlib';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {defaultFixturesDir, packPackage, startRegistry, type TestRegistry} from './server.mjs';
import {runYarnAsync, YARN} from '../helpers/runYarnAsync';

const FIXTURES = defaultFixturesDir();

const sha512Hex = (bytes: Uint8Array) => createHash(`sha512`).update(bytes).digest(`hex`);
const integrityOf = (bytes: Uint8Array) => `sha512-${createHash(`sha512`).update(bytes).digest(`base64`)}`;
const expectedOf = (id: string) => JSON.parse(readFileSync(join(FIXTURES, id, `expected.json`), `utf8`));

async function get(registry: TestRegistry, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${registry.url}${path}`, {headers});
  return {status: response.status, bytes: Buffer.from(await response.arrayBuffer())};
}

async function getJson(registry: TestRegistry, path: string): Promise<{status: number, body: any}> {
  const {status, bytes} = await get(registry, path);
  return {status, body: JSON.parse(bytes.toString(`utf8`))};
}

/** The files of a gzipped tarball (regular files only), by path: enough to read a package's package.json. */
function untar(tgz: Uint8Array): Map<string, string> {
  const tar = gunzipSync(tgz);
  const files = new Map<string, string>();
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    if (header.every(byte => byte === 0)) break;
    const field = (start: number, length: number) => header.subarray(start, start + length).toString(`utf8`).replace(/\0.*$/s, ``);
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const size = parseInt(field(124, 12).trim(), 8);
    files.set(name, tar.subarray(at + 512, at + 512 + size).toString(`utf8`));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** Runs `body` with a registry of its own, closed afterwards: faults and added packages stay in the test. */
async function withRegistry(body: (registry: TestRegistry) => Promise<void>): Promise<void> {
  const own = await startRegistry();
  try {
    await body(own);
  } finally {
    await own.close();
  }
}

const scratchDirs: Array<string> = [];

/** A throwaway project whose only registry is ours; its own global folder keeps Yarn's metadata cache and mirror out of other runs. */
function makeScratchProject(registry: TestRegistry, extraRc: Array<string> = []) {
  const dir = mkdtempSync(join(tmpdir(), `registry-test-`));
  scratchDirs.push(dir);
  writeFileSync(join(dir, `package.json`), JSON.stringify({name: `scratch`, private: true}));
  writeFileSync(join(dir, `yarn.lock`), ``);
  writeFileSync(join(dir, `.yarnrc.yml`), [
    `npmRegistryServer: "${registry.url}"`,
    `unsafeHttpWhitelist: ["127.0.0.1"]`,
    `enableGlobalCache: false`,
    `enableTelemetry: false`,
    `nodeLinker: node-modules`,
    `yarnPath: ${JSON.stringify(YARN)}`,
    // Yarn's npm metadata cache is keyed by hostname, not port: a packument cached from another
    // run's registry (other port) would pin tarball URLs to a dead server. Same for the global mirror.
    `globalFolder: ${JSON.stringify(join(dir, `.yarn-global`))}`,
    ...extraRc,
  ].join(`\n`) + `\n`);
  return dir;
}


let registry: TestRegistry;

beforeAll(async () => {
  registry = await startRegistry();
});

afterAll(async () => {
  await registry?.close();
  for (const dir of scratchDirs) rmSync(dir, {recursive: true, force: true});
});

describe(`packuments`, () => {
  it(`lists every fixture version of a package with times, latest and integrity of the real tarball`, async () => {
    const {status, body} = await getJson(registry, `/sigstore`);
    expect(status).toBe(200);
    const fixtureVersions = [`0.4.0`, `1.0.0`, `1.3.0`, `1.8.0`, `2.0.0`, `2.1.0`, `2.3.1`];
    expect(Object.keys(body.versions).sort()).toEqual(fixtureVersions);
    expect(body[`dist-tags`].latest).toBe(`2.3.1`);

    const expected = expectedOf(`sigstore@2.3.1`);
    const version = body.versions[`2.3.1`];
    expect(version.dependencies).toEqual({});
    expect(version.dist.tarball).toBe(`${registry.url}/sigstore/-/sigstore-2.3.1.tgz`);
    expect(version.dist.integrity).toBe(expected.integrity);
    expect(version.dist.attestations).toEqual({
      url: `${registry.url}/-/npm/v1/attestations/sigstore@2.3.1`,
      provenance: {predicateType: `https://slsa.dev/provenance/v1`},
    });
    expect(body.time[`2.3.1`]).toBe(expected.bundles[0].tlog.integratedTime);
    for (const v of fixtureVersions)
      expect(Date.now() - Date.parse(body.time[v])).toBeGreaterThan(24 * 3600 * 1000);

    // npm lists no provenance for a publish-only attestation set.
    expect(body.versions[`1.8.0`].dist.attestations.provenance).toBeUndefined();
  });

  it(`serves scoped packages under escaped and unescaped names, and per-version manifests`, async () => {
    const escaped = await getJson(registry, `/@laurentsimon%2fprovenance-npm-test`);
    const plain = await getJson(registry, `/@laurentsimon/provenance-npm-test`);
    expect(escaped.status).toBe(200);
    expect(plain.body).toEqual(escaped.body);
    expect(Object.keys(escaped.body.versions).sort()).toEqual([`1.0.3`, `1.0.5`]);

    const installV1 = await get(registry, `/@laurentsimon%2fprovenance-npm-test`, {accept: `application/vnd.npm.install-v1+json`});
    expect(JSON.parse(installV1.bytes.toString(`utf8`))).toEqual(escaped.body);

    const manifest = await getJson(registry, `/@laurentsimon%2fprovenance-npm-test/1.0.5`);
    expect(manifest.body).toEqual(escaped.body.versions[`1.0.5`]);
    expect(manifest.body.dist.tarball).toBe(`${registry.url}/@laurentsimon/provenance-npm-test/-/provenance-npm-test-1.0.5.tgz`);
    expect(manifest.body.dist.attestations.url).toBe(`${registry.url}/-/npm/v1/attestations/@laurentsimon%2fprovenance-npm-test@1.0.5`);
  });

  it(`answers 404 JSON for unknown paths`, async () => {
    for (const path of [`/no-such-package`, `/sigstore/9.9.9`, `/sigstore/-/sigstore-9.9.9.tgz`, `/-/npm/v1/attestations/sigstore@9.9.9`, `/a/b/c/d`]) {
      const {status, body} = await getJson(registry, path);
      expect({path, status, body}).toEqual({path, status: 404, body: {error: `Not found`}});
    }
  });
});

describe(`tarballs and attestations`, () => {
  it(`serves the fixture tarball and the attestations bytes exactly as stored`, async () => {
    const id = `@laurentsimon__provenance-npm-test@1.0.5`;
    const stored = readFileSync(join(FIXTURES, id, `attestations.json`));
    for (const path of [
      `/-/npm/v1/attestations/@laurentsimon%2fprovenance-npm-test@1.0.5`,
      `/-/npm/v1/attestations/@laurentsimon/provenance-npm-test@1.0.5`,
    ]) {
      const {status, bytes} = await get(registry, path);
      expect(status).toBe(200);
      expect(bytes.equals(stored)).toBe(true);
    }
    const tarball = await get(registry, `/@laurentsimon%2fprovenance-npm-test/-/provenance-npm-test-1.0.5.tgz`);
    expect(sha512Hex(tarball.bytes)).toBe(expectedOf(id).subjectDigestSha512Hex);
  });

  it(`tarball-from serves another fixture's bytes with a matching dist.integrity and a foreign sha512`, async () => {
    const expected = expectedOf(`sigstore@2.3.1`);
    const other = readFileSync(join(FIXTURES, `sigstore@2.1.0`, `package.tgz`));
    registry.fault(`sigstore@2.3.1`, {kind: `tarball-from`, fixture: `sigstore@2.1.0`});
    try {
      const {bytes} = await get(registry, `/sigstore/-/sigstore-2.3.1.tgz`);
      expect(sha512Hex(bytes)).not.toBe(expected.subjectDigestSha512Hex);
      expect(bytes.equals(other)).toBe(true);
      const manifest = await getJson(registry, `/sigstore/2.3.1`);
      expect(manifest.body.dist.integrity).toBe(integrityOf(bytes));
      expect(manifest.body.dist.shasum).toBe(createHash(`sha1`).update(bytes).digest(`hex`));
    } finally {
      registry.fault(`sigstore@2.3.1`, null);
    }
    const restored = await get(registry, `/sigstore/-/sigstore-2.3.1.tgz`);
    expect(sha512Hex(restored.bytes)).toBe(expected.subjectDigestSha512Hex);
  });

  it(`tarball-bytes and attestation faults change what is served, and clear`, async () => {
    const spec = `@laurentsimon/provenance-npm-test@1.0.3`;
    const attestationsPath = `/-/npm/v1/attestations/@laurentsimon%2fprovenance-npm-test@1.0.3`;
    const fixtureDir = join(FIXTURES, `@laurentsimon__provenance-npm-test@1.0.3`);

    registry.fault(spec, {kind: `tarball-bytes`, bytes: new Uint8Array([1, 2, 3])});
    const tarball = await get(registry, `/@laurentsimon/provenance-npm-test/-/provenance-npm-test-1.0.3.tgz`);
    expect([...tarball.bytes]).toEqual([1, 2, 3]);
    expect((await getJson(registry, `/@laurentsimon/provenance-npm-test/1.0.3`)).body.dist.integrity).toBe(integrityOf(tarball.bytes));

    registry.fault(spec, {kind: `attestations-status`, status: 500});
    expect((await get(registry, attestationsPath)).status).toBe(500);

    registry.fault(spec, {kind: `attestations-body`, body: `{"attestations":`});
    const body = await get(registry, attestationsPath);
    expect({status: body.status, text: body.bytes.toString(`utf8`)}).toEqual({status: 200, text: `{"attestations":`});

    registry.fault(spec, {kind: `attestations-from`, fixture: `@laurentsimon/provenance-npm-test@1.0.5`});
    const swapped = await get(registry, attestationsPath);
    expect(swapped.bytes.equals(readFileSync(join(FIXTURES, `@laurentsimon__provenance-npm-test@1.0.5`, `attestations.json`)))).toBe(true);

    registry.fault(spec, null);
    expect((await get(registry, attestationsPath)).bytes.equals(readFileSync(join(fixtureDir, `attestations.json`)))).toBe(true);
    expect(() => registry.fault(spec, {kind: `tarball-from`, fixture: `no-such-fixture@1.0.0`})).toThrow();
  });

  it(`attestations-hang never answers, and close() ends it promptly`, async () => {
    const own = await startRegistry();
    own.fault(`sigstore@2.3.1`, {kind: `attestations-hang`});
    const pending = fetch(`${own.url}/-/npm/v1/attestations/sigstore@2.3.1`).then(() => `answered`, () => `failed`);
    const early = await Promise.race([pending, new Promise(r => setTimeout(() => r(`pending`), 300))]);
    expect(early).toBe(`pending`);
    const started = Date.now();
    await own.close();
    expect(await pending).toBe(`failed`);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(own.requests).toEqual([{method: `GET`, url: `/-/npm/v1/attestations/sigstore@2.3.1`}]);
  });

  it(`attestations-drip answers 200 and keeps sending single spaces until close() ends it`, async () => {
    const own = await startRegistry();
    try {
      own.fault(`sigstore@2.3.1`, {kind: `attestations-drip`, intervalMs: 20});
      expect(() => own.fault(`sigstore@2.3.1`, {kind: `attestations-drip`, intervalMs: 0})).toThrow();
      const response = await fetch(`${own.url}/-/npm/v1/attestations/sigstore@2.3.1`);
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      let received = ``;
      while (received.length < 3) {
        const chunk = await reader.read();
        expect(chunk.done).toBe(false);
        received += Buffer.from(chunk.value!).toString(`utf8`);
      }
      expect(received.trim()).toBe(``);
      await own.close();
      // close() ends the answer: reading on reaches its end (or a cut) instead of dripping forever.
      const end = async (): Promise<string> => {
        while (!(await reader.read()).done) { /* bytes sent before close() */ }
        return `ended`;
      };
      expect([`ended`, `cut off`]).toContain(await end().catch(() => `cut off`));
    } finally {
      await own.close();
    }
  });

  it(`builds synthetic tarballs deterministically, with scripts in the packument and 404 attestations when absent`, async () => {
    const own = await startRegistry();
    try {
      const pkg = {name: `@synthetic/det`, version: `1.0.0`, files: {"index.js": `module.exports = 1;\n`}, scripts: {postinstall: `node index.js`}};
      own.add(pkg);
      const first = await get(own, `/@synthetic%2fdet/-/det-1.0.0.tgz`);
      own.add({...pkg, files: {...pkg.files}});
      const second = await get(own, `/@synthetic%2fdet/-/det-1.0.0.tgz`);
      expect(first.status).toBe(200);
      expect(second.bytes.equals(first.bytes)).toBe(true);

      const manifest = (await getJson(own, `/@synthetic%2fdet/1.0.0`)).body;
      expect(manifest.scripts).toEqual({postinstall: `node index.js`});
      expect(manifest.dist.integrity).toBe(integrityOf(first.bytes));
      expect(manifest.dist.attestations).toBeUndefined();
      expect((await get(own, `/-/npm/v1/attestations/@synthetic%2fdet@1.0.0`)).status).toBe(404);

      own.add({name: `with-att`, version: `2.0.0`, attestations: {attestations: [{predicateType: `https://slsa.dev/provenance/v1`, bundle: {}}]}});
      const withAtt = (await getJson(own, `/with-att`)).body;
      expect(withAtt.versions[`2.0.0`].dist.attestations.provenance).toEqual({predicateType: `https://slsa.dev/provenance/v1`});
      expect(Date.parse(withAtt.time[`2.0.0`])).toBeLessThan(Date.parse(`2024-06-01`));
      expect((await getJson(own, `/-/npm/v1/attestations/with-att@2.0.0`)).body.attestations[0].predicateType).toBe(`https://slsa.dev/provenance/v1`);
    } finally {
      await own.close();
    }
  });
});

describe(`project shapes and hostile mirrors`, () => {
  it(`lists os, cpu, optional and peer dependencies in the packument and in the tarball's package.json`, () => withRegistry(async own => {
    const fields = {
      dependencies: {sigstore: `^2.0.0`},
      optionalDependencies: {"@shapes/bundler-linux-x64": `1.0.0`},
      peerDependencies: {typescript: `>=5`},
      peerDependenciesMeta: {typescript: {optional: true}},
      os: [`linux`],
      cpu: [`x64`],
    };
    own.add({name: `@shapes/bundler`, version: `1.0.0`, ...fields});
    const manifest = (await getJson(own, `/@shapes%2fbundler/1.0.0`)).body;
    expect(manifest).toMatchObject(fields);
    expect((await getJson(own, `/@shapes%2fbundler`)).body.versions[`1.0.0`]).toEqual(manifest);
    const tarball = await get(own, `/@shapes%2fbundler/-/bundler-1.0.0.tgz`);
    expect(JSON.parse(untar(tarball.bytes).get(`package/package.json`)!)).toEqual({name: `@shapes/bundler`, version: `1.0.0`, ...fields});
  }));

  it(`manifest-fields lists other dependencies in the packument only, the tarball and attestations unchanged`, () => withRegistry(async own => {
    const injected = {dependencies: {sigstore: `npm:gundam-visor@1.0.1`, evil: `${own.url}/files/evil-1.0.0.tgz`}};
    const stored = readFileSync(join(FIXTURES, `tuf-js@1.0.0`, `package.tgz`));
    own.fault(`tuf-js@1.0.0`, {kind: `manifest-fields`, fields: injected});
    const manifest = (await getJson(own, `/tuf-js/1.0.0`)).body;
    expect(manifest.dependencies).toEqual(injected.dependencies);
    expect((await getJson(own, `/tuf-js`)).body.versions[`1.0.0`].dependencies).toEqual(injected.dependencies);
    expect(manifest.dist.integrity).toBe(integrityOf(stored));
    expect(manifest.dist.attestations.url).toBe(`${own.url}/-/npm/v1/attestations/tuf-js@1.0.0`);
    const tarball = await get(own, `/tuf-js/-/tuf-js-1.0.0.tgz`);
    expect(tarball.bytes.equals(stored)).toBe(true);
    expect(JSON.parse(untar(tarball.bytes).get(`package/package.json`)!).dependencies).not.toHaveProperty(`evil`);

    own.fault(`tuf-js@1.0.0`, null);
    expect((await getJson(own, `/tuf-js/1.0.0`)).body.dependencies).toEqual({});
    expect(() => own.fault(`tuf-js@1.0.0`, {kind: `manifest-fields`, fields: {dependecies: {}} as never})).toThrow();
  }));

  it(`points a synthetic package's dist.tarball at another package's URL, in either spelling, or any URL`, () => withRegistry(async own => {
    own.add({name: `carrier`, version: `1.0.0`, tarball: `/@laurentsimon/provenance-npm-test/-/provenance-npm-test-1.0.5.tgz`});
    own.add({name: `carrier`, version: `2.0.0`, tarball: `/@laurentsimon%2fprovenance-npm-test/-/provenance-npm-test-1.0.5.tgz`});
    own.add({name: `carrier`, version: `3.0.0`, tarball: `https://example.invalid/carrier.tgz`});
    const versions = (await getJson(own, `/carrier`)).body.versions;
    expect(versions[`1.0.0`].dist.tarball).toBe(`${own.url}/@laurentsimon/provenance-npm-test/-/provenance-npm-test-1.0.5.tgz`);
    expect(versions[`2.0.0`].dist.tarball).toBe(`${own.url}/@laurentsimon%2fprovenance-npm-test/-/provenance-npm-test-1.0.5.tgz`);
    expect(versions[`3.0.0`].dist.tarball).toBe(`https://example.invalid/carrier.tgz`);
    // Both spellings answer the attested package's bytes.
    const subject = expectedOf(`@laurentsimon__provenance-npm-test@1.0.5`).subjectDigestSha512Hex;
    expect(sha512Hex((await get(own, `/@laurentsimon/provenance-npm-test/-/provenance-npm-test-1.0.5.tgz`)).bytes)).toBe(subject);
    expect(() => own.add({name: `carrier`, version: `4.0.0`, tarball: `relative/path.tgz`})).toThrow();
  }));

  it(`tarball-sequence answers each request in turn (every spelling counts), then repeats the last or cycles`, () => withRegistry(async own => {
    const spec = `@laurentsimon/provenance-npm-test@1.0.5`;
    const escaped = `/@laurentsimon%2fprovenance-npm-test/-/provenance-npm-test-1.0.5.tgz`;
    const plain = `/@laurentsimon/provenance-npm-test/-/provenance-npm-test-1.0.5.tgz`;
    const genuine = readFileSync(join(FIXTURES, `@laurentsimon__provenance-npm-test@1.0.5`, `package.tgz`));
    const tampered = packPackage({name: `@laurentsimon/provenance-npm-test`, version: `1.0.5`, scripts: {postinstall: `node -e 1`}});

    own.fault(spec, {kind: `tarball-sequence`, tarballs: [tampered, spec]});
    // Documents never count as downloads, and describe the first answer.
    expect((await getJson(own, `/@laurentsimon%2fprovenance-npm-test/1.0.5`)).body.dist.integrity).toBe(integrityOf(tampered));
    const first = await get(own, escaped);
    const second = await get(own, plain);
    const third = await get(own, escaped);
    expect([first.bytes.equals(tampered), second.bytes.equals(genuine), third.bytes.equals(genuine)]).toEqual([true, true, true]);

    own.fault(spec, {kind: `tarball-sequence`, tarballs: [tampered, genuine], cycle: true});
    const answers = [];
    for (let i = 0; i < 4; i++)
      answers.push((await get(own, escaped)).bytes.equals(tampered) ? `tampered` : `genuine`);
    expect(answers).toEqual([`tampered`, `genuine`, `tampered`, `genuine`]);

    // A HEAD request is not a download.
    own.fault(spec, {kind: `tarball-sequence`, tarballs: [tampered, genuine]});
    expect((await fetch(`${own.url}${escaped}`, {method: `HEAD`})).status).toBe(200);
    expect((await get(own, escaped)).bytes.equals(tampered)).toBe(true);
    expect(() => own.fault(spec, {kind: `tarball-sequence`, tarballs: []})).toThrow();
  }));

  it(`tarball-by-spelling answers the %2f and the / spelling of a scoped tarball URL differently`, () => withRegistry(async own => {
    const spec = `@laurentsimon/provenance-npm-test@1.0.5`;
    const tampered = packPackage({name: `@laurentsimon/provenance-npm-test`, version: `1.0.5`});
    own.fault(spec, {kind: `tarball-by-spelling`, escaped: tampered, plain: spec});
    const subject = expectedOf(`@laurentsimon__provenance-npm-test@1.0.5`).subjectDigestSha512Hex;
    for (let i = 0; i < 2; i++) {
      expect((await get(own, `/@laurentsimon%2Fprovenance-npm-test/-/provenance-npm-test-1.0.5.tgz`)).bytes.equals(tampered)).toBe(true);
      expect(sha512Hex((await get(own, `/@laurentsimon/provenance-npm-test/-/provenance-npm-test-1.0.5.tgz`)).bytes)).toBe(subject);
    }
    expect(() => own.fault(spec, {kind: `tarball-by-spelling`, escaped: `no-such@1.0.0`, plain: spec})).toThrow();
  }));

  it(`serves plain tarballs under /files/, outside any package's path`, () => withRegistry(async own => {
    const url = own.addFile(`plain-1.0.0.tgz`, {name: `plain`, version: `1.0.0`, files: {"index.js": `module.exports = 1;\n`}});
    expect(url).toBe(`${own.url}/files/plain-1.0.0.tgz`);
    const served = await get(own, `/files/plain-1.0.0.tgz`);
    expect(served.bytes.equals(packPackage({name: `plain`, version: `1.0.0`, files: {"index.js": `module.exports = 1;\n`}}))).toBe(true);
    expect(untar(served.bytes).get(`package/index.js`)).toBe(`module.exports = 1;\n`);

    own.addFile(`raw.tgz`, new Uint8Array([1, 2, 3]));
    expect([...(await get(own, `/files/raw.tgz`)).bytes]).toEqual([1, 2, 3]);
    expect((await get(own, `/files/missing.tgz`)).status).toBe(404);
    expect((await get(own, `/plain`)).status).toBe(404);
    expect(() => own.addFile(`../escape.tgz`, new Uint8Array())).toThrow();
  }));
});

describe(`real Yarn installs`, () => {
  it(`yarn add installs fixture packages (plain and scoped) from the registry`, async () => {
    const before = registry.requests.length;
    const dir = makeScratchProject(registry);
    const result = await runYarnAsync(dir, [`add`, `sigstore@2.3.1`, `@laurentsimon/provenance-npm-test@1.0.5`]);
    expect(result.code, result.output).toBe(0);

    const installed = JSON.parse(readFileSync(join(dir, `node_modules/sigstore/package.json`), `utf8`));
    expect(installed.version).toBe(`2.3.1`);
    const scoped = JSON.parse(readFileSync(join(dir, `node_modules/@laurentsimon/provenance-npm-test/package.json`), `utf8`));
    expect(scoped.version).toBe(`1.0.5`);

    // What Yarn asked for: the packuments (scope escaped) and the conventional tarball URLs.
    const urls = registry.requests.slice(before).map(r => r.url);
    expect(urls).toEqual(expect.arrayContaining([
      `/sigstore`,
      `/@laurentsimon%2fprovenance-npm-test`,
      `/sigstore/-/sigstore-2.3.1.tgz`,
      `/@laurentsimon%2fprovenance-npm-test/-/provenance-npm-test-1.0.5.tgz`,
    ]));
  });

  it(`a synthetic package with a postinstall script installs; its script runs only with enableScripts`, async () => {
    registry.add({
      name: `postinstall-marker`,
      version: `1.0.0`,
      files: {"postinstall.js": `require('fs').writeFileSync('postinstall-ran.txt', 'yes');\n`},
      scripts: {postinstall: `node postinstall.js`},
    });

    // Yarn 4.18's default enableScripts: false installs the package but skips its script.
    const quiet = makeScratchProject(registry);
    const quietResult = await runYarnAsync(quiet, [`add`, `postinstall-marker@1.0.0`]);
    expect(quietResult.code, quietResult.output).toBe(0);
    expect(existsSync(join(quiet, `node_modules/postinstall-marker/postinstall.js`))).toBe(true);
    expect(existsSync(join(quiet, `node_modules/postinstall-marker/postinstall-ran.txt`))).toBe(false);

    const scripted = makeScratchProject(registry, [`enableScripts: true`]);
    const scriptedResult = await runYarnAsync(scripted, [`add`, `postinstall-marker@1.0.0`]);
    expect(scriptedResult.code, scriptedResult.output).toBe(0);
    expect(readFileSync(join(scripted, `node_modules/postinstall-marker/postinstall-ran.txt`), `utf8`)).toBe(`yes`);
  });
});
