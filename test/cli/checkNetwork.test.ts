import 'reflect-metadata';
import {execFile} from 'node:child_process';
import {webcrypto} from 'node:crypto';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:http';
import type {IncomingMessage, Server, ServerResponse} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';

import * as x509 from '@peculiar/x509';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';
import {FIXTURES_ROOT, loadFixture} from '../helpers/fixtures';

// `check` reaches the registry as npm would, through npm-registry-fetch with the user's .npmrc: offline mode,
// a registry on HTTPS with its own CA, `strict-ssl`, and a proxy. The registry is the test registry on
// 127.0.0.1 (real attestations), behind small servers made here that count what reaches them.
const BIN = resolve(__dirname, `../../bundles/yarn-provenance.cjs`);
const TRUST = [`--trusted-root`, join(FIXTURES_ROOT, `sigstore/trusted_root.json`), `--registry-keys`, join(FIXTURES_ROOT, `sigstore/npm-registry-keys.json`)];
const tufJs = loadFixture(`tuf-js@1.0.0`);
const ATTESTATIONS = `/-/npm/v1/attestations/tuf-js@1.0.0`;
// The version document, for the registry's signature over the package.
const VERSION_DOCUMENT = `/tuf-js/1.0.0`;

let registry: TestRegistry;
const work = mkdtempSync(join(tmpdir(), `provenance-check-network-`));
beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry.close();
  rmSync(work, {recursive: true, force: true});
});

type Run = {code: number | null, stdout: string};

/** The bin with an npm cache and a store of its own (nothing remembered) unless given, and no npm config or proxy from the environment. */
function check(cwd: string, npmCache = join(mkdtempSync(join(work, `home-`)), `npm`), home = mkdtempSync(join(work, `home-`))): Promise<Run> {
  const env: NodeJS.ProcessEnv = {...process.env, NO_COLOR: `1`, NPM_CONFIG_USERCONFIG: join(cwd, `absent-user-npmrc`), XDG_CACHE_HOME: home, npm_config_cache: npmCache};
  // Nothing from this machine's npm (its global npmrc, or the npm_config_* that `npm test` exports: a cafile).
  for (const name of Object.keys(env)) {
    if (/^(https?_proxy|proxy|no_?proxy)$/i.test(name) || (/^npm_config_/i.test(name) && name !== `npm_config_cache`))
      delete env[name];
  }
  env.NPM_CONFIG_GLOBALCONFIG = join(cwd, `absent-global-npmrc`);
  return new Promise(done => {
    execFile(process.execPath, [BIN, `check`, ...TRUST, `--json`], {cwd, env}, (error, stdout) => {
      done({code: error ? (error as NodeJS.ErrnoException & {code: number}).code : 0, stdout});
    });
  });
}

let projects = 0;
function project(npmrc: string): string {
  const dir = join(work, `project-${++projects}`);
  mkdirSync(dir);
  writeFileSync(join(dir, `.npmrc`), npmrc);
  const resolved = `https://registry.npmjs.org/tuf-js/-/tuf-js-1.0.0.tgz`;
  const packages = {[``]: {name: `demo`, version: `1.0.0`}, [`node_modules/tuf-js`]: {version: `1.0.0`, resolved, integrity: tufJs.expected.integrity}};
  writeFileSync(join(dir, `package-lock.json`), JSON.stringify({name: `demo`, version: `1.0.0`, lockfileVersion: 3, requires: true, packages}));
  return dir;
}

const statusOf = (run: Run) => JSON.parse(run.stdout.trim().split(`\n`)[0]!) as {status: string, code: string | null};

