import {mkdtempSync, rmSync} from 'node:fs';
import {homedir, tmpdir} from 'node:os';
import {join} from 'node:path';

import {Configuration} from '@yarnpkg/core';
import {npath} from '@yarnpkg/fslib';
import {afterAll, afterEach, beforeEach, describe, expect, it} from 'vitest';

import {readTrustTexts} from '../../sources/core/trust/trustTexts';
import {defaultStoreFolder} from '../../sources/core/cache/storeFolder';
import {openYarnTrust} from '../../sources/yarn/trustRefresh';
import {createTufRepository} from '../core/trust/tufRepository';
import type {TestTufRepository, TrustContent} from '../core/trust/tufRepository';

// The adapter on a real Yarn configuration: every TUF request goes through Yarn's HTTP stack, so
// Yarn's own network settings decide what may be asked, as they do for Yarn's downloads.
const work = mkdtempSync(join(tmpdir(), `provenance-yarn-trust-`));
afterAll(() => rmSync(work, {recursive: true, force: true}));

const published: TrustContent = {
  trustedRoot: JSON.stringify({tlogs: [{}], certificateAuthorities: [{}], ctlogs: [{}], published: true}),
  registryKeys: JSON.stringify({keys: [{keyId: `SHA256:published`, keyUsage: `npm:attestations`}]}),
};

let repository: TestTufRepository;
beforeEach(async () => {
  repository = await createTufRepository();
  repository.publish(published);
});
afterEach(() => repository.close());

function configurationWith(settings: Record<string, unknown>): Configuration {
  const cwd = npath.toPortablePath(mkdtempSync(join(work, `project-`)));
  const configuration = Configuration.create(cwd);
  // The test repository is served over plain HTTP on 127.0.0.1; Yarn refuses that unless allowed.
  configuration.useWithSource(`test`, {httpRetry: `0`, ...settings}, cwd, {overwrite: true});
  return configuration;
}

function open(configuration: Configuration, files = {}) {
  return openYarnTrust(configuration, files, {folder: mkdtempSync(join(work, `cache-`)), repository: {mirror: repository.mirror, seedRoot: repository.seedRoot}});
}

describe(`openYarnTrust`, () => {
  it(`refreshes through Yarn's HTTP stack`, async () => {
    const trust = await open(configurationWith({unsafeHttpWhitelist: [`127.0.0.1`]}));
    expect(trust.choice).toMatchObject({source: `refreshed`, notes: []});
    const {trustedRoot, registryKeys} = await readTrustTexts(trust.choice.files);
    expect({trustedRoot, registryKeys}).toEqual(published);
  });

  it(`asks nothing Yarn's settings forbid (plain HTTP to a host not whitelisted): the embedded copy, one note`, async () => {
    const trust = await open(configurationWith({unsafeHttpWhitelist: []}));
    expect(trust.choice).toMatchObject({source: `embedded`, files: {}});
    expect(trust.choice.notes).toHaveLength(1);
    expect(repository.requests).toEqual([]);
  });

  it(`asks nothing for a host whose networkSettings disable the network`, async () => {
    const trust = await open(configurationWith({unsafeHttpWhitelist: [`127.0.0.1`], networkSettings: {'127.0.0.1': {enableNetwork: false}}}));
    expect(trust.choice.source).toBe(`embedded`);
    expect(trust.choice.notes).toHaveLength(1);
    expect(repository.requests).toEqual([]);
  });

  it(`asks nothing with enableOfflineMode (which Yarn's HTTP layer does not enforce by itself)`, async () => {
    const trust = await open(configurationWith({unsafeHttpWhitelist: [`127.0.0.1`], enableOfflineMode: true}));
    expect(trust.choice.source).toBe(`embedded`);
    expect(trust.choice.notes).toHaveLength(1);
    expect(repository.requests).toEqual([]);
  });

  it(`uses the user's own trust files as they are, and nothing else of the settings object`, async () => {
    const settings = {trustedRootPath: `/etc/sigstore/trusted_root.json`, registryKeysPath: `/etc/sigstore/keys.json`, enabled: true};
    const trust = await open(configurationWith({unsafeHttpWhitelist: [`127.0.0.1`]}), settings);
    expect(trust.choice).toEqual({files: {trustedRootPath: settings.trustedRootPath, registryKeysPath: settings.registryKeysPath}, source: `custom`, notes: []});
    expect(repository.requests).toEqual([]);
  });
});

describe(`defaultStoreFolder`, () => {
  it(`is under an absolute XDG_CACHE_HOME, else under ~/.cache (a relative one is ignored, as the XDG spec says)`, () => {
    expect(defaultStoreFolder({XDG_CACHE_HOME: `/var/cache/alice`}, `linux`)).toBe(`/var/cache/alice/yarn-plugin-provenance`);
    expect(defaultStoreFolder({XDG_CACHE_HOME: `cache`}, `linux`)).toBe(join(homedir(), `.cache`, `yarn-plugin-provenance`));
    expect(defaultStoreFolder({}, `linux`)).toBe(join(homedir(), `.cache`, `yarn-plugin-provenance`));
  });
});
