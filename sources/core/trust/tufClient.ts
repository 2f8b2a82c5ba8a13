import {randomBytes} from 'node:crypto';
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';

import {BaseFetcher, Updater} from 'tuf-js';
// Not re-exported by tuf-js's index, but the updater only treats a missing next root (403/404) as
// "no newer root" when the fetcher throws this very class. The version is pinned exactly.
import {DownloadHTTPError, DownloadLengthMismatchError} from 'tuf-js/dist/error';

import type {Fetcher} from '../registry/fetcher.types';
import {NPM_KEYS_TARGET, TRUSTED_ROOT_TARGET} from './embedded';

/** A TUF repository: where it is served, and the root a client trusts before its first update. */
export type TufRepository = {
  /** Base URL of the metadata (`<mirror>/2.root.json`, `<mirror>/timestamp.json`); targets are under `<mirror>/targets`. */
  mirror: string;
  /** The root.json text the chain of roots starts from (embedded in the build). */
  seedRoot: string;
};

/** The two targets this project needs, as text, exactly as the repository's signed metadata describes them. */
export type TrustTargets = {
  trustedRoot: string;
  registryKeys: string;
};

/**
 * tuf-js's network seam: every metadata file and target is asked of the injected core Fetcher (inside
 * Yarn, Yarn's own HTTP stack), never of a client of tuf-js's own. tuf-js still enforces the length
 * limits while reading the stream, and checks every signature, version, expiry and hash itself.
 */
class InjectedFetcher extends BaseFetcher {
  constructor(private readonly fetcher: Fetcher, private readonly scratchDir: string) {
    super();
  }

  override async fetch(url: string): Promise<ReadableStream<Uint8Array<ArrayBuffer>>> {
    const body = await this.get(url);
    return new Blob([new Uint8Array(body)]).stream() as ReadableStream<Uint8Array<ArrayBuffer>>;
  }

  // tuf-js's own versions stage every download in a folder of the system's temporary directory, which
  // an abandoned refresh (past its deadline) leaves behind: metadata is kept in memory instead, and
  // targets are staged in this machine's TUF folder.
  override async downloadBytes(url: string, maxLength: number): Promise<Buffer> {
    const body = await this.get(url);
    if (body.length > maxLength)
      throw new DownloadLengthMismatchError(`${url} is over its ${maxLength}-byte limit`);
    return body;
  }

  override async downloadFile<T>(url: string, maxLength: number, handler: (file: string) => Promise<T>): Promise<T> {
    const body = await this.downloadBytes(url, maxLength);
    const file = join(this.scratchDir, `download-${randomBytes(8).toString(`hex`)}`);
    writeFileSync(file, body);
    try {
      return await handler(file);
    } finally {
      rmSync(file, {force: true});
    }
  }

  private async get(url: string): Promise<Buffer> {
    const answer = await this.fetcher(url, {accept: `application/json, application/octet-stream`});
    if (answer.status !== 200)
      throw new DownloadHTTPError(`${url} answered HTTP ${answer.status}`, answer.status);
    return answer.body;
  }
}

/**
 * One TUF update (client workflow of the TUF specification, run by tuf-js's Updater): the chain of
 * roots from the trusted one, then timestamp, snapshot and targets, each checked for signatures,
 * thresholds, versions (no rollback) and expiry (no freeze); then the two targets, checked against
 * the lengths and hashes the targets metadata lists. Metadata and verified targets persist in
 * `folder`, so the next update downloads only what changed, and a rollback to metadata older than
 * what this machine has seen is refused. Throws when anything is missing, stale or does not verify.
 */
export async function updateTrustTargets({fetcher, folder, repository}: {fetcher: Fetcher, folder: string, repository: TufRepository}): Promise<TrustTargets> {
  const metadataDir = join(folder, `metadata`);
  const targetDir = join(folder, `targets`);
  mkdirSync(metadataDir, {recursive: true});
  mkdirSync(targetDir, {recursive: true});
  seedRoot(metadataDir, repository.seedRoot);

  const open = () => new Updater({
    metadataDir,
    metadataBaseUrl: repository.mirror,
    targetDir,
    targetBaseUrl: `${repository.mirror.replace(/\/+$/, ``)}/targets`,
    fetcher: new InjectedFetcher(fetcher, folder),
  });
  let updater: Updater;
  try {
    updater = open();
  } catch {
    // The root this folder advanced to no longer verifies (a damaged file): start over from the seed.
    writeFileSync(join(metadataDir, `root.json`), repository.seedRoot);
    updater = open();
  }

  await updater.refresh();
  const [trustedRoot, registryKeys] = [
    await readTarget(updater, TRUSTED_ROOT_TARGET),
    await readTarget(updater, NPM_KEYS_TARGET),
  ];
  return {trustedRoot, registryKeys};
}

async function readTarget(updater: Updater, name: string): Promise<string> {
  const info = await updater.getTargetInfo(name);
  if (info === undefined)
    throw new Error(`the TUF repository lists no target ${name}`);
  const path = await updater.findCachedTarget(info) ?? await updater.downloadTarget(info);
  return readFile(path, `utf8`);
}

/**
 * The trusted root a client starts from: the one this folder already advanced to, unless the build
 * embeds a newer one (or the file is unreadable). Never an older one: that would undo a rotation.
 */
function seedRoot(metadataDir: string, seed: string): void {
  const path = join(metadataDir, `root.json`);
  const cached = versionOf(() => readFileSync(path, `utf8`));
  const embedded = versionOf(() => seed);
  if (embedded === null)
    throw new Error(`the embedded TUF root is not TUF root metadata`);
  if (cached === null || cached < embedded)
    writeFileSync(path, seed);
}

function versionOf(read: () => string): number | null {
  try {
    const version = (JSON.parse(read()) as {signed?: {version?: unknown}}).signed?.version;
    return typeof version === `number` && Number.isSafeInteger(version) ? version : null;
  } catch {
    return null;
  }
}
