import type {Project, Report, Workspace} from '@yarnpkg/core';
import {Cache, MessageName, Report as ReportClass, structUtils, ThrowReport} from '@yarnpkg/core';
import pLimit from 'p-limit';

import type {BlockedInstall} from '../core/cache/storeEntries';
import {DEFAULT_POLICY} from '../core/policy/defaultPolicy';
import type {Policy} from '../core/policy/policy.types';
import type {Verdict} from '../core/provenance.types';
import {loadProjectContext, ProjectCheck} from './projectCheck';
import type {ProjectPackage} from './projectPackages';
import {listProjectPackages, patchSourceOf} from './projectPackages';
import {fetchOptionsFor} from './tarballBinding';
import {unpinnedCount} from '../core/pins/continuity';
import type {ProjectPins} from './projectPins';

export type AuditResult = {
  policy: Policy;
  verdicts: Array<Verdict>;
  /** The pins file the verdicts were judged against (continuity). */
  pins: ProjectPins;
  /** Packages with provenance whose release line has no pin yet: the next ordinary install records them. */
  unpinned: number;
  /** Every package of the project (all workspaces), as listed once for this run: what the policy's rules are matched against. */
  projectPackages: ReadonlyArray<ProjectPackage>;
  /** The packages the project's last install refused, when it was blocked. */
  lastBlocked?: BlockedInstall;
};

export type AuditOptions = {
  only?: (pkg: ProjectPackage) => boolean;
  /** False: nothing is remembered (explain). */
  remember?: boolean;
  /**
   * `yarn provenance audit`: a cached zip this machine never bound is judged against the registry's signed integrity
   * (verdict `bound: registry`) instead of downloading its tarball, and verification takes every core. Commands that
   * write what they saw (init, approve) and explain keep binding local bytes.
   */
  registryBound?: boolean;
};

/** Yarn's fetch steps run 32 at once; an audit has no reason to be greedier. */
const FETCH_CONCURRENCY = 16;

/**
 * Checks every package the given workspaces depend on (directly or not) with the install gate's
 * pipeline, against the project's policy or the built-in one when the project has none. The packages
 * come from the lockfile (never from an install state file, which a repository could forge); when
 * the lockfile lacks some (an install that was blocked), they are resolved as `yarn install` would.
 * Registry packages are read from Yarn's cache (downloaded into it when missing), so the verdicts are
 * about the bytes an install would link. Throws a ProvenanceError of kind `usage` for the caller's own
 * mistakes (settings, policy, trust files).
 */
export async function auditProject(project: Project, workspaces: ReadonlyArray<Workspace>, report: Report, {only, remember = true, registryBound = false}: AuditOptions = {}): Promise<AuditResult> {
  const context = await loadProjectContext(project, {forGate: false});
  const policy: Policy = context.policy ?? DEFAULT_POLICY;
  const cache = await Cache.find(project.configuration);
  await resolveProject(project, report, cache);

  const reachable = reachableLocators(project, workspaces);
  const projectPackages = listProjectPackages(project);
  const packages = projectPackages.filter(pkg => reachable.has(pkg.locator.locatorHash) && (only?.(pkg) ?? true));
  const check = await ProjectCheck.start(project, context, policy, packages, {skipOff: false, remember, forAudit: registryBound});
  const verdicts: Array<Verdict> = [];
  for (const note of check.trustNotes)
    report.reportWarning(MessageName.UNNAMED, note);
  try {
    const fetcher = check.binding.tap(project.configuration.makeFetcher());
    const fetchOptions = fetchOptionsFor(project, cache, fetcher, report);
    const limit = pLimit(FETCH_CONCURRENCY);
    const progress = ReportClass.progressViaCounter(packages.length);
    const reporting = report.reportProgress(progress);
    try {
      await Promise.all(packages.map(async pkg => {
        // Only registry packages are fetched: fetching a git dependency would run its prepack script.
        if (pkg.subject.source.kind === `registry`)
          await limit(async () => (await fetcher.fetch(pkg.locator, fetchOptions)).releaseFs?.());
        // Outside the fetch slot: the checker has its own limit on requests, and verification its workers.
        verdicts.push(await check.check(pkg)!);
        progress.tick();
      }));
    } finally {
      reporting.stop();
    }
  } finally {
    await check.close();
  }

  verdicts.sort((a, b) => a.package.name.localeCompare(b.package.name) || a.package.version.localeCompare(b.package.version));
  const lastBlocked = context.store.getBlockedInstall(project.cwd);
  const judged = {policy, verdicts, pins: context.pins, unpinned: unpinnedCount(context.pins.pins, verdicts), projectPackages};
  return lastBlocked === undefined ? judged : {...judged, lastBlocked};
}

async function resolveProject(project: Project, report: Report, cache: Cache): Promise<void> {
  try {
    await project.resolveEverything({report: new ThrowReport(), lockfileOnly: true});
  } catch {
    // The lockfile lacks entries the manifests need (a first install that was blocked leaves none).
    await project.resolveEverything({report, cache});
  }
}

/** Every package reachable from the workspaces, devirtualised (what is actually fetched). */
function reachableLocators(project: Project, workspaces: ReadonlyArray<Workspace>): Set<string> {
  const seen = new Set<string>();
  const queue = workspaces.map(workspace => workspace.anchoredLocator.locatorHash);
  while (queue.length > 0) {
    const hash = queue.pop()!;
    const pkg = project.storedPackages.get(hash);
    if (pkg === undefined || seen.has(hash))
      continue;
    seen.add(hash);
    if (structUtils.isVirtualLocator(pkg))
      seen.add(structUtils.devirtualizeLocator(pkg).locatorHash);
    for (const descriptor of pkg.dependencies.values()) {
      const resolution = project.storedResolutions.get(descriptor.descriptorHash);
      if (resolution !== undefined)
        queue.push(resolution);
    }
    // A patch depends on nothing, but what it installs is its npm source, patched.
    const source = patchSourceOf(pkg);
    if (source !== null)
      queue.push(source.locatorHash);
  }
  return seen;
}
