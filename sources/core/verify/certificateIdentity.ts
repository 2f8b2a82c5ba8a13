import type {X509Certificate} from '@sigstore/core';
import {ASN1Obj} from '@sigstore/core';

import type {CertificateIdentity} from '../provenance.types';
import {normalizeRepoUrl, splitWorkflowUri} from './urls';

/** Fulcio's arc: https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md */
const FULCIO = `1.3.6.1.4.1.57264.1`;

// Certificates issued before about March 2023 carry only .1–.6 (raw bytes); newer ones add .8–.22
// (DER UTF8String). Where both exist they agree; the newer one is read first.
const LEGACY_LAST = 6;
const LAST = 22;
const GITHUB_ISSUER = `https://token.actions.githubusercontent.com`;

/**
 * Reads the signer identity from a certificate that sigstore-js has already chained to Fulcio and
 * matched with the signature. From here on these values are trusted: Fulcio copied them from the
 * CI provider's OIDC token.
 */
export function readCertificateIdentity(certificate: X509Certificate): CertificateIdentity {
  const extensions: Record<string, string> = {};
  for (let n = 1; n <= LAST; n++) {
    const oid = `${FULCIO}.${n}`;
    const extension = certificate.extension(oid);
    if (extension === undefined)
      continue;
    extensions[oid] = n <= LEGACY_LAST ? extension.value.toString(`utf8`) : decodeUtf8String(extension.value);
  }

  const ext = (n: number) => extensions[`${FULCIO}.${n}`];
  const issuer = ext(8) ?? ext(1);

  // Legacy .5 is GitHub's `owner/repo` without a host; it only ever came from GitHub's issuer.
  const legacyRepo = ext(5) !== undefined && issuer === GITHUB_ISSUER ? `https://github.com/${ext(5)}` : undefined;
  const sourceRepo = normalizeRepoUrl(ext(12) ?? legacyRepo);

  const subjectAlternativeName = certificate.subjectAltName;
  // BuildConfigURI names the workflow that defined the build. Without it (older certificates) the SAN
  // is that workflow, since reusable-workflow builders only appeared with the newer extensions.
  const configUri = ext(18) ?? subjectAlternativeName;
  const workflowPath = sourceRepo !== undefined && configUri !== undefined
    ? splitWorkflowUri(configUri, sourceRepo)?.path
    : undefined;

  return {
    subjectAlternativeName,
    issuer,
    sourceRepo,
    ref: ext(14) ?? ext(6),
    commit: ext(13) ?? ext(3),
    workflowPath,
    buildSignerUri: ext(9) ?? subjectAlternativeName,
    buildConfigUri: ext(18),
    runnerEnvironment: ext(11),
    extensions,
  };
}

function decodeUtf8String(value: Buffer): string {
  try {
    return ASN1Obj.parseBuffer(value as Buffer<ArrayBuffer>).value.toString(`utf8`);
  } catch {
    // A value that is not DER is kept raw: it can then only fail to match, never match by accident.
    return value.toString(`utf8`);
  }
}
