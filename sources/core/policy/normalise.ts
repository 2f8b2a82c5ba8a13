/**
 * From validated data to the `Policy` the core reads: defaults applied, one-or-list fields made lists,
 * sources in their normal form. Runs only on data that passed every check.
 */
import type {Segment} from './finding';
import type {SlsaLevel} from '../provenance.types';
import {DEFAULT_CONTINUITY, DEFAULT_SIGNATURES} from './policy.types';
import type {Continuity, Mode, Policy, Requirement, Rule, RunnerRequirement, SignaturesSetting, SourcePosition} from './policy.types';
import {normaliseSource} from './source';

type StringOrList = string | string[];

/** The file's shape once the schema and the semantic checks accepted it. */
export type ValidatedPolicy = {
  version: 1;
  default?: {require?: Requirement, mode?: Mode, level?: SlsaLevel};
  rules?: Array<{
    packages: StringOrList;
    versions?: string;
    source?: StringOrList;
    ref?: StringOrList;
    workflow?: StringOrList;
    builder?: StringOrList;
    runner?: RunnerRequirement;
    issuer?: StringOrList;
    level?: SlsaLevel;
    require?: Requirement;
    mode?: Mode;
    reason?: string;
    expires?: string;
  }>;
  continuity?: Partial<Continuity>;
  signatures?: Partial<SignaturesSetting>;
};

/** YAML 1.1 (or an explicit `!!timestamp`) reads `2027-03-01` as a Date; the contract keeps the text. */
export function withDatesAsStrings(value: unknown): unknown {
  if (value instanceof Date) {
    const iso = Number.isNaN(value.getTime()) ? `invalid date` : value.toISOString();
    // A date at UTC midnight is what the author wrote as YYYY-MM-DD; anything else stays visibly not one.
    return iso.endsWith(`T00:00:00.000Z`) ? iso.slice(0, 10) : iso;
  }
  if (Array.isArray(value))
    return value.map(withDatesAsStrings);
  if (typeof value === `object` && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withDatesAsStrings(item)]));
  return value;
}

function toList(value: StringOrList | undefined): string[] | undefined {
  if (value === undefined)
    return undefined;
  return typeof value === `string` ? [value] : [...value];
}

export function toPolicy(
  data: ValidatedPolicy,
  origin: string,
  positionOf: (path: Segment[]) => SourcePosition | undefined,
): Omit<Policy, `digest`> {
  const level = data.default?.level;
  const defaults = {
    // A level of 1 or more is a statement about provenance: it requires some.
    require: data.default?.require ?? (level !== undefined && level > 0 ? `provenance` : `none`),
    mode: data.default?.mode ?? `enforce`,
    ...(level !== undefined ? {level} : {}),
  };

  const rules = (data.rules ?? []).map((raw, index): Rule => {
    // Naming where the provenance must come from only makes sense if provenance is required.
    const constrainsIdentity = [raw.source, raw.ref, raw.workflow, raw.builder, raw.runner, raw.issuer]
      .some(field => field !== undefined) || (raw.level !== undefined && raw.level > 0);

    return {
      index,
      position: positionOf([`rules`, index]),
      packages: toList(raw.packages)!,
      versions: raw.versions,
      source: toList(raw.source)?.map(normaliseSource),
      ref: toList(raw.ref),
      workflow: toList(raw.workflow),
      builder: toList(raw.builder),
      runner: raw.runner,
      issuer: toList(raw.issuer),
      level: raw.level ?? defaults.level,
      require: raw.require ?? (constrainsIdentity ? `provenance` : defaults.require),
      mode: raw.mode ?? defaults.mode,
      reason: raw.reason,
      expires: raw.expires,
    };
  });

  const continuity = {...DEFAULT_CONTINUITY, ...data.continuity};
  const signatures = {...DEFAULT_SIGNATURES, ...data.signatures};
  return {version: 1, default: defaults, rules, continuity, signatures, origin};
}
