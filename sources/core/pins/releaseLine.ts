/**
 * Release lines: what continuity compares within. A backport to 1.x published after 2.0.0 is judged
 * against the 1.x pin, never against the newest version, so publish order plays no part.
 */
import semver from 'semver';

import type {PinKey} from './pins.types';

/** The major, or `0.<minor>` below 1.0.0 (where each minor may break); a version semver cannot read is its own line. */
export function releaseLine(version: string): string {
  const parsed = semver.parse(version);
  if (parsed === null)
    return version;
  return parsed.major === 0 ? `0.${parsed.minor}` : `${parsed.major}`;
}

export function pinKey(name: string, version: string): PinKey {
  return `${name}@${releaseLine(version)}`;
}

/** Splits a key at its last `@` (scoped names start with one). */
export function splitPinKey(key: PinKey): {name: string, line: string} {
  const at = key.lastIndexOf(`@`);
  return {name: key.slice(0, at), line: key.slice(at + 1)};
}

/** Orders lines numerically (`0.9` < `0.10` < `1` < `10`); lines semver cannot read sort after, by text. */
export function compareLines(a: string, b: string): number {
  const numeric = (line: string) => /^\d+(\.\d+)?$/.test(line) ? line.split(`.`).map(Number) : undefined;
  const [x, y] = [numeric(a), numeric(b)];
  if (x === undefined || y === undefined)
    return x !== undefined ? -1 : y !== undefined ? 1 : a.localeCompare(b);
  // `0.9` is [0, 9] and `1` is [1]: compare the major, then the minor (absent: above every 0.x minor).
  return (x[0]! - y[0]!) || ((x[1] ?? Infinity) - (y[1] ?? Infinity));
}
