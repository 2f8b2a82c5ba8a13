/**
 * Source repositories as the policy names them: `github.com/owner/repo`, `https://` optional.
 * One normal form for both the policy and the certificate, so that comparison is per segment and
 * `github.com/a/b` can never be satisfied by `github.com/a/b-evil` or `github.com/a/b/c`.
 */

/** Hosts that treat owner and repository names case-insensitively, so the policy must too. */
const CASE_INSENSITIVE_HOSTS: ReadonlySet<string> = new Set([`github.com`, `gitlab.com`]);

const SEGMENT = /^[A-Za-z0-9._~-]+$/;
const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$/;

/** Strips `https://`, trailing `/` and `.git`; lowercases the host. Nothing else: the rest is compared. */
export function normaliseSource(source: string): string {
  const bare = source.replace(/^https:\/\//i, ``).replace(/\/+$/, ``).replace(/\.git$/, ``);
  const slash = bare.indexOf(`/`);
  return slash < 0
    ? bare.toLowerCase()
    : bare.slice(0, slash).toLowerCase() + bare.slice(slash);
}

/** Why a policy `source` is unusable, or `undefined` when it is fine. */
export function sourceProblem(source: string): string | undefined {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(source);
  if (scheme && scheme[1]!.toLowerCase() !== `https`)
    return `only https:// is allowed as a scheme (found "${scheme[1]}://")`;
  if (/[?#]/.test(source))
    return `must not have a query or fragment`;
  if (/\s/.test(source))
    return `must not contain whitespace`;

  const [host = ``, ...path] = normaliseSource(source).split(`/`);
  if (host.includes(`@`))
    return `must not contain credentials`;
  if (!HOST.test(host))
    return `must start with a host name, e.g. github.com/owner/repo (found host "${host}")`;
  if (path.length < 2)
    return `must name at least host/owner/repo, e.g. github.com/sigstore/sigstore-js`;
  for (const segment of path) {
    if (segment === `*`)
      continue;
    if (segment.includes(`*`))
      return `a wildcard must be a whole path segment (found "${segment}")`;
    if (segment === `.` || segment === `..` || !SEGMENT.test(segment))
      return `path segment "${segment}" is not a repository or owner name`;
  }
  return undefined;
}

/**
 * Whether a repository URL (`https://github.com/a/b` or `github.com/a/b`) is one the pattern names.
 * Exact per segment, same number of segments; a pattern segment `*` stands for one whole segment.
 */
export function repoMatches(pattern: string, repoUrl: string): boolean {
  const expected = normaliseSource(pattern).split(`/`);
  const actual = normaliseSource(repoUrl).split(`/`);
  if (expected.length !== actual.length || expected.length < 3)
    return false;

  const host = actual[0]!;
  if (expected[0] !== host)
    return false;

  const foldCase = CASE_INSENSITIVE_HOSTS.has(host);
  return expected.every((segment, index) => {
    if (index === 0)
      return true;
    const found = actual[index]!;
    // A wildcard still requires a real name: never an empty segment, `..`, or a smuggled `?query`.
    if (segment === `*`)
      return SEGMENT.test(found) && found !== `.` && found !== `..`;
    return foldCase ? segment.toLowerCase() === found.toLowerCase() : segment === found;
  });
}
