import type {Verdict} from '../provenance.types';

/** One entry of yarn.lock: where its key line is, and what it resolves to. */
export type LockfileEntry = {
  /** 1-based line of the entry's key (`"sigstore@npm:2.3.1, sigstore@npm:^2.3.0":`). */
  line: number;
  /** Length of the key line, so that a region can cover exactly the key. */
  keyLength: number;
  /** The package name of `resolution:` (the real package, also for an alias). */
  name: string;
  /** The part of `resolution:` after `<name>@`: `npm:2.3.1`, `patch:…`, `https://…`, `workspace:.`. */
  reference: string;
  version: string | null;
};

/**
 * The entries of a Yarn lockfile (v4+, one key line at column 1, fields indented by two spaces), read line by line
 * so that each keeps its position. A line-based read is enough: Yarn writes the file in one fixed shape.
 */
export function lockfileEntries(text: string): Array<LockfileEntry> {
  const entries: Array<LockfileEntry> = [];
  let current: {line: number, keyLength: number, resolution?: string, version?: string} | null = null;
  const close = () => {
    if (current?.resolution !== undefined) {
      const at = current.resolution.indexOf(`@`, current.resolution.startsWith(`@`) ? 1 : 0);
      if (at > 0) {
        entries.push({
          line: current.line, keyLength: current.keyLength,
          name: current.resolution.slice(0, at), reference: current.resolution.slice(at + 1), version: current.version ?? null,
        });
      }
    }
    current = null;
  };

  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.length === 0 || raw.startsWith(`#`))
      return;
    if (!raw.startsWith(` `)) {
      close();
      if (raw.endsWith(`:`) && !raw.startsWith(`__metadata`))
        current = {line: index + 1, keyLength: raw.length};
      return;
    }
    const field = /^ {2}(resolution|version): (.*)$/.exec(raw);
    if (current !== null && field !== null)
      current[field[1] as `resolution` | `version`] = unquote(field[2]!);
  });
  close();
  return entries;
}

/**
 * The lockfile entry a verdict is about: the one whose resolution is that package and version, from the protocol
 * its status implies (an npm verdict is about the `npm:` entry, not the `patch:` of it). Undefined when none is.
 */
export function entryOf(verdict: Verdict, entries: ReadonlyArray<LockfileEntry>): LockfileEntry | undefined {
  const candidates = entries.filter(entry => entry.name === verdict.package.name && entry.version === verdict.package.version);
  const protocol = PROTOCOL_OF_STATUS[verdict.status];
  const fits = (entry: LockfileEntry) => protocol === null
    ? !KNOWN_PROTOCOLS.some(known => entry.reference.startsWith(known))
    : entry.reference.startsWith(protocol);
  return candidates.find(fits) ?? candidates[0];
}

const KNOWN_PROTOCOLS = [`npm:`, `patch:`, `workspace:`];

/** `null`: any protocol that is not npm, patch or workspace (git, tarball URLs, `file:`, `exec:`, `link:`). */
const PROTOCOL_OF_STATUS: Record<Verdict[`status`], string | null> = {
  verified: `npm:`, missing: `npm:`, violation: `npm:`, invalid: `npm:`, unverifiable: `npm:`,
  unattestable: null, patched: `patch:`, project: `workspace:`,
};

function unquote(value: string): string {
  return value.startsWith(`"`) && value.endsWith(`"`) ? JSON.parse(value) : value;
}
