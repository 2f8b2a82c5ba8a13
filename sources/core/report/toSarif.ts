import type {Verdict} from '../provenance.types';
import {toVerdictRecord} from './verdictRecord';

/** SARIF 2.1.0, for code-scanning dashboards: one result per package that is not clean. Pure. */
export function toSarif(verdicts: ReadonlyArray<Verdict>, {toolVersion, lockfileUri}: {toolVersion: string, lockfileUri: string}): object {
  const findings = verdicts.filter(verdict => verdict.code !== undefined);
  const ruleIds = [...new Set(findings.map(verdict => verdict.code!))].sort();

  return {
    $schema: `https://json.schemastore.org/sarif-2.1.0.json`,
    version: `2.1.0`,
    runs: [{
      tool: {
        driver: {
          name: `yarn-plugin-provenance`,
          version: toolVersion,
          informationUri: `https://slsa.dev/spec/v1.0/provenance`,
          rules: ruleIds.map(id => ({
            id,
            name: id.toLowerCase().replace(/_(.)/g, (_, c: string) => c.toUpperCase()),
            shortDescription: {text: DESCRIPTIONS[id] ?? id},
          })),
        },
      },
      results: findings.map(verdict => {
        const record = toVerdictRecord(verdict);
        const details = [record.message, record.expected !== null ? `expected ${record.expected}` : null, record.found !== null ? `found ${record.found}` : null].filter(Boolean).join(`; `);
        return {
          ruleId: verdict.code!,
          ruleIndex: ruleIds.indexOf(verdict.code!),
          level: verdict.allowed ? `warning` : `error`,
          message: {text: `${record.package}: ${details}`},
          locations: [{physicalLocation: {artifactLocation: {uri: lockfileUri}}, logicalLocations: [{name: record.package, kind: `package`}]}],
          properties: {status: record.status, rule: record.rule, sourceRepo: record.sourceRepo, builderId: record.builderId, slsaLevel: record.slsaLevel},
        };
      }),
    }],
  };
}

const DESCRIPTIONS: Record<string, string> = {
  PROVENANCE_MISSING: `The policy requires provenance and the package has none`,
  SOURCE_REPO_MISMATCH: `The package was built from another repository than the policy allows`,
  REF_MISMATCH: `The package was built from another git ref than the policy allows`,
  WORKFLOW_MISMATCH: `The package was built by another workflow than the policy allows`,
  BUILDER_MISMATCH: `The package was built by another builder than the policy allows`,
  RUNNER_MISMATCH: `The package was built on another kind of runner than the policy allows`,
  ISSUER_MISMATCH: `The signing identity came from another OIDC issuer than the policy allows`,
  SUBJECT_DIGEST_MISMATCH: `The tarball is not the one that was attested`,
  SUBJECT_NAME_MISMATCH: `The attestations are for another package or version`,
  SIGNATURE_INVALID: `An attestation's Sigstore signature does not verify`,
  CERT_PREDICATE_MISMATCH: `The provenance claims disagree with the signing certificate`,
  NETWORK_UNVERIFIABLE: `The attestations could not be fetched; nothing was concluded`,
  CACHE_BINDING_MISMATCH: `The package Yarn would link was not made from the registry's attested tarball`,
  LOCKFILE_RESOLUTION_MISMATCH: `The lockfile resolves a dependency to another package or protocol than its range allows`,
  SOURCE_UNATTESTABLE: `The package comes from a source that cannot carry provenance, and the policy requires it`,
};
