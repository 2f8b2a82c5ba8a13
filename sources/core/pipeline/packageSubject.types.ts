import type {ProvenanceError} from '../errors';
import type {PackageRef} from '../provenance.types';

/** Sources that cannot carry npm provenance: nothing signed says who built what they deliver. */
export type UnattestableProtocol = `git` | `tarball` | `file` | `exec` | `link` | `other`;

/** Where the bytes of an installed package come from, as the package manager resolved it. */
export type PackageSource =
  /** An npm registry package by version: attestable. */
  | {kind: `registry`, registry: string}
  | {
    kind: `unattestable`;
    protocol: UnattestableProtocol;
    /** The URL or path, for messages. */
    location: string;
    /** Set when the package manager already ran code of this package before any gate could see it. */
    ranCodeBeforeGate?: string;
  }
  /** A patched package: the patch is the project's own code, the unpatched source is judged on its own. */
  | {kind: `patch`, of: string}
  /** The project's own code (a workspace, or `link:`/`portal:` to a folder inside the project). */
  | {kind: `project`, location: string};

/**
 * One installed package, as every command sees it before anything is fetched: what it is, the names
 * it is installed under, where it comes from, and problems found in the lockfile itself.
 */
export type PackageSubject = {
  /** Unique within a run (Yarn's locator hash; `name@version` for a single package). */
  id: string;
  /** The package itself: for an npm package, the name and version its attestations must name. */
  ref: PackageRef;
  /** Other names it is installed under (an alias, or a lockfile entry that points at another package). */
  installedAs: Array<string>;
  source: PackageSource;
  /** Found without any network (e.g. LOCKFILE_RESOLUTION_MISMATCH); any of them decides the verdict. */
  problems: Array<ProvenanceError>;
};
