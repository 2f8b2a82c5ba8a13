import type {Project} from '@yarnpkg/core';
import {Filename, npath, ppath, xfs} from '@yarnpkg/fslib';

import {relative} from 'node:path';

/**
 * The project's yarn.lock as reports locate findings in it: its path from the project root (as SARIF, GitHub, GitLab
 * and the JSON records want it) and its text, null when there is none yet (a first install that was blocked).
 */
export async function readProjectLockfile(project: Project): Promise<{uri: string, file: string, text: string | null}> {
  const path = ppath.join(project.cwd, Filename.lockfile);
  const text = await xfs.readFilePromise(path, `utf8`).catch(() => null);
  const uri = projectRelative(project, npath.fromPortablePath(path));
  return {uri, file: uri, text};
}

/** A path as CI systems want it: relative to the project root, with forward slashes. */
export function projectRelative(project: Project, path: string): string {
  return relative(npath.fromPortablePath(project.cwd), path).split(`\\`).join(`/`);
}
