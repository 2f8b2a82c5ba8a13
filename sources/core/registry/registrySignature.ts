import {createPublicKey, verify} from 'node:crypto';
import type {KeyObject} from 'node:crypto';

import * as t from 'typanion';

import {ProvenanceError} from '../errors';
import type {PackageRef, RegistryEvidence} from '../provenance.types';
import type {RegistryKey} from '../trust/registryKeyList';

/** Registry signing keys by key id, each parsed once per run, with the window in which it may have signed. */
export type SignatureKeys = ReadonlyMap<string, {publicKey: KeyObject, start?: Date, end?: Date}>;

export function toSignatureKeys(keys: ReadonlyArray<RegistryKey>, origin: string): SignatureKeys {
  const byId = new Map<string, {publicKey: KeyObject, start?: Date, end?: Date}>();
  for (const key of keys) {
    try {
      byId.set(key.keyId, {publicKey: createPublicKey({key: key.spki, format: `der`, type: `spki`}), start: key.start, end: key.end});
    } catch (cause) {
      throw new ProvenanceError({code: `TRUST_MATERIAL_INVALID`, message: `${origin}: key ${key.keyId} is not a valid public key`, cause});
    }
  }
  return byId;
}

// Only what this check reads; everything else in the version document is left alone.
const isVersionDocument = t.isObject({
  dist: t.isOptional(t.isObject({
    integrity: t.isOptional(t.isString()),
    signatures: t.isOptional(t.isArray(t.isObject({keyid: t.isString(), sig: t.isString()}, {extra: t.isUnknown()}))),
  }, {extra: t.isUnknown()})),
}, {extra: t.isUnknown()});

export type RegistrySignatureInput = {
  package: PackageRef;
  /** sha512 hex of the tarball bound to what is installed. */
  tarballSha512: string;
  /** The registry's version document (`GET <registry>/<name>/<version>`), untrusted; null when it has none. */
  document: unknown;
  /**
   * When the version was published, to judge the key's validity window: the publish attestation's
   * transparency-log time, which the log signed. Absent (no publish attestation): the window is not
   * judged, as npm does for a version whose publish time it does not know.
   */
  publishedAt?: Date;
  keys: SignatureKeys;
};

/**
 * The registry's signature over `<name>@<version>:<integrity>`, where the integrity is the sha512 of the
 * tarball that was bound: every signature served must verify with a registry key of the trust material
 * that was valid at publish time. Rejects with REGISTRY_SIGNATURE_INVALID; none served is `absent`, for
 * the policy to judge. The publisher signals are read as they are: unsigned, they only ever add blocks.
 */
export function checkRegistrySignature({package: pkg, tarballSha512, document, publishedAt, keys}: RegistrySignatureInput): RegistryEvidence {
  const spec = `${pkg.name}@${pkg.version}`;
  const invalid = (what: string, expected: string, found: string) => new ProvenanceError({
    code: `REGISTRY_SIGNATURE_INVALID`,
    message: `${spec}: ${what}`,
    mismatch: {what, expected, found},
  });

  if (document === null)
    return {signature: `absent`, trustedPublisher: false, staged: false};
  if (!isVersionDocument(document))
    throw invalid(`The registry's version document is not one (dist.signatures must be a list of {keyid, sig})`, `a version document`, describe(document));

  const signals = publisherSignals(document);
  const signatures = document.dist?.signatures ?? [];
  if (signatures.length === 0)
    return {signature: `absent`, ...signals};

  // The registry's integrity must be the tarball's: it is what the registry signed.
  const integrity = `sha512-${Buffer.from(tarballSha512, `hex`).toString(`base64`)}`;
  const served = document.dist?.integrity;
  if (served !== integrity)
    throw invalid(`The registry's dist.integrity is not the installed tarball's`, integrity, served ?? `(none)`);

  const message = Buffer.from(`${spec}:${integrity}`, `utf8`);
  // Signatures verified in this run over these very bytes (signedIntegrity, before the publish time was known)
  // are not verified again: only their keys and windows are judged anew.
  const checked = `${spec}:${integrity}\n${signatures.map(({keyid, sig}) => `${keyid}:${sig}`).join(`\n`)}`;
  const already = verifiedSignatures.get(document)?.get(keys) === checked;
  for (const {keyid, sig} of signatures) {
    const key = keys.get(keyid);
    if (key === undefined)
      throw invalid(`The registry signature's key is not a registry key of the trust material`, `one of ${[...keys.keys()].join(`, `) || `(no npm:signatures key)`}`, keyid);
    if (publishedAt !== undefined && !((key.start === undefined || key.start <= publishedAt) && (key.end === undefined || publishedAt <= key.end)))
      throw invalid(`The registry key was not valid when the version was published`, window(key), `${keyid} at ${publishedAt.toISOString()}`);
    if (!already && !verifies(message, key.publicKey, sig))
      throw invalid(`The registry signature does not verify over ${spec}:${integrity}`, `a signature by ${keyid}`, sig);
  }
  remember(document, keys, checked);

  return {signature: `verified`, keyId: signatures[0]!.keyid, ...signals};
}

