import {subscribe, unsubscribe} from 'node:diagnostics_channel';
import {request} from 'node:http';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {packPackage, startRegistry, type TestRegistry} from './server.mjs';
import {runYarnAsync, YARN} from '../helpers/runYarnAsync';

/** A package whose tarball is many pacing slices long: incompressible text, so gzip keeps it large. */
const BIG = {name: `big-package`, version: `1.0.0`, files: {'data.txt': randomText(400_000)}};
const BIG_TARBALL = `/big-package/-/big-package-1.0.0.tgz`;

function randomText(length: number): string {
  let text = ``;
  // A fixed linear congruential sequence: the same bytes on every run.
  for (let seed = 12345; text.length < length;) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    text += seed.toString(36);
  }
  return text;
}

/** One GET over a fresh connection: the body and how many pieces it arrived in. */
function get(url: string): Promise<{status: number, body: Buffer, pieces: number}> {
  return new Promise((resolvePromise, reject) => {
    const req = request(url, {agent: false}, res => {
      const chunks: Array<Buffer> = [];
      res.on(`data`, chunk => chunks.push(chunk));
      res.on(`end`, () => resolvePromise({status: res.statusCode ?? 0, body: Buffer.concat(chunks), pieces: chunks.length}));
      res.on(`error`, reject);
    });
    req.on(`error`, reject);
    req.end();
  });
}


const empty = mkdtempSync(join(tmpdir(), `throttle-test-`));
let registry: TestRegistry;

beforeAll(async () => {
  // No fixtures: only the generated package. 2 MB/s: 20 KB slices, so the tarball leaves in about a dozen writes.
  registry = await startRegistry({fixturesDir: empty, network: {latencyMs: 5, bytesPerSecond: 2_000_000}});
  registry.add(BIG);
});

afterAll(async () => {
  await registry?.close();
  rmSync(empty, {recursive: true, force: true});
});

describe(`network profile`, () => {
  it(`delivers a paced tarball complete and byte for byte, in several pieces, and counts the request`, async () => {
    const expected = packPackage(BIG);
    expect(expected.length).toBeGreaterThan(200_000);
    const before = registry.requests.length;
    const {status, body, pieces} = await get(`${registry.url}${BIG_TARBALL}`);
    expect(status).toBe(200);
    expect(body.equals(expected)).toBe(true);
    // One write would arrive as a few 64 KiB reads at most; paced slices of 20 KB arrive one by one.
    expect(pieces).toBeGreaterThan(Math.ceil(expected.length / 65_536));
    expect(registry.requests.slice(before)).toEqual([{method: `GET`, url: BIG_TARBALL}]);
  });

  it(`answers documents, HEAD and 404s through the profile unchanged`, async () => {
    const packument = await get(`${registry.url}/big-package`);
    expect(packument.status).toBe(200);
    expect(JSON.parse(packument.body.toString(`utf8`)).versions[`1.0.0`].name).toBe(`big-package`);
    expect((await get(`${registry.url}/no-such-package`)).status).toBe(404);
  });

  it(`starts no response before the latency, and close() ends a request still waiting for it`, async () => {
    const own = await startRegistry({fixturesDir: empty});
    own.add(BIG);
    // Latency of an hour: the request can only end by close(), which must clear the pending timer.
    own.setNetwork({latencyMs: 3_600_000});
    // Node's server announces a request once it has read it, before any handler runs: then close().
    let onRequest = () => {};
    const arrived = new Promise<void>(resolvePromise => onRequest = resolvePromise);
    subscribe(`http.server.request.start`, onRequest);
    try {
      const pending = get(`${own.url}/big-package`).then(() => `answered`, () => `ended`);
      await arrived;
      await own.close();
      expect(await pending).toBe(`ended`);
    } finally {
      unsubscribe(`http.server.request.start`, onRequest);
    }
    expect(own.requests).toEqual([]);
  });

  it(`can be removed between requests, and is off by default`, async () => {
    const own = await startRegistry({fixturesDir: empty});
    try {
      own.add(BIG);
      const plain = await get(`${own.url}${BIG_TARBALL}`);
      own.setNetwork({bytesPerSecond: 1_000_000});
      const paced = await get(`${own.url}${BIG_TARBALL}`);
      own.setNetwork(null);
      const again = await get(`${own.url}${BIG_TARBALL}`);
      expect(paced.body.equals(plain.body)).toBe(true);
      expect(again.body.equals(plain.body)).toBe(true);
      // 10 KB slices: far more pieces than the same bytes written at once.
      expect(paced.pieces).toBeGreaterThan(plain.pieces);
    } finally {
      await own.close();
    }
  });

  // An earlier throttle broke Yarn beyond 100 packages ("The server aborted pending request"): many paced responses
  // on kept-alive connections, Yarn's 32 fetches at a time.
  it(`a real yarn install of 150 packages completes through the profile, every tarball downloaded once`, async () => {
    const own = await startRegistry({fixturesDir: empty, network: {latencyMs: 2, bytesPerSecond: 1_000_000}});
    const dir = mkdtempSync(join(tmpdir(), `throttle-yarn-`));
    try {
      const dependencies: Record<string, string> = {};
      for (let i = 0; i < 150; i++) {
        own.add({name: `paced-${i}`, version: `1.0.0`, files: {'index.js': randomText(2_000 + i * 100)}});
        dependencies[`paced-${i}`] = `1.0.0`;
      }
      writeFileSync(join(dir, `package.json`), JSON.stringify({name: `scratch`, private: true, dependencies}));
      writeFileSync(join(dir, `yarn.lock`), ``);
      writeFileSync(join(dir, `.yarnrc.yml`), [
        `npmRegistryServer: "${own.url}"`,
        `unsafeHttpWhitelist: ["127.0.0.1"]`,
        `enableGlobalCache: false`,
        `enableTelemetry: false`,
        `yarnPath: ${JSON.stringify(YARN)}`,
        `globalFolder: ${JSON.stringify(join(dir, `.yarn-global`))}`,
      ].join(`\n`) + `\n`);
      const {code, output} = await runYarnAsync(dir, [`install`]);
      expect(code, output).toBe(0);
      const tarballs = own.requests.filter(({url}) => url.endsWith(`.tgz`)).map(({url}) => url);
      expect(new Set(tarballs).size).toBe(150);
      expect(tarballs).toHaveLength(150);
    } finally {
      await own.close();
      rmSync(dir, {recursive: true, force: true});
    }
  });

  it(`refuses a malformed profile`, async () => {
    await expect(startRegistry({fixturesDir: empty, network: {latencyMs: -1}})).rejects.toThrow();
    await expect(startRegistry({fixturesDir: empty, network: {bytesPerSecond: 0}})).rejects.toThrow();
    expect(() => registry.setNetwork({latencyMs: Number.NaN})).toThrow();
  });
});
