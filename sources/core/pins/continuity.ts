/**
 * Continuity: the identity of the version being installed against the pin of its own release line
 * (or, for a line with no pin yet, the nearest other line of the same package). Judged by verified
 * evidence only, never by publish dates, so a backport to an older line never trips it. A finding is
 * never judged more strictly than the rule deciding for the package: pins only add blocks where the
 * policy enforces, and no pin can lift a block the policy makes.
 */
import type {ErrorCode} from '../errors';
import type {Continuity, ContinuityCheck, Mode} from '../policy/policy.types';
import {repoMatches} from '../policy/source';
import type {PackageRef, VerifiedProvenance} from '../provenance.types';
import {pinIdentityOf} from './pinIdentity';
import {compareLines, pinKey, releaseLine, splitPinKey} from './releaseLine';
import type {Pin, PinIdentity, PinKey, Pins} from './pins.types';

/** What continuity found for one package: the pin compared with, and the difference, if any. */
export type ContinuityFinding = {
  check: ContinuityCheck;
  code: ErrorCode;
  /** The weakest of the check's mode, `newLine` (when compared with another line) and the rule's mode. */
  mode: Mode;
  message: string;
  expected: string;
  found: string;
};

export type ContinuityResult = {
  /** The pin compared with. */
  key: PinKey;
  pin: Pin;
  /** False: the version's line has no pin, and the nearest other line's was used. */
  sameLine: boolean;
  /** The version's own identity; undefined when it has no provenance. */
  seen?: PinIdentity;
  /** The strictest difference whose mode is not `off`; undefined when the identity is unchanged. */
  finding?: ContinuityFinding;
};

const CONTINUITY_CODES: ReadonlySet<ErrorCode> = new Set([`PROVENANCE_DOWNGRADE`, `SOURCE_REPO_CHANGED`, `WORKFLOW_CHANGED`, `RUNNER_DOWNGRADE`, `PUBLISHER_DOWNGRADE`]);

/** Whether a verdict's code comes from continuity (what `approve` can settle) rather than from the policy. */
export function isContinuityCode(code: ErrorCode): boolean {
  return CONTINUITY_CODES.has(code);
}

const STRENGTH: Record<Mode, number> = {off: 0, warn: 1, enforce: 2};

export function weakestMode(...modes: Array<Mode>): Mode {
  return modes.reduce((a, b) => STRENGTH[a] <= STRENGTH[b] ? a : b);
}

/** The pins of each package name, by line, built once per pins value. */
const byName = new WeakMap<Pins, Map<string, Array<[string, PinKey]>>>();

function linesOf(pins: Pins, name: string): Array<[string, PinKey]> {
  let index = byName.get(pins);
  if (index === undefined) {
    index = new Map();
    for (const key of pins.entries.keys()) {
      const {name: pinned, line} = splitPinKey(key);
      index.set(pinned, [...index.get(pinned) ?? [], [line, key]]);
    }
    for (const lines of index.values())
      lines.sort((a, b) => compareLines(a[0], b[0]));
    byName.set(pins, index);
  }
  return index.get(name) ?? [];
}

/** The pin of the version's own line; else the nearest lower line's; else the nearest higher line's. */
export function pinFor(pins: Pins, ref: PackageRef): {key: PinKey, pin: Pin, sameLine: boolean} | undefined {
  const own = pinKey(ref.name, ref.version);
  const pin = pins.entries.get(own);
  if (pin !== undefined)
    return {key: own, pin, sameLine: true};
  const lines = linesOf(pins, ref.name);
  if (lines.length === 0)
    return undefined;
  const line = releaseLine(ref.version);
  const lower = lines.filter(([other]) => compareLines(other, line) < 0);
  const [, key] = lower.length > 0 ? lower[lower.length - 1]! : lines[0]!;
  return {key, pin: pins.entries.get(key)!, sameLine: false};
}

/** A pin's repository is compared as the policy compares repositories, but a `*` in a pin never matches. */
function sameSource(pinned: string, seen: string): boolean {
  return !pinned.includes(`*`) && repoMatches(pinned, seen);
}

