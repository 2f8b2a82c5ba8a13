/**
 * A problem before it has a position: checks speak in paths into the parsed data, and only
 * `parsePolicy` knows the YAML document that turns a path back into a line and column.
 */

export type Segment = string | number;

export type Finding = {
  /** Where the problem is, e.g. `['rules', 2, 'source']`; rendered as `rules[2].source`. */
  path: Segment[];
  message: string;
  /**
   * Where to point in the file when that is not the value at `path`: an unknown key points at the
   * key itself, a missing key at the mapping that lacks it.
   */
  at?: {path: Segment[], key: boolean};
};

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

export function formatPath(path: Segment[]): string {
  if (path.length === 0)
    return `(root)`;

  let text = ``;
  for (const segment of path) {
    if (typeof segment === `number`)
      text += `[${segment}]`;
    else if (PLAIN_KEY.test(segment))
      text += text === `` ? segment : `.${segment}`;
    else
      text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** How a found value reads in a message: strings quoted, mappings and lists named, not dumped. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined)
    return `nothing`;
  if (Array.isArray(value))
    return `a list`;
  if (typeof value === `object`)
    return `a mapping`;
  if (typeof value === `string`)
    return JSON.stringify(value);
  return String(value);
}

/** A field holding one string or a list of them, as `[path, value]` pairs, skipping wrong types (the schema reports those). */
export function stringsAt(parent: Record<string, unknown>, key: string, base: Segment[]): Array<[Segment[], string]> {
  const value = parent[key];
  if (typeof value === `string`)
    return [[[...base, key], value]];
  if (!Array.isArray(value))
    return [];

  const strings: Array<[Segment[], string]> = [];
  value.forEach((item, index) => {
    if (typeof item === `string`)
      strings.push([[...base, key, index], item]);
  });
  return strings;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === `object` && value !== null && !Array.isArray(value);
}
