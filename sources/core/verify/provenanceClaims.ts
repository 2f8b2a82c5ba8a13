import * as t from 'typanion';

import {ProvenanceError} from '../errors';
import type {ProvenanceClaims} from '../provenance.types';
import {normalizeRepoUrl, splitGitUri, splitWorkflowUri} from './urls';

// Shapes of the predicates npm and the SLSA generators write. Only the fields we read are required;
// everything else may be there.
const isV02 = t.isObject({
  buildType: t.isString(),
  builder: t.isObject({id: t.isString()}, {extra: t.isUnknown()}),
  invocation: t.isObject({
    configSource: t.isObject({
      uri: t.isString(),
      digest: t.isOptional(t.isObject({sha1: t.isOptional(t.isString())}, {extra: t.isUnknown()})),
      entryPoint: t.isOptional(t.isString()),
    }, {extra: t.isUnknown()}),
    parameters: t.isOptional(t.isUnknown()),
  }, {extra: t.isUnknown()}),
}, {extra: t.isUnknown()});

const isV1 = t.isObject({
  buildDefinition: t.isObject({
    buildType: t.isString(),
    externalParameters: t.isObject({
      workflow: t.isObject({
        repository: t.isString(),
        path: t.isString(),
        ref: t.isOptional(t.isString()),
      }, {extra: t.isUnknown()}),
    }, {extra: t.isUnknown()}),
    resolvedDependencies: t.isOptional(t.isArray(t.isObject({
      uri: t.isOptional(t.isString()),
      digest: t.isOptional(t.isDict(t.isString())),
    }, {extra: t.isUnknown()}))),
  }, {extra: t.isUnknown()}),
  runDetails: t.isObject({
    builder: t.isObject({id: t.isString()}, {extra: t.isUnknown()}),
  }, {extra: t.isUnknown()}),
}, {extra: t.isUnknown()});

/** npm on GitLab CI writes the job name as entryPoint and the config path as a parameter. */
const GITLAB_BUILD_TYPE_PREFIX = `https://github.com/npm/cli/gitlab/`;
const GITHUB_RUNNER_BUILDER = `https://github.com/actions/runner/`;

export function readProvenanceClaims(predicateType: string, predicate: unknown): ProvenanceClaims {
  const errors: Array<string> = [];
  if (predicateType === `https://slsa.dev/provenance/v1`) {
    if (!isV1(predicate, {errors}))
      throw malformed(predicateType, errors);
    return fromV1(predicateType, predicate);
  }

  if (!isV02(predicate, {errors}))
    throw malformed(predicateType, errors);
  return fromV02(predicateType, predicate);
}

function fromV02(predicateType: string, predicate: t.InferType<typeof isV02>): ProvenanceClaims {
  const {configSource} = predicate.invocation;
  const {repo, ref} = splitGitUri(configSource.uri);
  if (repo === undefined)
    throw malformed(predicateType, [`invocation.configSource.uri "${configSource.uri}" names no repository`]);

  const claims: ProvenanceClaims = {
    predicateType,
    buildType: predicate.buildType,
    builderId: predicate.builder.id,
    sourceRepo: repo,
    ref,
    commit: configSource.digest?.sha1,
    entryPoint: configSource.entryPoint,
  };

  if (predicate.buildType.startsWith(GITLAB_BUILD_TYPE_PREFIX)) {
    const parameters = (predicate.invocation.parameters ?? {}) as Record<string, unknown>;
    const text = (key: string) => typeof parameters[key] === `string` && parameters[key] !== `` ? parameters[key] as string : undefined;
    claims.workflowPath = text(`CI_CONFIG_PATH`);
    // Branch pipelines set CI_COMMIT_BRANCH; tag pipelines only the ref name.
    const branch = text(`CI_COMMIT_BRANCH`);
    const refName = text(`CI_COMMIT_REF_NAME`);
    claims.ref = branch !== undefined ? `refs/heads/${branch}` : refName !== undefined ? `refs/tags/${refName}` : undefined;
    return claims;
  }

  // npm's first format (gha@v0, gha@v1) wrote `owner/repo/<path>@<ref>`; gha/v2 and the SLSA
  // generators write the path alone.
  const entryPoint = configSource.entryPoint;
  if (entryPoint !== undefined) {
    const ownerRepo = new URL(repo).pathname.slice(1);
    const qualified = splitWorkflowUri(entryPoint, ownerRepo);
    claims.workflowPath = qualified?.path ?? entryPoint;
    claims.ref ??= qualified?.ref;
  }

  return claims;
}

function fromV1(predicateType: string, predicate: t.InferType<typeof isV1>): ProvenanceClaims {
  const {workflow} = predicate.buildDefinition.externalParameters;
  const sourceRepo = normalizeRepoUrl(workflow.repository);
  if (sourceRepo === undefined)
    throw malformed(predicateType, [`externalParameters.workflow.repository "${workflow.repository}" is not a URL`]);

  const dependency = predicate.buildDefinition.resolvedDependencies?.find(dep => {
    return dep.uri !== undefined && splitGitUri(dep.uri).repo?.toLowerCase() === sourceRepo.toLowerCase();
  });

  const builderId = predicate.runDetails.builder.id;
  return {
    predicateType,
    buildType: predicate.buildDefinition.buildType,
    builderId,
    sourceRepo,
    ref: workflow.ref,
    commit: dependency?.digest?.gitCommit,
    workflowPath: workflow.path,
    // npm names the builder after the runner environment: `https://github.com/actions/runner/github-hosted`.
    runnerEnvironment: builderId.startsWith(GITHUB_RUNNER_BUILDER) ? builderId.slice(GITHUB_RUNNER_BUILDER.length) : undefined,
  };
}

function malformed(predicateType: string, errors: Array<string>): ProvenanceError {
  return new ProvenanceError({
    code: `STATEMENT_MALFORMED`,
    message: `The ${predicateType} predicate lacks fields every npm provenance has: ${errors.join(`; `)}`,
  });
}
