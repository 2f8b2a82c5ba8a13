import type {Pin, PinIdentity} from '../pins/pins.types';
import type {Binding, RegistryEvidence, Verdict} from '../provenance.types';

/** Where a package's finding is in the project: a file relative to the project root and a 1-based line. */
export type RecordLocation = {file: string, line: number};

/**
 * The `package` record of `--json` (README "JSON records", schemas/report.schema.json): one verdict, the same shape
 * from `audit`, `explain`, both `verify`, `check` and `yarn install --json`.
 */
export type VerdictRecord = {
  type: `package`;
  package: string;
  name: string;
  version: string;
  status: Verdict[`status`];
  code: string | null;
  /** Whether this package stops the install; `allowed` is its negation, kept for scripts written against it. */
  blocks: boolean;
  allowed: boolean;
  mode: Verdict[`mode`];
  rule: string;
  message: string | null;
  expected: string | null;
  found: string | null;
  sourceRepo: string | null;
  ref: string | null;
  commit: string | null;
  workflow: string | null;
  builderId: string | null;
  runnerEnvironment: string | null;
  issuer: string | null;
  slsaLevel: number;
  publishAttestation: boolean;
  notes: Array<string>;
  /** Other names the package is installed under (aliases); empty for most packages. */
  installedAs: Array<string>;
  /** Where a non-registry package comes from (`git https://…`, `patch of …`); null for npm packages. */
  origin: string | null;
  /** The Rekor log index of the provenance signature (https://search.sigstore.dev/?logIndex=<it>). */
  logIndex: string | null;
  /** The registry's signature and publisher signals; null where the registry's version document was not read. */
  registry: {signature: RegistryEvidence[`signature`], keyId: string | null, trustedPublisher: boolean, staged: boolean} | null;
  /** The pin this version was compared with (`.provenance.lock`); null when its package has none. */
  continuity: {pin: string, pinned: Pin, sameLine: boolean, seen: PinIdentity | null, code: string | null, overridden: boolean} | null;
  /**
   * Which bytes the evidence is about: `local` (what is installed, or the tarball file checked), `registry` (only the
   * registry's signed integrity: `audit` on a machine that never tied the cached zip to a tarball); null without evidence.
   */
  bound: Binding | null;
  /** The lockfile entry the verdict is about, where the command knows it. */
  location?: RecordLocation;
};

export function toVerdictRecord(verdict: Verdict, location?: RecordLocation): VerdictRecord {
  const evidence = verdict.provenance;
  const identity = evidence?.provenance?.identity;
  const record: VerdictRecord = {
    type: `package`,
    package: `${verdict.package.name}@${verdict.package.version}`,
    name: verdict.package.name,
    version: verdict.package.version,
    status: verdict.status,
    code: verdict.code ?? null,
    blocks: !verdict.allowed,
    allowed: verdict.allowed,
    mode: verdict.mode,
    rule: verdict.rule,
    message: verdict.message ?? null,
    expected: verdict.expected ?? null,
    found: verdict.found ?? null,
    sourceRepo: identity?.sourceRepo ?? null,
    ref: identity?.ref ?? null,
    commit: identity?.commit ?? null,
    workflow: identity?.workflowPath ?? null,
    builderId: evidence?.provenance?.claims.builderId ?? null,
    runnerEnvironment: identity?.runnerEnvironment ?? null,
    issuer: identity?.issuer ?? null,
    slsaLevel: evidence?.slsaLevel ?? 0,
    publishAttestation: evidence?.publish !== undefined,
    notes: verdict.notes,
    installedAs: verdict.installedAs ?? [],
    origin: verdict.origin ?? null,
    logIndex: evidence?.provenance?.logIndex ?? null,
    registry: evidence?.registry === undefined ? null : {
      signature: evidence.registry.signature, keyId: evidence.registry.keyId ?? null,
      trustedPublisher: evidence.registry.trustedPublisher, staged: evidence.registry.staged,
    },
    continuity: verdict.continuity === undefined ? null : {
      pin: verdict.continuity.key, pinned: verdict.continuity.pin, sameLine: verdict.continuity.sameLine,
      seen: verdict.continuity.seen ?? null, code: verdict.continuity.code ?? null, overridden: verdict.continuity.overridden === true,
    },
    bound: verdict.bound ?? null,
  };
  return location === undefined ? record : {...record, location};
}
