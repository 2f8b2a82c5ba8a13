/**
 * `approve`: the identity a version was really built with becomes the pin of its release line, with
 * `since` set to that version and the reason given. Approving a version without provenance removes the
 * pin of its line (nothing weaker than "no pin" can be recorded), and says so: the deletion shows in the
 * pull request like any other edit to the file. Approval never touches the policy, which still decides.
 */
import {ERROR_CODES} from '../errors';
import type {Verdict} from '../provenance.types';
import {pinIdentityOf} from './pinIdentity';
import {compareLines, pinKey} from './releaseLine';
import type {Pin, PinIdentity, PinKey} from './pins.types';
import semver from 'semver';

export type Approval =
  /** The line's pin is now this version's identity (`before` absent: the line had none). */
  | {kind: `recorded`, key: PinKey, verdict: Verdict, before?: Pin, after: Pin}
  /** The version has no provenance: the line's pin was removed. */
  | {kind: `removed`, key: PinKey, verdict: Verdict, before: Pin, reason?: string}
  /** Nothing to change: the pin already names this identity, or the line has no pin and no provenance to pin. */
  | {kind: `unchanged`, key: PinKey, verdict: Verdict, pin?: Pin}
  /** The version's evidence could not be verified (invalid, unverifiable): nothing can be approved. */
  | {kind: `unverified`, key: PinKey, verdict: Verdict};

const IDENTITY_FIELDS = [`source`, `workflow`, `builder`, `runner`, `issuer`, `publishAttestation`, `trustedPublisher`, `staged`] as const;

function sameIdentity(pin: Pin, seen: PinIdentity): boolean {
  return IDENTITY_FIELDS.every(field => pin[field] === seen[field]);
}

/** Per release line of the verdicts given, the newest version decides what is approved. */
export function approvePins(current: ReadonlyMap<PinKey, Pin>, verdicts: ReadonlyArray<Verdict>, reason: string | undefined): {entries: Map<PinKey, Pin>, approvals: Array<Approval>} {
  const newest = new Map<PinKey, Verdict>();
  for (const verdict of verdicts) {
    const key = pinKey(verdict.package.name, verdict.package.version);
    const other = newest.get(key);
    if (other === undefined || semver.gt(verdict.package.version, other.package.version, {loose: true}))
      newest.set(key, verdict);
  }

  const entries = new Map(current);
  const approvals: Array<Approval> = [];
  for (const [key, verdict] of [...newest].sort(([a], [b]) => compareLines(a.slice(a.lastIndexOf(`@`) + 1), b.slice(b.lastIndexOf(`@`) + 1)))) {
    const before = current.get(key);
    // Only verified evidence can be approved: a verdict on a failure has no identity to record.
    if (verdict.provenance === undefined || (verdict.code !== undefined && ERROR_CODES[verdict.code] !== `violation`)) {
      approvals.push({kind: `unverified`, key, verdict});
      continue;
    }
    const seen = pinIdentityOf(verdict.provenance);
    if (seen === undefined) {
      if (before === undefined) {
        approvals.push({kind: `unchanged`, key, verdict});
      } else {
        entries.delete(key);
        approvals.push({kind: `removed`, key, verdict, before, ...(reason !== undefined ? {reason} : {})});
      }
      continue;
    }
    if (before !== undefined && sameIdentity(before, seen)) {
      approvals.push({kind: `unchanged`, key, verdict, pin: before});
      continue;
    }
    const after: Pin = {...seen, since: verdict.package.version, ...(reason !== undefined ? {reason} : {})};
    entries.set(key, after);
    approvals.push({kind: `recorded`, key, verdict, ...(before !== undefined ? {before} : {}), after});
  }
  return {entries, approvals};
}
