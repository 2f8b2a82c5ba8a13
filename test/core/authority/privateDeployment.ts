import {createHash, randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {toAttestationSet} from '../../../sources/core/attestations/parseAttestations';
import type {PackageRef, VerifiedProvenance} from '../../../sources/core/provenance.types';
import {loadTrust} from '../../../sources/core/trust/loadTrust';
import type {Trust} from '../../../sources/core/trust/loadTrust';
import {createPackageVerifier} from '../../../sources/core/verify/verifyPackage';
import type {PackageVerifier} from '../../../sources/core/verify/verifyPackage';
import {createTestAuthority} from '../../authority';
import type {AttestationsAnswer, TestAuthority} from '../../authority';

export type PrivateDeployment = {
  authority: TestAuthority;
  trust: Trust;
  verifier: PackageVerifier;
  /** The production verifier, given this deployment's trust files, on a registry answer. */
  verify(pkg: PackageRef, answer: AttestationsAnswer, tarballSha512: string): VerifiedProvenance;
};

/** A fixed instant, so that the times the authority writes can be asserted. */
export const NOW = new Date(`2026-03-02T10:00:00Z`);

let shared: Promise<PrivateDeployment> | undefined;

/**
 * One authority and one production verifier per test file, wired the way a private Sigstore
 * deployment is used: its trusted root and registry keys written to files and loaded by `loadTrust`.
 */
export function privateDeployment(): Promise<PrivateDeployment> {
  shared ??= (async () => {
    const authority = await createTestAuthority({now: NOW});
    const dir = mkdtempSync(join(tmpdir(), `test-authority-`));
    let trust: Trust;
    try {
      trust = await loadTrust(authority.writeTrustFiles(dir));
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
    const verifier = createPackageVerifier(trust);
    return {
      authority,
      trust,
      verifier,
      verify: (pkg, answer, tarballSha512) => verifier.verify({package: pkg, attestations: toAttestationSet(answer), tarballSha512}),
    };
  })();
  return shared;
}

/** Stand-in tarball bytes; only their sha512 matters to the verifier. */
export function tarball(): {bytes: Buffer, sha512: string} {
  const bytes = randomBytes(256);
  return {bytes, sha512: createHash(`sha512`).update(bytes).digest(`hex`)};
}
