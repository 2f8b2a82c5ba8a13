/**
 * Reading and writing `.provenance.lock`. Writing is deterministic (entries sorted by name, then line
 * numerically; fields in one order), so an install whose identities did not change rewrites nothing
 * and a bot's version bump needs no edit to the file. Reading is strict: a field the format does not
 * know (a `mode:`, say) makes the whole file PINS_INVALID, never silently ignored.
 */
import {createHash} from 'node:crypto';

import * as t from 'typanion';
import {parse, stringify} from 'yaml';

import {ProvenanceError} from '../errors';
import {canonicalJson} from '../policy/digest';
import {compareLines, pinKey, splitPinKey} from './releaseLine';
import type {Pin, PinKey, Pins} from './pins.types';

export const PINS_FILE_NAME = `.provenance.lock`;

const HEADER = [
  `# Provenance pins, written by yarn-plugin-provenance: for each package and release line, the identity`,
  `# that built it when this project first installed that line. They can only add blocks (README: "Provenance pins").`,
  `# Review changes here like changes to yarn.lock; \`yarn provenance approve <name>\` records a new identity.`,
].join(`\n`);

const isPin = t.isObject({
  source: t.isString(),
  workflow: t.isOptional(t.isString()),
  builder: t.isString(),
  runner: t.isEnum([`hosted`, `self-hosted`, `unknown`] as const),
  issuer: t.isOptional(t.isString()),
  publishAttestation: t.isBoolean(),
  trustedPublisher: t.isBoolean(),
  staged: t.isBoolean(),
  since: t.isString(),
  reason: t.isOptional(t.isString()),
});

const isPinsFile = t.isObject({
  version: t.isLiteral(1),
  pins: t.isOptional(t.isNullable(t.isRecord(isPin))),
});

function pinsDigest(entries: ReadonlyMap<PinKey, Pin>): string {
  return createHash(`sha256`).update(canonicalJson(Object.fromEntries(entries))).digest(`hex`);
}

export function makePins(entries: ReadonlyMap<PinKey, Pin>, origin: string): Pins {
  return {entries, digest: pinsDigest(entries), origin};
}

export const NO_PINS: Pins = makePins(new Map(), `<none>`);

function invalid(origin: string, problems: Array<string>): ProvenanceError {
  return new ProvenanceError({
    code: `PINS_INVALID`,
    message: `${origin} is not a valid pins file:\n${problems.map(problem => `  - ${problem}`).join(`\n`)}\nFix or delete it (the next install records the pins again), or restore it from version control.`,
  });
}

/** A pins file's YAML as data (undefined for an empty file); throws PINS_INVALID when it is not YAML. */
export function readPinsYaml(text: string, origin: string): unknown {
  try {
    return parse(text, {uniqueKeys: true}) ?? undefined;
  } catch (error) {
    throw invalid(origin, [`not valid YAML: ${(error as Error).message.split(`\n`)[0]}`]);
  }
}

/** Parses a pins file; throws PINS_INVALID listing every problem. */
export function parsePins(text: string, origin: string): Pins {
  return pinsFromData(readPinsYaml(text, origin), origin);
}

/** The pins from a pins file's data, every check applied (the data may come from a cache: it is checked the same). */
export function pinsFromData(data: unknown, origin: string): Pins {
  // An empty file is a file with no pins yet.
  if (data === null || data === undefined)
    return makePins(new Map(), origin);

  const errors: Array<string> = [];
  if (!isPinsFile(data, {errors}))
    throw invalid(origin, errors.map(String));

  const problems: Array<string> = [];
  const entries = new Map<PinKey, Pin>();
  for (const [key, pin] of Object.entries(data.pins ?? {})) {
    const at = key.lastIndexOf(`@`);
    if (at <= 0) {
      problems.push(`"${key}" is not <name>@<release line>`);
      continue;
    }
    // The key is derived from `since`, so an entry cannot be moved to guard another line than its own.
    const expectedKey = pinKey(key.slice(0, at), pin.since);
    if (expectedKey !== key) {
      problems.push(`"${key}": since ${pin.since} belongs to ${expectedKey}`);
      continue;
    }
    entries.set(key, pin);
  }
  if (problems.length > 0)
    throw invalid(origin, problems);

  return makePins(entries, origin);
}

function byNameThenLine(a: PinKey, b: PinKey): number {
  const [x, y] = [splitPinKey(a), splitPinKey(b)];
  return x.name < y.name ? -1 : x.name > y.name ? 1 : compareLines(x.line, y.line);
}

/** The file's text: header, version, then entries sorted, each with its fields in one fixed order. */
export function serializePins(entries: ReadonlyMap<PinKey, Pin>): string {
  const pins: Record<string, Record<string, unknown>> = {};
  for (const key of [...entries.keys()].sort(byNameThenLine)) {
    const pin = entries.get(key)!;
    pins[key] = {
      source: pin.source,
      workflow: pin.workflow,
      builder: pin.builder,
      runner: pin.runner,
      issuer: pin.issuer,
      publishAttestation: pin.publishAttestation,
      trustedPublisher: pin.trustedPublisher,
      staged: pin.staged,
      since: pin.since,
      reason: pin.reason,
    };
    for (const field of Object.keys(pins[key]!))
      if (pins[key]![field] === undefined)
        delete pins[key]![field];
  }
  const body = stringify({version: 1, pins}, {lineWidth: 0, indent: 2});
  return `${HEADER}\n\n${body}`;
}
