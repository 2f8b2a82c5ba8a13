import {mismatch, ProvenanceError} from '../errors';
import type {CertificateIdentity, ProvenanceClaims} from '../provenance.types';
import {sameRepo, splitWorkflowUri} from './urls';

const REUSABLE_WORKFLOW = /^(https:\/\/github\.com\/[^/]+\/[^/]+)\/\.github\/workflows\/[^@]+@(.+)$/;

/**
 * Anyone who can get a Fulcio certificate can sign any predicate, so a predicate field means nothing
 * on its own. Each claim the certificate also states must agree with it; disagreement is forgery or
 * a broken builder, and either way the attestation is rejected.
 */
export function checkClaimsAgreeWithCertificate(claims: ProvenanceClaims, identity: CertificateIdentity): void {
  // 1. The certificate must name a repository, or nothing ties the build to a source.
  if (identity.sourceRepo === undefined)
    throw new ProvenanceError({code: `CERT_PREDICATE_MISMATCH`, message: `The signing certificate names no source repository`});

  // 2. Repository, commit, ref, workflow and runner: compared wherever both sides state them.
  if (!sameRepo(claims.sourceRepo, identity.sourceRepo))
    throw mismatch(`CERT_PREDICATE_MISMATCH`, `The predicate's source repository disagrees with the certificate`, identity.sourceRepo, claims.sourceRepo);
  if (claims.commit !== undefined && identity.commit !== undefined && claims.commit.toLowerCase() !== identity.commit.toLowerCase())
    throw mismatch(`CERT_PREDICATE_MISMATCH`, `The predicate's commit disagrees with the certificate`, identity.commit, claims.commit);
  if (claims.ref !== undefined && identity.ref !== undefined && claims.ref !== identity.ref)
    throw mismatch(`CERT_PREDICATE_MISMATCH`, `The predicate's ref disagrees with the certificate`, identity.ref, claims.ref);
  if (claims.workflowPath !== undefined && identity.workflowPath !== undefined && claims.workflowPath !== identity.workflowPath)
    throw mismatch(`CERT_PREDICATE_MISMATCH`, `The predicate's workflow disagrees with the certificate`, identity.workflowPath, claims.workflowPath);
  if (claims.runnerEnvironment !== undefined && identity.runnerEnvironment !== undefined && claims.runnerEnvironment !== identity.runnerEnvironment)
    throw mismatch(`CERT_PREDICATE_MISMATCH`, `The predicate's runner environment disagrees with the certificate`, identity.runnerEnvironment, claims.runnerEnvironment);

  // 3. A builder that is a reusable workflow (the SLSA generators) must be the one that signed: the
  //    signer must live in the builder's repository at the builder's ref.
  const reusable = REUSABLE_WORKFLOW.exec(claims.builderId);
  if (reusable !== null) {
    const [, builderRepo, builderRef] = reusable as unknown as [string, string, string];
    const signer = identity.buildSignerUri === undefined ? undefined : splitWorkflowUri(identity.buildSignerUri, builderRepo);
    if (signer === undefined || signer.ref !== builderRef) {
      throw mismatch(`CERT_PREDICATE_MISMATCH`, `The predicate names a reusable-workflow builder that did not sign it`,
        `a workflow of ${builderRepo} at ${builderRef}`, identity.buildSignerUri);
    }
  }
}
