import {readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';

import {DEFAULT_REGISTRY} from '../core/registry/registryUrls';

export type NpmConfig = {
  /** The registry for a package: `@scope:registry=` for its scope, else `registry=`, else npm's. */
  registryFor: (name: string) => string;
  /**
   * The `Authorization` header for a URL: the `//host[:port]/path/:_authToken=` whose path is the longest
   * prefix of the URL's, as npm scopes credentials; never sent to any other host.
   */
  authorizationFor: (url: string) => string | undefined;
  /** Where each value came from, for messages. */
  files: Array<string>;
};

/**
 * The registries npm and pnpm would use: `.npmrc` beside the lockfile over the user's (`$NPM_CONFIG_USERCONFIG`,
 * else `~/.npmrc`), and `npm_config_registry` from the environment over both, as npm orders them. Only the
 * registry keys are read; `${VAR}` is expanded as npm does.
 */
export function readNpmConfig(projectRoot: string, env: NodeJS.ProcessEnv = process.env): NpmConfig {
  const userFile = env.NPM_CONFIG_USERCONFIG ?? env.npm_config_userconfig ?? join(homedir(), `.npmrc`);
  const files = [userFile, join(projectRoot, `.npmrc`)];
  const values = new Map<string, string>();
  const read: Array<string> = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, `utf8`);
    } catch {
      continue;
    }
    read.push(file);
    for (const [key, value] of parseIni(text, env))
      values.set(key, value);
  }
  const fromEnv = env.npm_config_registry ?? env.NPM_CONFIG_REGISTRY;
  if (fromEnv)
    values.set(`registry`, fromEnv);

  const fallback = values.get(`registry`) ?? DEFAULT_REGISTRY;
  const tokens = [...values].flatMap(([key, value]) => /^\/\/.+\/:_authToken$/.test(key) ? [[key.slice(0, -`:_authToken`.length), value] as const] : [])
    .sort(([a], [b]) => b.length - a.length);
  return {
    files: read,
    authorizationFor: url => {
      const parsed = URL.canParse(url) ? new URL(url) : null;
      const nerfed = parsed === null ? `` : `//${parsed.host}${parsed.pathname}`;
      const token = tokens.find(([prefix]) => nerfed.startsWith(prefix.endsWith(`/`) ? prefix : `${prefix}/`));
      return token !== undefined ? `Bearer ${token[1]}` : undefined;
    },
    registryFor: name => {
      const scope = /^(@[^/]+)\//.exec(name)?.[1];
      return trimSlash((scope !== undefined ? values.get(`${scope}:registry`) : undefined) ?? fallback);
    },
  };
}

function parseIni(text: string, env: NodeJS.ProcessEnv): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === `` || trimmed.startsWith(`;`) || trimmed.startsWith(`#`))
      continue;
    const equals = trimmed.indexOf(`=`);
    if (equals === -1)
      continue;
    const key = trimmed.slice(0, equals).trim();
    const value = unquote(trimmed.slice(equals + 1).trim()).replace(/\$\{([^}]+)\}/g, (_, name: string) => env[name] ?? ``);
    pairs.push([key, value]);
  }
  return pairs;
}

function unquote(value: string): string {
  return /^".*"$/.test(value) || /^'.*'$/.test(value) ? value.slice(1, -1) : value;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, ``);
}
