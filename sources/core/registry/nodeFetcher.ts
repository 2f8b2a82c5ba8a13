import type {Fetcher} from './fetcher.types';

/** A Fetcher on Node's fetch(), for the standalone CLI. Yarn's layer brings its own. */
export function createNodeFetcher({timeoutMs = 30_000}: {timeoutMs?: number} = {}): Fetcher {
  return async (url, {accept}) => {
    const response = await fetch(url, {headers: {accept}, signal: AbortSignal.timeout(timeoutMs), redirect: `follow`});
    return {status: response.status, body: Buffer.from(await response.arrayBuffer())};
  };
}
