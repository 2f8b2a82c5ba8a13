import type {PackageRef} from '../provenance.types';

export const DEFAULT_REGISTRY = `https://registry.npmjs.org`;

function trimSlash(registry: string): string {
  return registry.replace(/\/+$/, ``);
}

/** Scoped names are escaped as `@scope%2fname`, as the registry expects. */
export function escapeName(name: string): string {
  return name.startsWith(`@`) ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
}

export function attestationsUrl(registry: string, pkg: PackageRef): string {
  return `${trimSlash(registry)}/-/npm/v1/attestations/${escapeName(pkg.name)}@${encodeURIComponent(pkg.version)}`;
}

/** The version document (`dist.integrity`, `dist.signatures`, `_npmUser`): small, unlike the packument. */
export function versionDocumentUrl(registry: string, pkg: PackageRef): string {
  return `${trimSlash(registry)}/${escapeName(pkg.name)}/${encodeURIComponent(pkg.version)}`;
}

/** The conventional tarball URL, which is also where Yarn's npm fetcher downloads from. */
export function tarballUrl(registry: string, pkg: PackageRef): string {
  const basename = pkg.name.replace(/^@[^/]+\//, ``);
  return `${trimSlash(registry)}/${pkg.name.startsWith(`@`) ? pkg.name : escapeName(pkg.name)}/-/${basename}-${pkg.version}.tgz`;
}
