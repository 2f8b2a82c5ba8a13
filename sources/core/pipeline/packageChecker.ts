import pLimit from 'p-limit';

import {isProvenanceError, kindOf, ProvenanceError} from '../errors';
import type {Evidence} from '../policy/evaluatePolicy';
import type {Policy} from '../policy/policy.types';
import type {EvidenceStore} from '../cache/localStore';
import {checkRegistrySignature, signedIntegrity} from '../registry/registrySignature';
import type {SignatureKeys} from '../registry/registrySignature';
import type {Binding, Verdict} from '../provenance.types';
import type {VerifyBody} from '../verify/verifyBody.types';
import {evaluateSubject, modesOf, POLICY_ONLY} from './evaluateSubject';
import type {JudgeOptions} from './evaluateSubject';
import type {PackageSubject} from './packageSubject.types';

/** The attestations and the version document, and the registry's signed integrity (null: not signed). */
type RegistryAnswers = {attestations: Uint8Array | null, document: unknown, sha512: string | null};

/** Verified evidence remembered between runs, under a key of content digests. */
export type EvidenceMemory = Pick<EvidenceStore, `get` | `set`>;

/**
 * What the pipeline needs from the world, injected: the install gate, `audit`, `explain` and both
 * `verify` commands pass their own, and share everything else.
 */
export type CheckerEdges = {
  /** Digest of the trust material the verifier uses: part of every evidence key. */
  trustDigest: string;
  verify: VerifyBody;
  /**
   * The sha512 (hex) of the npm tarball that the bytes to be installed were made from. Rejects with a
   * ProvenanceError when they cannot be tied to one (CACHE_BINDING_MISMATCH, NETWORK_UNVERIFIABLE).
   */
  tarballDigest(subject: PackageSubject): Promise<string>;
  /** The registry's attestations answer for the package, or null when it has none. */
  fetchAttestations(subject: PackageSubject): Promise<Uint8Array | null>;
  /**
   * The registry's signature over every npm package (absent: not checked, no `registry` evidence): its
   * version document (`GET <registry>/<name>/<version>`, parsed; null when it has none), asked for beside
   * the attestations, and the `npm:signatures` keys of the same trust material, parsed once. A fetch that
   * resolves to undefined leaves that package unchecked (nothing binds it to a sha512 to check against).
   */
  registrySignatures?: {fetchVersionMetadata(subject: PackageSubject): Promise<unknown>, keys: SignatureKeys};
  /**
   * `audit` only (an install never sets it): whether the bytes to be installed are already tied to a tarball sha512
   * without downloading anything. When they are not, and the registry signed the version's `dist.integrity`, the
   * package is judged against that integrity instead (verdict `bound: registry`) and `tarballDigest` is not asked.
   */
  boundLocally?(subject: PackageSubject): Promise<boolean>;
  /** Remembered evidence (absent: verify everything afresh). */
  memory?: () => Promise<EvidenceMemory>;
};

export type CheckerOptions = {
  /** The gate skips packages whose rules all say `off`; reports still examine them. */
  skipOff: boolean;
  /** How many attestation requests may run at once. */
  concurrency: number;
  now?: Date;
  /** The pins (continuity) and this run's override; absent: the policy alone judges. */
  judge?: JudgeOptions;
};

/**
 * The one pipeline: subject → bytes binding → attestations → verification → policy. Each package is
 * checked at most once per run; a check rejects only for the caller's own mistakes (trust files).
 */
export class PackageChecker {
  private readonly running = new Map<string, Promise<Verdict>>();
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly now: Date;

  constructor(private readonly edges: CheckerEdges, readonly policy: Policy, private readonly options: CheckerOptions) {
    this.limit = pLimit(options.concurrency);
    this.now = options.now ?? new Date();
  }

  /** The pins this checker judges continuity against. */
  get pins(): JudgeOptions[`pins`] {
    return (this.options.judge ?? POLICY_ONLY).pins;
  }

  get trustDigest(): string {
    return this.edges.trustDigest;
  }

