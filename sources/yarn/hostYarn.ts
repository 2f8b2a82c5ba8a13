import {YarnVersion} from '@yarnpkg/core';

import type {ErrorCode} from '../core/errors';

const CODE: ErrorCode = `YARN_UNSUPPORTED`;

/**
 * The Yarn versions this plugin runs on. It relies on Yarn 4 internals (Project.fetchEverything,
 * Configuration.makeFetcher, plugin-npm's NpmSemverFetcher): on Yarn 3 these are missing or differ,
 * and every package failed on its own with VERIFIER_FAILED. Such a host is refused once, up front.
 */
export const SUPPORTED_YARN = `>=4.1.0 <5.0.0`;

/**
 * Why this plugin cannot run on the host Yarn, as one coded line; null when it can. `version` is the
 * host's (the plugin's `@yarnpkg/core` is the host's own at run time). A Yarn built from sources names
 * no version: the install gate's own checks of the internals it uses then decide.
 */
export function unsupportedYarnReason(version: string | null = YarnVersion): string | null {
  if (version === null)
    return null;
  const [major, minor] = version.split(`.`).map(part => Number.parseInt(part, 10));
  if (major === 4 && minor !== undefined && minor >= 1)
    return null;
  return `Provenance ${CODE}: this is Yarn ${version}; the provenance plugin supports Yarn ${SUPPORTED_YARN}. `
    + `Every install is refused, unverified: upgrade Yarn, or set provenanceEnabled: false to install without the gate.`;
}
