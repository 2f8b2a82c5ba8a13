import {createHash} from 'node:crypto';

import type {Configuration, Locator} from '@yarnpkg/core';
import {hashUtils, httpUtils, structUtils, tgzUtils} from '@yarnpkg/core';
import {npmConfigUtils, npmHttpUtils, NpmSemverFetcher} from '@yarnpkg/plugin-npm';

import {ProvenanceError} from '../core/errors';
import type {Fetcher as CoreFetcher} from '../core/registry/fetcher.types';

/**
 * Everything the plugin asks the network, through Yarn's own stack: scoped registries, auth,
 * proxies, CA files, `enableNetwork`, timeouts and retries all apply as they do to Yarn's downloads.
 */

export function registryOf(locator: Locator, configuration: Configuration): string {
  return npmConfigUtils.getScopeRegistry(locator.scope, {configuration});
}

/** The URL Yarn's npm fetcher downloads the tarball from (the conventional one, or the archive URL). */
export function tarballUrlOf(locator: Locator, configuration: Configuration): string {
  const archive = new URL(`http://x/?${locator.reference.split(`::`)[1] ?? ``}`).searchParams.get(`__archiveUrl`);
  return archive ?? `${registryOf(locator, configuration)}${NpmSemverFetcher.getLocatorUrl(locator)}`;
}

/**
 * Proves which npm tarball a cached zip came from, for a cache entry this machine never bound:
 * download the tarball again, convert it exactly as Yarn does, and compare with the cached checksum.
 */
export async function bindCachedPackage(locator: Locator, configuration: Configuration, cachedChecksum: string): Promise<string> {
  const url = tarballUrlOf(locator, configuration);
  let tarball: Buffer;
  try {
    tarball = await npmHttpUtils.get(url, {configuration, ident: locator, jsonResponse: false}) as Buffer;
  } catch (error) {
    throw new ProvenanceError({code: `NETWORK_UNVERIFIABLE`, message: `Could not download ${url} to check the cached package: ${(error as Error).message}`, cause: error});
  }

  const zip = await tgzUtils.convertToZip(tarball, {configuration, prefixPath: structUtils.getIdentVendorPath(locator), stripComponents: 1});
  const zipPath = zip.getRealPath();
  zip.saveAndClose();
  const derived = await hashUtils.checksumFile(zipPath);

  const cachedHash = cachedChecksum.slice(cachedChecksum.lastIndexOf(`/`) + 1);
  if (derived !== cachedHash) {
    throw new ProvenanceError({
      code: `CACHE_BINDING_MISMATCH`,
      message: `The cached ${structUtils.stringifyLocator(locator)} was not made from the tarball the registry serves (${url})`,
      mismatch: {what: `The cached package does not come from the registry's tarball`, expected: cachedHash, found: derived},
    });
  }

  return createHash(`sha512`).update(tarball).digest(`hex`);
}

export function statusOf(error: unknown): number | undefined {
  const candidate = error as {response?: {statusCode?: number}, originalError?: {response?: {statusCode?: number}}};
  return candidate.response?.statusCode ?? candidate.originalError?.response?.statusCode;
}

/** A core Fetcher on Yarn's HTTP stack, for `yarn provenance verify`. */
export function yarnFetcher(configuration: Configuration): CoreFetcher {
  return async url => {
    try {
      const body = await httpUtils.get(url, {configuration, jsonResponse: false}) as Buffer;
      return {status: 200, body};
    } catch (error) {
      const status = statusOf(error);
      if (status === undefined)
        throw error;
      return {status, body: Buffer.alloc(0)};
    }
  };
}
