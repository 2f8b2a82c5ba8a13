import type {Locator, Package, Project} from '@yarnpkg/core';
import {semverUtils, structUtils} from '@yarnpkg/core';

import type {PackageRef} from '../core/provenance.types';

export type NpmPackage = {
  locator: Locator;
  ref: PackageRef;
};

/**
 * The project's packages that come from an npm registry by version: the only ones npm attests.
 * Workspaces, git, file: and patched packages are not npm packages (a `patch:` keeps its npm source
 * as a separate locator, which is checked). Optional packages for other platforms are never
 * fetched nor installed ("disabled"), so there is nothing to verify.
 */
export function listNpmPackages(project: Project): Array<NpmPackage> {
  const packages: Array<NpmPackage> = [];
  for (const pkg of project.storedPackages.values()) {
    if (structUtils.isVirtualLocator(pkg) || project.disabledLocators.has(pkg.locatorHash))
      continue;
    const ref = toPackageRef(pkg);
    if (ref !== null)
      packages.push({locator: pkg, ref});
  }
  return packages.sort((a, b) => a.ref.name.localeCompare(b.ref.name) || a.ref.version.localeCompare(b.ref.version));
}

export function toPackageRef(locator: Locator | Package): PackageRef | null {
  if (!locator.reference.startsWith(`npm:`))
    return null;
  // `npm:1.2.3`, or `npm:1.2.3::__archiveUrl=…` for non-conventional tarball URLs.
  const version = semverUtils.clean(locator.reference.slice(`npm:`.length).split(`::`)[0]!);
  if (version === null)
    return null;
  return {name: structUtils.stringifyIdent(locator), version};
}
