import {join} from 'node:path';

import type {Fetcher} from '../registry/fetcher.types';
import {embeddedTufRoot, PUBLIC_GOOD_MIRROR} from './embedded';
import {readCachedTrust, readRefreshFailure, writeCachedTrust, writeRefreshFailure} from './trustCache';
import type {CachedTrust} from './trustCache';
import type {TrustFiles} from './trustTexts';
import type {TufRepository} from './tufClient';

const HOUR = 60 * 60 * 1000;

/** A copy older than this is refreshed before use (when the network allows). */
export const TRUST_MAX_AGE_MS = 7 * 24 * HOUR;
/** After a failed refresh, the next attempt waits this long (installs meanwhile use the copy at hand). */
export const REFRESH_RETRY_AFTER_MS = HOUR;
/** A refresh that takes longer is abandoned for the copy at hand. */
export const REFRESH_DEADLINE_MS = 10_000;

export function publicGoodRepository(): TufRepository {
  return {mirror: PUBLIC_GOOD_MIRROR, seedRoot: embeddedTufRoot()};
}

/**
 * The trust a run verifies with, as files for readTrustTexts and the verification workers:
 * `{}` is the copy embedded in this build.
 */
export type TrustChoice = {
  files: TrustFiles;
  source: `embedded` | `cached` | `refreshed` | `custom`;
  /** When the cached or refreshed copy was fetched. */
  fetchedAt?: Date;
  /** At most one line, for the user: why the trust in use is not a fresh copy. */
  notes: Array<string>;
};

export type MachineTrustOptions = {
  /** This machine's folder for TUF metadata and refreshed copies; one no project setting can point at. */
  folder: string;
  /** The only way to the network (inside Yarn: Yarn's own HTTP stack). */
  fetcher: Fetcher;
  /** The user's own trust files (a private Sigstore deployment): used as they are, never refreshed. */
  files?: TrustFiles;
  /** No network at all (Yarn's `enableOfflineMode`, the CLI's `--offline`). */
  offline?: boolean;
  repository?: TufRepository;
  maxAgeMs?: number;
  retryAfterMs?: number;
  deadlineMs?: number;
  now?: () => Date;
};

/**
 * The public-good trusted root and npm registry keys, kept current on this machine through TUF: the
 * copy at hand is used while younger than `maxAgeMs`, refreshed when older (the embedded copy carries
 * no date, so it always counts as old), and refreshed at once after a failure that a key or log
 * rotation would explain. Offline, or when the refresh fails, the copy at hand is used with one note:
 * a network failure never blocks an install by itself.
 */
export class MachineTrust {
  private current: TrustChoice;
  private rotationRefresh: Promise<TrustChoice> | null = null;

  private constructor(private readonly options: Required<Omit<MachineTrustOptions, `files`>> & {files: TrustFiles}) {
    this.current = {files: {}, source: `embedded`, notes: []};
  }

  static async open(options: MachineTrustOptions): Promise<MachineTrust> {
    const trust = new MachineTrust({
      files: options.files ?? {},
      offline: options.offline ?? false,
      repository: options.repository ?? publicGoodRepository(),
      maxAgeMs: options.maxAgeMs ?? TRUST_MAX_AGE_MS,
      retryAfterMs: options.retryAfterMs ?? REFRESH_RETRY_AFTER_MS,
      deadlineMs: options.deadlineMs ?? REFRESH_DEADLINE_MS,
      now: options.now ?? (() => new Date()),
      folder: join(options.folder, encodeURIComponent(new URL(options.repository?.mirror ?? PUBLIC_GOOD_MIRROR).host)),
      fetcher: options.fetcher,
    });
    trust.current = await trust.choose();
    return trust;
  }

  /** The trust to verify with now. */
  get choice(): TrustChoice {
    return this.current;
  }

