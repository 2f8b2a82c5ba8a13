import type {Fetcher} from '../core/registry/fetcher.types';
import type {NpmConfig} from './npmrc';

/**
 * A Fetcher on fetch() that sends the `.npmrc` token of the URL's registry, as npm would. Like the core's
 * node fetcher, `deadlineMs` bounds the whole exchange, body included.
 */
export function createNpmrcFetcher(config: Pick<NpmConfig, `authorizationFor`>, {deadlineMs = 30_000}: {deadlineMs?: number} = {}): Fetcher {
  return async (url, {accept}) => {
    const authorization = config.authorizationFor(url);
    const headers: Record<string, string> = authorization !== undefined ? {accept, authorization} : {accept};
    // Redirects are not followed: a token must not travel to wherever a registry redirects.
    const response = await fetch(url, {headers, signal: AbortSignal.timeout(deadlineMs), redirect: authorization !== undefined ? `manual` : `follow`});
    return {status: response.status, body: Buffer.from(await response.arrayBuffer())};
  };
}
