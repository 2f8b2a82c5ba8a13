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
  // One pass over the extensions (asking `certificate.extension(oid)` for each of the 22 OIDs decoded
  // every extension's OID 22 times). The first extension of an OID counts, as with `extension(oid)`.
  const found = new Map<number, Buffer>();
  for (const extension of certificate.extensions) {
    const n = fulcioNumber(extension.subs[0]!.toOID());
    if (n !== null && !found.has(n))
      found.set(n, extension.subs[extension.subs.length - 1]!.value);
  }
  const extensions: Record<string, string> = {};
  for (const n of [...found.keys()].sort((a, b) => a - b)) {
    const value = found.get(n)!;
    extensions[`${FULCIO}.${n}`] = n <= LEGACY_LAST ? value.toString(`utf8`) : decodeUtf8String(value);
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

/** n for `1.3.6.1.4.1.57264.1.<n>` with 1 ≤ n ≤ 22, else null. */
function fulcioNumber(oid: string): number | null {
  if (!oid.startsWith(`${FULCIO}.`))
    return null;
  const tail = oid.slice(FULCIO.length + 1);
  if (!/^[1-9][0-9]?$/.test(tail))
    return null;
  const n = Number(tail);
  return n <= LAST ? n : null;
}

function decodeUtf8String(value: Buffer): string {
  try {
    return ASN1Obj.parseBuffer(value as Buffer<ArrayBuffer>).value.toString(`utf8`);
  } catch {
    // A value that is not DER is kept raw: it can then only fail to match, never match by accident.
    return value.toString(`utf8`);
  }
}
