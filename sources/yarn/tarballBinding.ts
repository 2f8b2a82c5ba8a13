import {AsyncLocalStorage} from 'node:async_hooks';
import {createHash} from 'node:crypto';

import type {Cache, Configuration, Fetcher, FetchOptions, FetchResult, Hooks, Locator, Project, Report} from '@yarnpkg/core';
import {hashUtils, structUtils, tgzUtils} from '@yarnpkg/core';
import pLimit from 'p-limit';

import type {EvidenceStore} from '../core/cache/localStore';
import {ProvenanceError} from '../core/errors';
import {DeadlinePassed, getWithDeadline, requestDeadlineMs} from './attestationRequest';
import {tarballUrlOf} from './yarnNetwork';

/**
 * The one answer to "which bytes will Yarn link, and were they attested?".
 *
 * npm attests the sha512 of a tarball; Yarn links a zip it made from one. For each locator this
 * module ties the zip Yarn stores for THAT locator to the sha512 of the tarball it was made from:
 * - fresh downloads: the response body delivered to that locator's own fetch is hashed (the fetch
 *   runs inside an async context, so two packages downloading the same URL never see each other's
 *   bytes);
 * - anything else (cache hits, the global mirror, a committed zero-install cache): a binding this
 *   machine proved before, or else the tarball is downloaded again and converted exactly as Yarn
 *   does, and the result must be byte-identical to the zip.
 * The zip's own hash is the file's, computed here unless Yarn computed it from the file itself and
 * compared it with the lockfile (`checksumBehavior` throw/update/reset); `ignore` reports the
 * lockfile's checksum for any file, and conditional packages report none.
 */

/** The hashes of the response bodies delivered inside one locator's fetch, in order. */
type DownloadRecord = {bodies: Array<string>};

// The plugin can be loaded twice in one process: one context for every copy.
const CONTEXT_KEY = Symbol.for(`yarn-plugin-provenance/download-context`);
const downloads = ((globalThis as Record<symbol, unknown>)[CONTEXT_KEY] ??= new AsyncLocalStorage<DownloadRecord>()) as AsyncLocalStorage<DownloadRecord>;

/** Yarn's hook: hashes a GET response body when, and only when, a tapped fetch asked for it. */
export const wrapNetworkRequest: NonNullable<Hooks[`wrapNetworkRequest`]> = async (executor, extra) => {
  const record = downloads.getStore();
  if (record === undefined || extra.method !== `GET`)
    return executor;

  return async () => {
    const response = await executor();
    if (Buffer.isBuffer(response.body))
      record.bodies.push(createHash(`sha512`).update(response.body).digest(`hex`));
    return response;
  };
};

/** What a tapped fetch established about the zip Yarn will link for a locator. */
export type FetchedZip = {
  /** sha512 hex of the zip file itself. */
  zipHash: string;
  /** sha512 hex of the tarball this zip was just converted from, when it was downloaded in this fetch. */
  downloadedTarball?: string;
};

/**
 * The options Yarn's fetch step gives each fetch, for fetching packages outside it (the gate's packages
 * the step skipped, `audit`): other-platform optional packages mocked, conditional ones unchecksummed.
 */
export function fetchOptionsFor(project: Project, cache: Cache, fetcher: Fetcher, report: Report): FetchOptions {
  return {
    checksums: project.storedChecksums, project, cache, fetcher, report,
    cacheOptions: {mockedPackages: project.disabledLocators, unstablePackages: project.conditionalLocators},
  };
}

const TRUSTED_BEHAVIOURS: ReadonlySet<string> = new Set([`throw`, `update`, `reset`]);

export class TarballBinding {
  private readonly fetched = new Map<string, Promise<FetchedZip>>();
  private readonly rederive: ReturnType<typeof pLimit>;

  constructor(private readonly configuration: Configuration, private readonly store: () => Promise<EvidenceStore>, concurrency: number) {
    this.rederive = pLimit(concurrency);
  }

  /** A fetcher that records, per locator, what `inner` stored; `onFetched` learns of each npm package. */
  tap(inner: Fetcher, onFetched: (locator: Locator) => void = () => {}): Fetcher {
    return {
      supports: (locator, opts) => inner.supports(locator, opts),
      getLocalPath: (locator, opts) => inner.getLocalPath(locator, opts),
      fetch: async (locator, opts) => {
        if (!locator.reference.startsWith(`npm:`) || opts.project.disabledLocators.has(locator.locatorHash))
          return inner.fetch(locator, opts);
        const record: DownloadRecord = {bodies: []};
        const result = await downloads.run(record, () => inner.fetch(locator, opts));
        if (!this.fetched.has(locator.locatorHash)) {
          const zip = this.describe(result, record);
          zip.catch(() => {});
          this.fetched.set(locator.locatorHash, zip);
          onFetched(locator);
        }
        return result;
      },
    };
  }

