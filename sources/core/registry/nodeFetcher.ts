import type {Fetcher} from './fetcher.types';

/**
 * A Fetcher on Node's fetch(), for the standalone CLI. Yarn's layer brings its own.
 *
 * `deadlineMs` bounds the whole exchange, body included, not only the wait for headers or the idle
 * time between bytes: the signal given to fetch() also aborts the body while it is read, so an answer
 * that drips one byte at a time is cut off at the deadline (its socket closed) like a silent one.
 */
export function createNodeFetcher({deadlineMs = 30_000}: {deadlineMs?: number} = {}): Fetcher {
  return async (url, {accept}) => {
    const response = await fetch(url, {headers: {accept}, signal: AbortSignal.timeout(deadlineMs), redirect: `follow`});
    return {status: response.status, body: Buffer.from(await response.arrayBuffer())};
  };
}
