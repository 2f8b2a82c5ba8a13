import {createNodeFetcher} from '../registry/nodeFetcher';
import {MachineTrust} from './machineTrust';
import type {TrustChoice} from './machineTrust';
import {readTrustTexts} from './trustTexts';

export type RefreshedTrust = {
  trustedRoot: string;
  registryKeys: string;
  trustedRootOrigin: string;
  registryKeysOrigin: string;
  source: TrustChoice[`source`];
  /** Why the texts are not a fresh copy (a refresh that failed), for the user. */
  notes: Array<string>;
};

/**
 * The standalone bin's current trust material: this machine's TUF-refreshed copy of the public-good
 * trusted root and npm keys (refreshed when older than a week), over fetch() with a hard time budget.
 * Never fails for want of a network: the copy at hand (cached, or embedded) comes back with a note.
 */
export async function refreshTrust({cachePath, timeoutMs}: {cachePath: string, timeoutMs: number}): Promise<RefreshedTrust> {
  const trust = await MachineTrust.open({folder: cachePath, fetcher: createNodeFetcher({deadlineMs: timeoutMs}), deadlineMs: timeoutMs});
  const {files, source, notes} = trust.choice;
  const {trustedRoot, registryKeys, trustedRootOrigin, registryKeysOrigin} = await readTrustTexts(files);
  return {trustedRoot, registryKeys, trustedRootOrigin, registryKeysOrigin, source, notes};
}
