import {parseAttestations, toAttestationSet} from '../../sources/core/attestations/parseAttestations';
import {isProvenanceError} from '../../sources/core/errors';
import type {PackageRef, VerifiedProvenance} from '../../sources/core/provenance.types';
import {loadTrust} from '../../sources/core/trust/loadTrust';
import {createPackageVerifier} from '../../sources/core/verify/verifyPackage';
import type {PackageVerifier} from '../../sources/core/verify/verifyPackage';

let shared: Promise<PackageVerifier> | undefined;

/** The production verifier over the embedded public-good trust material, built once per test file. */
export function publicGoodVerifier(): Promise<PackageVerifier> {
  shared ??= loadTrust().then(createPackageVerifier);
  return shared;
}

export async function verifyJson(pkg: PackageRef, attestations: unknown, tarballSha512: string): Promise<VerifiedProvenance> {
  const verifier = await publicGoodVerifier();
  return verifier.verify({package: pkg, attestations: toAttestationSet(attestations), tarballSha512});
}

/** Runs `fn` and returns the code it was rejected with, failing the test if it was not rejected. */
export async function rejectionCode(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (error) {
    if (isProvenanceError(error))
      return error.code;
    throw error;
  }
  throw new Error(`expected a rejection, but it was accepted`);
}

export {parseAttestations};
