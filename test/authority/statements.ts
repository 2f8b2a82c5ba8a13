/**
 * The in-toto statements npm signs, shaped as npm writes them (npm/cli lib/utils/provenance.js and
 * the publish attestation spec): SLSA v1 (or, as in early 2023, v0.2 `gha/v2`) on GitHub Actions, SLSA
 * v0.2 (`gitlab/v0alpha1`) on GitLab CI, and the registry's publish predicate.
 */
import type {MintOptions} from './authority.types';
import type {ResolvedIdentity} from './identity';

export const SLSA_V1 = `https://slsa.dev/provenance/v1`;
export const SLSA_V02 = `https://slsa.dev/provenance/v0.2`;
export const PUBLISH_V01 = `https://github.com/npm/attestation/tree/main/specs/publish/v0.1`;

export type Statement = {
  _type: string;
  subject: Array<{name: string, digest: {sha512: string}}>;
  predicateType: string;
  predicate: object;
};

/** npm's package URL: `pkg:npm/%40scope/name@1.2.3`. */
export function toPurl(pkg: MintOptions[`pkg`]): string {
  return `pkg:npm/${pkg.name.replace(/^@/, `%40`)}@${pkg.version}`;
}

function subjectOf({pkg, tarballSha512}: Pick<MintOptions, `pkg` | `tarballSha512`>) {
  return [{name: toPurl(pkg), digest: {sha512: tarballSha512.toLowerCase()}}];
}

export function publishStatement(options: Pick<MintOptions, `pkg` | `tarballSha512`>): Statement {
  return {
    _type: `https://in-toto.io/Statement/v0.1`,
    subject: subjectOf(options),
    predicateType: PUBLISH_V01,
    predicate: {name: options.pkg.name, version: options.pkg.version, registry: `https://registry.npmjs.org`},
  };
}

export function provenanceStatement(options: Pick<MintOptions, `pkg` | `tarballSha512`>, id: ResolvedIdentity): Statement {
  if (id.platform === `gitlab`)
    return gitlabStatement(options, id);
  return id.predicateFormat === `npm-gha-v2` ? githubV02Statement(options, id) : githubStatement(options, id);
}

function githubStatement(options: Pick<MintOptions, `pkg` | `tarballSha512`>, id: ResolvedIdentity): Statement {
  return {
    _type: `https://in-toto.io/Statement/v1`,
    subject: subjectOf(options),
    predicateType: SLSA_V1,
    predicate: {
      buildDefinition: {
        buildType: `https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1`,
        externalParameters: {workflow: {ref: id.ref, repository: id.repository, path: id.workflowPath}},
        internalParameters: {github: {event_name: id.refType === `tag` ? `release` : `push`, repository_id: id.repositoryId, repository_owner_id: id.ownerId}},
        resolvedDependencies: [{uri: `git+${id.repository}@${id.ref}`, digest: {gitCommit: id.commit}}],
      },
      runDetails: {
        // npm names the builder after RUNNER_ENVIRONMENT.
        builder: {id: id.builderId ?? `https://github.com/actions/runner/${id.runnerEnvironment}`},
        metadata: {invocationId: `${id.repository}/actions/runs/${id.runId}/attempts/1`},
      },
    },
  };
}

/** npm's gha/v2 (early 2023): SLSA v0.2, one builder id whatever the runner. */
function githubV02Statement(options: Pick<MintOptions, `pkg` | `tarballSha512`>, id: ResolvedIdentity): Statement {
  const source = {uri: `git+${id.repository}@${id.ref}`, digest: {sha1: id.commit}};
  return {
    _type: `https://in-toto.io/Statement/v0.1`,
    subject: subjectOf(options),
    predicateType: SLSA_V02,
    predicate: {
      buildType: `https://github.com/npm/cli/gha/v2`,
      builder: {id: id.builderId ?? `https://github.com/actions/runner`},
      invocation: {
        configSource: {...source, entryPoint: id.workflowPath},
        parameters: {},
        environment: {
          GITHUB_EVENT_NAME: id.refType === `tag` ? `release` : `push`,
          GITHUB_REF: id.ref,
          GITHUB_REPOSITORY: id.projectPath,
          GITHUB_REPOSITORY_ID: id.repositoryId,
          GITHUB_REPOSITORY_OWNER_ID: id.ownerId,
          GITHUB_RUN_ATTEMPT: `1`,
          GITHUB_RUN_ID: id.runId,
          GITHUB_SHA: id.commit,
          GITHUB_WORKFLOW_REF: `${id.projectPath}/${id.workflowPath}@${id.ref}`,
          GITHUB_WORKFLOW_SHA: id.commit,
        },
      },
      metadata: {buildInvocationId: `${id.runId}-1`, completeness: {parameters: false, environment: false, materials: false}, reproducible: false},
      materials: [source],
    },
  };
}

function gitlabStatement(options: Pick<MintOptions, `pkg` | `tarballSha512`>, id: ResolvedIdentity): Statement {
  const runnerId = id.runId.slice(-5);
  const jobName = `publish`;
  const jobUrl = `${id.repository}/-/jobs/${id.runId}`;
  return {
    _type: `https://in-toto.io/Statement/v0.1`,
    subject: subjectOf(options),
    predicateType: SLSA_V02,
    predicate: {
      buildType: `https://github.com/npm/cli/gitlab/v0alpha1`,
      builder: {id: id.builderId ?? `${id.repository}/-/runners/${runnerId}`},
      invocation: {
        configSource: {uri: `git+${id.repository}`, digest: {sha1: id.commit}, entryPoint: jobName},
        // npm copies these CI variables verbatim; a branch pipeline has no CI_COMMIT_TAG and a tag
        // pipeline no CI_COMMIT_BRANCH.
        parameters: {
          CI: `true`,
          CI_API_V4_URL: `${id.server}/api/v4`,
          CI_COMMIT_BRANCH: id.refType === `branch` ? id.refName : undefined,
          CI_COMMIT_TAG: id.refType === `tag` ? id.refName : undefined,
          CI_COMMIT_REF_NAME: id.refName,
          CI_COMMIT_REF_PROTECTED: `true`,
          CI_COMMIT_SHA: id.commit,
          CI_COMMIT_SHORT_SHA: id.commit.slice(0, 8),
          CI_CONFIG_PATH: id.workflowPath,
          CI_JOB_NAME: jobName,
          CI_JOB_STAGE: `deploy`,
          CI_PIPELINE_SOURCE: `push`,
          CI_PROJECT_ID: id.repositoryId,
          CI_PROJECT_PATH: id.projectPath,
          CI_PROJECT_URL: id.repository,
          CI_RUNNER_ID: runnerId,
          CI_SERVER_URL: id.server,
          GITLAB_CI: `true`,
        },
        environment: {
          name: id.runnerEnvironment === `self-hosted` ? `self-hosted runner` : `${id.server.replace(/^https?:\/\//, ``)} shared runner`,
          architecture: `amd64`,
          server: id.server,
          project: id.projectPath,
          job: {id: id.runId},
          pipeline: {id: id.runId, ref: id.workflowPath},
        },
      },
      metadata: {
        buildInvocationId: jobUrl,
        completeness: {parameters: true, environment: true, materials: false},
        reproducible: false,
      },
      materials: [{uri: `git+${id.repository}`, digest: {sha1: id.commit}}],
    },
  };
}
