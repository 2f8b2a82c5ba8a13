import {ProvenanceError} from '../errors';
import type {PackageRef} from '../provenance.types';

const SHA512_BYTES = 64;

/**
 * The sha512 (hex) a lockfile's `integrity` pins. npm and pnpm check a download against it, so an
 * attestation whose subject digest equals it is about exactly the bytes they will install. A missing
 * or sha1-only integrity binds nothing: LOCKED_INTEGRITY_UNUSABLE, never trusted.
 */
export function lockedSha512(pkg: PackageRef, integrity: string | undefined): string {
  const found = integrity?.trim() ? integrity.trim() : undefined;
  for (const hash of found?.split(/\s+/) ?? []) {
    const match = /^sha512-([A-Za-z0-9+/]+={0,2})(\?.*)?$/.exec(hash);
    const bytes = match ? Buffer.from(match[1]!, `base64`) : null;
    if (bytes !== null && bytes.length === SHA512_BYTES)
      return bytes.toString(`hex`);
  }

  const what = `The lockfile's integrity for ${pkg.name}@${pkg.version} cannot bind it to an attested tarball`;
  const shown = found === undefined ? `(absent)` : found.length > 60 ? `${found.slice(0, 57)}...` : found;
  return unusable(what, shown);
}

function unusable(what: string, found: string): never {
  throw new ProvenanceError({
    code: `LOCKED_INTEGRITY_UNUSABLE`,
    message: `${what}: expected a sha512 integrity, found ${found}. Refresh the entry (delete it and install again) so that the lockfile records sha512`,
    mismatch: {what, expected: `a sha512 integrity (sha512-...)`, found},
  });
}
