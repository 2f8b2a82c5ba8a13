import type {CertificateIdentity, ProvenanceClaims, SlsaLevel} from '../provenance.types';
import {isolatedSigner} from './isolatedBuilders';

const HOSTED_RUNNERS: ReadonlySet<string> = new Set([`github-hosted`, `gitlab-hosted`]);

/**
 * SLSA v1 build levels, as far as the certificate shows them (README "SLSA build levels"):
 * - 0: no verified provenance.
 * - 1: verified provenance, but the certificate does not show a platform-hosted runner (self-hosted,
 *      or a certificate from before Fulcio recorded the runner environment).
 * - 2: verified provenance signed by a hosted build platform (certificate says github-/gitlab-hosted).
 * - 3: as 2, and signed by a builder known to isolate the build (`ISOLATED_BUILDER_WORKFLOWS`, at a
 *      release tag), so the package's own workflow could not forge the provenance. Any other reusable
 *      workflow, in any repository, is at most 2: being reusable isolates nothing.
 *
 * Read from the certificate only; the predicate's builder id, which the workflow writes, plays no part.
 */
export function toSlsaLevel(provenance: {claims: ProvenanceClaims, identity: CertificateIdentity} | undefined): SlsaLevel {
  if (provenance === undefined)
    return 0;

  const hosted = provenance.identity.runnerEnvironment !== undefined && HOSTED_RUNNERS.has(provenance.identity.runnerEnvironment);
  if (!hosted)
    return 1;

  return isolatedSigner(provenance.identity) !== undefined ? 3 : 2;
}
