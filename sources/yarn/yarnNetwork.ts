import type {Configuration, Ident, Locator} from '@yarnpkg/core';
import {httpUtils} from '@yarnpkg/core';
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

export function statusOf(error: unknown): number | undefined {
  const candidate = error as {response?: {statusCode?: number}, originalError?: {response?: {statusCode?: number}}};
  return candidate.response?.statusCode ?? candidate.originalError?.response?.statusCode;
}

/**
 * A core Fetcher on Yarn's HTTP stack, for `yarn provenance verify`: with the package's ident, the
 * registry's auth (scoped registries and their tokens) applies as it does to Yarn's own requests.
 */
export function yarnFetcher(configuration: Configuration, ident: Ident | null = null): CoreFetcher {
  return async url => {
    try {
      const body = (ident !== null
        ? await npmHttpUtils.get(url, {configuration, ident, jsonResponse: false})
        : await httpUtils.get(url, {configuration, jsonResponse: false})) as Buffer;
      return {status: 200, body};
    } catch (error) {
      const status = statusOf(error);
      if (status === undefined)
        throw error;
      return {status, body: Buffer.alloc(0)};
    }
  };
}
