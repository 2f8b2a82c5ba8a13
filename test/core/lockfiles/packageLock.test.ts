import {describe, expect, it} from 'vitest';

import {isProvenanceError} from '../../../sources/core/errors';
import {lockedSha512} from '../../../sources/core/lockfiles/lockedIntegrity';
import {readPackageLock} from '../../../sources/core/lockfiles/packageLock';

const context = {root: `/repo`, registryFor: (name: string) => name.startsWith(`@corp/`) ? `https://npm.corp.example` : `https://registry.example`};
const SHA512 = `sha512-${Buffer.alloc(64, 7).toString(`base64`)}`;

function read(packages: Record<string, object>, lockfileVersion = 3) {
  const subjects = readPackageLock(JSON.stringify({lockfileVersion, packages: {[``]: {name: `root`}, ...packages}}), `package-lock.json`, context);
  return Object.fromEntries(subjects.map(({subject, integrity}) => [`${subject.ref.name}@${subject.ref.version}`, {...subject, integrity}]));
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return isProvenanceError(error) ? error.code : `not a ProvenanceError`;
  }
  return undefined;
}

describe(`readPackageLock`, () => {
  it(`reads registry packages at any depth with their integrity and their scope's registry (v2 too)`, () => {
    const subjects = read({
      [`node_modules/a`]: {version: `1.0.0`, resolved: `https://registry.npmjs.org/a/-/a-1.0.0.tgz`, integrity: SHA512},
      [`node_modules/a/node_modules/@corp/b`]: {version: `2.0.0`, resolved: `https://registry.npmjs.org/@corp/b/-/b-2.0.0.tgz`, integrity: SHA512},
      // npm leaves `resolved` out with omit-lockfile-registry-resolved.
      [`node_modules/c`]: {version: `3.0.0`, integrity: SHA512},
    }, 2);
    expect(subjects[`a@1.0.0`]).toMatchObject({source: {kind: `registry`, registry: `https://registry.example`}, integrity: SHA512, installedAs: []});
    expect(subjects[`@corp/b@2.0.0`]).toMatchObject({source: {kind: `registry`, registry: `https://npm.corp.example`}});
    expect(subjects[`c@3.0.0`]).toMatchObject({source: {kind: `registry`}});
  });

  it(`judges an alias under the folder name too, and merges it with the same package installed plainly`, () => {
    const subjects = read({
      [`node_modules/real`]: {version: `1.0.0`, resolved: `https://registry.npmjs.org/real/-/real-1.0.0.tgz`, integrity: SHA512},
      [`node_modules/x`]: {name: `real`, version: `1.0.0`, resolved: `https://registry.npmjs.org/real/-/real-1.0.0.tgz`, integrity: SHA512},
      [`node_modules/y/node_modules/z`]: {name: `real`, version: `1.0.0`, resolved: `https://registry.npmjs.org/real/-/real-1.0.0.tgz`, integrity: SHA512},
    });
    expect(Object.keys(subjects)).toEqual([`real@1.0.0`]);
    expect(subjects[`real@1.0.0`]!.installedAs).toEqual([`x`, `z`]);
  });

  it(`keeps one version locked to two integrities as two packages`, () => {
    const subjects = readPackageLock(JSON.stringify({lockfileVersion: 3, packages: {
      [`node_modules/a`]: {version: `1.0.0`, integrity: SHA512},
      [`node_modules/b/node_modules/a`]: {version: `1.0.0`, integrity: `sha512-${Buffer.alloc(64, 9).toString(`base64`)}`},
    }}), `package-lock.json`, context);
    expect(subjects).toHaveLength(2);
  });

  it(`classifies git, tarball URLs, file: tarballs and links as the Yarn gate does, and skips bundled packages`, () => {
    const subjects = read({
      [`node_modules/g`]: {version: `1.0.0`, resolved: `git+ssh://git@github.com/o/r.git#abc`},
      [`node_modules/t`]: {version: `1.0.0`, resolved: `https://example.com/downloads/t.tgz`, integrity: SHA512},
      [`node_modules/f`]: {version: `1.0.0`, resolved: `file:vendor/f-1.0.0.tgz`, integrity: SHA512},
      [`node_modules/ws`]: {resolved: `packages/ws`, link: true},
      [`node_modules/outside`]: {resolved: `../elsewhere`, link: true},
      [`node_modules/t/node_modules/inside`]: {version: `1.0.0`, inBundle: true},
    });
    expect(subjects[`g@1.0.0`]!.source).toEqual({kind: `unattestable`, protocol: `git`, location: `git+ssh://git@github.com/o/r.git`});
    expect(subjects[`t@1.0.0`]!.source).toMatchObject({kind: `unattestable`, protocol: `tarball`});
    expect(subjects[`f@1.0.0`]!.source).toMatchObject({kind: `unattestable`, protocol: `file`});
    expect(subjects[`ws@0.0.0`]!.source).toEqual({kind: `project`, location: `packages/ws`});
    expect(subjects[`outside@0.0.0`]!.source).toMatchObject({kind: `unattestable`, protocol: `link`});
    expect(subjects[`inside@1.0.0`]).toBeUndefined();
  });

  it.each([
    [`version 1`, JSON.stringify({lockfileVersion: 1, dependencies: {}})],
    [`no packages map`, JSON.stringify({lockfileVersion: 3})],
    [`an entry without a version`, JSON.stringify({lockfileVersion: 3, packages: {[`node_modules/a`]: {resolved: `x`}}})],
    [`not JSON`, `{`],
  ])(`rejects %s with LOCKFILE_INVALID`, (_, text) => {
    expect(codeOf(() => readPackageLock(text, `package-lock.json`, context))).toBe(`LOCKFILE_INVALID`);
  });
});

describe(`lockedSha512`, () => {
  const pkg = {name: `a`, version: `1.0.0`};

  it(`decodes the sha512 of an integrity to hex, also beside other hashes`, () => {
    const hex = Buffer.alloc(64, 7).toString(`hex`);
    expect(lockedSha512(pkg, SHA512)).toBe(hex);
    expect(lockedSha512(pkg, `sha1-z6tjb/XvPfHa+zRVLvHuXnK+GoM= ${SHA512}`)).toBe(hex);
  });

  it.each([
    [`absent`, undefined],
    [`sha1 only`, `sha1-z6tjb/XvPfHa+zRVLvHuXnK+GoM=`],
    [`a truncated sha512`, `sha512-AAAA`],
    [`empty`, ``],
  ])(`rejects an integrity that is %s with LOCKED_INTEGRITY_UNUSABLE`, (_, integrity) => {
    expect(codeOf(() => lockedSha512(pkg, integrity))).toBe(`LOCKED_INTEGRITY_UNUSABLE`);
  });
});
