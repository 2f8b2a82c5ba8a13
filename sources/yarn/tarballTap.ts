import {createHash} from 'node:crypto';

import type {Hooks} from '@yarnpkg/core';

/**
 * Yarn hashes nothing that npm attests (it keeps the sha512 of its own zip), so the plugin hashes the
 * tarball bytes as they come off the wire. Only while an install gate is listening, so that other
 * commands keep no state. The plugin can be loaded twice in one process: the state lives on a global.
 */
type TapState = {listeners: number, digests: Map<string, string>};
const KEY = Symbol.for(`yarn-plugin-provenance/tarball-tap`);
const state: TapState = ((globalThis as Record<symbol, unknown>)[KEY] ??= {listeners: 0, digests: new Map()}) as TapState;

export const wrapNetworkRequest: NonNullable<Hooks[`wrapNetworkRequest`]> = async (executor, extra) => {
  if (extra.method !== `GET` || !/\.tgz(?:$|\?)/.test(extra.target.toString()))
    return executor;

  return async () => {
    const response = await executor();
    if (state.listeners > 0 && Buffer.isBuffer(response.body))
      state.digests.set(canonicalUrl(extra.target.toString()), createHash(`sha512`).update(response.body).digest(`hex`));
    return response;
  };
};

/** Starts recording; the returned function stops and forgets. */
export function listenForTarballs(): () => void {
  state.listeners += 1;
  return () => {
    state.listeners -= 1;
    if (state.listeners === 0)
      state.digests.clear();
  };
}

/** The sha512 hex of the bytes downloaded from this URL during this process, if any. */
export function downloadedDigest(url: string): string | undefined {
  return state.digests.get(canonicalUrl(url));
}

// Yarn retries a scoped tarball with `/` instead of `%2f`; both name the same file.
function canonicalUrl(url: string): string {
  return url.replace(/%2f/gi, `/`);
}
