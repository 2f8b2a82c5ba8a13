import type {SlsaLevel, Verdict, VerifiedProvenance} from '../../../sources/core/provenance.types';

/** Evidence as the verifier leaves it: a certificate naming `repo` (a GitHub-hosted build), or none. */
export function evidence(name: string, version: string, repo?: string, level: SlsaLevel = 2): VerifiedProvenance {
  const base: VerifiedProvenance = {package: {name, version}, tarballSha512: `ab`.repeat(64), slsaLevel: repo === undefined ? 0 : level, unknownPredicateTypes: []};
  if (repo === undefined)
    return base;
  return {
    ...base,
    provenance: {
      claims: {predicateType: `https://slsa.dev/provenance/v1`, buildType: `https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1`, builderId: `https://github.com/actions/runner/github-hosted`, sourceRepo: `https://github.com/${repo}`},
      identity: {
        sourceRepo: `https://github.com/${repo}`,
        issuer: `https://token.actions.githubusercontent.com`,
        workflowPath: `.github/workflows/release.yml`,
        runnerEnvironment: `github-hosted`,
        extensions: {},
      },
    },
  };
}

/** A verdict as an audit under the built-in policy gives it. */
export function verdict(name: string, version: string, repo?: string, extra: Partial<Verdict> = {}): Verdict {
  return {
    package: {name, version}, status: repo === undefined ? `missing` : `verified`, allowed: true, mode: `enforce`, rule: `default`, notes: [],
    provenance: evidence(name, version, repo), ...extra,
  };
}
