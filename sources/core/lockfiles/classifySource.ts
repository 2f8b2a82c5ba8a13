import {isAbsolute, relative, resolve} from 'node:path';

import type {PackageSource, UnattestableProtocol} from '../pipeline/packageSubject.types';

/**
 * True when a tarball URL has the registry's conventional shape, `<registry>/<name>/-/<basename>-<version>.tgz`
 * (scope separator plain or `%2f`). npm and pnpm check what they download against the locked integrity, so
 * whichever host serves it, the bytes are the ones the attestations are bound to.
 */
export function isRegistryTarball(url: string, name: string, version: string): boolean {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return false;
  }
  const basename = name.replace(/^@[^/]+\//, ``);
  return /^https?:/.test(url) && pathname.endsWith(`/${name}/-/${basename}-${version}.tgz`);
}

export function isGitSpec(spec: string): boolean {
  return /^(git\+|git:|github:|gitlab:|bitbucket:|ssh:)/.test(spec) || /^https:\/\/codeload\.github\.com\//.test(spec);
}

/**
 * A folder or file the lockfile names by path: the project's own code when it lies inside the folder of
 * the lockfile (a workspace), otherwise unattestable, as the Yarn gate judges `link:` and `file:`.
 */
export function localSource(root: string, from: string, path: string, protocol: Extract<UnattestableProtocol, `link` | `file`>): PackageSource {
  const target = resolve(from, path);
  const inside = relative(root, target);
  if (protocol === `link` && !inside.startsWith(`..`) && !isAbsolute(inside))
    return {kind: `project`, location: inside || `.`};
  return {kind: `unattestable`, protocol, location: `${protocol}:${path}`};
}

/** A resolved URL or spec that is not a registry package. */
export function remoteSource(spec: string): PackageSource {
  if (isGitSpec(spec))
    return {kind: `unattestable`, protocol: `git`, location: spec.split(`#`)[0]!};
  if (/^https?:/.test(spec))
    return {kind: `unattestable`, protocol: `tarball`, location: spec};
  return {kind: `unattestable`, protocol: `other`, location: spec};
}
