// The public-good trust material ships inside @sigstore/tuf as the seed of its TUF client. Embedding
// that file (rather than a copy of our own) keeps verification offline-capable and lets a dependency
// update bring newer roots and npm keys.
import seeds from '@sigstore/tuf/seeds.json';

export const PUBLIC_GOOD_MIRROR = `https://tuf-repo-cdn.sigstore.dev`;

export const TRUSTED_ROOT_TARGET = `trusted_root.json`;
export const NPM_KEYS_TARGET = `registry.npmjs.org/keys.json`;

type Seeds = Record<string, {'root.json': string, targets: Record<string, string>}>;

function mirrorSeed() {
  const seed = (seeds as Seeds)[PUBLIC_GOOD_MIRROR];
  if (seed === undefined)
    throw new Error(`@sigstore/tuf seeds.json lacks ${PUBLIC_GOOD_MIRROR}; the build embeds an unexpected version`);
  return seed;
}

function target(name: string): string {
  const targets = mirrorSeed().targets;
  // Target names are URL-escaped in the seed file (`registry.npmjs.org%2Fkeys.json`).
  const encoded = targets[encodeURIComponent(name)] ?? targets[name];
  if (encoded === undefined)
    throw new Error(`@sigstore/tuf seeds.json lacks ${name}; the build embeds an unexpected version`);
  return Buffer.from(encoded, `base64`).toString(`utf8`);
}

export function embeddedTrustedRoot(): string {
  return target(TRUSTED_ROOT_TARGET);
}

export function embeddedRegistryKeys(): string {
  return target(NPM_KEYS_TARGET);
}

/**
 * The TUF root a refresh starts its chain from. Once it has expired (the one in @sigstore/tuf 4.0.2
 * did on 2026-06-22) it still anchors the chain: TUF only requires the last root of the chain to be
 * current. Offline nothing reads it.
 */
export function embeddedTufRoot(): string {
  return Buffer.from(mirrorSeed()[`root.json`], `base64`).toString(`utf8`);
}
