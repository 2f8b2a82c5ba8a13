import {createHash} from 'node:crypto';
import {readFile} from 'node:fs/promises';

import {isProvenanceError, kindOf, ProvenanceError} from './errors';
import {evaluatePolicy} from './policy/evaluatePolicy';
import type {Evidence} from './policy/evaluatePolicy';
import type {Policy} from './policy/policy.types';
import type {PackageRef, Verdict} from './provenance.types';
import {fetchAttestationsBody, fetchOrUnverifiable} from './registry/fetchAttestations';
import type {Fetcher} from './registry/fetcher.types';
import {tarballUrl} from './registry/registryUrls';
import type {VerifyBody} from './verify/verifyBody.types';

export type VerifyOneOptions = {
  package: PackageRef;
  /** Local files; whichever is absent is fetched from the registry. */
  tarballPath?: string;
  attestationsPath?: string;
  registry: string;
  /** Absent in offline mode: anything that would need the network is then unverifiable. */
  fetcher?: Fetcher;
  policy: Policy;
  verify: VerifyBody;
  now?: Date;
};

/**
 * The single-package check behind `verify`: gather the tarball and attestations, verify, apply the
 * policy. Unreadable local files are the caller's mistake and throw; everything else is a verdict.
 */
export async function verifyOne(options: VerifyOneOptions): Promise<Verdict> {
  const tarball = options.tarballPath !== undefined ? await readInput(options.tarballPath) : undefined;
  const attestationsText = options.attestationsPath !== undefined ? await readInput(options.attestationsPath) : undefined;

  const evidence = await gatherEvidence(options, tarball, attestationsText);
  return evaluatePolicy(options.policy, options.package, evidence, options.now);
}

async function gatherEvidence(options: VerifyOneOptions, tarball: Buffer | undefined, attestationsText: Buffer | undefined): Promise<Evidence> {
  try {
    const attestations = attestationsText ?? await fetchAttestationsBody(requireFetcher(options), options.registry, options.package);

    const bytes = tarball ?? await downloadTarball(requireFetcher(options), options.registry, options.package);
    const tarballSha512 = createHash(`sha512`).update(bytes).digest(`hex`);

    return {ok: true, provenance: await options.verify({package: options.package, attestations, tarballSha512})};
  } catch (error) {
    // The caller's own mistakes (trust files) are not evidence about the package: exit 2, not 1.
    if (isProvenanceError(error) && kindOf(error.code) !== `usage`)
      return {ok: false, error};
    throw error;
  }
}

function requireFetcher(options: VerifyOneOptions): Fetcher {
  if (options.fetcher === undefined)
    throw new ProvenanceError({code: `NETWORK_UNVERIFIABLE`, message: `The registry is needed (no local file given) but network access is off`});
  return options.fetcher;
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
