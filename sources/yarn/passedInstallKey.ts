import {createHash} from 'node:crypto';

import type {Project} from '@yarnpkg/core';

import type {Policy} from '../core/policy/policy.types';
import {VERSION} from '../core/version';
import type {ProjectPackage} from './projectPackages';
import type {TarballBinding} from './tarballBinding';

/**
 * What an install's outcome depends on besides the bytes: every package's identity, source and names,
 * every lockfile entry and its resolution (the lockfile problems follow from them and the plugin
 * version: `lockfileResolutionsDigest`), the policy, the pins (an edit to them re-judges), the trust
 * material, the plugin version and the day (exceptions expire by the day).
 */
export function installInputsDigest(packages: ReadonlyArray<ProjectPackage>, resolutionsDigest: string, policy: Policy, pinsDigest: string, trustDigest: string, now: Date, immutable: boolean): string {
  // Immutable installs (CI) never record pins: their outcome is remembered apart, so that an ordinary
  // install of the same project still judges every package and records what is unpinned.
  const hash = createHash(`sha256`).update(JSON.stringify([VERSION, resolutionsDigest, policy.digest, pinsDigest, trustDigest, now.toISOString().slice(0, 10), immutable]));
  for (const {subject} of packages)
    hash.update(`${JSON.stringify([subject.id, subject.source, subject.installedAs])}\n`);
  return hash.digest(`hex`);
}

/**
 * The inputs plus the checksums Yarn reports before fetching: only a hint, to decide whether to
 * verify while Yarn downloads. Whether an earlier outcome is reused is decided by `passedInstallKey`.
 */
export function passedInstallPreKey(project: Project, packages: ReadonlyArray<ProjectPackage>, inputs: string): string {
  const hash = createHash(`sha256`).update(inputs);
  for (const {locator} of packages)
    hash.update(`${locator.locatorHash}:${project.storedChecksums.get(locator.locatorHash) ?? `-`}\n`);
  return hash.digest(`hex`);
}

/** The inputs plus the sha512 of every zip Yarn will link, as the binding established them. */
export async function passedInstallKey(inputs: string, packages: ReadonlyArray<ProjectPackage>, binding: TarballBinding): Promise<string> {
  const hash = createHash(`sha256`).update(inputs);
  for (const {locator} of packages) {
    if (binding.has(locator))
      hash.update(`${locator.locatorHash}:${await binding.zipHash(locator)}\n`);
  }
  return hash.digest(`hex`);
}
