import type {Project} from '@yarnpkg/core';
import {npath} from '@yarnpkg/fslib';

import {LocalStore} from '../core/cache/localStore';
import {defaultStoreFolder, isInsideFolder} from '../core/cache/storeFolder';

/**
 * The per-user folder (store and refreshed trust), or null when it cannot be used safely. Its
 * location comes from the user's environment only (never from `.yarnrc.yml`); should it still fall
 * inside the project (a home folder inside a checkout, say), nothing is read from it: a repository must
 * never be able to supply what vouches for it, neither remembered verdicts nor trust material.
 */
function machineFolderFor(project: Project): string | null {
  const folder = defaultStoreFolder();
  return isInsideFolder(folder, npath.fromPortablePath(project.cwd)) ? null : folder;
}

export async function openMachineStore(project: Project): Promise<{store: LocalStore, folder: string | null, warning: string | null}> {
  const folder = machineFolderFor(project);
  if (folder === null) {
    return {
      store: await LocalStore.open(null),
      folder,
      warning: `Provenance: the per-user folder ${defaultStoreFolder()} is inside this project, so nothing is remembered on this machine, every package is checked afresh, and only the trust material embedded in the plugin is used (set XDG_CACHE_HOME to a folder outside the project)`,
    };
  }
  return {store: await LocalStore.open(folder), folder, warning: null};
}
