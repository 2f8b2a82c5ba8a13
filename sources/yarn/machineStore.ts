import type {Project} from '@yarnpkg/core';
import {npath} from '@yarnpkg/fslib';

import {LocalStore} from '../core/cache/localStore';
import {defaultStoreFolder, isInsideFolder} from '../core/cache/storeFolder';

/**
 * The per-user store. Its folder comes from the user's environment only (never from `.yarnrc.yml`);
 * should it still fall inside the project (a home folder inside a checkout, say), nothing is read or
 * remembered, and the install says so: a repository must never be able to supply what vouches for it.
 */
export async function openMachineStore(project: Project): Promise<{store: LocalStore, warning: string | null}> {
  const folder = defaultStoreFolder();
  if (isInsideFolder(folder, npath.fromPortablePath(project.cwd))) {
    return {
      store: await LocalStore.open(null),
      warning: `Provenance: the per-user store ${folder} is inside this project, so nothing is remembered on this machine and every package is checked afresh (set XDG_CACHE_HOME to a folder outside the project)`,
    };
  }
  return {store: await LocalStore.open(folder), warning: null};
}
