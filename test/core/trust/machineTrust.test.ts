import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {afterAll, afterEach, beforeEach, describe, expect, it} from 'vitest';

import {createNodeFetcher} from '../../../sources/core/registry/nodeFetcher';
import {MachineTrust, TRUST_MAX_AGE_MS} from '../../../sources/core/trust/machineTrust';
import type {MachineTrustOptions} from '../../../sources/core/trust/machineTrust';
import {readTrustTexts} from '../../../sources/core/trust/trustTexts';
import {createTufRepository} from './tufRepository';
import type {TestTufRepository, TrustContent} from './tufRepository';

const DAY = 24 * 60 * 60 * 1000;
const work = mkdtempSync(join(tmpdir(), `provenance-machine-trust-`));
afterAll(() => rmSync(work, {recursive: true, force: true}));

/** Trust texts of the right shape, told apart by `generation`. */
function content(generation: number): TrustContent {
  return {
    trustedRoot: JSON.stringify({tlogs: [{generation}], certificateAuthorities: [{}], ctlogs: [{}]}),
    registryKeys: JSON.stringify({keys: [{keyId: `SHA256:key-${generation}`, keyUsage: `npm:attestations`}]}),
  };
}

let repository: TestTufRepository;
let folder: string;
let clock: Date;

beforeEach(async () => {
  repository = await createTufRepository();
  repository.publish(content(1));
  folder = mkdtempSync(join(work, `cache-`));
  clock = new Date();
});
afterEach(() => repository.close());

function open(options: Partial<MachineTrustOptions> = {}) {
  return MachineTrust.open({
    folder,
    fetcher: createNodeFetcher(),
    repository: {mirror: repository.mirror, seedRoot: repository.seedRoot},
    now: () => clock,
    ...options,
  });
}

async function textsOf(trust: MachineTrust) {
  const {trustedRoot, registryKeys} = await readTrustTexts(trust.choice.files);
  return {trustedRoot, registryKeys};
}

