import semver from 'semver';

import type {PackageSource} from '../pipeline/packageSubject.types';
import {isGitSpec, isRegistryTarball, localSource, remoteSource} from './classifySource';
import type {LockedSubject, LockfileContext} from './lockedSubject.types';
import {lockfileInvalid as invalid} from './lockfileError';
import {SubjectList} from './subjectList';

type PackageLockEntry = {
  name?: unknown;
  version?: unknown;
  resolved?: unknown;
  integrity?: unknown;
  link?: unknown;
  inBundle?: unknown;
};

const NODE_MODULES = `node_modules/`;

/**
 * The packages of a `package-lock.json` or `npm-shrinkwrap.json`, versions 2 and 3 (npm 7 and later):
 * its `packages` map, keyed by install path. The entry's `name` is set when it differs from the folder
 * (an alias, `"x": "npm:other@1"`): the package is then judged under both names. Bundled dependencies
 * come inside their parent's tarball, which is what was attested: not listed.
 */
export function readPackageLock(text: string, origin: string, context: LockfileContext): Array<LockedSubject> {
  const lock = parseJson(text, origin);
  const version = lock.lockfileVersion;
  if (version !== 2 && version !== 3)
    throw invalid(origin, `lockfileVersion ${JSON.stringify(version)} is not supported (2 and 3 are, written by npm 7 and later: run \`npm install --package-lock-only\`)`);
  if (typeof lock.packages !== `object` || lock.packages === null || Array.isArray(lock.packages))
    throw invalid(origin, `it has no "packages" map`);

  const list = new SubjectList();
  const problems: Array<string> = [];
  for (const [path, raw] of Object.entries(lock.packages as Record<string, unknown>)) {
    const at = path.lastIndexOf(NODE_MODULES);
    // The root and workspace folders are the project itself; `node_modules/<ws>` links point at them.
    if (at === -1)
      continue;
    if (typeof raw !== `object` || raw === null) {
      problems.push(`"${path}" is not an object`);
      continue;
    }
    const entry = raw as PackageLockEntry;
    if (entry.inBundle === true)
      continue;

    const installedAs = path.slice(at + NODE_MODULES.length);
    const added = addEntry(list, context, path, installedAs, entry);
    if (added !== null)
      problems.push(added);
  }
  if (problems.length > 0)
    throw invalid(origin, problems.join(`; `));
  return list.list();
}

/** Adds one entry; returns what is wrong with it instead when its shape is not a lockfile entry's. */
function addEntry(list: SubjectList, context: LockfileContext, path: string, installedAs: string, entry: PackageLockEntry): string | null {
  const resolved = typeof entry.resolved === `string` ? entry.resolved : undefined;
  if (entry.link === true) {
    if (resolved === undefined)
      return `"${path}" is a link without "resolved"`;
    // A link's `resolved` is the target folder, relative to the lockfile.
    list.add({ref: {name: installedAs, version: `0.0.0`}, installedAs, source: localSource(context.root, context.root, resolved, `link`), entry: path});
    return null;
  }

  const name = typeof entry.name === `string` ? entry.name : installedAs;
  if (typeof entry.version !== `string`)
    return `"${path}" has no "version"`;
  const ref = {name, version: entry.version};
  const integrity = typeof entry.integrity === `string` ? entry.integrity : undefined;
  list.add({ref, installedAs, source: sourceOf(context, name, entry.version, resolved), integrity, entry: path});
  return null;
}

function sourceOf(context: LockfileContext, name: string, version: string, resolved: string | undefined): PackageSource {
  const registry = {kind: `registry`, registry: context.registryFor(name)} as const;
  if (resolved === undefined)
    // npm leaves `resolved` out for registry packages with `omit-lockfile-registry-resolved`.
    return semver.valid(version) !== null ? registry : {kind: `unattestable`, protocol: `other`, location: version};
  if (resolved.startsWith(`file:`))
    return localSource(context.root, context.root, resolved.slice(`file:`.length), `file`);
  if (!isGitSpec(resolved) && semver.valid(version) !== null && isRegistryTarball(resolved, name, version))
    return registry;
  return remoteSource(resolved);
}

function parseJson(text: string, origin: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw invalid(origin, `it is not valid JSON (${(cause as Error).message})`);
  }
  if (typeof value !== `object` || value === null || Array.isArray(value))
    throw invalid(origin, `it is not a JSON object`);
  return value as Record<string, unknown>;
}
