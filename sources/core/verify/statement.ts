import * as t from 'typanion';

import {mismatch, ProvenanceError} from '../errors';
import type {PackageRef} from '../provenance.types';

const IN_TOTO_STATEMENT_TYPES = [`https://in-toto.io/Statement/v0.1`, `https://in-toto.io/Statement/v1`];

const isStatement = t.isObject({
  _type: t.isEnum(IN_TOTO_STATEMENT_TYPES),
  predicateType: t.isString(),
  subject: t.isArray(t.isObject({
    name: t.isString(),
    digest: t.isDict(t.isString()),
  }, {extra: t.isUnknown()}), {}),
  predicate: t.isOptional(t.isUnknown()),
}, {extra: t.isUnknown()});

export type Statement = t.InferType<typeof isStatement>;

/** Decodes the in-toto statement of a DSSE payload whose signature has been verified. */
export function toStatement(payload: Buffer): Statement {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString(`utf8`));
  } catch (cause) {
    throw new ProvenanceError({code: `STATEMENT_MALFORMED`, message: `The signed payload is not JSON`, cause});
  }

  const errors: Array<string> = [];
  if (!isStatement(json, {errors}))
    throw new ProvenanceError({code: `STATEMENT_MALFORMED`, message: `The signed payload is not an in-toto statement: ${errors.join(`; `)}`});

  return json;
}

/** npm's package URL: `pkg:npm/%40scope/name@1.2.3`. */
export function toPurl(pkg: PackageRef): string {
  return `pkg:npm/${pkg.name.replace(/^@/, `%40`)}@${pkg.version}`;
}

/**
 * Binds the statement to the package being installed: its only subject must name this package and
 * version, and carry the sha512 of exactly the tarball bytes in hand.
 */
export function checkSubject(statement: Statement, pkg: PackageRef, tarballSha512: string): void {
  // npm writes exactly one subject; more would leave open which one the signer meant.
  if (statement.subject.length !== 1)
    throw new ProvenanceError({code: `STATEMENT_MALFORMED`, message: `The statement has ${statement.subject.length} subjects; npm attestations have exactly one`});

  const [subject] = statement.subject as [Statement[`subject`][number]];
  const expected = toPurl(pkg);
  if (!samePurl(subject.name, expected))
    throw mismatch(`SUBJECT_NAME_MISMATCH`, `The attestation is for another package`, expected, subject.name);

  // Expected: what the signer attested; found: the bytes in hand.
  const digest = subject.digest.sha512?.toLowerCase();
  if (digest !== tarballSha512.toLowerCase())
    throw mismatch(`SUBJECT_DIGEST_MISMATCH`, `The tarball is not the one that was attested (sha512)`, digest ?? `(no sha512 in the attestation)`, tarballSha512);
}

// `%40scope` and `@scope` name the same package; anything else must match byte for byte.
function samePurl(found: string, expected: string): boolean {
  return found === expected || found.replace(/^pkg:npm\/@/, `pkg:npm/%40`) === expected;
}
