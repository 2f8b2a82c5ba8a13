/**
 * npm's registry keys as listed in its keys files, free of sigstore-js so that Yarn's main thread can read
 * the registry-signature keys without loading the verifier (registryKeys.ts builds the attestation key finder).
 */
import * as t from 'typanion';

import {ProvenanceError} from '../errors';
import {ATTESTATION_KEY_USAGE} from './trustShape';

/** The key usage npm assigns to the keys that sign `<name>@<version>:<integrity>` (`dist.signatures`). */
export const SIGNATURE_KEY_USAGE = `npm:signatures`;

/** A registry signing key, limited to the window in which it may have signed. */
export type RegistryKey = {
  keyId: string;
  /** DER SubjectPublicKeyInfo. */
  spki: Buffer;
  start?: Date;
  end?: Date;
};

// npm publishes keys in two shapes: the TUF target `registry.npmjs.org/keys.json`, and the registry's
// own `/-/npm/v1/keys` answer. Private registries serve one or the other, so both are accepted.
const isTufKeys = t.isObject({
  keys: t.isArray(t.isObject({
    keyId: t.isString(),
    keyUsage: t.isString(),
    publicKey: t.isObject({
      rawBytes: t.isString(),
      validFor: t.isOptional(t.isObject({
        start: t.isOptional(t.isString()),
        end: t.isOptional(t.isString()),
      }, {extra: t.isUnknown()})),
    }, {extra: t.isUnknown()}),
  }, {extra: t.isUnknown()})),
}, {extra: t.isUnknown()});

const isRegistryKeys = t.isObject({
  keys: t.isArray(t.isObject({
    keyid: t.isString(),
    key: t.isString(),
    expires: t.isOptional(t.isNullable(t.isString())),
  }, {extra: t.isUnknown()})),
}, {extra: t.isUnknown()});


/**
 * The keys of one usage: publish attestations (default) or registry signatures. npm lists the same key
 * once per usage in its TUF keys.json, each with its own validity window.
 */
export function parseRegistryKeys(json: unknown, origin: string, usage: string = ATTESTATION_KEY_USAGE): Array<RegistryKey> {
  if (isTufKeys(json)) {
    return json.keys
      .filter(key => key.keyUsage === usage)
      .map(key => ({
        keyId: key.keyId,
        spki: Buffer.from(key.publicKey.rawBytes, `base64`),
        start: toDate(key.publicKey.validFor?.start, origin),
        end: toDate(key.publicKey.validFor?.end, origin),
      }));
  }

  // The registry's answer has no key usage and no start: every key it lists may sign either.
  if (isRegistryKeys(json)) {
    return json.keys.map(key => ({
      keyId: key.keyid,
      spki: Buffer.from(key.key, `base64`),
      end: toDate(key.expires ?? undefined, origin),
    }));
  }

  throw new ProvenanceError({
    code: `TRUST_MATERIAL_INVALID`,
    message: `${origin} is neither a TUF keys.json ({"keys":[{"keyId","keyUsage","publicKey"}]}) nor a registry /-/npm/v1/keys answer ({"keys":[{"keyid","key"}]})`,
  });
}

/** The registry-signature keys of a keys text (either shape), for registry/registrySignature.ts. */
export function parseSignatureKeys(text: string, origin: string): Array<RegistryKey> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ProvenanceError({code: `TRUST_MATERIAL_INVALID`, message: `${origin} is not valid JSON`, cause});
  }
  return parseRegistryKeys(json, origin, SIGNATURE_KEY_USAGE);
}

function toDate(value: string | undefined, origin: string): Date | undefined {
  if (value === undefined)
    return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new ProvenanceError({code: `TRUST_MATERIAL_INVALID`, message: `${origin} has an invalid key validity date "${value}"`});
  return date;
}
