import {createHash} from 'node:crypto';
import {readFile} from 'node:fs/promises';

import {ProvenanceError} from '../errors';
import type {PackageRef} from '../provenance.types';
import {fetchAttestationsBody, fetchOrUnverifiable} from '../registry/fetchAttestations';
import type {Fetcher} from '../registry/fetcher.types';
import {tarballUrl} from '../registry/registryUrls';
import type {VerifyBody} from '../verify/verifyBody.types';
import type {CheckerEdges} from './packageChecker';

export type SinglePackageInputs = {
  /** Local files; whichever is absent is fetched from the registry. */
  tarballPath?: string;
  attestationsPath?: string;
  registry: string;
  /** Absent in offline mode: anything that would need the network is then unverifiable. */
  fetcher?: Fetcher;
  verify: VerifyBody;
  trustDigest: string;
};

/**
 * The edges of `verify` for one package: the tarball and attestations come from the files given, or
 * from the registry. Unreadable local files are the caller's mistake (INPUT_UNREADABLE, exit 2).
 */
export function singlePackageEdges(inputs: SinglePackageInputs): CheckerEdges {
  return {
    trustDigest: inputs.trustDigest,
    verify: inputs.verify,
    tarballDigest: async subject => {
      const bytes = inputs.tarballPath !== undefined
        ? await readInput(inputs.tarballPath)
        : await downloadTarball(requireFetcher(inputs), inputs.registry, subject.ref);
      return createHash(`sha512`).update(bytes).digest(`hex`);
    },
    fetchAttestations: async subject => inputs.attestationsPath !== undefined
      ? readInput(inputs.attestationsPath)
      : fetchAttestationsBody(requireFetcher(inputs), inputs.registry, subject.ref),
  };
}

function requireFetcher(inputs: SinglePackageInputs): Fetcher {
  if (inputs.fetcher === undefined)
    throw new ProvenanceError({code: `NETWORK_UNVERIFIABLE`, message: `The registry is needed (no local file given) but network access is off`});
  return inputs.fetcher;
}

async function downloadTarball(fetcher: Fetcher, registry: string, pkg: PackageRef): Promise<Buffer> {
  const url = tarballUrl(registry, pkg);
  const answer = await fetchOrUnverifiable(fetcher, url, `application/octet-stream`);
  if (answer.status !== 200)
    throw new ProvenanceError({code: `NETWORK_UNVERIFIABLE`, message: `${url} answered HTTP ${answer.status}; the tarball could not be downloaded`});
  return answer.body;
}

async function readInput(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new ProvenanceError({code: `INPUT_UNREADABLE`, message: `Cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, cause});
  }
}
