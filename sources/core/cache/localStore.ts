import {randomBytes} from 'node:crypto';
import {mkdir, readFile, rename, writeFile} from 'node:fs/promises';
import {join} from 'node:path';

import type {Policy} from '../policy/policy.types';
import type {VerifiedProvenance} from '../provenance.types';
import type {BlockedInstall, PassedInstall} from './storeEntries';
import {toStoredEvidence, validBinding, validBlockedInstall, validDay, validEvidence, validPassedInstall, validPolicy} from './storeEntries';

/**
 * A machine-local store of what was already established, so that an unchanged warm install costs
 * almost nothing. It lives in a per-user folder (storeFolder.ts), never in the repository nor in a
 * folder a project's settings can choose: a file that anyone can commit must not vouch for a package.
 * Every entry is validated when read; a bad one counts as absent. Two files, so that the common case
 * reads the small one only:
 *
 * recent-v4.json
 * - blocked installs: per project folder, the packages the last blocked install refused (what they
 *   printed), so that `audit` and `explain` can show a package a blocked `yarn add` never added.
 * - policies: parsed policies under the sha256 of their text and the parser's version, so that an
 *   unchanged policy is not parsed and schema-checked again on every install.
 * - pins: the YAML data of pins files under the sha256 of their text (validated again when used).
 * - passed installs: under a digest of every package's zip, source and names, the policy, the trust
 *   material and the day, so that an unchanged warm install re-checks nothing.
 * - expiry notices: per project folder, the day (UTC) installs last announced exceptions about to
 *   expire, so that they say it once a day, not on every install.
 *
 * evidence-v4.json (read only when a package must actually be checked)
 * - bindings: sha512 of a zip Yarn links → sha512 of the npm tarball it was converted from.
 * - evidence: verified provenance, under a key of content digests (package, tarball sha512, trust
 *   material). Policies are not part of the key: the policy is re-applied on every run.
 */
const FORMAT = 4;
/** A handful of recent entries is plenty (branches, a few projects); the oldest go first. */
const MAX_RECENT = 8;

type RecentFile = {format: number, policies: Record<string, unknown>, pins: Record<string, unknown>, passedInstalls: Record<string, unknown>, blockedInstalls: Record<string, unknown>, expiryNotices: Record<string, unknown>};
type EvidenceFile = {format: number, bindings: Record<string, unknown>, evidence: Record<string, unknown>};

/** What verified evidence is remembered under: content digests and names, nothing a project chooses. */
export type EvidenceKey = {trustDigest: string, registry: string, name: string, version: string, tarballSha512: string};

export type EvidenceStore = {
  getBinding(zipHash: string): string | undefined;
  setBinding(zipHash: string, tarballSha512: string): void;
  get(key: EvidenceKey): VerifiedProvenance | undefined;
  set(key: EvidenceKey, evidence: VerifiedProvenance): void;
};

/** Plain concatenation of digests and names: hashing it again would only cost time. */
function evidenceKey({trustDigest, registry, name, version, tarballSha512}: EvidenceKey): string {
  return `${trustDigest} ${registry} ${name}@${version} ${tarballSha512}`;
}

export class LocalStore {
  private recentDirty = false;
  private evidenceDirty = false;
  private evidenceFile: Promise<EvidenceFile> | null = null;

  /** `dir` null: nothing is read or written (a store that cannot be placed safely). */
  private constructor(readonly dir: string | null, private readonly recent: RecentFile) {}

  static async open(dir: string | null): Promise<LocalStore> {
    const recent = dir === null ? null : await readRecords(join(dir, `recent-v${FORMAT}.json`), [`policies`, `pins`, `passedInstalls`, `blockedInstalls`, `expiryNotices`]);
    return new LocalStore(dir, (recent as RecentFile | null) ?? {format: FORMAT, policies: {}, pins: {}, passedInstalls: {}, blockedInstalls: {}, expiryNotices: {}});
  }

  getPolicy(key: string): Policy | undefined {
    return validPolicy(own(this.recent.policies, key));
  }

  setPolicy(key: string, policy: Policy): void {
    keepRecent(this.recent.policies);
    this.recent.policies[key] = policy;
    this.recentDirty = true;
  }

