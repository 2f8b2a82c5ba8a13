import type {CertificateIdentity, ProvenanceClaims, SlsaLevel} from '../provenance.types';
import {isIsolatedBuilder} from './crossCheck';

const HOSTED_RUNNERS: ReadonlySet<string> = new Set([`github-hosted`, `gitlab-hosted`]);

/**
 * SLSA v1 build levels, as far as the evidence shows them (README "SLSA levels"):
 * - 0: no verified provenance.
 * - 1: verified provenance, but the certificate does not show a platform-hosted runner (self-hosted,
 *      or a certificate from before Fulcio recorded the runner environment).
 * - 2: verified provenance signed by a hosted build platform (certificate says github-/gitlab-hosted).
 * - 3: as 2, and built by an isolated reusable-workflow builder (slsa-github-generator) whose signature
 *      the certificate proves, so the package's own workflow could not forge the provenance.
 */
export function toSlsaLevel(provenance: {claims: ProvenanceClaims, identity: CertificateIdentity} | undefined): SlsaLevel {
  if (provenance === undefined)
    return 0;

  const hosted = provenance.identity.runnerEnvironment !== undefined && HOSTED_RUNNERS.has(provenance.identity.runnerEnvironment);
  if (!hosted)
    return 1;

  return isIsolatedBuilder(provenance.claims) ? 3 : 2;
}
