/**
 * The identity pinned for a package, read from verified evidence only. Predicate generations (npm's
 * gha@v0/v1, gha/v2, SLSA v1) name their builder differently; the pin records the platform, so that
 * moving between them is no change, while a move to another platform or repository is.
 */
import {normaliseSource} from '../policy/source';
import type {VerifiedProvenance} from '../provenance.types';
import {isolatedSigner} from '../verify/isolatedBuilders';
import type {PinIdentity, RunnerClass} from './pins.types';

const PLATFORMS: ReadonlyMap<string, string> = new Map([
  [`https://token.actions.githubusercontent.com`, `github-actions`],
  [`https://gitlab.com`, `gitlab-ci`],
]);

const HOSTED: ReadonlySet<string> = new Set([`github-hosted`, `gitlab-hosted`]);

function runnerClass(runnerEnvironment: string | undefined): RunnerClass {
  if (runnerEnvironment === undefined)
    return `unknown`;
  return HOSTED.has(runnerEnvironment) ? `hosted` : `self-hosted`;
}

/** The identity of a package with verified provenance; undefined without provenance (nothing to pin). */
export function pinIdentityOf(verified: VerifiedProvenance): PinIdentity | undefined {
  const identity = verified.provenance?.identity;
  const sourceRepo = identity?.sourceRepo;
  if (identity === undefined || sourceRepo === undefined)
    return undefined;

  const platform = identity.issuer === undefined ? `unknown` : PLATFORMS.get(identity.issuer) ?? identity.issuer;
  const builder = isolatedSigner(identity) !== undefined ? `slsa-github-generator` : platform;

  return {
    source: normaliseSource(sourceRepo),
    ...(identity.workflowPath !== undefined ? {workflow: identity.workflowPath} : {}),
    builder,
    runner: runnerClass(identity.runnerEnvironment),
    ...(identity.issuer !== undefined ? {issuer: identity.issuer} : {}),
    publishAttestation: verified.publish !== undefined,
    trustedPublisher: verified.registry?.trustedPublisher ?? false,
    staged: verified.registry?.staged ?? false,
  };
}
