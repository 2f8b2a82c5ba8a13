import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {afterAll, describe, expect, it} from 'vitest';

import {readNpmConfig} from '../../sources/cli/npmrc';

const work = mkdtempSync(join(tmpdir(), `provenance-npmrc-`));
afterAll(() => {
  rmSync(work, {recursive: true, force: true});
});

function config(project: string, user = ``, env: NodeJS.ProcessEnv = {}) {
  writeFileSync(join(work, `.npmrc`), project);
  writeFileSync(join(work, `user-npmrc`), user);
  return readNpmConfig(work, {NPM_CONFIG_USERCONFIG: join(work, `user-npmrc`), ...env});
}

describe(`readNpmConfig`, () => {
  it(`takes a scope's registry, else the project's, else the user's, else npm's; the environment wins`, () => {
    expect(config(``).registryFor(`a`)).toBe(`https://registry.npmjs.org`);
    expect(config(``, `registry=https://user.example/`).registryFor(`a`)).toBe(`https://user.example`);
    const both = config(`registry=https://project.example/\n@corp:registry="https://corp.example/npm/"\n`, `registry=https://user.example/`);
    expect(both.registryFor(`a`)).toBe(`https://project.example`);
    expect(both.registryFor(`@corp/a`)).toBe(`https://corp.example/npm`);
    expect(both.registryFor(`@other/a`)).toBe(`https://project.example`);
    expect(config(`registry=https://project.example/`, ``, {npm_config_registry: `https://env.example/`}).registryFor(`a`)).toBe(`https://env.example`);
  });

  it(`sends a token only to the host and path it is written for, the longest match first, with \${VAR} expanded`, () => {
    const npmrc = config(`//corp.example/npm/:_authToken=\${CORP}\n//corp.example/npm/team/:_authToken=team\n; //other.example/:_authToken=commented\n`, ``, {CORP: `c0rp`});
    expect(npmrc.authorizationFor(`https://corp.example/npm/-/npm/v1/attestations/a@1.0.0`)).toBe(`Bearer c0rp`);
    expect(npmrc.authorizationFor(`https://corp.example/npm/team/-/npm/v1/attestations/a@1.0.0`)).toBe(`Bearer team`);
    expect(npmrc.authorizationFor(`https://corp.example/npmx/a`)).toBeUndefined();
    expect(npmrc.authorizationFor(`https://evil.example/npm/a`)).toBeUndefined();
    expect(npmrc.authorizationFor(`https://other.example/a`)).toBeUndefined();
  });
});
