import {createHash, randomBytes} from 'node:crypto';
import {mkdir, readFile, rename, writeFile} from 'node:fs/promises';
import {join} from 'node:path';

import * as t from 'typanion';

import type {TrustTargets} from './tufClient';
import {looksLikeTrust} from './trustShape';

/**
 * This machine's copy of the refreshed trust material, in `<folder>/trust/`:
 * - `trusted_root-<sha256>.json`, `registry-keys-<sha256>.json`: named by their content and never
 *   rewritten, so a verification worker reading one while another process refreshes reads the very
 *   bytes whose digest keys its evidence (a few kilobytes per upstream change; kept);
 * - `current.json`: which two are current, and when they were fetched (written last, atomically);
 * - `last-failure.json`: when and why the last refresh failed, so that a network that drops the
 *   requests costs one attempt per hour rather than one per install.
 * Everything read back is checked (shape, digests, dates); anything odd reads as "no copy".
 */

export type CachedTrust = {
  trustedRootPath: string;
  registryKeysPath: string;
  fetchedAt: Date;
  texts: TrustTargets;
};

export type RefreshFailure = {at: Date, reason: string};

const SHA256 = /^[0-9a-f]{64}$/;

const isCurrent = t.isObject({
  version: t.isLiteral(1),
  fetchedAt: t.isString(),
  trustedRoot: t.cascade(t.isString(), t.matchesRegExp(SHA256)),
  registryKeys: t.cascade(t.isString(), t.matchesRegExp(SHA256)),
});

const isFailure = t.isObject({
  version: t.isLiteral(1),
  at: t.isString(),
  reason: t.isString(),
});

export async function readCachedTrust(folder: string, now: Date): Promise<CachedTrust | null> {
  const current = await readJson(join(folder, `trust`, `current.json`));
  if (!isCurrent(current))
    return null;
  const fetchedAt = toDate(current.fetchedAt, now);
  if (fetchedAt === null)
    return null;

  const trustedRootPath = join(folder, `trust`, `trusted_root-${current.trustedRoot}.json`);
  const registryKeysPath = join(folder, `trust`, `registry-keys-${current.registryKeys}.json`);
  const trustedRoot = await readText(trustedRootPath, current.trustedRoot);
  const registryKeys = await readText(registryKeysPath, current.registryKeys);
  if (trustedRoot === null || registryKeys === null || !looksLikeTrust({trustedRoot, registryKeys}))
    return null;

  return {trustedRootPath, registryKeysPath, fetchedAt, texts: {trustedRoot, registryKeys}};
}

export async function writeCachedTrust(folder: string, texts: TrustTargets, fetchedAt: Date): Promise<CachedTrust> {
  const dir = join(folder, `trust`);
  await mkdir(dir, {recursive: true});
  const rootDigest = sha256(texts.trustedRoot);
  const keysDigest = sha256(texts.registryKeys);
  const trustedRootPath = join(dir, `trusted_root-${rootDigest}.json`);
  const registryKeysPath = join(dir, `registry-keys-${keysDigest}.json`);

  await writeAtomically(trustedRootPath, texts.trustedRoot);
  await writeAtomically(registryKeysPath, texts.registryKeys);
  const current = {version: 1, fetchedAt: fetchedAt.toISOString(), trustedRoot: rootDigest, registryKeys: keysDigest};
  await writeAtomically(join(dir, `current.json`), JSON.stringify(current));
  return {trustedRootPath, registryKeysPath, fetchedAt, texts};
}

export async function readRefreshFailure(folder: string, now: Date): Promise<RefreshFailure | null> {
  const failure = await readJson(join(folder, `trust`, `last-failure.json`));
  if (!isFailure(failure))
    return null;
  const at = toDate(failure.at, now);
  return at === null ? null : {at, reason: failure.reason};
}

export async function writeRefreshFailure(folder: string, failure: RefreshFailure | null): Promise<void> {
  const dir = join(folder, `trust`);
  await mkdir(dir, {recursive: true});
  // Cleared by writing an entry the reader rejects: no unlink races with a concurrent writer.
  const content = failure === null ? `{}` : JSON.stringify({version: 1, at: failure.at.toISOString(), reason: failure.reason.slice(0, 500)});
  await writeAtomically(join(dir, `last-failure.json`), content);
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, `utf8`));
  } catch {
    return null;
  }
}

/** The file's text if its content still has the digest it was stored under. */
async function readText(path: string, digest: string): Promise<string | null> {
  try {
    const text = await readFile(path, `utf8`);
    return sha256(text) === digest ? text : null;
  } catch {
    return null;
  }
}

/** A date that parses and is not in the future: a future date would make a copy look fresh forever. */
function toDate(value: string, now: Date): Date | null {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) || date.getTime() > now.getTime() ? null : date;
}

function sha256(text: string): string {
  return createHash(`sha256`).update(text).digest(`hex`);
}

async function writeAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString(`hex`)}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}
