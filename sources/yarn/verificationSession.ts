import type {Configuration, Locator, Project} from '@yarnpkg/core';
import {npath, ppath} from '@yarnpkg/fslib';
import pLimit from 'p-limit';

import {LocalStore} from '../core/cache/localStore';
import type {EvidenceStore} from '../core/cache/localStore';
import {isProvenanceError, kindOf, ProvenanceError} from '../core/errors';
import {evaluatePolicy} from '../core/policy/evaluatePolicy';
import type {Evidence} from '../core/policy/evaluatePolicy';
import {findRule} from '../core/policy/findRule';
import type {Policy} from '../core/policy/policy.types';
import type {Verdict, VerifiedProvenance} from '../core/provenance.types';
import {readTrustTexts, trustDigest} from '../core/trust/trustTexts';
import type {VerifierPool} from '../core/verify/verifierPool';
import type {NpmPackage} from './npmPackages';
import type {ProvenanceSettings} from './settings';
import {downloadedDigest} from './tarballTap';
import {openYarnTrust} from './trustRefresh';
import {createWorkerPool} from './workerVerifier';
import {bindCachedPackage, fetchAttestationsWithYarn, registryOf, tarballUrlOf} from './yarnNetwork';

export type SessionOptions = {
  /** The gate skips packages whose rule says `off`; the audit still examines them. */
  skipOff: boolean;
  /** `explain` shows every certificate extension, which the store does not keep: verify afresh. */
  remembered?: boolean;
};

/**
 * One run's verification: each package checked at most once, network limited by p-limit,
 * signatures checked on worker threads (started only if something needs verifying), results
 * remembered in the machine-local store. Used by the install gate (packages arrive while Yarn
 * fetches) and by the provenance commands (all at once).
 */
export class VerificationSession {
  private readonly running = new Map<string, Promise<Verdict>>();
  private readonly limit: ReturnType<typeof pLimit>;

  private constructor(
    private readonly configuration: Configuration,
    private readonly policy: Policy,
    readonly trustDigest: string,
    private readonly pool: VerifierPool,
    private readonly store: LocalStore,
    concurrency: number,
    private readonly options: SessionOptions,
  ) {
    this.limit = pLimit(concurrency);
  }

  static async create(project: Project, settings: ProvenanceSettings, policy: Policy, store: LocalStore, options: SessionOptions): Promise<VerificationSession> {
    const files = (await openYarnTrust(project.configuration, settings)).choice.files;
    // Only the digest here: the trust material itself is built on the workers, when needed.
    const digest = trustDigest(await readTrustTexts(files));
    return new VerificationSession(project.configuration, policy, digest, createWorkerPool(files), store, settings.concurrency, options);
  }

  static storeFolder(configuration: Configuration): string {
    return npath.fromPortablePath(ppath.join(configuration.get(`globalFolder`), `provenance`));
  }

  /**
   * Starts checking a package in the background (idempotent); `checksum` is Yarn's for its zip.
   * Rejects only for the caller's own mistakes (unreadable or invalid trust files).
   */
  check(pkg: NpmPackage, checksum: string | null): Promise<Verdict> | null {
    if (this.options.skipOff && this.modeOf(pkg) === `off`)
      return null;

    let verdict = this.running.get(pkg.locator.locatorHash);
    if (verdict === undefined) {
      verdict = this.evaluate(pkg, checksum);
      this.running.set(pkg.locator.locatorHash, verdict);
    }
    return verdict;
  }

  /** Saves what was learnt and stops the workers. */
  async close(): Promise<void> {
    await Promise.all([this.store.save(), this.pool.close()]);
  }

  private modeOf(pkg: NpmPackage) {
    return (findRule(this.policy, pkg.ref, new Date()).rule ?? this.policy.default).mode;
  }

  private async evaluate(pkg: NpmPackage, checksum: string | null): Promise<Verdict> {
    const evidence = await this.gatherEvidence(pkg, checksum);
    if (!evidence.ok && kindOf(evidence.error.code) === `usage`)
      throw evidence.error;
    return evaluatePolicy(this.policy, pkg.ref, evidence);
  }

  private async gatherEvidence(pkg: NpmPackage, checksum: string | null): Promise<Evidence> {
    try {
      const evidence = await this.store.evidence();
      const tarballSha512 = await this.tarballDigest(pkg.locator, checksum, evidence);
      const key = LocalStore.evidenceKey(registryOf(pkg.locator, this.configuration), pkg.ref, tarballSha512, this.trustDigest);
      const known = this.options.remembered === false ? undefined : evidence.getEvidence(key);
      if (known !== undefined)
        return {ok: true, provenance: known};

      const body = await this.limit(() => fetchAttestationsWithYarn(pkg.locator, pkg.ref, this.configuration));
      const provenance: VerifiedProvenance = await this.pool.verifyBody({package: pkg.ref, attestations: body, tarballSha512});
      evidence.setEvidence(key, provenance);
      return {ok: true, provenance};
    } catch (error) {
      if (isProvenanceError(error))
        return {ok: false, error};
      // Anything else is a bug in this plugin: nothing was concluded, and the gate fails closed.
      return {ok: false, error: new ProvenanceError({code: `VERIFIER_FAILED`, message: `Unexpected error: ${(error as Error).message}`, cause: error})};
    }
  }

  /**
   * The sha512 of the npm tarball that Yarn's zip was made from: hashed as it was downloaded in this
   * process, remembered from an earlier binding, or proved now by re-deriving the zip.
   */
  private async tarballDigest(locator: Locator, checksum: string | null, store: EvidenceStore): Promise<string> {
    const fresh = downloadedDigest(tarballUrlOf(locator, this.configuration));
    if (fresh !== undefined) {
      if (checksum !== null)
        store.setBinding(checksum, fresh);
      return fresh;
    }

    if (checksum === null)
      throw new ProvenanceError({code: `CACHE_BINDING_MISMATCH`, message: `Yarn recorded no checksum for this package, so its cached zip cannot be tied to a tarball (checksumBehavior?)`});

    const bound = store.getBinding(checksum);
    if (bound !== undefined)
      return bound;

    const proved = await this.limit(() => bindCachedPackage(locator, this.configuration, checksum));
    store.setBinding(checksum, proved);
    return proved;
  }
}
