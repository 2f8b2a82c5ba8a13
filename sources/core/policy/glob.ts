/**
 * Globs over package names, refs, workflow paths and builder ids. `*` crosses `/` (bash rules), so that
 * `@sigstore/*` matches `@sigstore/bundle` and `refs/tags/*` matches `refs/tags/release/1`.
 */
import picomatch from 'picomatch';

const OPTIONS: picomatch.PicomatchOptions = {
  bash: true,
  dot: true,
  // The values are names, not file paths: the same matching on every platform.
  windows: false,
  // A leading `!` is a literal character, never "everything except": a policy lists what it means.
  nonegate: true,
  // An unbalanced bracket is a mistake to report, not a literal to match.
  strictBrackets: true,
};

const matchers = new Map<string, (value: string) => boolean>();

function compile(pattern: string): (value: string) => boolean {
  let matcher = matchers.get(pattern);
  if (!matcher) {
    matcher = picomatch(pattern, OPTIONS);
    matchers.set(pattern, matcher);
  }
  return matcher;
}

/** Throws on a pattern that `globProblem` rejects; policies are validated before they get here. */
export function matchesGlob(pattern: string, value: string): boolean {
  return compile(pattern)(value);
}

export function matchesAnyGlob(patterns: readonly string[], value: string): boolean {
  return patterns.some(pattern => matchesGlob(pattern, value));
}

/** Why a glob is unusable, or `undefined` when it is fine. */
export function globProblem(pattern: string): string | undefined {
  if (pattern.startsWith(`!`))
    return `negated globs are not supported; list what the rule applies to`;
  try {
    compile(pattern);
    return undefined;
  } catch (error) {
    return `is not a valid glob: ${(error as Error).message}`;
  }
}
