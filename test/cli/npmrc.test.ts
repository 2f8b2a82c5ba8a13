import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {afterAll, describe, expect, it} from 'vitest';

import {readNpmConfig} from '../../sources/cli/npmrc';

const work = mkdtempSync(join(tmpdir(), `provenance-npmrc-`));
afterAll(() => {
  rmSync(work, {recursive: true, force: true});
});

function config(project: string, user = ``, env: NodeJS.ProcessEnv = {}, global = ``) {
  writeFileSync(join(work, `.npmrc`), project);
  writeFileSync(join(work, `user-npmrc`), user);
  writeFileSync(join(work, `global-npmrc`), global);
  return readNpmConfig(work, {NPM_CONFIG_USERCONFIG: join(work, `user-npmrc`), NPM_CONFIG_GLOBALCONFIG: join(work, `global-npmrc`), ...env});
}

describe(`readNpmConfig`, () => {
  it(`takes a scope's registry, else the project's, else the user's, else npm's; the environment wins`, () => {
    expect(config(``).registryFor(`a`)).toBe(`https://registry.npmjs.org`);
    expect(config(``, `registry=https://user.example/`).registryFor(`a`)).toBe(`https://user.example`);
    expect(config(``, ``, {}, `registry=https://global.example/`).registryFor(`a`)).toBe(`https://global.example`);
    expect(config(``, `registry=https://user.example/`, {}, `registry=https://global.example/`).registryFor(`a`)).toBe(`https://user.example`);
    const both = config(`registry=https://project.example/\n@corp:registry="https://corp.example/npm/"\n`, `registry=https://user.example/`);
    expect(both.registryFor(`a`)).toBe(`https://project.example`);
    expect(both.registryFor(`@corp/a`)).toBe(`https://corp.example/npm`);
    expect(both.registryFor(`@other/a`)).toBe(`https://project.example`);
    expect(config(`registry=https://project.example/`, ``, {npm_config_registry: `https://env.example/`}).registryFor(`a`)).toBe(`https://env.example`);
  });

  it(`hands npm-registry-fetch the credentials under their own keys, with \${VAR} expanded, and nothing commented out`, () => {
    const npmrc = config(`//corp.example/npm/:_authToken=\${CORP}\n//corp.example/npm/team/:_authToken=team\n; //other.example/:_authToken=commented\n`, ``, {CORP: `c0rp`});
    expect(npmrc.fetchOptions).toMatchObject({[`//corp.example/npm/:_authToken`]: `c0rp`, [`//corp.example/npm/team/:_authToken`]: `team`});
    expect(npmrc.fetchOptions).not.toHaveProperty([`//other.example/:_authToken`]);
  });

  it(`renames the network settings as npm flattens them, reads cafile into ca, and lets npm_config_* win`, () => {
    const pem = `-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----`;
    writeFileSync(join(work, `ca.pem`), `${pem}\n${pem.replace(`AAAA`, `BBBB`)}\n`);
    const npmrc = config(`strict-ssl=false\noffline=true\nhttps-proxy=http://proxy.example:8080\nnoproxy=localhost,.corp\ncafile=${join(work, `ca.pem`)}\nca[]="${pem.replace(/\n/g, `\\n`)}"\nfetch-retries=0\ncache=/tmp/npm-cache\n`, ``, {npm_config_https_proxy: `http://env-proxy.example:3128`});
    expect(npmrc.fetchOptions).toMatchObject({
      strictSSL: false, offline: true, httpsProxy: `http://env-proxy.example:3128`, noProxy: `localhost,.corp`, fetchRetries: 0, cache: join(`/tmp/npm-cache`, `_cacache`),
    });
    expect((npmrc.fetchOptions.ca as Array<string>).length).toBe(3);
    expect(config(``).fetchOptions).toMatchObject({registry: `https://registry.npmjs.org/`, fetchRetries: 2});
    expect(config(``).fetchOptions).not.toHaveProperty(`strictSSL`);
    // Online, npm's HTTP cache is not written: verified evidence is remembered in the check's own store.
    expect(config(`cache=/tmp/npm-cache\n`).fetchOptions).not.toHaveProperty(`cache`);
  });

  it(`rejects an unreadable cafile with INPUT_UNREADABLE`, () => {
    expect(() => config(`cafile=${join(work, `absent.pem`)}\n`)).toThrow(expect.objectContaining({code: `INPUT_UNREADABLE`}));
  });
});