/**
 * The sha512 (hex) of the version's tarball as the registry signed it: `dist.integrity` of its version document, when
 * every signature served over it verifies with a registry key of the trust material. Null when the registry cannot
 * vouch for it (no document, no signature, an unknown key, a bad signature, no sha512 integrity): the caller must then
 * bind local bytes instead. The key's window is judged later, when the publish time is known, by checkRegistrySignature.
 */
export function signedIntegrity(pkg: PackageRef, document: unknown, keys: SignatureKeys): string | null {
  if (!isVersionDocument(document))
    return null;
  const match = /^sha512-([A-Za-z0-9+/]{86}==)$/.exec(document.dist?.integrity ?? ``);
  if (match === null)
    return null;
  const tarballSha512 = Buffer.from(match[1]!, `base64`).toString(`hex`);
  try {
    return checkRegistrySignature({package: pkg, tarballSha512, document, keys}).signature === `verified` ? tarballSha512 : null;
  } catch {
    return null;
  }
}

/**
 * Per version document (the object as parsed, never shared between packages), per key set: what its signatures were
 * last verified over, with every keyid and sig. Anything else about the document, or another key set, verifies again.
 */
const verifiedSignatures = new WeakMap<object, WeakMap<SignatureKeys, string>>();

function remember(document: object, keys: SignatureKeys, checked: string): void {
  let byKeys = verifiedSignatures.get(document);
  if (byKeys === undefined)
    verifiedSignatures.set(document, byKeys = new WeakMap());
  byKeys.set(keys, checked);
}

function verifies(message: Buffer, publicKey: KeyObject, sig: string): boolean {
  try {
    // ECDSA P-256 over SHA-256, the signature DER-encoded (Node's default), as npm signs.
    return verify(`sha256`, message, publicKey, Buffer.from(sig, `base64`));
  } catch {
    return false; // not DER at all
  }
}

/**
 * `_npmUser.trustedPublisher`: npm trusted publishing (OIDC) published it. `_npmUser.approver`: a maintainer
 * approved it through staged publishing (what pnpm reads as its `stagedPublish` evidence); npm documents
 * no other field for it.
 */
function publisherSignals(document: Record<string, unknown>): Pick<RegistryEvidence, `trustedPublisher` | `staged`> {
  const user = document._npmUser;
  const field = (name: string) => typeof user === `object` && user !== null && !Array.isArray(user)
    ? (user as Record<string, unknown>)[name]
    : undefined;
  const present = (value: unknown) => value !== undefined && value !== null && value !== false;
  return {trustedPublisher: present(field(`trustedPublisher`)), staged: present(field(`approver`))};
}

function window(key: {start?: Date, end?: Date}): string {
  return `a key valid from ${key.start?.toISOString() ?? `any time`} to ${key.end?.toISOString() ?? `now`}`;
}

function describe(value: unknown): string {
  return value === null ? `null` : Array.isArray(value) ? `a list` : typeof value === `object` ? `a document whose dist has another shape` : typeof value;
}
