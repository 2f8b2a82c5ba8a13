import {createHash} from 'node:crypto';
import {readFile} from 'node:fs/promises';

import {ProvenanceError} from '../errors';
import {embeddedRegistryKeys, embeddedTrustedRoot} from './embedded';

/**
 * Where the trust material comes from, as text, and its digest. Kept apart from building the
 * sigstore-js trust material so that a process that only needs the digest (Yarn's main thread, to
 * look up remembered evidence) never loads the verifier.
 */
export type TrustTexts = {
  trustedRoot: string;
  registryKeys: string;
  trustedRootOrigin: string;
  registryKeysOrigin: string;
  custom: boolean;
};

export type TrustFiles = {
  /** A trusted_root.json for a private Sigstore deployment. */
  trustedRootPath?: string;
  /** Registry attestation keys (TUF keys.json or a registry's /-/npm/v1/keys answer). */
  registryKeysPath?: string;
  /** The paths are this machine's TUF-refreshed copy of the public-good material, not the user's own files. */
  refreshed?: boolean;
};

export async function readTrustTexts(files: TrustFiles): Promise<TrustTexts> {
  return {
    trustedRoot: files.trustedRootPath !== undefined ? await readTrustFile(files.trustedRootPath) : embeddedTrustedRoot(),
    registryKeys: files.registryKeysPath !== undefined ? await readTrustFile(files.registryKeysPath) : embeddedRegistryKeys(),
    trustedRootOrigin: origin(files.trustedRootPath, files.refreshed, `trusted root`),
    registryKeysOrigin: origin(files.registryKeysPath, files.refreshed, `npm registry keys`),
    custom: !files.refreshed && (files.trustedRootPath !== undefined || files.registryKeysPath !== undefined),
  };
}

/** Part of every evidence key: evidence established under other trust is not reused. */
export function trustDigest(texts: {trustedRoot: string, registryKeys: string}): string {
  return createHash(`sha256`).update(texts.trustedRoot).update(`\0`).update(texts.registryKeys).digest(`hex`);
}

function origin(path: string | undefined, refreshed: boolean | undefined, what: string): string {
  if (path === undefined)
    return `the embedded ${what}`;
  return refreshed ? `the refreshed ${what} (${path})` : path;
}

async function readTrustFile(path: string): Promise<string> {
  try {
    return await readFile(path, `utf8`);
  } catch (cause) {
    throw new ProvenanceError({code: `INPUT_UNREADABLE`, message: `Cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, cause});
  }
}
