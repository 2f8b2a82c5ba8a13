import {isProvenanceError, ProvenanceError} from '../errors';
import type {CheckerEdges} from '../pipeline/packageChecker';
import type {PackageSubject} from '../pipeline/packageSubject.types';
import {fetchAttestationsBody} from '../registry/fetchAttestations';
import type {Fetcher} from '../registry/fetcher.types';
import type {VerifyBody} from '../verify/verifyBody.types';
import {lockedSha512} from './lockedIntegrity';
import type {LockedSubject} from './lockedSubject.types';

/**
 * Stands for "no tarball digest" when a package has neither a usable locked integrity nor any
 * attestation: nothing is attested, so nothing needs binding, and the package is judged as one without
 * provenance (blocked only where provenance is required). No real sha512 is all zeros.
 */
const NOTHING_TO_BIND = `0`.repeat(128);

/**
 * The edges of `check` for an npm or pnpm lockfile. The bytes binding is the lockfile itself: npm and
 * pnpm refuse a download whose sha512 differs from the locked `integrity`, so the attestations must be
 * about exactly that digest, and nothing needs downloading but the attestations.
 */
export function lockfileEdges({subjects, fetcher, verify, trustDigest}: {
  subjects: ReadonlyArray<LockedSubject>;
  fetcher: Fetcher;
  verify: VerifyBody;
  trustDigest: string;
}): CheckerEdges {
  const integrities = new Map(subjects.map(locked => [locked.subject.id, locked.integrity]));
  // Each package's attestations are asked for once, whichever edge asks first.
  const answers = new Map<string, Promise<Uint8Array | null>>();
  const attestationsOf = (subject: PackageSubject): Promise<Uint8Array | null> => {
    if (subject.source.kind !== `registry`)
      throw new ProvenanceError({code: `VERIFIER_FAILED`, message: `Assertion failed: attestations are only fetched for registry packages`});
    const {registry} = subject.source;
    let answer = answers.get(subject.id);
    if (answer === undefined)
      answers.set(subject.id, answer = fetchAttestationsBody(fetcher, registry, subject.ref));
    return answer;
  };

  return {
    trustDigest,
    verify,
    tarballDigest: async subject => {
      try {
        return lockedSha512(subject.ref, integrities.get(subject.id));
      } catch (error) {
        // A sha1-only or missing integrity binds nothing; that only matters when something is attested
        // (old packages, published before npm recorded sha512, have neither).
        if (isProvenanceError(error) && error.code === `LOCKED_INTEGRITY_UNUSABLE` && await attestationsOf(subject) === null)
          return NOTHING_TO_BIND;
        throw error;
      }
    },
    fetchAttestations: attestationsOf,
  };
}
