import {describe, expect, it} from 'vitest';

import {entryPositions} from '../../../sources/core/lockfiles/entryPositions';

describe(`entryPositions`, () => {
  it(`finds each install path of a package-lock.json under "packages", pretty or on one line`, () => {
    const lock = {lockfileVersion: 3, packages: {[``]: {name: `demo`}, [`node_modules/a`]: {version: `1.0.0`}, [`node_modules/a/node_modules/b`]: {version: `2.0.0`}}};
    const pretty = entryPositions(`package-lock`, JSON.stringify(lock, null, 2));
    expect(pretty(`node_modules/a`)).toEqual({line: 7, column: 5, length: `"node_modules/a"`.length});
    expect(pretty(`node_modules/a/node_modules/b`)).toEqual({line: 10, column: 5, length: `"node_modules/a/node_modules/b"`.length});
    expect(pretty(`node_modules/absent`)).toBeUndefined();

    const text = JSON.stringify(lock);
    expect(entryPositions(`package-lock`, text)(`node_modules/a`)).toEqual({line: 1, column: text.indexOf(`"node_modules/a"`) + 1, length: 16});
  });

  it(`finds each package key of a pnpm-lock.yaml, in the document holding the lockfile, quoted or not`, () => {
    const text = [
      `---`, `lockfileVersion: '9.0'`, `importers:`, `  configDependencies: {}`, `---`,
      `lockfileVersion: '9.0'`, ``, `packages:`, ``, `  '@s/a@1.0.0':`, `    resolution: {integrity: sha512-x}`, ``, `  b@2.0.0:`, `    resolution: {integrity: sha512-y}`, ``,
    ].join(`\n`);
    const positionOf = entryPositions(`pnpm-lock`, text);
    expect(positionOf(`@s/a@1.0.0`)).toEqual({line: 10, column: 3, length: `'@s/a@1.0.0'`.length});
    expect(positionOf(`b@2.0.0`)).toEqual({line: 13, column: 3, length: `b@2.0.0`.length});
    expect(positionOf(`c@3.0.0`)).toBeUndefined();
  });
});
