import {randomBytes} from 'node:crypto';
import {mkdir, readFile, rename, writeFile} from 'node:fs/promises';
import {join} from 'node:path';

import type {Policy} from '../policy/policy.types';
import type {PackageRef, VerifiedProvenance} from '../provenance.types';

/**
 * A machine-local store of what was already established, so that an unchanged warm install costs
 * almost nothing. It lives in the user's global folder, never in the repository: a file that anyone
 * can commit must not be able to vouch for a package. Two files, so that the common case reads the
 * small one only:
 *
 * recent-v3.json
 * - policies: parsed policies under the sha256 of their text and the parser's version, so that an
 *   unchanged policy is not parsed and schema-checked again on every install.
 * - verdict sets: installs that passed, under a digest of every npm package's checksum, the policy,
 *   the trust material and the day, so that an unchanged warm install re-checks nothing.
 *
 * evidence-v3.json (read only when a package must actually be checked)
 * - bindings: Yarn's zip checksum → sha512 of the npm tarball it was converted from (proved once by
 *   hashing the download, or by re-deriving the zip from a fresh download).
 * - evidence: verified provenance, under a key of content digests (package, tarball sha512, trust
 *   material). Policies are not part of the key: the policy is re-applied on every run
 *   (microseconds), so that editing it takes effect at once without re-verifying anything. The
 *   certificate's raw extensions are not kept (`explain` verifies afresh to show them).
 */
const FORMAT = 3;
/** A handful of recent entries is plenty (branches, a few projects); the oldest go first. */
const MAX_RECENT = 8;

type StoredEvidence = Omit<VerifiedProvenance, `provenance` | `publish`> & {
  provenance?: Omit<NonNullable<VerifiedProvenance[`provenance`]>, `integratedTime`> & {integratedTime?: string};
  publish?: {keyId: string, integratedTime?: string};
};

/** What an install that passed printed, to say it again when nothing changed. */
export type VerdictSet = {
  at: string;
  summary: string;
  warnings: Array<string>;
};

type RecentFile = {format: number, policies: Record<string, Policy>, verdictSets: Record<string, VerdictSet>};
type EvidenceFile = {format: number, bindings: Record<string, string>, evidence: Record<string, StoredEvidence>};

export class LocalStore {
  private recentDirty = false;
  private evidenceDirty = false;
  private evidenceFile: Promise<EvidenceFile> | null = null;

  private constructor(private readonly dir: string, private readonly recent: RecentFile) {}

  static async open(dir: string): Promise<LocalStore> {
    const recent = await readJson<RecentFile>(join(dir, `recent-v${FORMAT}.json`), data => typeof data.policies === `object` && typeof data.verdictSets === `object`);
    return new LocalStore(dir, recent ?? {format: FORMAT, policies: {}, verdictSets: {}});
  }

  /** Plain concatenation of digests and names: hashing it again would only cost time. */
  static evidenceKey(registry: string, pkg: PackageRef, tarballSha512: string, trustDigest: string): string {
    return `${trustDigest} ${registry} ${pkg.name}@${pkg.version} ${tarballSha512}`;
  }

  getPolicy(key: string): Policy | undefined {
    return this.recent.policies[key];
  }

  setPolicy(key: string, policy: Policy): void {
    keepRecent(this.recent.policies);
    this.recent.policies[key] = policy;
    this.recentDirty = true;
  }

  getVerdictSet(key: string): VerdictSet | undefined {
    return this.recent.verdictSets[key];
  }

  setVerdictSet(key: string, set: VerdictSet): void {
    keepRecent(this.recent.verdictSets);
    this.recent.verdictSets[key] = set;
    this.recentDirty = true;
  }

  /** The bindings and evidence, read on first use. */
  async evidence(): Promise<EvidenceStore> {
    this.evidenceFile ??= readJson<EvidenceFile>(join(this.dir, `evidence-v${FORMAT}.json`), data => typeof data.bindings === `object` && typeof data.evidence === `object`)
      .then(data => data ?? {format: FORMAT, bindings: {}, evidence: {}});
    const data = await this.evidenceFile;
    const markDirty = () => {
      this.evidenceDirty = true;
    };

    return {
      getBinding: checksum => data.bindings[checksum],
      setBinding: (checksum, tarballSha512) => {
        if (data.bindings[checksum] !== tarballSha512) {
          data.bindings[checksum] = tarballSha512;
          markDirty();
        }
      },
      getEvidence: key => {
        const stored = data.evidence[key];
        if (stored === undefined)
          return undefined;
        const date = (value?: string) => value === undefined ? undefined : new Date(value);
        return {
          ...stored,
          provenance: stored.provenance && {...stored.provenance, integratedTime: date(stored.provenance.integratedTime)},
          publish: stored.publish && {...stored.publish, integratedTime: date(stored.publish.integratedTime)},
        };
      },
      setEvidence: (key, evidence) => {
        const stored = JSON.parse(JSON.stringify(evidence)) as StoredEvidence;
        if (stored.provenance)
          stored.provenance.identity.extensions = {};
        data.evidence[key] = stored;
        markDirty();
      },
    };
  }

  /** Atomic: each changed file is written to a temporary file, then renamed over the old one. */
  async save(): Promise<void> {
    if (this.recentDirty) {
      await writeAtomically(join(this.dir, `recent-v${FORMAT}.json`), this.recent);
      this.recentDirty = false;
    }
    if (this.evidenceDirty && this.evidenceFile !== null) {
      await writeAtomically(join(this.dir, `evidence-v${FORMAT}.json`), await this.evidenceFile);
      this.evidenceDirty = false;
    }
  }
}

export type EvidenceStore = {
  getBinding(checksum: string): string | undefined;
  setBinding(checksum: string, tarballSha512: string): void;
  getEvidence(key: string): VerifiedProvenance | undefined;
  setEvidence(key: string, evidence: VerifiedProvenance): void;
};

async function readJson<T extends {format: number}>(path: string, isValid: (data: T) => boolean): Promise<T | null> {
  try {
    const data = JSON.parse(await readFile(path, `utf8`)) as T;
    return data.format === FORMAT && isValid(data) ? data : null;
  } catch {
    // Absent or unreadable: a cache may always start empty.
    return null;
  }
}

async function writeAtomically(path: string, data: object): Promise<void> {
  await mkdir(join(path, `..`), {recursive: true});
  const temporary = `${path}.${randomBytes(6).toString(`hex`)}.tmp`;
  await writeFile(temporary, JSON.stringify({...data, format: FORMAT}));
  await rename(temporary, path);
}

function keepRecent(entries: Record<string, unknown>): void {
  const keys = Object.keys(entries);
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX_RECENT + 1)))
    delete entries[old];
}
