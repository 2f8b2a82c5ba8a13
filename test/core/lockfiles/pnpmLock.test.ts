import {describe, expect, it} from 'vitest';

import {isProvenanceError} from '../../../sources/core/errors';
import {readPnpmLock} from '../../../sources/core/lockfiles/pnpmLock';

const context = {root: `/repo`, registryFor: () => `https://registry.example`};
const SHA512 = `sha512-${Buffer.alloc(64, 7).toString(`base64`)}`;

function read(text: string) {
  return Object.fromEntries(readPnpmLock(text, `pnpm-lock.yaml`, context).map(({subject, integrity}) => [`${subject.ref.name}@${subject.ref.version}`, {...subject, integrity}]));
}

describe(`readPnpmLock`, () => {
  it(`reads a version 6 lockfile: peer suffixes, aliases written /name@version, git packages by their fields`, () => {
    const subjects = read(`lockfileVersion: '6.0'

dependencies:
  react-dom:
    specifier: 18.2.0
    version: 18.2.0(react@18.2.0)
  my-react:
    specifier: npm:react@18.2.0
    version: /react@18.2.0
  gitdep:
    specifier: github:o/r#abc
    version: github.com/o/r/abc

packages:

  /react@18.2.0:
    resolution: {integrity: ${SHA512}}
    dev: false

  /react-dom@18.2.0(react@18.2.0):
    resolution: {integrity: ${SHA512}}
    peerDependencies:
      react: ^18.2.0
    dependencies:
      react: 18.2.0
    dev: false

  github.com/o/r/abc:
    resolution: {tarball: https://codeload.github.com/o/r/tar.gz/abc}
    name: gitdep
    version: 1.0.0
    dev: false
`);
    expect(subjects[`react@18.2.0`]).toMatchObject({source: {kind: `registry`}, installedAs: [`my-react`], integrity: SHA512});
    expect(subjects[`react-dom@18.2.0`]).toMatchObject({source: {kind: `registry`}, installedAs: []});
    expect(subjects[`gitdep@1.0.0`]!.source).toMatchObject({kind: `unattestable`, protocol: `git`});
  });

  it(`reads every importer of a version 9 workspace, and git, file: and directory resolutions`, () => {
    const subjects = read(`---
configDependencies: {}
---
lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      a:
        specifier: ^1.0.0
        version: 1.0.0
  packages/app:
    devDependencies:
      '@s/b':
        specifier: npm:@s/real@2.0.0
        version: '@s/real@2.0.0'
      lib:
        specifier: link:../lib
        version: link:../lib
      away:
        specifier: link:../../../away
        version: link:../../../away

packages:

  a@1.0.0:
    resolution: {integrity: ${SHA512}}

  '@s/real@2.0.0':
    resolution: {integrity: ${SHA512}}

  g@git+https://github.com/o/g.git#abc:
    resolution: {commit: abc, repo: https://github.com/o/g.git, type: git}
    version: 1.0.0

  f@file:vendor/f.tgz:
    resolution: {integrity: ${SHA512}, tarball: file:vendor/f.tgz}
    version: 1.0.0

  t@https://example.com/t.tgz:
    resolution: {integrity: ${SHA512}, tarball: https://example.com/t.tgz}
    version: 1.0.0

snapshots:

  a@1.0.0:
    dependencies:
      t: https://example.com/t.tgz
`);
    expect(subjects[`a@1.0.0`]).toMatchObject({source: {kind: `registry`, registry: `https://registry.example`}});
    expect(subjects[`@s/real@2.0.0`]).toMatchObject({source: {kind: `registry`}, installedAs: [`@s/b`]});
    expect(subjects[`lib@0.0.0`]!.source).toEqual({kind: `project`, location: `packages/lib`});
    expect(subjects[`away@0.0.0`]!.source).toMatchObject({kind: `unattestable`, protocol: `link`});
    expect(subjects[`g@1.0.0`]!.source).toEqual({kind: `unattestable`, protocol: `git`, location: `https://github.com/o/g.git`});
    expect(subjects[`f@1.0.0`]!.source).toMatchObject({kind: `unattestable`, protocol: `file`});
    expect(subjects[`t@1.0.0`]!.source).toMatchObject({kind: `unattestable`, protocol: `tarball`, location: `https://example.com/t.tgz`});
  });

  it.each([
    [`version 5.4`, `lockfileVersion: 5.4\n`],
    [`no lockfileVersion`, `importers: {}\n`],
    [`a package without a resolution`, `lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {}\n`],
    [`broken YAML`, `lockfileVersion: '9.0'\npackages: [\n`],
  ])(`rejects %s with LOCKFILE_INVALID`, (_, text) => {
    let code: string | undefined;
    try {
      readPnpmLock(text, `pnpm-lock.yaml`, context);
    } catch (error) {
      code = isProvenanceError(error) ? error.code : `not a ProvenanceError`;
    }
    expect(code).toBe(`LOCKFILE_INVALID`);
  });
});
