import type {PackageSubject} from '../pipeline/packageSubject.types';

/** One package of an npm or pnpm lockfile, as the pipeline sees it, with the integrity the lockfile pins. */
export type LockedSubject = {
  subject: PackageSubject;
  /** The lockfile's `integrity` (SRI, possibly several hashes); absent when the entry has none. */
  integrity?: string;
  /**
   * The keys of its entries under the lockfile's `packages` (an install path of package-lock.json, a package
   * key of pnpm-lock.yaml), in the order read, so that a report can point at where it is written.
   */
  entries: Array<string>;
};

export type LockfileKind = `package-lock` | `pnpm-lock`;

export type LockedProject = {
  kind: LockfileKind;
  /** Absolute path of the lockfile read. */
  path: string;
  subjects: Array<LockedSubject>;
};

/** What a lockfile parser needs from the user's configuration: the registry each package comes from. */
export type LockfileContext = {
  /** The folder holding the lockfile: paths in it (`link:`, `file:`) are relative to it. */
  root: string;
  registryFor: (name: string) => string;
};
