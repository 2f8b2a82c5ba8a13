import {readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {dirname, join} from 'node:path';

import {ProvenanceError} from '../core/errors';
import {DEFAULT_REGISTRY} from '../core/registry/registryUrls';
import {parseIni} from './iniFile';

/**
 * The options npm hands `npm-registry-fetch`, in its flat spelling: `registry`, `@scope:registry` and the
 * `//host/path/:_authToken`-style credentials keep their `.npmrc` keys (npm-registry-fetch scopes each
 * credential to its host and path itself); the network settings are renamed as npm flattens them.
 */
export type RegistryFetchOptions = Record<string, unknown>;

export type NpmConfig = {
  /** The registry for a package: `@scope:registry=` for its scope, else `registry=`, else npm's. */
  registryFor: (name: string) => string;
  /** What npm would pass npm-registry-fetch for this configuration. */
  fetchOptions: RegistryFetchOptions;
  /** Where each value came from, for messages. */
  files: Array<string>;
};

/** Network settings of `.npmrc`, under the names npm-registry-fetch reads. */
const RENAMED = {
  [`proxy`]: `proxy`,
  [`https-proxy`]: `httpsProxy`,
  [`noproxy`]: `noProxy`,
  [`cert`]: `cert`,
  [`key`]: `key`,
  [`user-agent`]: `userAgent`,
} as const;
const BOOLEANS = {[`strict-ssl`]: `strictSSL`, [`offline`]: `offline`, [`prefer-offline`]: `preferOffline`, [`prefer-online`]: `preferOnline`} as const;
/** npm's own defaults where npm-registry-fetch's differ or are missing (its retries would be 10 without one). */
const NUMBERS = {
  [`fetch-retries`]: [`fetchRetries`, 2],
  [`fetch-retry-factor`]: [`fetchRetryFactor`, 10],
  [`fetch-retry-mintimeout`]: [`fetchRetryMintimeout`, 10_000],
  [`fetch-retry-maxtimeout`]: [`fetchRetryMaxtimeout`, 60_000],
  // npm waits 5 minutes; a check before an install gives up sooner, and says the registry did not answer.
  [`fetch-timeout`]: [`timeout`, 30_000],
  [`maxsockets`]: [`maxSockets`, 16],
} as const;

/**
 * The configuration npm and pnpm would use: `.npmrc` beside the lockfile over the user's (`$NPM_CONFIG_USERCONFIG`,
 * else `~/.npmrc`) over the global one (`$NPM_CONFIG_GLOBALCONFIG`, else `<prefix>/etc/npmrc`), and `npm_config_*`
 * from the environment over all three, as npm orders them; `${VAR}` is expanded
 * as npm does. Only what fetching attestations needs is read: registries, credentials, proxies, TLS, offline,
 * retries, and npm's cache folder (read by `offline`).
 */
export function readNpmConfig(projectRoot: string, env: NodeJS.ProcessEnv = process.env): NpmConfig {
  const globalFile = env.NPM_CONFIG_GLOBALCONFIG ?? env.npm_config_globalconfig ?? defaultGlobalConfig(env);
  const userFile = env.NPM_CONFIG_USERCONFIG ?? env.npm_config_userconfig ?? join(homedir(), `.npmrc`);
  const values = new Map<string, string | Array<string>>();
  const read: Array<string> = [];
  for (const file of [globalFile, userFile, join(projectRoot, `.npmrc`)]) {
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
  for (const [name, value] of Object.entries(env)) {
    // npm's spelling: `npm_config_https_proxy` is `https-proxy`, `NPM_CONFIG_STRICT_SSL` is `strict-ssl`.
    if (/^npm_config_/i.test(name) && value !== undefined && value !== ``)
      values.set(name.slice(`npm_config_`.length).replace(/(?!^)_/g, `-`).toLowerCase(), value);
  }

  const single = (key: string) => {
    const value = values.get(key);
    return Array.isArray(value) ? value[value.length - 1] : value;
  };
  const fallback = trimSlash(single(`registry`) ?? DEFAULT_REGISTRY);
  return {
    files: read,
    fetchOptions: toFetchOptions(values, single, fallback),
    registryFor: name => {
      const scope = /^(@[^/]+)\//.exec(name)?.[1];
      return trimSlash((scope !== undefined ? single(`${scope}:registry`) : undefined) ?? fallback);
    },
  };
}

function toFetchOptions(values: Map<string, string | Array<string>>, single: (key: string) => string | undefined, registry: string): RegistryFetchOptions {
  const options: RegistryFetchOptions = {registry: `${registry}/`};
  for (const [key, value] of values) {
    // Scoped registries and per-registry credentials, under their own keys, as npm passes them.
    if (/^@[^:]+:registry$/.test(key) || key.startsWith(`//`))
      options[key] = value;
  }
  for (const [key, name] of Object.entries(RENAMED)) {
    const value = single(key);
    if (value !== undefined && value !== ``)
      options[name] = value;
  }
  for (const [key, name] of Object.entries(BOOLEANS)) {
    const value = single(key);
    if (value !== undefined)
      options[name] = value !== `false` && value !== ``;
  }
  for (const [key, [name, fallback]] of Object.entries(NUMBERS)) {
    const value = Number(single(key) ?? fallback);
    options[name] = Number.isFinite(value) && value >= 0 ? value : fallback;
  }
  const ca = [...toArray(values.get(`ca`)), ...certificatesIn(single(`cafile`))];
  if (ca.length > 0)
    options.ca = ca;
  // npm keeps its HTTP cache in `<cache>/_cacache`. It is only read, by `offline` (which answers from it alone):
  // verified evidence is remembered in the check's own store, and writing each answer there too would cost the
  // main thread more than fetching it (cacache's files for 1,000 packages).
  if (options.offline === true)
    options.cache = join(single(`cache`) ?? defaultNpmCache(), `_cacache`);
  return options;
}

/** A `cafile` holds one or more PEM certificates; npm hands them over one by one, as `ca`. */
function certificatesIn(file: string | undefined): Array<string> {
  if (file === undefined || file === ``)
    return [];
  let text: string;
  try {
    text = readFileSync(file, `utf8`);
  } catch (cause) {
    throw new ProvenanceError({code: `INPUT_UNREADABLE`, message: `The cafile ${file} named in .npmrc cannot be read (${(cause as Error).message})`, cause});
  }
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** npm's global config file: `<prefix>/etc/npmrc`, the prefix being `$PREFIX` or the folder above Node's `bin`. */
function defaultGlobalConfig(env: NodeJS.ProcessEnv): string {
  const prefix = env.npm_config_prefix ?? env.PREFIX ?? (process.platform === `win32` ? dirname(process.execPath) : dirname(dirname(process.execPath)));
  return join(prefix, `etc`, `npmrc`);
}

function defaultNpmCache(): string {
  return process.platform === `win32` && process.env.LOCALAPPDATA !== undefined
    ? join(process.env.LOCALAPPDATA, `npm-cache`)
    : join(homedir(), `.npm`);
}

function toArray(value: string | Array<string> | undefined): Array<string> {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, ``);
}
