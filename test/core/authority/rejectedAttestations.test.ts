import {describe, expect, it} from 'vitest';

import {toAttestationSet} from '../../../sources/core/attestations/parseAttestations';
import {isProvenanceError} from '../../../sources/core/errors';
import {loadTrust} from '../../../sources/core/trust/loadTrust';
import {createPackageVerifier} from '../../../sources/core/verify/verifyPackage';
import {rejectionCode} from '../../helpers/verifier';
import {privateDeployment, tarball} from './privateDeployment';

const GITHUB = {platform: `github`, repository: `https://github.com/acme/widget`} as const;

/** The sigstore-js code under a SIGNATURE_INVALID, to tell which check refused. */
function sigstoreCodeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (isProvenanceError(error))
      return (error.cause as {code?: string} | undefined)?.code;
    throw error;
  }
  throw new Error(`expected a rejection, but it was accepted`);
}

describe(`rejections of minted attestations`, () => {
  it(`rejects a certificate that had expired when the log integrated the signature`, async () => {
    const {authority, verify} = await privateDeployment();
    const pkg = {name: `widget-expired`, version: `1.0.0`};
    const {sha512} = tarball();
    const answer = await authority.mint({pkg, tarballSha512: sha512, identity: GITHUB, expiredCertificate: true});

    expect(await rejectionCode(() => verify(pkg, answer, sha512))).toBe(`SIGNATURE_INVALID`);
    // Refused by the chain check at log time, not by some other accident of the minting.
    expect(sigstoreCodeOf(() => verify(pkg, answer, sha512))).toBe(`CERTIFICATE_ERROR`);
  });

  it(`rejects the authority's attestations under the public-good trust, which does not know it`, async () => {
    const {authority} = await privateDeployment();
    const publicGood = createPackageVerifier(await loadTrust());
    const pkg = {name: `widget`, version: `1.0.0`};
    const {sha512} = tarball();
    const verify = (answer: unknown) => () => publicGood.verify({package: pkg, attestations: toAttestationSet(answer), tarballSha512: sha512});

    const both = await authority.mint({pkg, tarballSha512: sha512, identity: GITHUB});
    expect(await rejectionCode(verify(both))).toBe(`SIGNATURE_INVALID`);

    // Provenance alone: its leaf chains to a root the public-good trusted root does not hold.
    const provenanceOnly = await authority.mint({pkg, tarballSha512: sha512, identity: GITHUB, publish: false});
    expect(await rejectionCode(verify(provenanceOnly))).toBe(`SIGNATURE_INVALID`);
    expect(sigstoreCodeOf(verify(provenanceOnly))).toBe(`CERTIFICATE_ERROR`);

    // Publish alone: npm's keys do not include the authority's registry key.
    const publishOnly = await authority.mint({pkg, tarballSha512: sha512, identity: GITHUB, provenance: false});
    expect(await rejectionCode(verify(publishOnly))).toBe(`SIGNATURE_INVALID`);
  });

  it(`rejects one tarball's attestations presented with another tarball's sha512`, async () => {
    const {authority, verify} = await privateDeployment();
    const pkg = {name: `widget`, version: `1.0.0`};
    const attested = tarball();
    const other = tarball();
    const answer = await authority.mint({pkg, tarballSha512: attested.sha512, identity: GITHUB});

    expect(await rejectionCode(() => verify(pkg, answer, other.sha512))).toBe(`SUBJECT_DIGEST_MISMATCH`);

    // The provenance binds the tarball on its own too, not only the publish attestation.
    const provenanceOnly = await authority.mint({pkg, tarballSha512: attested.sha512, identity: GITHUB, publish: false});
    expect(await rejectionCode(() => verify(pkg, provenanceOnly, other.sha512))).toBe(`SUBJECT_DIGEST_MISMATCH`);
  });

  it(`rejects attestations minted for another package`, async () => {
    const {authority, verify} = await privateDeployment();
    const {sha512} = tarball();
    const answer = await authority.mint({pkg: {name: `widget`, version: `1.0.0`}, tarballSha512: sha512, identity: GITHUB});

    expect(await rejectionCode(() => verify({name: `widget`, version: `1.0.1`}, answer, sha512))).toBe(`SUBJECT_NAME_MISMATCH`);
  });
});
