import {parseAttestations} from '../attestations/parseAttestations';
import {ProvenanceError} from '../errors';
import type {AttestationSet, PackageRef} from '../provenance.types';
import type {Fetcher} from './fetcher.types';
import {attestationsUrl} from './registryUrls';

/**
 * Fetches and shape-checks a package's attestations. 404 means the package has none. Anything that
 * is not an answer (no connection, timeout, 5xx, 429) is NETWORK_UNVERIFIABLE, never a verdict.
 */
export async function fetchAttestations(fetcher: Fetcher, registry: string, pkg: PackageRef): Promise<AttestationSet> {
  const url = attestationsUrl(registry, pkg);
  const answer = await fetchOrUnverifiable(fetcher, url, `application/json`);

  if (answer.status === 404)
    return {unknownPredicateTypes: []};
  if (answer.status !== 200) {
    throw new ProvenanceError({
      code: `NETWORK_UNVERIFIABLE`,
      message: `${url} answered HTTP ${answer.status}; the attestations could not be read`,
    });
  }

  return parseAttestations(answer.body);
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
