import {randomBytes} from 'node:crypto';
import {mkdir, readFile, rename, writeFile} from 'node:fs/promises';
import {dirname} from 'node:path';

import type {Policy} from '../policy/policy.types';
import type {PackageRef, VerifiedProvenance} from '../provenance.types';

/**
 * A machine-local store of what was already established, so that an unchanged warm install costs
 * almost nothing. It lives in the user's global folder, never in the repository: a file that anyone
 * can commit must not be able to vouch for a package.
 *
 * - bindings: Yarn's zip checksum → sha512 of the npm tarball it was converted from (proved once by
 *   hashing the download, or by re-deriving the zip from a fresh download).
 * - evidence: verified provenance, under a key of content digests (package, tarball sha512, trust
 *   material, format version). Policies are not part of the key: the policy is re-applied on every
 *   run (microseconds), so that editing it takes effect at once without re-verifying anything.
 *   The certificate's raw extensions are not kept (`explain` verifies afresh to show them).
 * - policies: parsed policies under the sha256 of their text and the parser's version, so that an
 *   unchanged policy is not parsed and schema-checked again on every install.
 * - verdict sets: installs that passed, under a digest of every npm package's checksum, the policy,
 *   the trust material and the day, so that an unchanged warm install re-checks nothing.
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

type StoreFile = {
  format: number;
  bindings: Record<string, string>;
  evidence: Record<string, StoredEvidence>;
  policies: Record<string, Policy>;
  verdictSets: Record<string, VerdictSet>;
};

export class LocalStore {
  private dirty = false;

  private constructor(private readonly path: string, private readonly data: StoreFile) {}

  static async open(path: string): Promise<LocalStore> {
    try {
      const data = JSON.parse(await readFile(path, `utf8`)) as StoreFile;
      if (data.format === FORMAT && typeof data.bindings === `object` && typeof data.evidence === `object` && typeof data.policies === `object` && typeof data.verdictSets === `object`)
        return new LocalStore(path, data);
    } catch {
      // Absent or unreadable: a cache may always start empty.
    }
    return new LocalStore(path, {format: FORMAT, bindings: {}, evidence: {}, policies: {}, verdictSets: {}});
  }

  /** Plain concatenation of digests and names: hashing it again would only cost time. */
  static evidenceKey(registry: string, pkg: PackageRef, tarballSha512: string, trustDigest: string): string {
    return `${trustDigest} ${registry} ${pkg.name}@${pkg.version} ${tarballSha512}`;
  }

  getBinding(checksum: string): string | undefined {
    return this.data.bindings[checksum];
  }

  setBinding(checksum: string, tarballSha512: string): void {
    if (this.data.bindings[checksum] === tarballSha512)
      return;
    this.data.bindings[checksum] = tarballSha512;
    this.dirty = true;
  }

  getEvidence(key: string): VerifiedProvenance | undefined {
    const stored = this.data.evidence[key];
    if (stored === undefined)
      return undefined;
    const date = (value?: string) => value === undefined ? undefined : new Date(value);
    return {
      ...stored,
      provenance: stored.provenance && {...stored.provenance, integratedTime: date(stored.provenance.integratedTime)},
      publish: stored.publish && {...stored.publish, integratedTime: date(stored.publish.integratedTime)},
    };
  }

  setEvidence(key: string, evidence: VerifiedProvenance): void {
    const stored = JSON.parse(JSON.stringify(evidence)) as StoredEvidence;
    if (stored.provenance)
      stored.provenance.identity.extensions = {};
    this.data.evidence[key] = stored;
    this.dirty = true;
  }

  getPolicy(key: string): Policy | undefined {
    return this.data.policies[key];
  }

  setPolicy(key: string, policy: Policy): void {
    keepRecent(this.data.policies);
    this.data.policies[key] = policy;
    this.dirty = true;
  }

  getVerdictSet(key: string): VerdictSet | undefined {
    return this.data.verdictSets[key];
  }

  setVerdictSet(key: string, set: VerdictSet): void {
    keepRecent(this.data.verdictSets);
    this.data.verdictSets[key] = set;
    this.dirty = true;
  }

  /** Atomic: written to a temporary file, then renamed over the old one. */
  async save(): Promise<void> {
    if (!this.dirty)
      return;
    await mkdir(dirname(this.path), {recursive: true});
    const temporary = `${this.path}.${randomBytes(6).toString(`hex`)}.tmp`;
    await writeFile(temporary, JSON.stringify(this.data));
    await rename(temporary, this.path);
    this.dirty = false;
  }
}

function keepRecent(entries: Record<string, unknown>): void {
  const keys = Object.keys(entries);
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX_RECENT + 1)))
    delete entries[old];
}
