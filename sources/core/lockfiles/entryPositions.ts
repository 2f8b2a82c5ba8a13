import {isMap, isScalar, LineCounter, parseAllDocuments} from 'yaml';

import type {LockfileKind} from './lockedSubject.types';

/** Where a `packages` key is written: 1-based line and column of its first character, and its length. */
export type EntryPosition = {line: number, column: number, length: number};

/**
 * The position of each `packages` key of an npm or pnpm lockfile, for reports that point at an entry (SARIF),
 * as the Yarn audit points at yarn.lock. Read only after the lockfile was accepted; a key not found has none.
 */
export function entryPositions(kind: LockfileKind, text: string): (key: string) => EntryPosition | undefined {
  return kind === `package-lock` ? packageLockPositions(text) : pnpmLockPositions(text);
}

/**
 * package-lock.json keys under `packages` are install paths (`node_modules/a/node_modules/b`), each written once
 * as `"<path>":` after `"packages"`; the first occurrence of a quoted key is the entry's, in one pass.
 */
function packageLockPositions(text: string): (key: string) => EntryPosition | undefined {
  const packagesAt = text.indexOf(`"packages"`);
  const lineStarts = lineStartsOf(text);
  const offsets = new Map<string, {offset: number, length: number}>();
  const quotedKey = /"((?:[^"\\]|\\.)*)"\s*:/g;
  quotedKey.lastIndex = Math.max(packagesAt, 0);
  for (let found = quotedKey.exec(text); packagesAt !== -1 && found !== null; found = quotedKey.exec(text)) {
    const key = JSON.parse(`"${found[1]}"`) as string;
    if (!offsets.has(key))
      offsets.set(key, {offset: found.index, length: found[1]!.length + 2});
  }
  return key => {
    const at = offsets.get(key);
    return at === undefined ? undefined : {...toLineColumn(lineStarts, at.offset), length: at.length};
  };
}

/** pnpm-lock.yaml keys under `packages`, from the YAML document that holds the lockfile (pnpm 10 may write two). */
function pnpmLockPositions(text: string): (key: string) => EntryPosition | undefined {
  const lineCounter = new LineCounter();
  const positions = new Map<string, EntryPosition>();
  for (const document of parseAllDocuments(text, {lineCounter})) {
    if (document.get(`lockfileVersion`) === undefined)
      continue;
    const packages = document.get(`packages`, true);
    if (!isMap(packages))
      continue;
    for (const pair of packages.items) {
      if (!isScalar(pair.key) || pair.key.range === undefined || pair.key.range === null)
        continue;
      const [start, end] = pair.key.range;
      const {line, col} = lineCounter.linePos(start);
      positions.set(String(pair.key.value), {line, column: col, length: end - start});
    }
  }
  return key => positions.get(key);
}

function lineStartsOf(text: string): Array<number> {
  const starts = [0];
  for (let index = text.indexOf(`\n`); index !== -1; index = text.indexOf(`\n`, index + 1))
    starts.push(index + 1);
  return starts;
}

function toLineColumn(lineStarts: ReadonlyArray<number>, offset: number): {line: number, column: number} {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lineStarts[middle]! <= offset)
      low = middle;
    else
      high = middle - 1;
  }
  return {line: low + 1, column: offset - lineStarts[low]! + 1};
}
