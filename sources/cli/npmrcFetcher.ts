import npmFetch from 'npm-registry-fetch';

import type {Fetcher} from '../core/registry/fetcher.types';
import type {RegistryFetchOptions} from './npmrc';

/**
 * A Fetcher on npm-registry-fetch, npm's own, with the options npm would give it: credentials only for
 * the host and path they are written for, proxies, `cafile`/`ca`, `strict-ssl`, retries and npm's HTTP cache
 * (`offline` answers from it alone; nothing cached is ENOTCACHED, so no answer). HTTP statuses are answers,
 * as the core expects; npm-registry-fetch rejects them, so they are turned back into answers here.
 */
export function createNpmrcFetcher(options: RegistryFetchOptions): Fetcher {
  return async (url, {accept}) => {
    try {
      const response = await npmFetch(url, {...options, headers: {accept}});
      return {status: response.status, body: await response.buffer()};
    } catch (error) {
      const status = (error as {statusCode?: unknown}).statusCode;
      if (typeof status === `number`)
        return {status, body: Buffer.alloc(0)};
      throw error;
    }
  };
}