/** Passes a request on to the test registry, as a front or a proxy would. */
function forward(path: string, response: ServerResponse): void {
  fetch(`${registry.url}${path}`).then(async answer => {
    response.writeHead(answer.status, {[`content-type`]: `application/json`}).end(Buffer.from(await answer.arrayBuffer()));
  }, () => response.writeHead(502).end());
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>(listening => server.listen(0, `127.0.0.1`, listening));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const close = (server: Server) => new Promise(closed => server.close(closed));

describe(`check reaches the registry as npm would`, () => {
  it(`offline=true with nothing in npm's cache: unverifiable (exit 3), never a violation, and nothing sent`, async () => {
    const before = registry.requests.length;
    const run = await check(project(`registry=${registry.url}/\noffline=true\n`));
    expect(run.code).toBe(3);
    expect(statusOf(run)).toMatchObject({status: `unverifiable`, code: `NETWORK_UNVERIFIABLE`});
    expect(registry.requests.length).toBe(before);
  });

  it(`offline=true still passes what this machine verified before: the evidence is remembered, nothing is sent`, async () => {
    const home = mkdtempSync(join(work, `home-`));
    expect((await check(project(`registry=${registry.url}/\n`), undefined, home)).code).toBe(0);
    const before = registry.requests.length;
    const run = await check(project(`registry=${registry.url}/\noffline=true\n`), undefined, home);
    expect(run.code).toBe(0);
    expect(statusOf(run)).toMatchObject({status: `verified`});
    expect(registry.requests.length).toBe(before);
  });

  it(`trusts a registry's own CA only through cafile, and skips the check only where strict-ssl=false is set`, async () => {
    const {certificate, key} = await selfSignedFor127();
    writeFileSync(join(work, `registry-ca.pem`), certificate);
    const front = createHttpsServer({cert: certificate, key}, (request, response) => forward(request.url!, response));
    const https = `https://${await listen(front)}`;
    try {
      const untrusted = await check(project(`registry=${https}/\nfetch-retries=0\n`));
      expect(statusOf(untrusted)).toMatchObject({status: `unverifiable`, code: `NETWORK_UNVERIFIABLE`});
      expect(untrusted.code).toBe(3);

      const withCafile = await check(project(`registry=${https}/\ncafile=${join(work, `registry-ca.pem`)}\n`));
      expect(statusOf(withCafile)).toMatchObject({status: `verified`});
      expect(withCafile.code).toBe(0);

      const notStrict = await check(project(`registry=${https}/\nstrict-ssl=false\n`));
      expect(statusOf(notStrict)).toMatchObject({status: `verified`});
      expect(notStrict.code).toBe(0);
    } finally {
      await close(front);
    }
  });

  it(`goes through the configured proxy, except for hosts in noproxy`, async () => {
    // An HTTP proxy: requests for http:// URLs arrive with the absolute URL as their target.
    const proxied: Array<string> = [];
    const proxy = createServer((request: IncomingMessage, response: ServerResponse) => {
      const target = new URL(request.url!);
      proxied.push(target.pathname);
      forward(`${target.pathname}${target.search}`, response);
    });
    const proxyUrl = `http://${await listen(proxy)}`;
    try {
      const before = registry.requests.length;
      const through = await check(project(`registry=${registry.url}/\nproxy=${proxyUrl}/\n`));
      expect(through.code).toBe(0);
      expect(statusOf(through)).toMatchObject({status: `verified`});
      expect(proxied.sort()).toEqual([VERSION_DOCUMENT, ATTESTATIONS].sort());
      expect(registry.requests.length).toBe(before + 2);

      const bypassed = await check(project(`registry=${registry.url}/\nproxy=${proxyUrl}/\nnoproxy=127.0.0.1\n`));
      expect(bypassed.code).toBe(0);
      expect(proxied).toHaveLength(2);
    } finally {
      await close(proxy);
    }
  });
});

/** A self-signed certificate for 127.0.0.1, made for this run (PEM certificate and PKCS#8 key). */
async function selfSignedFor127(): Promise<{certificate: string, key: string}> {
  type WebCrypto = NonNullable<Parameters<typeof x509.X509CertificateGenerator.create>[1]>;
  const crypto = webcrypto as unknown as WebCrypto;
  const algorithm = {name: `ECDSA`, namedCurve: `P-256`, hash: `SHA-256`};
  const keys = await crypto.subtle.generateKey(algorithm, true, [`sign`, `verify`]);
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: `01`,
    name: `CN=127.0.0.1`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 24 * 3600_000),
    keys,
    signingAlgorithm: algorithm,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.SubjectAlternativeNameExtension([{type: `ip`, value: `127.0.0.1`}])],
  }, crypto);
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey(`pkcs8`, keys.privateKey));
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString(`base64`).match(/.{1,64}/g)!.join(`\n`)}\n-----END PRIVATE KEY-----\n`;
  return {certificate: certificate.toString(`pem`), key};
}
