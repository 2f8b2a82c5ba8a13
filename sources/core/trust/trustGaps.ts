import {ATTESTATION_KEY_USAGE} from './trustShape';
import type {TrustTargets} from './tufClient';

/**
 * What an attestations answer names that the trust material in use does not list: a registry key id,
 * a transparency log, the certificate authority of its signing certificate, a CT log. A signature
 * failure with such a gap is one an upstream key or log rotation would explain; one without is not
 * (a forgery under known keys stays SIGNATURE_INVALID). Only unverified, public fields are read here:
 * they decide whether a refresh is worth trying, never whether anything is trusted.
 */
export async function findTrustGaps(attestations: unknown, texts: TrustTargets): Promise<Array<string>> {
  const bundles = bundlesOf(parseLoosely(attestations));
  const root = parseLoosely(texts.trustedRoot) as TrustedRootJson | null;
  if (bundles.length === 0 || root === null)
    return [];

  // Loaded only after a signature failure: the certificate parser stays out of most runs.
  const {X509Certificate} = await import(`@sigstore/core`);
  const parse = (der: string) => {
    try {
      return X509Certificate.parse(Buffer.from(der, `base64`));
    } catch {
      return undefined;
    }
  };

  const registryKeys = new Set(registryKeyIds(parseLoosely(texts.registryKeys)));
  const tlogs = new Set((root.tlogs ?? []).map(log => normalize(log?.logId?.keyId)));
  const ctlogs = new Set((root.ctlogs ?? []).map(log => normalize(log?.logId?.keyId)));
  const authorities = new Set((root.certificateAuthorities ?? [])
    .flatMap(ca => ca?.certChain?.certificates ?? [])
    .flatMap(cert => typeof cert?.rawBytes === `string` ? authorityIds(parse(cert.rawBytes)) : []));

  const gaps = new Set<string>();
  for (const {verificationMaterial: material} of bundles) {
    const hint = material?.publicKey?.hint;
    if (typeof hint === `string` && !registryKeys.has(hint))
      gaps.add(`registry key ${hint}`);

    for (const entry of material?.tlogEntries ?? []) {
      const logId = normalize(entry?.logId?.keyId);
      if (logId !== undefined && !tlogs.has(logId))
        gaps.add(`transparency log ${entry.logId!.keyId}`);
    }

    const leafDer = material?.x509CertificateChain?.certificates?.[0]?.rawBytes ?? material?.certificate?.rawBytes;
    const leaf = typeof leafDer === `string` ? parse(leafDer) : undefined;
    if (leaf === undefined)
      continue;
    if (!authorities.has(issuerId(leaf)))
      gaps.add(`the certificate authority that issued the signing certificate`);
    for (const sct of safely(() => leaf.extSCT?.signedCertificateTimestamps) ?? []) {
      if (!ctlogs.has(sct.logID.toString(`hex`)))
        gaps.add(`CT log ${sct.logID.toString(`base64`)}`);
    }
  }
  return [...gaps];
}

type BundleJson = {
  verificationMaterial?: {
    publicKey?: {hint?: unknown};
    x509CertificateChain?: {certificates?: Array<{rawBytes?: unknown}>};
    certificate?: {rawBytes?: unknown};
    tlogEntries?: Array<{logId?: {keyId?: unknown}}>;
  };
};

type LogJson = {logId?: {keyId?: unknown}} | null;

type TrustedRootJson = {
  tlogs?: Array<LogJson>;
  ctlogs?: Array<LogJson>;
  certificateAuthorities?: Array<{certChain?: {certificates?: Array<{rawBytes?: unknown}>}} | null>;
};

type Certificate = ReturnType<typeof import('@sigstore/core').X509Certificate.parse>;

// A rotated Fulcio intermediate keeps its name and changes its key: issuers are matched by key id
// (the leaf's AuthorityKeyIdentifier against a CA's SubjectKeyIdentifier), by name only without one.
function authorityIds(cert: Certificate | undefined): Array<string> {
  const keyId = safely(() => cert?.extSubjectKeyID?.keyIdentifier);
  return cert === undefined ? [] : [`name:${cert.subject.toString(`hex`)}`, ...keyId === undefined ? [] : [`key:${keyId.toString(`hex`)}`]];
}

function issuerId(leaf: Certificate): string {
  const keyId = safely(() => leaf.extAuthorityKeyID?.keyIdentifier);
  return keyId === undefined ? `name:${leaf.issuer.toString(`hex`)}` : `key:${keyId.toString(`hex`)}`;
}

/** The bundles of an attestations answer (`{attestations: [{bundle}]}`), or a bundle on its own. */
function bundlesOf(json: unknown): Array<BundleJson> {
  const answer = json as {attestations?: unknown, verificationMaterial?: unknown} | null;
  if (answer?.verificationMaterial !== undefined)
    return [answer as BundleJson];
  if (!Array.isArray(answer?.attestations))
    return [];
  return answer.attestations
    .map(entry => (entry as {bundle?: BundleJson} | null)?.bundle)
    .filter((bundle): bundle is BundleJson => typeof bundle === `object` && bundle !== null);
}

/**
 * Attestation key ids in either form of npm's keys, as registryKeys.ts reads them: TUF `keys.json`
 * (`keyId`, only keys for `npm:attestations`) or the registry's answer (`keyid`, every key).
 */
function registryKeyIds(json: unknown): Array<string> {
  const keys = (json as {keys?: unknown} | null)?.keys;
  if (!Array.isArray(keys))
    return [];
  return keys
    .map(key => key as {keyId?: unknown, keyUsage?: unknown, keyid?: unknown} | null)
    .map(key => key?.keyUsage === ATTESTATION_KEY_USAGE ? key.keyId : key?.keyid)
    .filter((id): id is string => typeof id === `string`);
}

function parseLoosely(value: unknown): unknown {
  if (typeof value !== `string` && !(value instanceof Uint8Array))
    return value ?? null;
  try {
    return JSON.parse(typeof value === `string` ? value : Buffer.from(value).toString(`utf8`));
  } catch {
    return null;
  }
}

/** Log ids as hex, whatever base64 spelling the JSON used. */
function normalize(keyId: unknown): string | undefined {
  return typeof keyId === `string` && keyId !== `` ? Buffer.from(keyId, `base64`).toString(`hex`) : undefined;
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
