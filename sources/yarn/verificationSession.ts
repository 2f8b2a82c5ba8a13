import type {Configuration, Locator, Project} from '@yarnpkg/core';
import {ppath} from '@yarnpkg/fslib';
import {npath} from '@yarnpkg/fslib';
import pLimit from 'p-limit';

import {parseAttestations} from '../core/attestations/parseAttestations';
import {LocalStore} from '../core/cache/localStore';
import {isProvenanceError, ProvenanceError} from '../core/errors';
import {evaluatePolicy} from '../core/policy/evaluatePolicy';
import type {Evidence} from '../core/policy/evaluatePolicy';
import {findRule} from '../core/policy/findRule';
import type {Policy} from '../core/policy/policy.types';
import type {Verdict} from '../core/provenance.types';
import {loadTrust} from '../core/trust/loadTrust';
import type {Trust} from '../core/trust/loadTrust';
import {VerifierPool} from '../core/verify/verifierPool';
import {createPackageVerifier} from '../core/verify/verifyPackage';
import type {PackageVerifier} from '../core/verify/verifyPackage';
import {VERIFY_WORKER_SOURCE} from './generated/verifyWorkerSource';
import type {NpmPackage} from './npmPackages';
import type {ProvenanceSettings} from './settings';
import {downloadedDigest} from './tarballTap';
import {bindCachedPackage, fetchAttestationsWithYarn, registryOf, tarballUrlOf} from './yarnNetwork';

/**
 * One run's verification: trust and verifier built once, network limited by p-limit, each package
 * verified at most once, results remembered in the machine-local store. Used by the install gate
 * (packages arrive while Yarn fetches) and by `yarn provenance audit` (all at once).
 */
export class VerificationSession {
  private readonly running = new Map<string, Promise<Verdict>>();
  private readonly limit: ReturnType<typeof pLimit>;

  private constructor(
    private readonly configuration: Configuration,
    private readonly policy: Policy,
    private readonly trust: Trust,
    private readonly verifier: PackageVerifier,
    private readonly pool: VerifierPool,
    private readonly store: LocalStore,
    concurrency: number,
    /** Packages whose rule says `off` are skipped by the gate, but still examined by the audit. */
    private readonly skipOff: boolean,
  ) {
    this.limit = pLimit(concurrency);
  }

  static async create(project: Project, settings: ProvenanceSettings, policy: Policy, {skipOff}: {skipOff: boolean}): Promise<VerificationSession> {
    const trustOptions = {trustedRootPath: settings.trustedRootPath, registryKeysPath: settings.registryKeysPath};
    const trust = await loadTrust(trustOptions);
    const pool = new VerifierPool(VERIFY_WORKER_SOURCE, trustOptions);
    const storePath = npath.fromPortablePath(ppath.join(project.configuration.get(`globalFolder`), `provenance/store-v1.json`));
    const store = await LocalStore.open(storePath);
    return new VerificationSession(project.configuration, policy, trust, createPackageVerifier(trust), pool, store, settings.concurrency, skipOff);
  }

  /** Starts checking a package in the background (idempotent); `checksum` is Yarn's for its zip. */
  check(pkg: NpmPackage, checksum: string | null): Promise<Verdict> | null {
    if (this.skipOff && this.modeOf(pkg) === `off`)
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
    return evaluatePolicy(this.policy, pkg.ref, evidence);
  }

  private async gatherEvidence(pkg: NpmPackage, checksum: string | null): Promise<Evidence> {
    try {
      const tarballSha512 = await this.tarballDigest(pkg.locator, checksum);
      const key = LocalStore.evidenceKey(registryOf(pkg.locator, this.configuration), pkg.ref, tarballSha512, this.trust.digest);
      const known = this.store.getEvidence(key);
      if (known !== undefined)
        return {ok: true, provenance: known};

      const body = await this.limit(() => fetchAttestationsWithYarn(pkg.locator, pkg.ref, this.configuration));
      const provenance = await this.verify(pkg, body, tarballSha512);
      this.store.setEvidence(key, provenance);
      return {ok: true, provenance};
    } catch (error) {
      if (isProvenanceError(error))
        return {ok: false, error};
      // Anything else is a bug in this plugin: fail closed, but say what happened.
      return {ok: false, error: new ProvenanceError({code: `NETWORK_UNVERIFIABLE`, message: `Unexpected error: ${(error as Error).message}`, cause: error})};
    }
  }

  /** On a worker thread; in this thread only if workers cannot run here. */
  private async verify(pkg: NpmPackage, body: Buffer | null, tarballSha512: string) {
    if (body === null)
      return this.verifier.verify({package: pkg.ref, attestations: {unknownPredicateTypes: []}, tarballSha512});
    try {
      return await this.pool.verify({package: pkg.ref, attestations: body, tarballSha512});
    } catch (error) {
      if (isProvenanceError(error))
        throw error;
      return this.verifier.verify({package: pkg.ref, attestations: parseAttestations(body), tarballSha512});
    }
  }

  /**
   * The sha512 of the npm tarball that Yarn's zip was made from: hashed as it was downloaded in this
   * process, remembered from an earlier binding, or proved now by re-deriving the zip.
   */
  private async tarballDigest(locator: Locator, checksum: string | null): Promise<string> {
    const fresh = downloadedDigest(tarballUrlOf(locator, this.configuration));
    if (fresh !== undefined) {
      if (checksum !== null)
        this.store.setBinding(checksum, fresh);
      return fresh;
    }

    if (checksum === null)
      throw new ProvenanceError({code: `CACHE_BINDING_MISMATCH`, message: `Yarn recorded no checksum for this package, so its cached zip cannot be tied to a tarball (checksumBehavior?)`});

    const bound = this.store.getBinding(checksum);
    if (bound !== undefined)
      return bound;

    const proved = await this.limit(() => bindCachedPackage(locator, this.configuration, checksum));
    this.store.setBinding(checksum, proved);
    return proved;
  }
}