describe(`MachineTrust`, () => {
  it(`refreshes through TUF when this machine has no copy, and keeps what it fetched in the given folder`, async () => {
    const trust = await open();
    expect(trust.choice).toMatchObject({source: `refreshed`, notes: []});
    expect(await textsOf(trust)).toEqual(content(1));
    expect(trust.choice.files.trustedRootPath?.startsWith(folder)).toBe(true);
    // The chain of roots, then timestamp, snapshot, targets, and both targets.
    expect(repository.requests).toEqual([`/2.root.json`, `/timestamp.json`, `/1.snapshot.json`, `/1.targets.json`,
      expect.stringMatching(/^\/targets\/[0-9a-f]{64}\.trusted_root\.json$/), expect.stringMatching(/^\/targets\/registry\.npmjs\.org\/[0-9a-f]{64}\.keys\.json$/)]);
  });

  it(`uses the cached copy without a request while it is younger than the set age`, async () => {
    await open();
    repository.requests.length = 0;
    repository.publish(content(2));
    clock = new Date(clock.getTime() + TRUST_MAX_AGE_MS - DAY);

    const trust = await open();
    expect(trust.choice).toMatchObject({source: `cached`, notes: []});
    expect(await textsOf(trust)).toEqual(content(1));
    expect(repository.requests).toEqual([]);
  });

  it(`refreshes a copy older than the set age, downloading only what changed`, async () => {
    await open();
    repository.requests.length = 0;
    repository.publish(content(2));
    clock = new Date(clock.getTime() + TRUST_MAX_AGE_MS + DAY);

    const trust = await open();
    expect(trust.choice.source).toBe(`refreshed`);
    expect(await textsOf(trust)).toEqual(content(2));
    expect(repository.requests).toContain(`/2.targets.json`);
    expect(repository.requests).not.toContain(`/1.targets.json`);
  });

  it(`follows a root rotation, even from an embedded root that has expired`, async () => {
    await repository.close();
    repository = await createTufRepository({seedExpiresInMs: -30 * DAY});
    repository.rotateRoot();
    repository.publish(content(3));

    const trust = await open();
    expect(trust.choice.source).toBe(`refreshed`);
    expect(await textsOf(trust)).toEqual(content(3));
    expect(repository.requests.slice(0, 3)).toEqual([`/2.root.json`, `/3.root.json`, `/timestamp.json`]);
  });

  it(`offline, asks nothing and uses the embedded copy with one note, whatever the embedded TUF root's expiry`, async () => {
    await repository.close();
    repository = await createTufRepository({seedExpiresInMs: -30 * DAY});

    const trust = await open({offline: true});
    expect(trust.choice.source).toBe(`embedded`);
    expect(trust.choice.files).toEqual({});
    expect(trust.choice.notes).toHaveLength(1);
    expect(repository.requests).toEqual([]);
    await expect(trust.refreshAfterRotation()).rejects.toThrow();
  });

  it(`offline, keeps using an old cached copy rather than the embedded one`, async () => {
    await open();
    clock = new Date(clock.getTime() + 30 * DAY);
    const trust = await open({offline: true});
    expect(trust.choice).toMatchObject({source: `cached`});
    expect(trust.choice.notes).toHaveLength(1);
    expect(await textsOf(trust)).toEqual(content(1));
  });

  it(`refuses a frozen repository (an expired timestamp) and keeps the copy at hand, with one note`, async () => {
    await open();
    repository.publish(content(2));
    repository.serveTimestamp({expiresInMs: -DAY, version: 3});
    clock = new Date(clock.getTime() + TRUST_MAX_AGE_MS + DAY);

    const trust = await open();
    expect(trust.choice.source).toBe(`cached`);
    expect(trust.choice.notes).toHaveLength(1);
    expect(await textsOf(trust)).toEqual(content(1));
  });

  it(`refuses a rollback to metadata older than this machine has seen`, async () => {
    repository.publish(content(2));
    await open();
    repository.serveTimestamp({version: 1});
    clock = new Date(clock.getTime() + TRUST_MAX_AGE_MS + DAY);

    const trust = await open();
    expect(trust.choice.source).toBe(`cached`);
    expect(trust.choice.notes).toHaveLength(1);
    expect(await textsOf(trust)).toEqual(content(2));
  });

  it(`refuses a target whose bytes are not the ones its signed hashes describe`, async () => {
    repository.tamperTarget(`registry.npmjs.org/keys.json`, content(9).registryKeys);
    const trust = await open();
    expect(trust.choice.source).toBe(`embedded`);
    expect(trust.choice.notes).toHaveLength(1);
  });

  it(`falls back to the embedded copy when the repository does not answer, and waits before trying again`, async () => {
    repository.down = true;
    const first = await open();
    expect(first.choice.source).toBe(`embedded`);
    expect(first.choice.notes).toHaveLength(1);

    repository.down = false;
    repository.requests.length = 0;
    clock = new Date(clock.getTime() + 10 * 60 * 1000);
    const meanwhile = await open();
    expect(meanwhile.choice.source).toBe(`embedded`);
    expect(meanwhile.choice.notes).toHaveLength(1);
    expect(repository.requests).toEqual([]);

    clock = new Date(clock.getTime() + 2 * 60 * 60 * 1000);
    expect((await open()).choice.source).toBe(`refreshed`);
  });

  it(`gives up on a repository that never completes its answer at the deadline`, async () => {
    repository.down = true;
    const trust = await open({deadlineMs: 50, fetcher: () => new Promise(() => {})});
    expect(trust.choice.source).toBe(`embedded`);
    expect(trust.choice.notes).toHaveLength(1);
  });

  it(`treats a damaged cached copy as no copy`, async () => {
    await open();
    const dir = join(folder, encodeURIComponent(new URL(repository.mirror).host), `trust`);
    const rootFile = readdirSync(dir).find(name => name.startsWith(`trusted_root-`))!;
    writeFileSync(join(dir, rootFile), readFileSync(join(dir, rootFile), `utf8`).replace(`generation`, `GENERATION`));
    repository.requests.length = 0;

    const trust = await open();
    expect(trust.choice.source).toBe(`refreshed`);
    expect(await textsOf(trust)).toEqual(content(1));
  });

  it(`uses the user's own trust files as they are, without a request, and never refreshes them`, async () => {
    const files = {trustedRootPath: join(work, `root.json`), registryKeysPath: join(work, `keys.json`)};
    const trust = await open({files});
    expect(trust.choice).toEqual({files, source: `custom`, notes: []});
    await expect(trust.refreshAfterRotation()).rejects.toThrow();
    expect(repository.requests).toEqual([]);
  });

  it(`refreshes after a rotation whatever the age of the copy, once per run`, async () => {
    const trust = await open();
    repository.publish(content(2));
    repository.requests.length = 0;

    const [a, b] = await Promise.all([trust.refreshAfterRotation(), trust.refreshAfterRotation()]);
    expect(a).toBe(b);
    expect(trust.choice).toBe(a);
    expect(await textsOf(trust)).toEqual(content(2));
    expect(repository.requests.filter(path => path === `/timestamp.json`)).toHaveLength(1);
  });
});
