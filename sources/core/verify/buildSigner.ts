import type {CertificateIdentity} from '../provenance.types';
import {splitWorkflowUri} from './urls';

/**
 * Which workflow signed, as the certificate states it. A CI job's OIDC token names the workflow that
 * is running (BuildSignerURI, and the SAN): the package's own workflow, or a reusable workflow it
 * called, possibly from another repository (slsa-github-generator's builders, an organisation's
 * shared release workflow). Only a reusable workflow's own code wrote and signed the provenance then;
 * the package's workflow could not.
 */
export type BuildSigner =
  | {kind: `own-workflow`, uri: string}
  | {kind: `reusable-workflow`, uri: string, name: string, ref?: string}
  | {kind: `unknown`};

export function toBuildSigner(identity: CertificateIdentity): BuildSigner {
  const uri = identity.buildSignerUri;
  if (uri === undefined)
    return {kind: `unknown`};

  if (!isReusable(identity, uri))
    return {kind: `own-workflow`, uri};

  const at = uri.indexOf(`@`, uri.indexOf(`://`) + 3);
  return at === -1
    ? {kind: `reusable-workflow`, uri, name: uri}
    : {kind: `reusable-workflow`, uri, name: uri.slice(0, at), ref: uri.slice(at + 1)};
}

function isReusable(identity: CertificateIdentity, signerUri: string): boolean {
  // Newer certificates name both workflows: they differ exactly when a reusable workflow signed.
  if (identity.buildConfigUri !== undefined)
    return signerUri !== identity.buildConfigUri;
  // Older ones (before about March 2023) name only the signer: a signer outside the source repository
  // is a reusable workflow. One inside it cannot be told from the package's own workflow, and counts
  // as that: the weaker reading, since the repository's own code could then have signed.
  return identity.sourceRepo === undefined || splitWorkflowUri(signerUri, identity.sourceRepo) === undefined;
}
