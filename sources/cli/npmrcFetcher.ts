import type {Fetcher} from '../core/registry/fetcher.types';
import type {RegistryFetchOptions} from './npmrc';

/**
 * A Fetcher on npm-registry-fetch, npm's own, with the options npm would give it: credentials only for
 * the host and path they are written for, proxies, `cafile`/`ca`, `strict-ssl`, retries, and `offline`, which
 * answers from npm's HTTP cache alone (nothing cached is ENOTCACHED: no answer, so unverifiable). HTTP statuses are answers,
 * as the core expects; npm-registry-fetch rejects them, so they are turned back into answers here.
 */
export function createNpmrcFetcher(options: RegistryFetchOptions): Fetcher {
  // Loaded on the first request: a check whose evidence is all remembered never pays for npm's HTTP stack.
  let loading: Promise<typeof import('npm-registry-fetch')> | undefined;
  return async (url, {accept}) => {
    const npmFetch = await (loading ??= import(`npm-registry-fetch`).then(module => module.default));
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
