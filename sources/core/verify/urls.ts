/**
 * Repository URLs appear in four spellings across certificates and predicates
 * (`https://github.com/o/r`, `git+https://github.com/o/r@refs/…`, `github.com/o/r`, `o/r`).
 * Everything is compared in one form: `https://host/path` without `.git` or a trailing slash.
 */
export function normalizeRepoUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === ``)
    return undefined;

  let url = value.trim().replace(/^git\+/, ``);
  if (!/^[a-z]+:\/\//i.test(url))
    url = `https://${url}`;

  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }

  const path = parsed.pathname.replace(/\/+$/, ``).replace(/\.git$/, ``);
  return `${parsed.protocol}//${parsed.host.toLowerCase()}${path}`;
}

/** `git+https://github.com/o/r@refs/tags/v1` → repository and ref. */
export function splitGitUri(value: string): {repo?: string, ref?: string} {
  const withoutScheme = value.replace(/^git\+/, ``);
  const at = withoutScheme.indexOf(`@`, withoutScheme.indexOf(`://`) + 3);
  if (at === -1)
    return {repo: normalizeRepoUrl(withoutScheme)};
  return {repo: normalizeRepoUrl(withoutScheme.slice(0, at)), ref: withoutScheme.slice(at + 1) || undefined};
}

/**
 * `https://github.com/o/r/.github/workflows/x.yml@refs/heads/main` → path and ref, when the URI lies
 * inside `repo`. GitLab writes `https://gitlab.com/g/p//.gitlab-ci.yml@…`, hence the leading slashes.
 */
export function splitWorkflowUri(uri: string, repo: string): {path: string, ref?: string} | undefined {
  const prefix = `${repo}/`;
  if (!uri.toLowerCase().startsWith(prefix.toLowerCase()))
    return undefined;

  const rest = uri.slice(prefix.length).replace(/^\/+/, ``);
  const at = rest.lastIndexOf(`@`);
  return at === -1 ? {path: rest} : {path: rest.slice(0, at), ref: rest.slice(at + 1)};
}

export function sameRepo(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}
