import {initTUF} from '@sigstore/tuf';

import {NPM_KEYS_TARGET, TRUSTED_ROOT_TARGET} from './embedded';

export type RefreshedTrust = {
  trustedRoot: string;
  registryKeys: string;
};

/**
 * Asks the public-good TUF repository for current trust material. Optional by design: callers fall
 * back to the embedded copy when this fails, so verification never depends on reaching the network.
 * The TUF client has its own HTTP stack (no proxy settings), hence the hard time budget.
 */
export async function refreshTrust({cachePath, timeoutMs}: {cachePath: string, timeoutMs: number}): Promise<RefreshedTrust> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the TUF repository within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });

  try {
    return await Promise.race([deadline, (async () => {
      const tuf = await initTUF({cachePath, retry: false, timeout: timeoutMs});
      const [trustedRoot, registryKeys] = await Promise.all([
        tuf.getTarget(TRUSTED_ROOT_TARGET),
        tuf.getTarget(NPM_KEYS_TARGET),
      ]);
      return {trustedRoot, registryKeys};
    })()]);
  } finally {
    clearTimeout(timer);
  }
}