  /** Starts checking a package (idempotent); null when the policy says `off` for it and `skipOff` is set. */
  check(subject: PackageSubject): Promise<Verdict> | null {
    if (this.options.skipOff && modesOf(this.policy, subject, this.now).every(mode => mode === `off`))
      return null;

    let verdict = this.running.get(subject.id);
    if (verdict === undefined) {
      verdict = this.evaluate(subject);
      this.running.set(subject.id, verdict);
    }
    return verdict;
  }

  private async evaluate(subject: PackageSubject): Promise<Verdict> {
    // Lockfile problems and sources that cannot be attested need no network.
    const needsEvidence = subject.problems.length === 0 && subject.source.kind === `registry`;
    const evidence = needsEvidence ? await this.gatherEvidence(subject) : null;
    if (evidence !== null && !evidence.ok && kindOf(evidence.error.code) === `usage`)
      throw evidence.error;
    return evaluateSubject(this.policy, subject, evidence, this.now, this.options.judge ?? POLICY_ONLY);
  }

  private async gatherEvidence(subject: PackageSubject): Promise<Evidence> {
    let bound: Binding | undefined;
    try {
      const signatures = this.edges.registrySignatures;
      const registryBound = await this.registryIntegrity(subject);
      let tarballSha512: string;
      if (registryBound !== undefined && registryBound.sha512 !== null) {
        tarballSha512 = registryBound.sha512;
        bound = `registry`;
      } else {
        tarballSha512 = await this.edges.tarballDigest(subject);
        bound = `local`;
      }
      const memory = await this.edges.memory?.();
      const registry = subject.source.kind === `registry` ? subject.source.registry : ``;
      // Keyed by the tarball's sha512, however it was learnt: evidence about a tarball holds for whoever binds it.
      const key = {trustDigest: this.edges.trustDigest, registry, ...subject.ref, tarballSha512};
      const known = memory?.get(key);
      // Evidence remembered before registry signatures were checked is checked again.
      if (known !== undefined && (signatures === undefined || known.registry !== undefined))
        return {ok: true, provenance: known, bound};

      // One slot for both requests: the version document costs no extra round trip in sequence.
      const [attestations, document] = registryBound !== undefined ? [registryBound.attestations, registryBound.document] : await this.limit(() => Promise.all([
        this.edges.fetchAttestations(subject),
        signatures?.fetchVersionMetadata(subject),
      ]));
      const verified = await this.edges.verify({package: subject.ref, attestations, tarballSha512});
      const provenance = signatures === undefined || document === undefined ? verified : {
        ...verified,
        registry: checkRegistrySignature({package: subject.ref, tarballSha512, document, publishedAt: verified.publish?.integratedTime, keys: signatures.keys}),
      };
      memory?.set(key, provenance);
      return {ok: true, provenance, bound};
    } catch (error) {
      if (isProvenanceError(error))
        return {ok: false, error, ...(bound !== undefined ? {bound} : {})};
      // Anything else is a bug in this tool: nothing was concluded, and the gate fails closed.
      return {ok: false, error: new ProvenanceError({code: `VERIFIER_FAILED`, message: `Unexpected error: ${(error as Error).message}`, cause: error})};
    }
  }

  /**
   * For a package whose bytes are not tied to a tarball yet (`audit` on a fresh machine): the registry's signed
   * integrity (sha512 null when the registry does not sign it, and the local bytes must be bound after all), with the
   * attestations and the version document, asked for together. Undefined when local bytes are to be bound anyway.
   *
   * Why only a signed integrity: it says which tarball the registry publishes for the version, with a key of the trust
   * material, so the attestations are checked against what the registry serves to everyone. It says nothing about
   * the cached zip, which is why the verdict says `bound: registry`, and why no binding of the zip is remembered. An
   * unsigned integrity is only what this answer claims: the tarball is downloaded and the zip re-derived instead.
   */
  private async registryIntegrity(subject: PackageSubject): Promise<RegistryAnswers | undefined> {
    const signatures = this.edges.registrySignatures;
    if (this.edges.boundLocally === undefined || signatures === undefined || await this.edges.boundLocally(subject))
      return undefined;
    const [attestations, document] = await this.limit(() => Promise.all([this.edges.fetchAttestations(subject), signatures.fetchVersionMetadata(subject)]));
    return {attestations, document, sha512: document === undefined ? null : signedIntegrity(subject.ref, document, signatures.keys)};
  }
}
