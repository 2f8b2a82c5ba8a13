import type {Project, Report, Workspace} from '@yarnpkg/core';
import {MessageName, Report as ReportClass, structUtils} from '@yarnpkg/core';

import {LocalStore} from '../core/cache/localStore';
import {isProvenanceError, kindOf} from '../core/errors';
import {DEFAULT_POLICY} from '../core/policy/defaultPolicy';
import type {Policy} from '../core/policy/policy.types';
import type {Verdict} from '../core/provenance.types';
import {listNpmPackages} from './npmPackages';
import type {NpmPackage} from './npmPackages';
import {loadProjectPolicy} from './projectPolicy';
import {readSettings} from './settings';
import {VerificationSession} from './verificationSession';

export type AuditResult = {
  policy: Policy;
  verdicts: Array<Verdict>;
};

/**
 * Verifies every npm package the given workspaces depend on (directly or not) against the project's
 * policy, or against the built-in one when the project has none. Returns null when the policy is
 * invalid (its problems are then already reported).
 */
export async function auditProject(project: Project, workspaces: ReadonlyArray<Workspace>, report: Report, {only, remembered = true}: {only?: (pkg: NpmPackage) => boolean, remembered?: boolean} = {}): Promise<AuditResult | null> {
  const settings = readSettings(project.configuration, project);
  const store = await LocalStore.open(VerificationSession.storeFolder(project.configuration));
  let invalid = false;
  const loaded = await loadProjectPolicy(project, settings, {
    reportWarning: () => {},
    reportError: (name, text) => {
      invalid = true;
      report.reportError(name, text);
    },
  }, store);
  if (invalid)
    return null;
  const policy: Policy = loaded ?? DEFAULT_POLICY;

  const reachable = reachableLocators(project, workspaces);
  const packages = listNpmPackages(project).filter(pkg => reachable.has(pkg.locator.locatorHash) && (only?.(pkg) ?? true));

  const session = await VerificationSession.create(project, settings, policy, store, {skipOff: false, remembered});
  const verdicts: Array<Verdict> = [];
  try {
    const progress = ReportClass.progressViaCounter(packages.length);
    const reporting = report.reportProgress(progress);
    try {
      await Promise.all(packages.map(async pkg => {
        verdicts.push(await session.check(pkg, project.storedChecksums.get(pkg.locator.locatorHash) ?? null)!);
        progress.tick();
      }));
    } catch (error) {
      // The user's own trust files are unreadable or invalid.
      if (isProvenanceError(error) && kindOf(error.code) === `usage`) {
        report.reportError(MessageName.UNNAMED, `Provenance ${error.code}: ${error.message}`);
        return null;
      }
      throw error;
    } finally {
      reporting.stop();
    }
  } finally {
    await session.close();
  }

  verdicts.sort((a, b) => a.package.name.localeCompare(b.package.name) || a.package.version.localeCompare(b.package.version));
  return {policy, verdicts};
}

/** Every package reachable from the workspaces, devirtualised (what is actually fetched). */
function reachableLocators(project: Project, workspaces: ReadonlyArray<Workspace>): Set<string> {
  const seen = new Set<string>();
  const queue = workspaces.map(workspace => workspace.anchoredLocator.locatorHash);
  while (queue.length > 0) {
    const hash = queue.pop()!;
    const pkg = project.storedPackages.get(hash);
    if (pkg === undefined)
      continue;
    const real = structUtils.isVirtualLocator(pkg) ? structUtils.devirtualizeLocator(pkg).locatorHash : pkg.locatorHash;
    if (seen.has(hash))
      continue;
    seen.add(hash);
    seen.add(real);
    for (const descriptor of pkg.dependencies.values()) {
      const resolution = project.storedResolutions.get(descriptor.descriptorHash);
      if (resolution !== undefined)
        queue.push(resolution);
    }
  }
  return seen;
}
