import {ProvenanceError} from '../errors';
import type {PackageRef} from '../provenance.types';
import {fetchOrUnverifiable} from './fetchAttestations';
import type {Fetcher} from './fetcher.types';
import {versionDocumentUrl} from './registryUrls';

/**
 * The registry's version document as parsed JSON (untrusted), or null when it has none (404). No answer,
 * another status, or a body that is not JSON is NETWORK_UNVERIFIABLE, never a verdict.
 */
export async function fetchVersionDocument(fetcher: Fetcher, registry: string, pkg: PackageRef): Promise<unknown> {
  const url = versionDocumentUrl(registry, pkg);
  const answer = await fetchOrUnverifiable(fetcher, url, `application/json`);
  if (answer.status === 404)
    return null;
  if (answer.status !== 200)
    throw new ProvenanceError({code: `NETWORK_UNVERIFIABLE`, message: `${url} answered HTTP ${answer.status}; the registry signature could not be read`});
  return parseVersionDocument(answer.body, url);
}

/** Shared with the Yarn layer, which fetches the bytes through Yarn's own network. */
export function parseVersionDocument(body: Uint8Array, origin: string): unknown {
  try {
    return JSON.parse(Buffer.from(body).toString(`utf8`));
  } catch (cause) {
    throw new ProvenanceError({code: `NETWORK_UNVERIFIABLE`, message: `${origin} answered something that is not JSON; the registry signature could not be read`, cause});
  }
}
