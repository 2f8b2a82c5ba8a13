import type {Verdict} from '../provenance.types';

/** One JSON record per package: the stable machine-readable shape of `--json` (README "JSON output"). */
export type VerdictRecord = {
  package: string;
  name: string;
  version: string;
  status: Verdict[`status`];
  code: string | null;
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
};

export function toVerdictRecord(verdict: Verdict): VerdictRecord {
  const evidence = verdict.provenance;
  const identity = evidence?.provenance?.identity;
  return {
    package: `${verdict.package.name}@${verdict.package.version}`,
    name: verdict.package.name,
    version: verdict.package.version,
    status: verdict.status,
    code: verdict.code ?? null,
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
  };
}
