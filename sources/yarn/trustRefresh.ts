import {randomUUID} from 'node:crypto';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import type {Configuration} from '@yarnpkg/core';

import {defaultStoreFolder} from '../core/cache/storeFolder';
import {MachineTrust} from '../core/trust/machineTrust';
import type {TrustFiles} from '../core/trust/trustTexts';
import type {TufRepository} from '../core/trust/tufClient';
import {yarnFetcher} from './yarnNetwork';

/** Where TUF metadata and the refreshed trusted root and keys are kept for this user. */
export function trustCacheFolder(): string {
  return join(defaultStoreFolder(), `trust`);
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
export async function openYarnTrust(configuration: Configuration, files: TrustFiles, options: {folder?: string | null, repository?: TufRepository} = {}): Promise<MachineTrust> {
  const {folder = trustCacheFolder(), repository} = options;
  return MachineTrust.open({
    // No usable per-user folder (it would be inside the project): a folder that is never written and
    // holds nothing, and no refresh, so only the embedded copy is used.
    folder: folder ?? join(tmpdir(), `yarn-plugin-provenance-unused-${randomUUID()}`),
    fetcher: yarnFetcher(configuration),
    files: {trustedRootPath: files.trustedRootPath, registryKeysPath: files.registryKeysPath},
    // PROVENANCE_TRUST_REFRESH=off (the user's environment, never the repository's) keeps air-gapped
    // CI and the tests off the public TUF repository: the copy at hand is used, with its note.
    offline: folder === null || configuration.get(`enableOfflineMode`) === true || process.env.PROVENANCE_TRUST_REFRESH === `off`,
    repository,
  });
}