  /**
   * After a verification failure that a key or log rotation would explain: refresh now, whatever the
   * age of the copy, at most once per run (concurrent callers share the attempt). Resolves with the
   * trust to re-verify with, which later calls to `choice` also return; rejects when no refresh is
   * possible (user's own files, offline) or it failed.
   */
  refreshAfterRotation(): Promise<TrustChoice> {
    this.rotationRefresh ??= (async () => {
      if (isCustom(this.options.files))
        throw new Error(`the trust files are the user's own (${describeFiles(this.options.files)}) and are not refreshed`);
      if (this.options.offline)
        throw new Error(`offline: the trust material cannot be refreshed`);
      const refreshed = await this.refresh();
      if (`failure` in refreshed)
        throw new Error(refreshed.failure);
      this.current = refreshed;
      return refreshed;
    })();
    return this.rotationRefresh;
  }

  private async choose(): Promise<TrustChoice> {
    const {files, offline, folder, maxAgeMs, retryAfterMs, now} = this.options;
    if (isCustom(files))
      return {files, source: `custom`, notes: []};

    const at = now();
    const cached = await readCachedTrust(folder, at);
    if (cached !== null && at.getTime() - cached.fetchedAt.getTime() < maxAgeMs)
      return fromCache(cached, `cached`, []);

    // From here on a refresh is due; whatever stops it, the copy at hand is used with one note.
    const held = cached === null ? `the copy embedded in this build` : `the copy fetched on ${cached.fetchedAt.toISOString()}`;
    const fallback = (why: string): TrustChoice => {
      const note = `Sigstore trust material not refreshed (${why}): using ${held}`;
      return cached === null ? {files: {}, source: `embedded`, notes: [note]} : fromCache(cached, `cached`, [note]);
    };
    if (offline)
      return fallback(`offline`);

    const failure = await readRefreshFailure(folder, at);
    if (failure !== null && at.getTime() - failure.at.getTime() < retryAfterMs) {
      const retryAt = new Date(failure.at.getTime() + retryAfterMs).toISOString();
      return fallback(`the attempt at ${failure.at.toISOString()} failed: ${failure.reason}; next attempt after ${retryAt}`);
    }

    const refreshed = await this.refresh();
    return `failure` in refreshed ? fallback(`${this.options.repository.mirror}: ${refreshed.failure}`) : refreshed;
  }

  /** One TUF update within the deadline, remembered on success and on failure. */
  private async refresh(): Promise<TrustChoice | {failure: string}> {
    const {folder, fetcher, repository, deadlineMs, now} = this.options;
    try {
      // Loaded only when a refresh is due: the TUF client stays out of most runs.
      const {updateTrustTargets} = await import(`./tufClient`);
      const texts = await withDeadline(updateTrustTargets({fetcher, folder, repository}), deadlineMs);
      const cached = await writeCachedTrust(folder, texts, now());
      await writeRefreshFailure(folder, null);
      return fromCache(cached, `refreshed`, []);
    } catch (error) {
      const failure = (error as Error).message ?? String(error);
      await writeRefreshFailure(folder, {at: now(), reason: failure}).catch(() => {});
      return {failure};
    }
  }
}

function fromCache(cached: CachedTrust, source: `cached` | `refreshed`, notes: Array<string>): TrustChoice {
  return {
    files: {trustedRootPath: cached.trustedRootPath, registryKeysPath: cached.registryKeysPath, refreshed: true},
    source,
    fetchedAt: cached.fetchedAt,
    notes,
  };
}

function isCustom(files: TrustFiles): boolean {
  return files.trustedRootPath !== undefined || files.registryKeysPath !== undefined;
}

function describeFiles(files: TrustFiles): string {
  return [files.trustedRootPath, files.registryKeysPath].filter(path => path !== undefined).join(`, `);
}

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no complete answer within ${ms} ms`)), ms);
    timer.unref();
  });
  // The abandoned work may still fail later; that is no longer anyone's concern.
  work.catch(() => {});
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
