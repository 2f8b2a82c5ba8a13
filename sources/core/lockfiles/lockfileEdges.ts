import {ProvenanceError} from '../errors';
import type {CheckerEdges} from '../pipeline/packageChecker';
import {fetchAttestationsBody} from '../registry/fetchAttestations';
import type {Fetcher} from '../registry/fetcher.types';
import type {VerifyBody} from '../verify/verifyBody.types';
import {lockedSha512} from './lockedIntegrity';
import type {LockedSubject} from './lockedSubject.types';

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
  return {
    trustDigest,
    verify,
    tarballDigest: async subject => lockedSha512(subject.ref, integrities.get(subject.id)),
    fetchAttestations: async subject => {
      if (subject.source.kind !== `registry`)
        throw new ProvenanceError({code: `VERIFIER_FAILED`, message: `Assertion failed: attestations are only fetched for registry packages`});
      return fetchAttestationsBody(fetcher, subject.source.registry, subject.ref);
    },
  };
}
