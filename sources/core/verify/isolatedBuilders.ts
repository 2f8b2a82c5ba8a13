import type {CertificateIdentity} from '../provenance.types';
import {toBuildSigner} from './buildSigner';
import type {BuildSigner} from './buildSigner';

const GITHUB_ISSUER = `https://token.actions.githubusercontent.com`;
const GENERATOR_WORKFLOWS = `https://github.com/slsa-framework/slsa-github-generator/.github/workflows/`;

/**
 * The builders known to isolate the build from the package's own workflow: slsa-github-generator's
 * reusable workflows, which generate and sign the provenance in a job the caller's steps never run in.
 * A fixed list, named in README.md ("SLSA build levels"): that a workflow is reusable, or lives in some
 * other repository, says nothing about what it lets its caller do.
 */
export const ISOLATED_BUILDER_WORKFLOWS: ReadonlyArray<string> = [
  `generator_generic_slsa3.yml`,
  `generator_container_slsa3.yml`,
  `builder_go_slsa3.yml`,
  `builder_container-based_slsa3.yml`,
  // The BYOB framework's delegators sign for the builder that called them (builder_nodejs_slsa3.yml…).
  `delegator_generic_slsa3.yml`,
  `delegator_lowperms-generic_slsa3.yml`,
].map(file => `${GENERATOR_WORKFLOWS}${file}`);

const DELEGATORS: ReadonlySet<string> = new Set([
  `${GENERATOR_WORKFLOWS}delegator_generic_slsa3.yml`,
  `${GENERATOR_WORKFLOWS}delegator_lowperms-generic_slsa3.yml`,
]);

/**
 * Only a release (`refs/tags/vX.Y.Z`) is the reviewed builder; a branch or any other ref of the same
 * repository runs whatever was pushed there.
 */
const RELEASE_TAG = /^refs\/tags\/v\d+\.\d+\.\d+$/;

type IsolatedSigner = Extract<BuildSigner, {kind: `reusable-workflow`}> & {ref: string};

/** The isolated builder that signed, per the certificate, or undefined when none of the list did. */
export function isolatedSigner(identity: CertificateIdentity): IsolatedSigner | undefined {
  if (identity.issuer !== GITHUB_ISSUER)
    return undefined;

  const signer = toBuildSigner(identity);
  if (signer.kind !== `reusable-workflow` || signer.ref === undefined)
    return undefined;
  if (!ISOLATED_BUILDER_WORKFLOWS.includes(signer.name) || !RELEASE_TAG.test(signer.ref))
    return undefined;

  return {...signer, ref: signer.ref};
}

/**
 * The builder a BYOB delegator signed for: it writes its caller (for example
 * `…/builder_nodejs_slsa3.yml@refs/tags/v1.6.0`) as the predicate's builder id. That id is taken
 * only from a delegator on the list, and only for a workflow of the same repository at the same tag.
 */
export function delegatedBuilder(identity: CertificateIdentity, predicateBuilderId: string): string | undefined {
  const signer = isolatedSigner(identity);
  if (signer === undefined || !DELEGATORS.has(signer.name))
    return undefined;

  const suffix = `@${signer.ref}`;
  if (!predicateBuilderId.startsWith(GENERATOR_WORKFLOWS) || !predicateBuilderId.endsWith(suffix))
    return undefined;
  const file = predicateBuilderId.slice(GENERATOR_WORKFLOWS.length, -suffix.length);
  return /^[\w.-]+\.ya?ml$/.test(file) ? predicateBuilderId : undefined;
}
