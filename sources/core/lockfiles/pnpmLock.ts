import {join} from 'node:path';

import semver from 'semver';
import {parseAllDocuments} from 'yaml';

import type {PackageSource} from '../pipeline/packageSubject.types';
import {isRegistryTarball, localSource, remoteSource} from './classifySource';
import type {LockedSubject, LockfileContext} from './lockedSubject.types';
import {lockfileInvalid as invalid} from './lockfileError';
import {SubjectList} from './subjectList';

type Resolution = {integrity?: unknown, tarball?: unknown, type?: unknown, repo?: unknown, directory?: unknown};
type PnpmPackage = {resolution?: Resolution, name?: unknown, version?: unknown, dependencies?: unknown, optionalDependencies?: unknown};
type Lockfile = {
  lockfileVersion?: unknown;
  importers?: Record<string, unknown>;
  packages?: Record<string, PnpmPackage>;
  snapshots?: Record<string, unknown>;
  dependencies?: unknown;
  devDependencies?: unknown;
  optionalDependencies?: unknown;
};

const DEPENDENCY_FIELDS = [`dependencies`, `devDependencies`, `optionalDependencies`] as const;

/**
 * The packages of a `pnpm-lock.yaml`, versions 6 (pnpm 8) and 9 (pnpm 9 and 10), across every importer
 * of a workspace. A package is judged under every name that an importer or another package depends on
 * it as: pnpm writes an alias (`"x": "npm:other@1"`) as a dependency `x` whose version names `other@1`.
 */
export function readPnpmLock(text: string, origin: string, context: LockfileContext): Array<LockedSubject> {
  const lock = parseYaml(text, origin);
  const version = String(lock.lockfileVersion ?? ``);
  const major = /^(\d+)\./.exec(version)?.[1];
  if (major !== `6` && major !== `9`)
    throw invalid(origin, `lockfileVersion ${JSON.stringify(lock.lockfileVersion ?? null)} is not supported (6.x and 9.x are, written by pnpm 8, 9 and 10)`);

  const packages = lock.packages ?? {};
  const names = new Map<string, Set<string>>();
  const nameOf = (key: string, as: string) => {
    const set = names.get(key) ?? new Set<string>();
    set.add(as);
    names.set(key, set);
  };

  const list = new SubjectList();
  // pnpm 6 writes a single project's dependencies at the top level; workspaces have `importers`.
  const importers = lock.importers ?? {[`.`]: lock};
  for (const [importerPath, importer] of Object.entries(importers)) {
    for (const [as, spec] of dependenciesOf(importer, entry => (entry as {version?: unknown})?.version)) {
      if (spec.startsWith(`link:`)) {
        const source = localSource(context.root, join(context.root, importerPath), spec.slice(`link:`.length), `link`);
        list.add({ref: {name: as, version: `0.0.0`}, installedAs: as, source});
      } else {
        nameOf(packageKey(as, spec), as);
      }
    }
  }
  // Packages depend on each other through `snapshots` (9) or `packages` itself (6).
  for (const snapshot of Object.values(lock.snapshots ?? packages)) {
    for (const [as, spec] of dependenciesOf(snapshot, entry => entry))
      nameOf(packageKey(as, spec), as);
  }

  const problems: Array<string> = [];
  const seen = new Set<string>();
  for (const [rawKey, entry] of Object.entries(packages)) {
    const key = stripKey(rawKey);
    if (seen.has(key))
      continue;
    seen.add(key);
    if (typeof entry !== `object` || entry === null || typeof entry.resolution !== `object` || entry.resolution === null) {
      problems.push(`"${rawKey}" has no resolution`);
      continue;
    }
    const {name, version} = identify(key, entry);
    if (name === `` || version === ``) {
      problems.push(`"${rawKey}" does not name a package and version`);
      continue;
    }
    const integrity = typeof entry.resolution.integrity === `string` ? entry.resolution.integrity : undefined;
    const source = sourceOf(context, name, version, entry.resolution);
    for (const as of names.get(key) ?? [name])
      list.add({ref: {name, version}, installedAs: as, source, integrity, entry: rawKey});
  }
  if (problems.length > 0)
    throw invalid(origin, problems.join(`; `));
  return list.list();
}

