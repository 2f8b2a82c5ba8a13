import {createHash} from 'node:crypto';

import type {BuildIdentity} from './authority.types';

/** A build identity with every default filled in, plus the CI values derived from it. */
export type ResolvedIdentity = Required<Omit<BuildIdentity, `builderId`>> & Pick<BuildIdentity, `builderId`> & {
  /** `https://host/owner/name`, no trailing slash or `.git`. */
  repository: string;
  /** `https://host`. */
  server: string;
  /** `owner/name` (GitLab: the whole project path). */
  projectPath: string;
  /** `https://host/owner`. */
  ownerUrl: string;
  /** The package's own workflow with its ref, as BuildConfigURI names it (GitHub). */
  workflowUri: string;
  /** Branch or tag name without `refs/heads/` / `refs/tags/`. */
  refName: string;
  refType: `branch` | `tag`;
  /** Stable numbers for repository, owner, run and job ids: same inputs, same ids. */
  repositoryId: string;
  ownerId: string;
  runId: string;
};

const DEFAULTS = {
  github: {workflowPath: `.github/workflows/release.yml`, runnerEnvironment: `github-hosted`, issuer: `https://token.actions.githubusercontent.com`},
  gitlab: {workflowPath: `.gitlab-ci.yml`, runnerEnvironment: `gitlab-hosted`, issuer: `https://gitlab.com`},
} as const;

export function resolveIdentity(identity: BuildIdentity): ResolvedIdentity {
  const defaults = DEFAULTS[identity.platform];
  const url = new URL(identity.repository);
  const projectPath = url.pathname.replace(/^\/+|\/+$/g, ``).replace(/\.git$/, ``);
  const repository = `${url.protocol}//${url.host}/${projectPath}`;
  const ref = identity.ref ?? `refs/heads/main`;
  const tag = /^refs\/tags\/(.+)$/.exec(ref);
  const workflowPath = identity.workflowPath ?? defaults.workflowPath;
  const workflowUri = `${repository}/${workflowPath}@${ref}`;

  return {
    platform: identity.platform,
    repository,
    ref,
    // One release commit and one workflow run per repository and ref, as when a monorepo publishes
    // many packages from one job: the same identity then yields the same certificate extensions.
    commit: identity.commit ?? digest(`sha1`, `commit`, repository, ref),
    workflowPath,
    runnerEnvironment: identity.runnerEnvironment ?? defaults.runnerEnvironment,
    issuer: identity.issuer ?? defaults.issuer,
    signerWorkflow: identity.signerWorkflow ?? workflowUri,
    builderId: identity.builderId,
    predicateFormat: identity.predicateFormat ?? `slsa-v1`,
    workflowUri,
    server: `${url.protocol}//${url.host}`,
    projectPath,
    ownerUrl: `${url.protocol}//${url.host}/${projectPath.split(`/`)[0]}`,
    refName: tag ? tag[1]! : ref.replace(/^refs\/heads\//, ``),
    refType: tag ? `tag` : `branch`,
    repositoryId: stableNumber(`repository`, repository),
    ownerId: stableNumber(`owner`, projectPath.split(`/`)[0]!),
    runId: stableNumber(`run`, repository, ref),
  };
}

function digest(algorithm: `sha1` | `sha256`, ...parts: Array<string>): string {
  return createHash(algorithm).update(parts.join(`\0`)).digest(`hex`);
}

function stableNumber(...parts: Array<string>): string {
  return String(parseInt(digest(`sha256`, ...parts).slice(0, 10), 16) % 1_000_000_000 + 1_000_000);
}
