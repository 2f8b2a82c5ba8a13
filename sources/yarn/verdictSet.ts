import {createHash} from 'node:crypto';

import type {Project} from '@yarnpkg/core';

import type {Policy} from '../core/policy/policy.types';
import {VERSION} from '../core/version';
import type {NpmPackage} from './npmPackages';

/**
 * The key of an install's outcome: every npm package with the checksum of the zip Yarn installs,
 * the policy, the trust material, the plugin version and the day (exceptions expire by the day).
 * When it matches an install that passed, nothing can have changed the verdicts. Null when a
 * package has no checksum (checksumBehavior: ignore): then its content is not pinned, and nothing
 * may be reused.
 */
export function verdictSetKey(project: Project, packages: ReadonlyArray<NpmPackage>, policy: Policy, trustDigest: string, now: Date): string | null {
  const hash = createHash(`sha256`).update(JSON.stringify([VERSION, policy.digest, trustDigest, now.toISOString().slice(0, 10)]));
  for (const pkg of packages) {
    const checksum = project.storedChecksums.get(pkg.locator.locatorHash);
    if (checksum === undefined)
      return null;
    hash.update(`${pkg.locator.locatorHash}:${checksum}\n`);
  }
  return hash.digest(`hex`);
}
