import {readFile} from 'node:fs/promises';
import {basename, dirname, join, resolve} from 'node:path';

import {ProvenanceError} from '../errors';
import type {LockedProject, LockfileContext, LockfileKind} from './lockedSubject.types';
import {lockfileInvalid} from './lockfileError';
import {readPackageLock} from './packageLock';
import {readPnpmLock} from './pnpmLock';

/** Looked for in this order, as npm prefers its shrinkwrap to its package-lock. */
const KNOWN: ReadonlyArray<[string, LockfileKind]> = [
  [`npm-shrinkwrap.json`, `package-lock`],
  [`package-lock.json`, `package-lock`],
  [`pnpm-lock.yaml`, `pnpm-lock`],
];

/** The lockfile named, or the first known one in `cwd`; INPUT_UNREADABLE when there is none. */
export async function findLockfile(cwd: string, named?: string): Promise<{path: string, kind: LockfileKind, text: string}> {
  if (named !== undefined) {
    const path = resolve(cwd, named);
    const kind = KNOWN.find(([file]) => file === basename(path))?.[1] ?? (path.endsWith(`.yaml`) ? `pnpm-lock` : path.endsWith(`.json`) ? `package-lock` : null);
    if (kind === null)
      throw new ProvenanceError({code: `USAGE_INVALID`, message: `${path} is neither a package-lock.json / npm-shrinkwrap.json nor a pnpm-lock.yaml`});
    return {path, kind, text: await readText(path)};
  }
  for (const [file, kind] of KNOWN) {
    const path = join(resolve(cwd), file);
    const text = await readFile(path, `utf8`).catch(() => null);
    if (text !== null)
      return {path, kind, text};
  }
  throw new ProvenanceError({code: `INPUT_UNREADABLE`, message: `No npm-shrinkwrap.json, package-lock.json or pnpm-lock.yaml in ${resolve(cwd)}: give one with --lockfile`});
}

/** Every package the lockfile installs, as subjects for the pipeline. */
export function readLockfile(found: {path: string, kind: LockfileKind, text: string}, registryFor: LockfileContext[`registryFor`]): LockedProject {
  const context = {root: dirname(found.path), registryFor};
  const subjects = found.kind === `package-lock`
    ? readPackageLock(found.text, found.path, context)
    : readPnpmLock(found.text, found.path, context);
  return {kind: found.kind, path: found.path, subjects};
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, `utf8`);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === `EISDIR`)
      throw lockfileInvalid(path, `it is a folder`);
    throw new ProvenanceError({code: `INPUT_UNREADABLE`, message: `Cannot read ${path}: ${code ?? (cause as Error).message}`, cause});
  }
}
