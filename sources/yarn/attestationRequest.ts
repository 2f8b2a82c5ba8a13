import {subscribe, unsubscribe} from 'node:diagnostics_channel';
import type {ClientRequest} from 'node:http';

import type {Configuration, Ident, Locator} from '@yarnpkg/core';
import {npmHttpUtils} from '@yarnpkg/plugin-npm';

import {ProvenanceError} from '../core/errors';
import type {PackageRef} from '../core/provenance.types';
import {parseVersionDocument} from '../core/registry/fetchVersionDocument';
import {escapeName} from '../core/registry/registryUrls';
import {registryOf, statusOf} from './yarnNetwork';

/**
 * How long one attestations request may take in all, in multiples of Yarn's `httpTimeout`. That
 * setting bounds only idle time: an answer that drips one byte at a time never ends under it, and
 * would hold the install forever. Twice the idle bound leaves an honest but slow registry room (a
 * stall and a retry); past it the package is unverifiable (NETWORK_UNVERIFIABLE), never a verdict.
 * With Yarn's default `httpTimeout` of 60 s, that is two minutes.
 */
export const DEADLINE_IN_HTTP_TIMEOUTS = 2;

/** The registry's attestations answer as bytes, or null when the package has none (404). */
export async function fetchAttestationsWithYarn(locator: Locator, pkg: PackageRef, configuration: Configuration): Promise<Buffer | null> {
  // Yarn's enableOfflineMode is not enforced by its HTTP layer: honour it here.
  if (configuration.get(`enableOfflineMode`))
    throw new ProvenanceError({code: `NETWORK_UNVERIFIABLE`, message: `Offline mode is on and these attestations were never verified on this machine`});

  const path = `/-/npm/v1/attestations/${escapeName(pkg.name)}@${encodeURIComponent(pkg.version)}`;
  const deadlineMs = requestDeadlineMs(configuration);
  try {
    return await getWithDeadline(path, locator, configuration);
  } catch (error) {
    if (error instanceof DeadlinePassed) {
      throw new ProvenanceError({
        code: `NETWORK_UNVERIFIABLE`,
        message: `The attestations of ${pkg.name}@${pkg.version} from ${registryOf(locator, configuration)} did not arrive within ${deadlineMs / 1000} s (${DEADLINE_IN_HTTP_TIMEOUTS} x httpTimeout); nothing could be verified`,
      });
    }
    if (statusOf(error) === 404)
      return null;
    throw new ProvenanceError({
      code: `NETWORK_UNVERIFIABLE`,
      message: `Could not read the attestations of ${pkg.name}@${pkg.version} from ${registryOf(locator, configuration)}: ${(error as Error).message}`,
      cause: error,
    });
  }
}

/**
 * The registry's version document (`dist.signatures`, `dist.integrity`, `_npmUser`), parsed, or null when
 * it has none (404). Same network, offline and deadline rules as the attestations: a failure is
 * NETWORK_UNVERIFIABLE, never a verdict.
 */
export async function fetchVersionMetadataWithYarn(locator: Locator, pkg: PackageRef, configuration: Configuration): Promise<unknown> {
  if (configuration.get(`enableOfflineMode`))
    throw new ProvenanceError({code: `NETWORK_UNVERIFIABLE`, message: `Offline mode is on and the registry signature of this version was never verified on this machine`});

  const path = `/${escapeName(pkg.name)}/${encodeURIComponent(pkg.version)}`;
  const registry = registryOf(locator, configuration);
  try {
    return parseVersionDocument(await getWithDeadline(path, locator, configuration), `${registry}${path}`);
  } catch (error) {
    if (error instanceof ProvenanceError)
      throw error;
    if (error instanceof DeadlinePassed) {
      throw new ProvenanceError({
        code: `NETWORK_UNVERIFIABLE`,
        message: `The version document of ${pkg.name}@${pkg.version} from ${registry} did not arrive within ${requestDeadlineMs(configuration) / 1000} s (${DEADLINE_IN_HTTP_TIMEOUTS} x httpTimeout); its registry signature could not be verified`,
      });
    }
    if (statusOf(error) === 404)
      return null;
    throw new ProvenanceError({
      code: `NETWORK_UNVERIFIABLE`,
      message: `Could not read the version document of ${pkg.name}@${pkg.version} from ${registry}: ${(error as Error).message}`,
      cause: error,
    });
  }
}

/** The overall bound of one request through Yarn's stack (see DEADLINE_IN_HTTP_TIMEOUTS). */
export function requestDeadlineMs(configuration: Configuration): number {
  return DEADLINE_IN_HTTP_TIMEOUTS * Number(configuration.get(`httpTimeout`));
}

/**
 * A GET through Yarn's npm HTTP stack (scoped registries, auth, proxies) for `path` (a registry path or
 * a full URL), as bytes, under the overall deadline: rejects with DeadlinePassed when it passes.
 */
export async function getWithDeadline(path: string, ident: Ident, configuration: Configuration): Promise<Buffer> {
  const url = path.startsWith(`/`) ? null : new URL(path);
  const watched = url === null ? path : `${url.pathname}${url.search}`;
  return withDeadline(watched, requestDeadlineMs(configuration), async () => await npmHttpUtils.get(path, {
    configuration,
    ident,
    jsonResponse: false,
  }) as Buffer);
}

export class DeadlinePassed extends Error {}

const REQUEST_START = `http.client.request.start`;

/**
 * Runs one GET through Yarn's HTTP stack under an overall deadline. That stack cannot cancel a
 * request, and a response left dripping would keep Yarn's process alive after the install ended. So
 * the HTTP requests sent for `path` while this runs are watched on Node's diagnostics channel, and
 * destroyed when the deadline passes (any retry started after that, at once).
 */
async function withDeadline<T>(path: string, deadlineMs: number, run: () => Promise<T>): Promise<T> {
  const requests = new Set<ClientRequest>();
  let passed = false;
  const watch = (message: unknown) => {
    const request = (message as {request: ClientRequest}).request;
    // `path` is the request's path on the registry, or the end of the full URL sent to a proxy.
    if (!request.path.endsWith(path))
      return;
    if (passed)
      request.destroy();
    else
      requests.add(request);
  };
  subscribe(REQUEST_START, watch);

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      passed = true;
      for (const request of requests)
        request.destroy();
      reject(new DeadlinePassed());
    }, deadlineMs);
  });

  const running = run();
  const stopWatching = () => {
    unsubscribe(REQUEST_START, watch);
  };
  // Watch until Yarn's request has settled, so that a retry after the deadline is destroyed too.
  running.then(stopWatching, stopWatching);
  try {
    return await Promise.race([running, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
