import * as t from 'typanion';

import {policyDigest} from '../policy/digest';
import type {Policy} from '../policy/policy.types';
import type {VerifiedProvenance} from '../provenance.types';

/**
 * The shapes of what the local store keeps, checked entry by entry when read: a corrupted or
 * hostile entry is treated as absent (the package is checked again), never trusted and never a crash.
 */

const isSha512Hex = t.cascade(t.isString(), t.matchesRegExp(/^[0-9a-f]{128}$/));
const isOptionalString = t.isOptional(t.isString());
const isStrings = t.isArray(t.isString());
const isMode = t.isEnum([`enforce`, `warn`, `off`]);
const isRequirement = t.isEnum([`none`, `provenance`]);

const isRule = t.isObject({
  index: t.isNumber(),
  position: t.isOptional(t.isObject({line: t.isNumber(), column: t.isNumber()})),
  packages: isStrings,
  versions: isOptionalString,
  source: t.isOptional(isStrings),
  ref: t.isOptional(isStrings),
  workflow: t.isOptional(isStrings),
  builder: t.isOptional(isStrings),
  runner: t.isOptional(t.isEnum([`github-hosted`, `gitlab-hosted`, `hosted`, `self-hosted`, `any`])),
  issuer: t.isOptional(isStrings),
  level: t.isOptional(t.isEnum([0, 1, 2, 3])),
  require: isRequirement,
  mode: isMode,
  reason: isOptionalString,
  expires: isOptionalString,
});

const isStoredPolicy = t.isObject({
  version: t.isLiteral(1),
  default: t.isObject({require: isRequirement, mode: isMode, level: t.isOptional(t.isEnum([0, 1, 2, 3]))}),
  rules: t.isArray(isRule),
  continuity: t.isObject({
    provenance: isMode, source: isMode, workflow: isMode, runner: isMode, publisher: isMode, newLine: isMode,
  }),
  signatures: t.isObject({missing: isMode}),
  digest: t.isString(),
  origin: t.isString(),
});

/** A remembered parsed policy, only if it is well-formed and its digest is its own. */
export function validPolicy(value: unknown): Policy | undefined {
  if (!isStoredPolicy(value))
    return undefined;
  const policy = value as Policy;
  return policyDigest(policy) === policy.digest ? policy : undefined;
}

const isIdentity = t.isObject({
  subjectAlternativeName: isOptionalString,
  issuer: isOptionalString,
  sourceRepo: isOptionalString,
  ref: isOptionalString,
  commit: isOptionalString,
  workflowPath: isOptionalString,
  buildSignerUri: isOptionalString,
  buildConfigUri: isOptionalString,
  runnerEnvironment: isOptionalString,
  extensions: t.isRecord(t.isString()),
});

const isClaims = t.isObject({
  predicateType: t.isString(),
  buildType: t.isString(),
  builderId: t.isString(),
  sourceRepo: t.isString(),
  ref: isOptionalString,
  commit: isOptionalString,
  workflowPath: isOptionalString,
  entryPoint: isOptionalString,
  runnerEnvironment: isOptionalString,
});

// What Date.toISOString() writes (typanion's ISO 8601 check refuses its milliseconds).
const isIsoDate = t.cascade(t.isString(), t.matchesRegExp(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/));

/** Evidence as JSON: dates as ISO strings, certificate extensions dropped (`explain` verifies afresh). */
export const isStoredEvidence = t.isObject({
  package: t.isObject({name: t.isString(), version: t.isString()}),
  tarballSha512: isSha512Hex,
  provenance: t.isOptional(t.isObject({claims: isClaims, identity: isIdentity, integratedTime: t.isOptional(isIsoDate), logIndex: t.isOptional(t.isString())})),
  publish: t.isOptional(t.isObject({keyId: t.isString(), integratedTime: t.isOptional(isIsoDate)})),
  slsaLevel: t.isEnum([0, 1, 2, 3]),
  unknownPredicateTypes: isStrings,
  registry: t.isOptional(t.isObject({
    signature: t.isEnum([`verified`, `absent`]),
    keyId: isOptionalString,
    trustedPublisher: t.isBoolean(),
    staged: t.isBoolean(),
  })),
});

export type StoredEvidence = t.InferType<typeof isStoredEvidence>;

/** Remembered evidence, only if well-formed and about exactly the package and bytes its key names. */
export function validEvidence(value: unknown, expected: {name: string, version: string, tarballSha512: string}): VerifiedProvenance | undefined {
  if (!isStoredEvidence(value))
    return undefined;
  if (value.package.name !== expected.name || value.package.version !== expected.version || value.tarballSha512 !== expected.tarballSha512)
    return undefined;
  const date = (text?: string) => text === undefined ? undefined : new Date(text);
  const {provenance, publish, ...rest} = value;
  return {
    ...rest,
    ...(provenance ? {provenance: {...provenance, integratedTime: date(provenance.integratedTime)}} : {}),
    ...(publish ? {publish: {...publish, integratedTime: date(publish.integratedTime)}} : {}),
  } as VerifiedProvenance;
}

export function toStoredEvidence(evidence: VerifiedProvenance): StoredEvidence {
  const stored = JSON.parse(JSON.stringify(evidence)) as StoredEvidence;
  if (stored.provenance)
    stored.provenance.identity.extensions = {};
  return stored;
}

export function validBinding(value: unknown): string | undefined {
  return isSha512Hex(value) ? value : undefined;
}

/** What an install that passed printed, to say it again when nothing changed. */
export const isPassedInstall = t.isObject({
  at: t.isString(),
  summary: t.isString(),
  warnings: isStrings,
  /** The digest of the lockfile-level inputs, to decide before the fetch whether to verify eagerly. */
  preKey: t.isString(),
});

export type PassedInstall = t.InferType<typeof isPassedInstall>;

export function validPassedInstall(value: unknown): PassedInstall | undefined {
  return isPassedInstall(value) ? value : undefined;
}

/** The packages an install blocked, kept so that `audit` and `explain` can show them afterwards. */
export const isBlockedInstall = t.isObject({
  at: t.isString(),
  packages: t.isArray(t.isObject({
    name: t.isString(), version: t.isString(), code: t.isString(), lines: isStrings,
    // The package's JSON record as the gate judged it, for `explain --json`: shown, never decided on.
    record: t.isOptional(t.isObject({type: t.isLiteral(`package`)}, {extra: t.isUnknown()})),
  })),
});

export type BlockedInstall = t.InferType<typeof isBlockedInstall>;

export function validBlockedInstall(value: unknown): BlockedInstall | undefined {
  return isBlockedInstall(value) ? value : undefined;
}

/** A day as `YYYY-MM-DD` (when installs of a project last announced expiring exceptions). */
export function validDay(value: unknown): string | undefined {
  return typeof value === `string` && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
}
