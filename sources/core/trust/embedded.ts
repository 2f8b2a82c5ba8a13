// The public-good trust material ships inside @sigstore/tuf as the seed of its TUF client. Embedding
// that file (rather than a copy of our own) keeps verification offline-capable and lets a dependency
// update bring newer roots and npm keys.
import seeds from '@sigstore/tuf/seeds.json';

const PUBLIC_GOOD_MIRROR = `https://tuf-repo-cdn.sigstore.dev`;

export const TRUSTED_ROOT_TARGET = `trusted_root.json`;
export const NPM_KEYS_TARGET = `registry.npmjs.org/keys.json`;

type Seeds = Record<string, {targets: Record<string, string>}>;

function target(name: string): string {
  const mirror = (seeds as Seeds)[PUBLIC_GOOD_MIRROR];
  // Target names are URL-escaped in the seed file (`registry.npmjs.org%2Fkeys.json`).
  const encoded = mirror?.targets[encodeURIComponent(name)] ?? mirror?.targets[name];
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
