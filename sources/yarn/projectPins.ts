/**
 * The project's pins file (`.provenance.lock`, beside the policy file): read strictly (PINS_INVALID is
 * the user's mistake, reported like POLICY_INVALID), and written only when its text changes, atomically.
 * Written by an install that passed and is not immutable (trust on first use) and by `approve`.
 */
import {npath, ppath, xfs} from '@yarnpkg/fslib';

import {createHash} from 'node:crypto';

import type {LocalStore} from '../core/cache/localStore';
import type {PortablePath} from '@yarnpkg/fslib';

import {ProvenanceError} from '../core/errors';
import {unpinnedCount} from '../core/pins/continuity';
import {makePins, pinsFromData, PINS_FILE_NAME, readPinsYaml, serializePins} from '../core/pins/pinsFile';
import type {Pin, PinKey, Pins} from '../core/pins/pins.types';
import {recordPins} from '../core/pins/recordPins';
import type {Verdict} from '../core/provenance.types';
import {VERSION} from '../core/version';
import type {ProvenanceSettings} from './settings';

export type ProjectPins = {
  pins: Pins;
  path: PortablePath;
  /** The file's text as read; null when there is none. */
  text: string | null;
};

export function pinsPathOf(settings: ProvenanceSettings): PortablePath {
  return ppath.join(ppath.dirname(settings.policyPath), PINS_FILE_NAME);
}

/** The pins beside the policy; an absent file is a file with no pins. Throws PINS_INVALID (kind `usage`). */
export async function loadProjectPins(settings: ProvenanceSettings, store: LocalStore): Promise<ProjectPins> {
  const path = pinsPathOf(settings);
  const origin = npath.fromPortablePath(path);
  let text: string;
  try {
    text = await xfs.readFilePromise(path, `utf8`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === `ENOENT`)
      return {pins: makePins(new Map(), origin), path, text: null};
    throw new ProvenanceError({code: `PINS_INVALID`, message: `${origin} cannot be read (${code ?? (error as Error).message})`, cause: error});
  }
  // YAML is the slow part (about 0.3 s at 1,000 pins): its data is remembered by the text's digest, and
  // checked again on every use exactly as a fresh parse is.
  const key = createHash(`sha256`).update(JSON.stringify([VERSION, text])).digest(`hex`);
  let data = store.getPinsData(key);
  if (data === undefined) {
    data = readPinsYaml(text, origin) ?? null;
    store.setPinsData(key, data);
  }
  return {pins: pinsFromData(data, origin), path, text};
}

/** Writes the entries when the text they serialize to differs from the file's; returns whether it wrote. */
export async function writeProjectPins(project: ProjectPins, entries: ReadonlyMap<PinKey, Pin>): Promise<boolean> {
  const text = serializePins(entries);
  if (text === project.text)
    return false;
  // Atomic: a reader (a parallel install, an editor) sees the old file or the new one, never half of it.
  const temporary = `${project.path}.${process.pid}.tmp` as PortablePath;
  await xfs.writeFilePromise(temporary, text);
  await xfs.renamePromise(temporary, project.path);
  return true;
}

/**
 * After an install passed: an ordinary install records the lines seen for the first time (and pins
 * whose evidence got stronger) and says so; an immutable one writes nothing and says how many packages
 * have no pin yet. Returns the lines to print and the pins as they now are.
 */
export async function settlePins(project: ProjectPins, verdicts: ReadonlyArray<Verdict>, {immutable}: {immutable: boolean}): Promise<{lines: Array<string>, pins: Pins}> {
  const name = ppath.basename(project.path);
  if (immutable) {
    const count = unpinnedCount(project.pins, verdicts);
    const lines = count === 0 ? [] : [`Provenance pins: ${count} package${count === 1 ? ` has` : `s have`} no pin yet (immutable install): the next ordinary install records them in ${name}`];
    return {lines, pins: project.pins};
  }

  const recorded = recordPins(project.pins.entries, verdicts);
  if (recorded.added.length === 0 && recorded.strengthened.length === 0)
    return {lines: [], pins: project.pins};
  await writeProjectPins(project, recorded.entries);

  const lines: Array<string> = [];
  if (recorded.added.length > 0)
    lines.push(`Provenance pins: recorded ${recorded.added.length} new release line(s) in ${name} (trust on first use): ${recorded.added.join(`, `)}`);
  if (recorded.strengthened.length > 0)
    lines.push(`Provenance pins: strengthened ${recorded.strengthened.length} pin(s) in ${name} (stronger evidence seen): ${recorded.strengthened.join(`, `)}`);
  return {lines, pins: makePins(recorded.entries, project.pins.origin)};
}
