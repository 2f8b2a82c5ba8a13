import {homedir} from 'node:os';
import {isAbsolute, join} from 'node:path';

import type {Configuration} from '@yarnpkg/core';

import {MachineTrust} from '../core/trust/machineTrust';
import type {TrustFiles} from '../core/trust/trustTexts';
import type {TufRepository} from '../core/trust/tufClient';
import {yarnFetcher} from './yarnNetwork';

/**
 * This user's folder for the plugin's machine-local state: `$XDG_CACHE_HOME/yarn-plugin-provenance`.
 * Read from `process.env`, never from `configuration.env`: Yarn fills the latter from `.env.yarn`
 * files, which a repository can commit. A relative XDG_CACHE_HOME is ignored, as the XDG spec says.
 */
export function userCacheFolder(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg !== undefined && isAbsolute(xdg) ? xdg : join(homedir(), `.cache`), `yarn-plugin-provenance`);
}

/** Where TUF metadata and the refreshed trusted root and keys are kept for this user. */
export function trustCacheFolder(): string {
  return join(userCacheFolder(), `trust`);
}

/**
 * The trust a verification run should use, kept current through Yarn's own network: proxies, CA
 * files, `networkSettings`, `enableNetwork`, `httpTimeout` and `httpRetry` apply to the TUF requests
 * as to any download, and `enableOfflineMode` means no request at all. The user's own trust files
 * (`provenanceTrustedRootPath`, `provenanceRegistryKeysPath`) are used as they are.
 *
 * `choice.files` goes wherever TrustFiles went (readTrustTexts, the verification workers);
 * `choice.notes` holds the one line to show when the copy in use is not fresh; `refreshAfterRotation`
 * serves verifyWithTrustRecovery (sources/core/trust/recoverTrust.ts).
 */
export async function openYarnTrust(configuration: Configuration, files: TrustFiles, options: {folder?: string, repository?: TufRepository} = {}): Promise<MachineTrust> {
  const {folder = trustCacheFolder(), repository} = options;
  return MachineTrust.open({
    folder,
    fetcher: yarnFetcher(configuration),
    files: {trustedRootPath: files.trustedRootPath, registryKeysPath: files.registryKeysPath},
    offline: configuration.get(`enableOfflineMode`) === true,
    repository,
  });
}
