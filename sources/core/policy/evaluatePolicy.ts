import {kindOf} from '../errors';
import type {ErrorCode, ProvenanceError} from '../errors';
import type {Binding, PackageRef, Verdict, VerifiedProvenance} from '../provenance.types';
import {builderMismatch} from './builderMatch';
import {decide} from './findRule';
import {matchesAnyGlob} from './glob';
import type {Mode, Policy, Rule, RunnerRequirement} from './policy.types';
import {repoMatches} from './source';

/** What verification produced for one package: verified evidence, or the reason there is none. */
export type Evidence =
  | {ok: true, provenance: VerifiedProvenance, bound?: Binding}
  | {ok: false, error: ProvenanceError, bound?: Binding};

/**
 * Applies the policy to one package's evidence. Verification failures keep their own status
 * (`invalid`, `unverifiable`); only genuine evidence can be a `violation`.
 */
export function evaluatePolicy(policy: Policy, pkg: PackageRef, evidence: Evidence, now: Date = new Date()): Verdict {
  const verdict = evaluateEvidence(policy, pkg, evidence, now);
  return evidence.ok ? withRegistrySignature(policy, verdict, evidence.provenance) : verdict;
}

function evaluateEvidence(policy: Policy, pkg: PackageRef, evidence: Evidence, now: Date): Verdict {
  const {rule, decider, base} = decide(policy, pkg, now);

  const fail = (status: Verdict[`status`], code: ErrorCode, message: string, expected?: string, found?: string): Verdict => ({
    ...base, status, code, message, expected, found,
    // `warn` reports and lets the install go on; `off` does not even report.
    allowed: decider.mode !== `enforce`,
    provenance: evidence.ok ? evidence.provenance : undefined,
  });

  if (!evidence.ok) {
    const {error} = evidence;
    const status = kindOf(error.code) === `unverifiable` ? `unverifiable` : `invalid`;
    return fail(status, error.code, error.mismatch?.what ?? error.message, error.mismatch?.expected, error.mismatch?.found);
  }

  const provenance = evidence.provenance.provenance;
  if (provenance === undefined) {
    if (decider.require === `provenance`)
      return fail(`missing`, `PROVENANCE_MISSING`, `No provenance attestation, and ${base.rule} requires one`, `a provenance attestation`, `none`);
    return {...base, status: `missing`, allowed: true, provenance: evidence.provenance};
  }

  const violation = rule === undefined ? undefined : checkIdentity(rule, evidence.provenance);
  if (violation !== undefined)
    return fail(`violation`, violation.code, `${violation.what} does not match ${base.rule}`, violation.expected, violation.found);

  // The SLSA Build level is judged where provenance is required: a level is a statement about it.
  const level = decider.level;
  if (decider.require === `provenance` && level !== undefined && evidence.provenance.slsaLevel < level)
    return fail(`violation`, `LEVEL_TOO_LOW`, `The SLSA Build level the evidence shows is below what ${base.rule} requires`, `SLSA Build L${level} or higher`, `L${evidence.provenance.slsaLevel}`);

  return {...base, status: `verified`, allowed: true, provenance: evidence.provenance};
}

const STRICTNESS: Record<Mode, number> = {off: 0, warn: 1, enforce: 2};

/**
 * A registry that served no signature (a bad one never gets here: it is REGISTRY_SIGNATURE_INVALID). It is
 * judged by `signatures.missing`, but never more strictly than the package's own rule: an exception that
 * lets a package through (`warn`, `off`) covers this too. A verdict that already blocks keeps its code.
 */
function withRegistrySignature(policy: Policy, verdict: Verdict, evidence: VerifiedProvenance): Verdict {
  if (evidence.registry?.signature !== `absent` || !verdict.allowed)
    return verdict;
  const mode = STRICTNESS[policy.signatures.missing] <= STRICTNESS[verdict.mode] ? policy.signatures.missing : verdict.mode;
  const what = `The registry served no signature (dist.signatures) for this version`;
  if (mode === `off`)
    return verdict;
  if (mode === `warn`)
    return {...verdict, notes: [...verdict.notes, what]};
  return {
    ...verdict, status: `violation`, code: `REGISTRY_SIGNATURE_MISSING`, allowed: false,
    message: `${what}, and the policy requires one (signatures.missing: enforce)`,
    expected: `a registry signature over ${evidence.package.name}@${evidence.package.version}:<integrity>`, found: `none`,
  };
}

type Violation = {code: ErrorCode, what: string, expected: string, found: string};

/**
 * Each constraint is checked against the certificate's identity, never against the predicate alone; the
 * builder against the builders the certificate confirms (builderMatch.ts).
 */
function checkIdentity(rule: Rule, verified: VerifiedProvenance): Violation | undefined {
  const {identity, claims} = verified.provenance!;
  const shown = (value: string | undefined) => value ?? `(not recorded in the certificate)`;

  if (rule.source && !rule.source.some(pattern => identity.sourceRepo !== undefined && repoMatches(pattern, identity.sourceRepo))) {
    // Found is written as the policy writes repositories (no scheme), so that the two read alike.
    return {code: `SOURCE_REPO_MISMATCH`, what: `Source repository`, expected: rule.source.join(` or `), found: shown(identity.sourceRepo?.replace(/^https:\/\//, ``))};
  }
  if (rule.ref && !(identity.ref !== undefined && matchesAnyGlob(rule.ref, identity.ref)))
    return {code: `REF_MISMATCH`, what: `Git ref`, expected: rule.ref.join(` or `), found: shown(identity.ref)};
  if (rule.workflow && !(identity.workflowPath !== undefined && matchesAnyGlob(rule.workflow, identity.workflowPath)))
    return {code: `WORKFLOW_MISMATCH`, what: `Build workflow`, expected: rule.workflow.join(` or `), found: shown(identity.workflowPath)};
  const builder = rule.builder === undefined ? undefined : builderMismatch(rule.builder, {claims, identity});
  if (rule.builder && builder)
    return {code: `BUILDER_MISMATCH`, what: `Builder`, expected: rule.builder.join(` or `), found: builder.found};
  if (rule.runner && !runnerMatches(rule.runner, identity.runnerEnvironment))
    return {code: `RUNNER_MISMATCH`, what: `Runner environment`, expected: rule.runner, found: shown(identity.runnerEnvironment)};
  if (rule.issuer && !(identity.issuer !== undefined && rule.issuer.includes(identity.issuer)))
    return {code: `ISSUER_MISMATCH`, what: `OIDC issuer`, expected: rule.issuer.join(` or `), found: shown(identity.issuer)};

  return undefined;
}

function runnerMatches(requirement: RunnerRequirement, found: string | undefined): boolean {
  if (requirement === `any`)
    return true;
  if (requirement === `hosted`)
    return found === `github-hosted` || found === `gitlab-hosted`;
  return found === requirement;
}