  /**
   * A pins file's YAML as data, under the sha256 of its text: YAML parsing costs about 0.3 s at 1,000 pins.
   * Only the YAML step is skipped: the caller validates the data exactly as it validates a fresh parse.
   */
  getPinsData(key: string): unknown {
    return own(this.recent.pins, key);
  }

  setPinsData(key: string, data: unknown): void {
    keepRecent(this.recent.pins);
    this.recent.pins[key] = data;
    this.recentDirty = true;
  }

  getPassedInstall(key: string): PassedInstall | undefined {
    return validPassedInstall(own(this.recent.passedInstalls, key));
  }

  /** Whether an install with these lockfile-level inputs passed recently (its zips are checked after the fetch). */
  hasPassedPreKey(preKey: string): boolean {
    return Object.values(this.recent.passedInstalls).some(entry => validPassedInstall(entry)?.preKey === preKey);
  }

  setPassedInstall(key: string, passed: PassedInstall): void {
    keepRecent(this.recent.passedInstalls);
    this.recent.passedInstalls[key] = passed;
    this.recentDirty = true;
  }

  /** The last blocked install of a project (keyed by its folder), or undefined. */
  getBlockedInstall(project: string): BlockedInstall | undefined {
    return validBlockedInstall(own(this.recent.blockedInstalls, project));
  }

  /** Null forgets it (an install of the project passed). */
  setBlockedInstall(project: string, blocked: BlockedInstall | null): void {
    if (blocked === null && !Object.hasOwn(this.recent.blockedInstalls, project))
      return;
    if (blocked === null) {
      delete this.recent.blockedInstalls[project];
    } else {
      keepRecent(this.recent.blockedInstalls);
      this.recent.blockedInstalls[project] = blocked;
    }
    this.recentDirty = true;
  }

  /** The day (`YYYY-MM-DD`, UTC) installs of a project last announced expiring exceptions, or undefined. */
  getExpiryNotice(project: string): string | undefined {
    return validDay(own(this.recent.expiryNotices, project));
  }

  setExpiryNotice(project: string, day: string): void {
    if (this.recent.expiryNotices[project] === day)
      return;
    keepRecent(this.recent.expiryNotices);
    this.recent.expiryNotices[project] = day;
    this.recentDirty = true;
  }

  /** The bindings and evidence, read on first use. */
  async evidence(): Promise<EvidenceStore> {
    const dir = this.dir;
    this.evidenceFile ??= (dir === null ? Promise.resolve(null) : readRecords(join(dir, `evidence-v${FORMAT}.json`), [`bindings`, `evidence`]))
      .then(data => (data as EvidenceFile | null) ?? {format: FORMAT, bindings: {}, evidence: {}});
    const data = await this.evidenceFile;

    return {
      getBinding: zipHash => validBinding(own(data.bindings, zipHash)),
      setBinding: (zipHash, tarballSha512) => {
        if (data.bindings[zipHash] !== tarballSha512) {
          data.bindings[zipHash] = tarballSha512;
          this.evidenceDirty = true;
        }
      },
      get: key => validEvidence(own(data.evidence, evidenceKey(key)), key),
      set: (key, evidence) => {
        data.evidence[evidenceKey(key)] = toStoredEvidence(evidence);
        this.evidenceDirty = true;
      },
    };
  }

  /** Atomic: each changed file is written to a temporary file, then renamed over the old one. */
  async save(): Promise<void> {
    if (this.dir === null)
      return;
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

/** Only the record's own keys: `__proto__` and friends are never entries. */
function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The file's records (each a plain object), or null when absent, unreadable, or of another shape. */
async function readRecords(path: string, fields: Array<string>): Promise<Record<string, unknown> | null> {
  try {
    const data = JSON.parse(await readFile(path, `utf8`)) as unknown;
    if (typeof data !== `object` || data === null || (data as {format?: unknown}).format !== FORMAT)
      return null;
    const result: Record<string, unknown> = {format: FORMAT};
    for (const field of fields) {
      const value = (data as Record<string, unknown>)[field];
      result[field] = typeof value === `object` && value !== null && !Array.isArray(value) ? Object.assign(Object.create(null), value) : Object.create(null);
    }
    return result;
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
