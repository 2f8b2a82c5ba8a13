import * as t from 'typanion';

import {ProvenanceError} from '../errors';
import {PROVENANCE_PREDICATE_TYPES, PUBLISH_PREDICATE_TYPE} from '../provenance.types';
import type {AttestationEntry, AttestationSet} from '../provenance.types';

/**
 * Real answers are 10–40 KB (two bundles with a certificate each). Anything far larger is refused
 * before JSON.parse, so a hostile registry cannot make every install parse megabytes per package.
 */
export const MAX_ATTESTATIONS_BYTES = 1024 * 1024;
const MAX_ENTRIES = 16;

const isResponse = t.isObject({
  attestations: t.isArray(t.isObject({
    predicateType: t.isString(),
    bundle: t.isObject({}, {extra: t.isUnknown()}),
  }, {extra: t.isUnknown()}), {}),
}, {extra: t.isUnknown()});

/**
 * Turns the body of `GET /-/npm/v1/attestations/<name>@<version>` into an AttestationSet.
 * Nothing here is trusted yet: this only checks the shape, so that later steps can assume it.
 */
export function parseAttestations(body: string | Uint8Array): AttestationSet {
  const size = typeof body === `string` ? Buffer.byteLength(body) : body.byteLength;
  if (size > MAX_ATTESTATIONS_BYTES) {
    throw new ProvenanceError({
      code: `ATTESTATIONS_TOO_LARGE`,
      message: `The attestations answer is ${size} bytes, over the ${MAX_ATTESTATIONS_BYTES}-byte limit`,
    });
  }

  let json: unknown;
  try {
    json = JSON.parse(typeof body === `string` ? body : Buffer.from(body).toString(`utf8`));
  } catch (cause) {
    throw new ProvenanceError({
      code: `ATTESTATIONS_MALFORMED`,
      message: `The attestations answer is not valid JSON (${(cause as Error).message})`,
      cause,
    });
  }

  return toAttestationSet(json);
}

export function toAttestationSet(json: unknown): AttestationSet {
  const errors: Array<string> = [];
  if (!isResponse(json, {errors})) {
    throw new ProvenanceError({
      code: `ATTESTATIONS_MALFORMED`,
      message: `The attestations answer does not have the registry's shape: ${errors.join(`; `)}`,
    });
  }

  if (json.attestations.length > MAX_ENTRIES) {
    throw new ProvenanceError({
      code: `ATTESTATIONS_MALFORMED`,
      message: `The attestations answer lists ${json.attestations.length} entries; at most ${MAX_ENTRIES} are accepted`,
    });
  }

  const set: AttestationSet = {unknownPredicateTypes: []};
  for (const entry of json.attestations) {
    const slot = slotOf(entry.predicateType);
    if (slot === null) {
      set.unknownPredicateTypes.push(entry.predicateType);
      continue;
    }

    // Two provenance entries would let a registry show one to us and another to someone else.
    if (set[slot] !== undefined) {
      throw new ProvenanceError({
        code: `ATTESTATIONS_MALFORMED`,
        message: `The attestations answer holds more than one ${slot} attestation`,
      });
    }

    set[slot] = {predicateType: entry.predicateType, bundle: entry.bundle} satisfies AttestationEntry;
  }

  return set;
}

function slotOf(predicateType: string): `provenance` | `publish` | null {
  if ((PROVENANCE_PREDICATE_TYPES as ReadonlyArray<string>).includes(predicateType))
    return `provenance`;
  if (predicateType === PUBLISH_PREDICATE_TYPE)
    return `publish`;
  return null;
}