type Difference = {check: ContinuityCheck, code: ErrorCode, what: string, expected: string, found: string};

function differences(pin: Pin, seen: PinIdentity | undefined, verified: VerifiedProvenance): Array<Difference> {
  if (seen === undefined)
    return [{check: `provenance`, code: `PROVENANCE_DOWNGRADE`, what: `provenance`, expected: `provenance from ${pin.source}`, found: `no provenance`}];

  const found: Array<Difference> = [];
  if (!sameSource(pin.source, seen.source))
    found.push({check: `source`, code: `SOURCE_REPO_CHANGED`, what: `source repository`, expected: pin.source, found: seen.source});
  const build = (identity: PinIdentity) => `${identity.workflow ?? `(no workflow)`} (${identity.builder}${identity.issuer ? `, ${identity.issuer}` : ``})`;
  if (pin.workflow !== seen.workflow || pin.builder !== seen.builder || pin.issuer !== seen.issuer)
    found.push({check: `workflow`, code: `WORKFLOW_CHANGED`, what: `build workflow`, expected: build(pin), found: build(seen)});
  if (pin.runner === `hosted` && seen.runner !== `hosted`)
    found.push({check: `runner`, code: `RUNNER_DOWNGRADE`, what: `runner`, expected: `hosted`, found: seen.runner});

  // Registry signals are compared only when the registry was asked: unknown is not lost.
  const lost = [
    ...pin.publishAttestation && !seen.publishAttestation ? [`publish attestation`] : [],
    ...verified.registry !== undefined && pin.trustedPublisher && !seen.trustedPublisher ? [`trusted publisher`] : [],
    ...verified.registry !== undefined && pin.staged && !seen.staged ? [`staged publish`] : [],
  ];
  if (lost.length > 0)
    found.push({check: `publisher`, code: `PUBLISHER_DOWNGRADE`, what: `publisher`, expected: lost.join(`, `), found: `none of: ${lost.join(`, `)}`});
  return found;
}

/**
 * Compares a version's verified evidence with its pin. `ruleMode` is the mode of the rule deciding for
 * the package under its real name: a rule in `warn` or `off` is never judged more strictly here.
 */
export function checkContinuity(pins: Pins, continuity: Continuity, ref: PackageRef, verified: VerifiedProvenance, ruleMode: Mode): ContinuityResult | undefined {
  const applies = pinFor(pins, ref);
  if (applies === undefined)
    return undefined;
  const {key, pin, sameLine} = applies;
  const seen = pinIdentityOf(verified);
  const result: ContinuityResult = {key, pin, sameLine, ...(seen !== undefined ? {seen} : {})};

  const line = splitPinKey(key).line;
  const findings = differences(pin, seen, verified).map((difference): ContinuityFinding => {
    const mode = weakestMode(continuity[difference.check], ruleMode, ...sameLine ? [] : [continuity.newLine]);
    const pinned = sameLine ? `the pin of release line ${line}` : `the pin of release line ${line} (this version starts line ${releaseLine(ref.version)}, which has no pin yet)`;
    const message = `${capitalise(difference.what)} differs from ${pinned}: pinned ${difference.expected} since ${pin.since}, found ${difference.found} at ${ref.version}`;
    return {check: difference.check, code: difference.code, mode, message, expected: difference.expected, found: difference.found};
  }).filter(finding => finding.mode !== `off`);

  const finding = findings.find(candidate => candidate.mode === `enforce`) ?? findings[0];
  return finding === undefined ? result : {...result, finding};
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Packages with verified provenance whose own release line has no pin yet. */
export function unpinnedCount(pins: Pins, verdicts: Iterable<{package: PackageRef, provenance?: VerifiedProvenance}>): number {
  const unpinned = new Set<string>();
  for (const verdict of verdicts) {
    const {name, version} = verdict.package;
    if (verdict.provenance?.provenance !== undefined && !pins.entries.has(pinKey(name, version)))
      unpinned.add(`${name}@${version}`);
  }
  return unpinned.size;
}
