import {ProvenanceError} from '../errors';
import type {PackageRef} from '../provenance.types';
import type {Fetcher} from './fetcher.types';
import {attestationsUrl} from './registryUrls';

/**
 * Fetches a package's attestations answer; null when it has none (404). Anything that is not an
 * answer (no connection, timeout, 5xx, 429) is NETWORK_UNVERIFIABLE, never a verdict.
 */
export async function fetchAttestationsBody(fetcher: Fetcher, registry: string, pkg: PackageRef): Promise<Buffer | null> {
  const url = attestationsUrl(registry, pkg);
  const answer = await fetchOrUnverifiable(fetcher, url, `application/json`);

  if (answer.status === 404)
    return null;
  if (answer.status !== 200) {
    throw new ProvenanceError({
      code: `NETWORK_UNVERIFIABLE`,
      message: `${url} answered HTTP ${answer.status}; the attestations could not be read`,
    });
  }

  return answer.body;
}

export async function fetchOrUnverifiable(fetcher: Fetcher, url: string, accept: string) {
  try {
    return await fetcher(url, {accept});
  } catch (cause) {
    throw new ProvenanceError({
      code: `NETWORK_UNVERIFIABLE`,
      message: `No answer from ${url} (${(cause as Error).message}); nothing could be verified`,
      cause,
    });
  }
}
