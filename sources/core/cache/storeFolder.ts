import {realpathSync} from 'node:fs';
import {homedir} from 'node:os';
import {isAbsolute, join, relative, resolve} from 'node:path';

const NAME = `yarn-plugin-provenance`;

/**
 * The per-user folder of what this machine established (bindings, evidence, passed installs, trust).
 * Derived only from the user's environment, never from a project's settings: a repository must not
 * be able to choose, or commit, what vouches for its packages.
 */
export function defaultStoreFolder(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (platform === `win32`)
    return join(env.LOCALAPPDATA && isAbsolute(env.LOCALAPPDATA) ? env.LOCALAPPDATA : join(home, `AppData`, `Local`), NAME);
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME))
    return join(env.XDG_CACHE_HOME, NAME);
  if (platform === `darwin`)
    return join(home, `Library`, `Caches`, NAME);
  return join(home, `.cache`, NAME);
}

/** Whether `folder` is `root` or inside it, following symbolic links where the paths exist. */
export function isInsideFolder(folder: string, root: string): boolean {
  const real = (path: string) => {
    try {
      return realpathSync.native(path);
    } catch {
      return resolve(path);
    }
  };
  const [target, base] = [realOrParent(folder, real), real(root)];
  const rel = relative(base, target);
  return rel === `` || (!rel.startsWith(`..`) && !isAbsolute(rel));
}

/** The real path of the folder, or of its nearest existing parent joined with the rest. */
function realOrParent(path: string, real: (path: string) => string): string {
  let current = resolve(path);
  const rest: Array<string> = [];
  for (;;) {
    try {
      return join(realpathSync.native(current), ...rest);
    } catch {
      const parent = resolve(current, `..`);
      if (parent === current)
        return real(path);
      rest.unshift(relative(parent, current));
      current = parent;
    }
  }
}
