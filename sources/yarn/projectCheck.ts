import {join} from 'node:path';

import type {Locator, Project} from '@yarnpkg/core';

import type {LocalStore} from '../core/cache/localStore';
import {PackageChecker} from '../core/pipeline/packageChecker';
import type {Policy} from '../core/policy/policy.types';
import type {Verdict} from '../core/provenance.types';
import {verifyWithTrustRecovery} from '../core/trust/recoverTrust';
import {toSignatureKeys} from '../core/registry/registrySignature';
import {parseSignatureKeys} from '../core/trust/registryKeyList';
import {readTrustTexts, trustDigest} from '../core/trust/trustTexts';
import type {TrustFiles} from '../core/trust/trustTexts';
import type {VerifyBody} from '../core/verify/verifyBody.types';
import type {VerifierPool} from '../core/verify/verifierPool';
import {openMachineStore} from './machineStore';
import type {ProjectPackage} from './projectPackages';
import {loadProjectPolicy, policyRootOf} from './projectPolicy';
import type {ProvenanceSettings} from './settings';
import {readSettings} from './settings';
import {TarballBinding} from './tarballBinding';
import {openYarnTrust} from './trustRefresh';
import {createWorkerPool} from './workerVerifier';
import {fetchAttestationsWithYarn, fetchVersionMetadataWithYarn} from './attestationRequest';
import {ALLOW_CHANGE_VARIABLE, parseAllowChange} from '../core/pins/allowChange';
import type {AllowChange} from '../core/pins/allowChange';
import {NO_PINS} from '../core/pins/pinsFile';
import {loadProjectPins, pinsPathOf} from './projectPins';
import type {ProjectPins} from './projectPins';

/** The one-time override, from the process environment only: never from .yarnrc.yml or an env file. */
export function allowChangeFromEnvironment(): AllowChange {
  return parseAllowChange(process.env[ALLOW_CHANGE_VARIABLE]);
}

/** What every command reads from the project before checking anything. */
export type ProjectContext = {
  settings: ProvenanceSettings;
  store: LocalStore;
  /** Null when there is no policy file (or the gate is disabled and `forGate` is set). */
  policy: Policy | null;
  /** The per-user folder (store, refreshed trust); null when it would be inside the project. */
  machineFolder: string | null;
  /** Set when the per-user folder could not be used safely. */
  storeWarning: string | null;
  /** The pins file beside the policy (no entries when absent, or when there is no policy). */
  pins: ProjectPins;
};

/**
 * Settings (validated), the per-user store and the policy. Throws a ProvenanceError of kind `usage`
 * (SETTING_INVALID, POLICY_INVALID, PINS_INVALID) for the caller to report.
 */
export async function loadProjectContext(project: Project, {forGate}: {forGate: boolean}): Promise<ProjectContext> {
  const settings = readSettings(project.configuration, await policyRootOf(project));
  const {store, folder, warning} = await openMachineStore(project);
  const policy = forGate && !settings.enabled ? null : await loadProjectPolicy(settings, store);
  // Without a policy the gate is off, and nothing reads the pins: a broken file does not stop it.
  const pins = policy === null && forGate ? {pins: NO_PINS, path: pinsPathOf(settings), text: null} : await loadProjectPins(settings, store);
  return {settings, store, policy, machineFolder: folder, storeWarning: warning, pins};
}

/**
 * The pipeline wired to Yarn: bytes bound by the tap, attestations through Yarn's network,
 * signatures checked on worker threads (started only if something needs verifying), evidence
 * remembered in the per-user store. The gate, `audit` and `explain` all check packages through this.
 */
export class ProjectCheck {
  private constructor(
    readonly binding: TarballBinding,
    readonly checker: PackageChecker,
    /** At most one line: why the Sigstore trust in use is not a fresh copy. */
    readonly trustNotes: ReadonlyArray<string>,
    private readonly pools: Map<string, VerifierPool>,
    private readonly store: LocalStore,
    private readonly packages: ReadonlyMap<string, ProjectPackage>,
  ) {}

  /**
   * `forAudit`: nothing else competes for the cores (verification gets every worker it can use), and bytes this machine
   * never bound are judged against the registry's signed integrity rather than downloaded (verdicts say `bound`).
   */
  static async start(project: Project, context: ProjectContext, policy: Policy, packages: ReadonlyArray<ProjectPackage>, {skipOff, remember, forAudit = false}: {skipOff: boolean, remember: boolean, forAudit?: boolean}): Promise<ProjectCheck> {
    const {configuration} = project;
    const {settings, store} = context;
    // The public-good trust, kept current through Yarn's network (the user's own files as they are).
    const machine = context.machineFolder;
    const trust = await openYarnTrust(configuration, {trustedRootPath: settings.trustedRootPath, registryKeysPath: settings.registryKeysPath}, {folder: machine === null ? null : join(machine, `trust`)});
    // Only the digest and the registry-signature keys here: the Sigstore trust is built on the workers, when needed.
    const texts = await readTrustTexts(trust.choice.files);
    const digest = trustDigest(texts);
    const signatureKeys = toSignatureKeys(parseSignatureKeys(texts.registryKeys, texts.registryKeysOrigin), texts.registryKeysOrigin);
    const pools = new Map<string, VerifierPool>();
    const poolFor = (files: TrustFiles): VerifierPool => {
      const key = JSON.stringify(files);
      let pool = pools.get(key);
      if (pool === undefined)
        pools.set(key, pool = createWorkerPool(files, {alone: forAudit}));
      return pool;
    };
    // A signature failure that a key or log rotation would explain refreshes the trust once and retries.
    const verify: VerifyBody = input => verifyWithTrustRecovery({trust, attestations: input.attestations, verify: files => poolFor(files).verifyBody(input)});
    const binding = new TarballBinding(configuration, () => store.evidence(), settings.concurrency);
    const byId = new Map(packages.map(pkg => [pkg.subject.id, pkg]));
    const locatorOf = (id: string): Locator => byId.get(id)!.locator;

    const checker = new PackageChecker({
      trustDigest: digest,
      verify,
      tarballDigest: subject => binding.tarballDigest(locatorOf(subject.id)),
      fetchAttestations: subject => fetchAttestationsWithYarn(locatorOf(subject.id), subject.ref, configuration),
      registrySignatures: {keys: signatureKeys, fetchVersionMetadata: subject => fetchVersionMetadataWithYarn(locatorOf(subject.id), subject.ref, configuration)},
      ...(forAudit ? {boundLocally: subject => binding.boundLocally(locatorOf(subject.id))} : {}),
      ...(remember ? {memory: () => store.evidence()} : {}),
    }, policy, {skipOff, concurrency: settings.concurrency, judge: {pins: context.pins.pins, allowChange: allowChangeFromEnvironment()}});
    return new ProjectCheck(binding, checker, trust.choice.notes, pools, store, byId);
  }

  /** The verdict for a package (started at most once); null when its rules all say `off` in the gate. */
  check(pkg: ProjectPackage): Promise<Verdict> | null {
    return this.checker.check(pkg.subject);
  }

  packageOf(locator: Locator): ProjectPackage | undefined {
    return this.packages.get(locator.locatorHash);
  }

  /** Saves what was learnt and stops the workers. */
  async close(): Promise<void> {
    await Promise.all([this.store.save(), ...[...this.pools.values()].map(pool => pool.close())]);
  }
}
