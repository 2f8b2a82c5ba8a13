/**
 * Shape validation with the published JSON Schema (the one editors use through yaml-language-server),
 * and ajv's errors turned into sentences a policy author can act on.
 */
import Ajv from 'ajv';
import type {ErrorObject, SchemaObject, ValidateFunction} from 'ajv';

import policySchema from '../../../policies/policy.schema.json';

import {describeValue, type Finding, type Segment} from './finding';
import {closest} from './suggest';

let validator: ValidateFunction | undefined;

/** Compiled on first use: ajv generates code with `new Function`, which is slow and needed only once. */
function getValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({allErrors: true, verbose: true, strict: true, allowUnionTypes: true});
    // Editor annotation (VS Code, yaml-language-server); we read it back to word pattern errors.
    ajv.addVocabulary([`patternErrorMessage`]);
    validator = ajv.compile(policySchema as SchemaObject);
  }
  return validator;
}

function pathOf(instancePath: string): Segment[] {
  if (instancePath === ``)
    return [];
  return instancePath.slice(1).split(`/`).map(raw => {
    const segment = raw.replace(/~1/g, `/`).replace(/~0/g, `~`);
    return /^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment;
  });
}

const TYPE_NAMES: Record<string, string> = {
  string: `a string`,
  array: `a list`,
  object: `a mapping`,
  integer: `an integer`,
  number: `a number`,
  boolean: `true or false`,
  null: `empty`,
};

function expectedType(type: unknown): string {
  const types = Array.isArray(type) ? type.map(String) : String(type).split(`,`);
  if (types.length === 2 && types.includes(`string`) && types.includes(`array`))
    return `a string or a list of strings`;
  return types.map(name => TYPE_NAMES[name] ?? name).join(` or `);
}

function suggestion(found: unknown, candidates: readonly string[]): string {
  const match = typeof found === `string` ? closest(found, candidates) : undefined;
  return match === undefined ? `` : ` (did you mean "${match}"?)`;
}

function toFinding(error: ErrorObject): Finding {
  const path = pathOf(error.instancePath);
  const found = `found ${describeValue(error.data)}`;
  const params = error.params as Record<string, unknown>;

  switch (error.keyword) {
    case `additionalProperties`: {
      const key = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema?.properties ?? {}) as object);
      const hint = suggestion(key, known) || ` (expected one of: ${known.join(`, `)})`;
      return {path: [...path, key], message: `unknown key "${key}"${hint}`, at: {path: [...path, key], key: true}};
    }
    case `required`:
      return {path: [...path, String(params.missingProperty)], message: `is required`, at: {path, key: false}};
    case `dependencies`:
      return {
        path: [...path, String(params.missingProperty)],
        message: `is required when "${String(params.property)}" is set`,
        at: {path: [...path, String(params.property)], key: true},
      };
    case `type`:
      return {path, message: `must be ${expectedType(params.type)} (${found})`};
    case `enum`: {
      const allowed = (error.schema as unknown[]).map(String);
      // YAML 1.1 reads unquoted off/no/yes as booleans: say so, since it is baffling otherwise.
      const quote = typeof error.data === `boolean` ? `; quote the value` : ``;
      return {path, message: `must be one of: ${allowed.join(`, `)} (${found}${quote})${suggestion(error.data, allowed)}`};
    }
    case `const`:
      return {path, message: `must be ${JSON.stringify(error.schema)} (${found})`};
    case `minItems`:
      return {path, message: `must not be an empty list`};
    case `minLength`:
      return {path, message: `must not be empty`};
    case `pattern`: {
      const custom = error.parentSchema?.patternErrorMessage;
      return {path, message: `${typeof custom === `string` ? custom : `must match ${String(error.schema)}`} (${found})`};
    }
    default:
      return {path, message: error.message ?? `is invalid`};
  }
}

/** Every shape problem in `data`, in one pass. */
export function checkShape(data: unknown): Finding[] {
  const validate = getValidator();
  if (validate(data))
    return [];
  const errors = validate.errors ?? [];
  // `mode: false` fails both `type` and `enum`; the enum's message (with the allowed values) says it all.
  const enumerated = new Set(errors.filter(error => error.keyword === `enum` || error.keyword === `const`).map(error => error.instancePath));
  return errors
    .filter(error => error.keyword !== `type` || !enumerated.has(error.instancePath))
    .map(toFinding);
}
