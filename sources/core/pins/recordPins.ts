/**
 * Trust on first use: after an install passed, the pins file gains an entry for each release line that
 * had none, from the evidence of the version installed. An existing pin changes only where the new
 * evidence is stronger (a runner now named hosted, a publisher signal gained): a ratchet, never a
 * loosening. Any other difference was judged by continuity, and only `approve` records it.
 */
import type {Verdict} from '../provenance.types';
import {pinIdentityOf} from './pinIdentity';
import {pinKey} from './releaseLine';
import type {Pin, PinIdentity, PinKey} from './pins.types';

export type RecordedPins = {
  entries: Map<PinKey, Pin>;
  /** Keys of lines pinned for the first time. */
  added: Array<PinKey>;
  /** Keys whose pin gained a stronger signal. */
  strengthened: Array<PinKey>;
};

/** The stronger of two values of the ratcheting fields, when the rest of the identity is the same. */
function strengthen(pin: Pin, seen: PinIdentity): Pin | undefined {
  const sameBuild = pin.source === seen.source && pin.workflow === seen.workflow && pin.builder === seen.builder && pin.issuer === seen.issuer;
  if (!sameBuild)
    return undefined;
  const next: Pin = {
    ...pin,
    runner: pin.runner === `unknown` && seen.runner === `hosted` ? `hosted` : pin.runner,
    publishAttestation: pin.publishAttestation || seen.publishAttestation,
    trustedPublisher: pin.trustedPublisher || seen.trustedPublisher,
    staged: pin.staged || seen.staged,
  };
  const changed = next.runner !== pin.runner || next.publishAttestation !== pin.publishAttestation
    || next.trustedPublisher !== pin.trustedPublisher || next.staged !== pin.staged;
  return changed ? next : undefined;
}

/**
 * The pins after an install whose verdicts all allowed it. Verdicts that blocked or warned about
 * continuity are not recorded: what differs from a pin is recorded only by `approve`.
 */
export function recordPins(current: ReadonlyMap<PinKey, Pin>, verdicts: Iterable<Verdict>): RecordedPins {
  const entries = new Map(current);
  const added: Array<PinKey> = [];
  const strengthened: Array<PinKey> = [];

  for (const verdict of verdicts) {
    // Only a clean pass is recorded: a warning (continuity on a new line, say) waits for `approve`.
    if (!verdict.allowed || verdict.status !== `verified` || verdict.provenance === undefined || verdict.continuity?.overridden)
      continue;
    const seen = pinIdentityOf(verdict.provenance);
    if (seen === undefined)
      continue;

    const key = pinKey(verdict.package.name, verdict.package.version);
    const pin = entries.get(key);
    if (pin === undefined) {
      entries.set(key, {...seen, since: verdict.package.version});
      added.push(key);
      continue;
    }
    const stronger = strengthen(pin, seen);
    if (stronger !== undefined) {
      entries.set(key, stronger);
      strengthened.push(key);
    }
  }

  return {entries, added: added.sort(), strengthened: strengthened.sort()};
}
