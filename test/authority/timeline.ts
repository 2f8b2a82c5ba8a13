/**
 * Every instant the authority writes, derived from one `now`. Nothing reads the wall clock while
 * minting, so the same authority mints the same times and a test can place them where it likes:
 * sigstore-js judges validity only at the transparency log's integrated time, never at "now".
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

/** Fulcio issues short-lived leaves; ten minutes is its lifetime. */
export const LEAF_LIFETIME_MS = 10 * MINUTE;

export type Timeline = {
  /** Start of every trust anchor's validity (CA, logs, registry key): a year before `now`. */
  trustStart: Date;
  /** End of the root and intermediate certificates' validity. */
  trustEnd: Date;
  /** When a valid leaf is issued and its SCT timestamped. */
  issuedAt: Date;
  /** When an expired-by-design leaf is issued: its lifetime ends before the tlog integrates it. */
  expiredIssuedAt: Date;
  /** Integrated time of the provenance entry: inside a valid leaf's lifetime, as in real publishes. */
  provenanceLoggedAt: Date;
  /** Integrated time of the publish entry: the registry signs a moment after the build. */
  publishLoggedAt: Date;
};

export function toTimeline(now: Date): Timeline {
  // Integrated times and certificate validity are whole seconds; start from one.
  const start = Math.floor(now.getTime() / SECOND) * SECOND;
  return {
    trustStart: new Date(start - 365 * DAY),
    trustEnd: new Date(start + 10 * 365 * DAY),
    issuedAt: new Date(start),
    expiredIssuedAt: new Date(start - 3 * LEAF_LIFETIME_MS),
    provenanceLoggedAt: new Date(start + 2 * SECOND),
    publishLoggedAt: new Date(start + 4 * SECOND),
  };
}