  /** Whether this locator went through the tap in this run. */
  has(locator: Locator): boolean {
    return this.fetched.has(locator.locatorHash);
  }

  /** sha512 hex of the zip Yarn stored for this locator (after its fetch went through the tap). */
  async zipHash(locator: Locator): Promise<string> {
    return (await this.require(locator)).zipHash;
  }

  /**
   * The sha512 (hex) of the npm tarball the stored zip was made from: the one downloaded for it in this
   * fetch, one proved on this machine before, or one proved now by re-deriving the zip.
   */
  async tarballDigest(locator: Locator): Promise<string> {
    const {zipHash, downloadedTarball} = await this.require(locator);
    const store = await this.store();
    if (downloadedTarball !== undefined) {
      store.setBinding(zipHash, downloadedTarball);
      return downloadedTarball;
    }
    const bound = store.getBinding(zipHash);
    if (bound !== undefined)
      return bound;
    const proved = await this.rederive(() => this.prove(locator, zipHash));
    store.setBinding(zipHash, proved);
    return proved;
  }

  /**
   * Whether `tarballDigest` can answer without downloading: the tarball came down in this fetch, or this machine
   * bound the zip before. `audit` asks, to judge the others against the registry's signed integrity instead.
   */
  async boundLocally(locator: Locator): Promise<boolean> {
    const {zipHash, downloadedTarball} = await this.require(locator);
    return downloadedTarball !== undefined || (await this.store()).getBinding(zipHash) !== undefined;
  }

  private require(locator: Locator): Promise<FetchedZip> {
    const zip = this.fetched.get(locator.locatorHash);
    if (zip === undefined)
      throw new Error(`Assertion failed: ${structUtils.stringifyLocator(locator)} was never fetched through the tap`);
    return zip;
  }

  private async describe(result: FetchResult, record: DownloadRecord): Promise<FetchedZip> {
    const downloadedTarball = record.bodies[record.bodies.length - 1];
    const reported = result.checksum ?? null;
    const behaviour = String(this.configuration.get(`checksumBehavior`));
    const zipHash = reported !== null && TRUSTED_BEHAVIOURS.has(behaviour)
      ? reported.slice(reported.lastIndexOf(`/`) + 1)
      : await hashUtils.checksumFile(result.packageFs.getRealPath());
    return downloadedTarball !== undefined ? {zipHash, downloadedTarball} : {zipHash};
  }

  /** Download the tarball again, convert it exactly as Yarn does, and require the same zip. */
  private async prove(locator: Locator, zipHash: string): Promise<string> {
    const url = tarballUrlOf(locator, this.configuration);
    if (this.configuration.get(`enableOfflineMode`))
      throw new ProvenanceError({code: `NETWORK_UNVERIFIABLE`, message: `Offline mode is on, and this cached package was never tied to a registry tarball on this machine`});
    let tarball: Buffer;
    try {
      tarball = await getWithDeadline(url, locator, this.configuration);
    } catch (error) {
      const why = error instanceof DeadlinePassed ? `no complete answer within ${requestDeadlineMs(this.configuration) / 1000} s` : (error as Error).message;
      throw new ProvenanceError({code: `NETWORK_UNVERIFIABLE`, message: `Could not download ${url} to check the cached package: ${why}`, cause: error});
    }

    const zip = await tgzUtils.convertToZip(tarball, {configuration: this.configuration, prefixPath: structUtils.getIdentVendorPath(locator), stripComponents: 1});
    const zipPath = zip.getRealPath();
    zip.saveAndClose();
    const derived = await hashUtils.checksumFile(zipPath);
    if (derived !== zipHash) {
      throw new ProvenanceError({
        code: `CACHE_BINDING_MISMATCH`,
        message: `The cached ${structUtils.stringifyLocator(locator)} was not made from the tarball the registry serves (${url})`,
        mismatch: {what: `The zip Yarn would link was not made from the registry's tarball`, expected: derived, found: zipHash},
      });
    }
    return createHash(`sha512`).update(tarball).digest(`hex`);
  }
}
