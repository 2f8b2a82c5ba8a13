import {isProvenanceError, ProvenanceError} from '../errors';
import type {TrustChoice} from './machineTrust';
import {findTrustGaps} from './trustGaps';
import {readTrustTexts} from './trustTexts';
import type {TrustFiles} from './trustTexts';

/** The part of MachineTrust that recovery needs. */
export type RefreshableTrust = {
  readonly choice: TrustChoice;
  refreshAfterRotation(): Promise<TrustChoice>;
};

/**
 * Verifies with the current trust; when that fails with SIGNATURE_INVALID and the attestations name
 * a key, log or authority the trust does not list (what an upstream rotation looks like), refreshes
 * the trust once per run and verifies again. What still fails for that reason, or cannot be retried
 * (the refresh failed, found nothing newer, or the trust is the user's own), is TRUST_STALE: nothing
 * could be concluded, which blocks under `enforce` like any unverifiable package but is not called a
 * forgery. A signature failure without such a gap is returned as it is.
 */
export async function verifyWithTrustRecovery<T>({trust, attestations, verify}: {
  trust: RefreshableTrust;
  /** The registry's attestations answer (bytes or parsed), read only to look for names the trust lacks. */
  attestations: unknown;
  verify: (files: TrustFiles) => Promise<T>;
}): Promise<T> {
  const first = trust.choice;
  try {
    return await verify(first.files);
  } catch (error) {
    const gaps = await gapsBehind(error, attestations, first.files);
    if (gaps.length === 0)
      throw error;

    let next: TrustChoice;
    try {
      next = await trust.refreshAfterRotation();
    } catch (refreshError) {
      throw staleTrust(error, gaps, first, `it could not be refreshed: ${(refreshError as Error).message}`);
    }

    try {
      return await verify(next.files);
    } catch (again) {
      const remaining = await gapsBehind(again, attestations, next.files);
      if (remaining.length === 0)
        throw again;
      throw staleTrust(again, remaining, next, `even the copy refreshed just now does not list them`);
    }
  }
}

async function gapsBehind(error: unknown, attestations: unknown, files: TrustFiles): Promise<Array<string>> {
  if (!isProvenanceError(error) || error.code !== `SIGNATURE_INVALID`)
    return [];
  return findTrustGaps(attestations, await readTrustTexts(files));
}

function staleTrust(cause: unknown, gaps: Array<string>, choice: TrustChoice, why: string): ProvenanceError {
  const held = {
    custom: `the configured trust files`,
    embedded: `the trust material embedded in this build`,
    cached: `the trust material fetched on ${choice.fetchedAt?.toISOString()}`,
    refreshed: `the trust material fetched on ${choice.fetchedAt?.toISOString()}`,
  }[choice.source];
  return new ProvenanceError({
    code: `TRUST_STALE`,
    message: `The signature does not verify, and the attestations name ${gaps.join(`, `)}, which ${held} does not list: `
      + `the trust material may be stale, and ${why} (${(cause as Error).message})`,
    cause,
  });
}
