import {TrustedRoot} from '@sigstore/protobuf-specs';
import {toTrustMaterial} from '@sigstore/verify';
import type {TrustMaterial} from '@sigstore/verify';

import {ProvenanceError} from '../errors';
import type {RefreshedTrust} from './refresh';
import {toSignatureKeys} from '../registry/registrySignature';
import type {SignatureKeys} from '../registry/registrySignature';
import {parseRegistryKeys, SIGNATURE_KEY_USAGE, toKeyFinder} from './registryKeys';
import {trustedRootProblems} from './trustShape';
import {readTrustTexts, trustDigest} from './trustTexts';
import type {TrustFiles} from './trustTexts';

/** Trust material built once per run and shared by every verification. */
export type Trust = {
  material: TrustMaterial;
  /** The registry's `npm:signatures` keys (`dist.signatures`), from the same keys file. */
  signatureKeys: SignatureKeys;
  /** sha256 of the trusted root and keys as used; part of every verdict cache key. */
  digest: string;
  source: `embedded` | `refreshed` | `custom`;
  /** Human notes, e.g. why a refresh was not used. */
  notes: Array<string>;
};

export type TrustOptions = TrustFiles & {
  /**
   * Tries current trust material first (the CLI passes `refreshTrust` from ./refresh, kept out of
   * this module so that the plugin and its workers do not bundle a TUF client); falls back to the
   * embedded copy on any failure. Ignored when files are given.
   */
  refresh?: () => Promise<RefreshedTrust>;
};

export async function loadTrust(options: TrustOptions = {}): Promise<Trust> {
  const notes: Array<string> = [];
  const texts = await readTrustTexts(options);
  let source: Trust[`source`] = texts.custom ? `custom` : options.refreshed ? `refreshed` : `embedded`;

  if (source === `embedded` && options.refresh) {
    try {
      const {source: refreshedSource, notes: refreshNotes, ...refreshed} = await options.refresh();
      Object.assign(texts, refreshed);
      source = refreshedSource === `embedded` ? `embedded` : `refreshed`;
      notes.push(...refreshNotes);
    } catch (error) {
      notes.push(`Using the trust material embedded in this build (TUF refresh failed: ${(error as Error).message})`);
    }
  }

  return toTrust({...texts, source, notes});
}

export function toTrust({trustedRoot, registryKeys, trustedRootOrigin, registryKeysOrigin, source, notes = []}: {
  trustedRoot: string;
  registryKeys: string;
  trustedRootOrigin: string;
  registryKeysOrigin: string;
  source: Trust[`source`];
  notes?: Array<string>;
}): Trust {
  const rootJson = parseJson(trustedRoot, trustedRootOrigin);
  assertTrustedRootShape(rootJson, trustedRootOrigin);

  let root: TrustedRoot;
  let material: TrustMaterial;
  let signatureKeys: SignatureKeys;
  try {
    root = TrustedRoot.fromJSON(rootJson);
    const keysJson = parseJson(registryKeys, registryKeysOrigin);
    const keyFinder = toKeyFinder(parseRegistryKeys(keysJson, registryKeysOrigin), registryKeysOrigin);
    signatureKeys = toSignatureKeys(parseRegistryKeys(keysJson, registryKeysOrigin, SIGNATURE_KEY_USAGE), registryKeysOrigin);
    material = toTrustMaterial(root, keyFinder);
  } catch (cause) {
    if (cause instanceof ProvenanceError)
      throw cause;
    throw new ProvenanceError({code: `TRUST_MATERIAL_INVALID`, message: `${trustedRootOrigin} cannot be used as a Sigstore trusted root: ${(cause as Error).message}`, cause});
  }

  return {material, signatureKeys, digest: trustDigest({trustedRoot, registryKeys}), source, notes};
}

function parseJson(text: string, origin: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ProvenanceError({code: `TRUST_MATERIAL_INVALID`, message: `${origin} is not valid JSON`, cause});
  }
}

// TrustedRoot.fromJSON accepts nearly anything and yields empty lists, which would make every
// certificate fail with a confusing message; say plainly what is missing instead.
function assertTrustedRootShape(json: unknown, origin: string): void {
  const problems = trustedRootProblems(json);
  if (problems.length > 0) {
    throw new ProvenanceError({code: `TRUST_MATERIAL_INVALID`, message: `${origin} is not a Sigstore trusted root: ${problems.join(`; `)}`});
  }
}