function sourceOf(context: LockfileContext, name: string, version: string, resolution: Resolution): PackageSource {
  const registry = {kind: `registry`, registry: context.registryFor(name)} as const;
  if (resolution.type === `git` && typeof resolution.repo === `string`)
    return {kind: `unattestable`, protocol: `git`, location: resolution.repo};
  if (resolution.type === `directory` && typeof resolution.directory === `string`)
    return localSource(context.root, context.root, resolution.directory, `link`);

  const tarball = typeof resolution.tarball === `string` ? resolution.tarball : undefined;
  if (tarball?.startsWith(`file:`))
    return localSource(context.root, context.root, tarball.slice(`file:`.length), `file`);
  const isVersion = semver.valid(version) !== null;
  if (tarball === undefined)
    return isVersion ? registry : remoteSource(version);
  // pnpm records the tarball of a registry package when it is not at the conventional URL.
  return isVersion && isRegistryTarball(tarball, name, version) ? registry : remoteSource(tarball);
}

/** The name and version of a `packages` entry: from its key (`name@version`), or its fields for URLs (6). */
function identify(key: string, entry: PnpmPackage): {name: string, version: string} {
  const at = key.indexOf(`@`, 1);
  const keyName = at > 0 ? key.slice(0, at) : ``;
  const keyVersion = at > 0 ? key.slice(at + 1) : ``;
  const name = typeof entry.name === `string` ? entry.name : keyName;
  const version = typeof entry.version === `string` ? entry.version : keyVersion;
  return {name, version};
}

/**
 * The `packages` key a dependency points at: `as@version`, or the version itself when it names a
 * package (an alias: `other@1.0.0`, or `/other@1.0.0` in version 6), or a non-registry key (6).
 */
function packageKey(as: string, spec: string): string {
  const stripped = stripKey(spec);
  return /^(@[^/@]+\/)?[^@/(][^@(]*@/.test(stripped) || spec.startsWith(`/`) || /^[a-z0-9.-]+\.[a-z]+\//i.test(stripped) ? stripped : `${as}@${stripped}`;
}

/** Keys and versions without the leading `/` (6) and the peer-dependency suffix `(peer@1.0.0)`. */
function stripKey(key: string): string {
  const bare = key.startsWith(`/`) ? key.slice(1) : key;
  const peers = bare.indexOf(`(`);
  return peers === -1 ? bare : bare.slice(0, peers);
}

function dependenciesOf(holder: unknown, specOf: (entry: unknown) => unknown): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  if (typeof holder !== `object` || holder === null)
    return found;
  for (const field of DEPENDENCY_FIELDS) {
    const map = (holder as Record<string, unknown>)[field];
    if (typeof map !== `object` || map === null)
      continue;
    for (const [as, entry] of Object.entries(map)) {
      const spec = specOf(entry);
      if (typeof spec === `string`)
        found.push([as, spec]);
    }
  }
  return found;
}

function parseYaml(text: string, origin: string): Lockfile {
  let documents: Array<unknown>;
  try {
    const parsed = parseAllDocuments(text);
    if (!Array.isArray(parsed))
      return {};
    const broken = parsed.find(document => document.errors.length > 0);
    if (broken !== undefined)
      throw new Error(broken.errors[0]!.message);
    documents = parsed.map(document => document.toJS());
  } catch (cause) {
    throw invalid(origin, `it is not valid YAML (${(cause as Error).message})`);
  }
  // pnpm 10 may put its config dependencies in a document of their own before the project's.
  const lock = documents.reverse().find(document => typeof document === `object` && document !== null && `lockfileVersion` in document);
  if (lock === undefined)
    throw invalid(origin, `it has no lockfileVersion`);
  return lock as Lockfile;
}
