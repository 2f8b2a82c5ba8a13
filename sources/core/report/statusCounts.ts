import type {Binding, Status, Verdict} from '../provenance.types';

/** Every status in the order reports list them: the states that are well first, then problems, then the rest. */
export const STATUSES: ReadonlyArray<Status> = [`verified`, `missing`, `violation`, `invalid`, `unverifiable`, `unattestable`, `patched`, `project`];

/** `1 package`, `2 packages`: the one place a count meets its noun. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? `` : `s`}`;
}

export function countByStatus(verdicts: ReadonlyArray<Verdict>): Record<Status, number> {
  const counts = Object.fromEntries(STATUSES.map(status => [status, 0])) as Record<Status, number>;
  for (const verdict of verdicts)
    counts[verdict.status] += 1;
  return counts;
}

/**
 * `3 verified, 1 missing, 2 violations`: each state by the name its status has, so that the summary, the table and
 * `--json` agree. `verified` and `missing` always show (they say all is well); the others only when they occurred.
 */
export function formatStatusCounts(verdicts: ReadonlyArray<Verdict>): string {
  const counts = countByStatus(verdicts);
  return STATUSES
    .filter(status => status === `verified` || status === `missing` || counts[status] > 0)
    .map(status => (status === `violation` ? plural(counts[status], status) : `${counts[status]} ${status}`))
    .join(`, `);
}

export function countByBinding(verdicts: ReadonlyArray<Verdict>): Record<Binding, number> {
  const counts: Record<Binding, number> = {local: 0, registry: 0};
  for (const verdict of verdicts) {
    if (verdict.bound !== undefined)
      counts[verdict.bound] += 1;
  }
  return counts;
}

/**
 * `; 998 judged against the registry's signed integrity only …`, or nothing when every verdict is about local bytes:
 * a `verified` about the registry's tarball must never read as one about the cached zip.
 */
export function formatRegistryBound(verdicts: ReadonlyArray<Verdict>): string {
  const registry = countByBinding(verdicts).registry;
  if (registry === 0)
    return ``;
  return `; ${registry} judged against the registry's signed integrity only: their cached zips were never tied to a tarball on this machine (the next install checks them)`;
}
