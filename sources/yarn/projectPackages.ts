import {createHash} from 'node:crypto';

import type {Descriptor, Locator, Package, Project} from '@yarnpkg/core';
import {semverUtils, structUtils} from '@yarnpkg/core';
import {npath, ppath} from '@yarnpkg/fslib';

import {ProvenanceError} from '../core/errors';
import type {PackageSource, PackageSubject, UnattestableProtocol} from '../core/pipeline/packageSubject.types';
import {registryOf} from './yarnNetwork';

export type ProjectPackage = {
  locator: Locator;
  subject: PackageSubject;
};

/**
 * Every package the install would put on disk, as the pipeline sees it: what it really is, every
 * name it is installed under, where its bytes come from, and what is wrong with its lockfile entry.
 * Optional packages for other platforms are never fetched nor installed ("disabled"): not listed.
 *
 * `lockfileProblems: false` leaves every subject's problems empty, for `addLockfileProblems` to fill
 * in before anything is judged: checking each entry's range costs a semver parse per entry (30-70 ms
 * at 1,000 packages), which a warm install whose outcome is remembered never needs.
 */
export function listProjectPackages(project: Project, {lockfileProblems: withProblems = true}: {lockfileProblems?: boolean} = {}): Array<ProjectPackage> {
  const installedAs = namesInstalledAs(project);
  lendNamesToPatchSources(project, installedAs);
  const problems = withProblems ? lockfileProblems(project) : new Map<string, Array<ProvenanceError>>();

  const packages: Array<ProjectPackage> = [];
  for (const pkg of project.storedPackages.values()) {
    if (structUtils.isVirtualLocator(pkg) || project.disabledLocators.has(pkg.locatorHash))
      continue;
    const name = structUtils.stringifyIdent(pkg);
    const aliases = [...installedAs.get(pkg.locatorHash) ?? []].filter(alias => alias !== name).sort();
    packages.push({
      locator: pkg,
      subject: {
        id: pkg.locatorHash,
        ref: {name, version: versionOf(pkg)},
        installedAs: aliases,
        source: sourceOf(project, pkg),
        problems: problems.get(pkg.locatorHash) ?? [],
      },
    });
  }
  // A stable order, nothing more: whoever displays packages sorts them for people. Code units, not
  // `localeCompare`: ICU's collator costs 10-20 ms per install at 1,000-3,000 packages, on every warm one.
  return packages.sort((a, b) => byCodeUnits(a.subject.ref.name, b.subject.ref.name) || byCodeUnits(a.subject.ref.version, b.subject.ref.version));
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The version npm knows the package by (`npm:1.2.3::__archiveUrl=…` included); the manifest's otherwise. */
function versionOf(pkg: Package): string {
  if (pkg.reference.startsWith(`npm:`))
    return semverUtils.clean(pkg.reference.slice(`npm:`.length).split(`::`)[0]!) ?? pkg.version ?? `0.0.0`;
  return pkg.version ?? `0.0.0`;
}

/** Where the package's bytes come from, judged by the protocol of its resolution. */
function sourceOf(project: Project, pkg: Package): PackageSource {
  const {reference} = pkg;
  if (reference.startsWith(`npm:`))
    return {kind: `registry`, registry: registryOf(pkg, project.configuration)};
  if (reference.startsWith(`workspace:`))
    return {kind: `project`, location: reference.slice(`workspace:`.length)};
  if (reference.startsWith(`patch:`))
    return {kind: `patch`, of: patchSource(reference)};
  if (reference.startsWith(`link:`) || reference.startsWith(`portal:`)) {
    const inside = linkTarget(project, pkg);
    return inside !== null
      ? {kind: `project`, location: inside}
      : unattestable(`link`, reference.split(`::`)[0]!);
  }
  if (reference.startsWith(`exec:`)) {
    return unattestable(`exec`, reference.split(`::`)[0]!,
      `Yarn ran this exec: generator to produce the package while fetching it, before any gate could see it`);
  }
  if (reference.startsWith(`file:`))
    return unattestable(`file`, reference.split(`::`)[0]!);
  if (isGitReference(reference)) {
    return unattestable(`git`, reference.split(`#`)[0]!,
      `Yarn packs git dependencies by running their prepack/prepare scripts while resolving them: that code ran before any gate could see it`);
  }
  if (/^https?:/.test(reference))
    return unattestable(`tarball`, reference);
  return unattestable(`other`, reference);
}

function unattestable(protocol: UnattestableProtocol, location: string, ranCodeBeforeGate?: string): PackageSource {
  return ranCodeBeforeGate === undefined ? {kind: `unattestable`, protocol, location} : {kind: `unattestable`, protocol, location, ranCodeBeforeGate};
}

function isGitReference(reference: string): boolean {
  return /^(git\+|git:|github:|gitlab:|bitbucket:|ssh:)/.test(reference) || /#(.*&)?(commit|head|tag|semver)=/.test(reference);
}

function patchSource(reference: string): string {
  try {
    const {source} = structUtils.parseRange(reference);
    return source ?? reference;
  } catch {
    return reference;
  }
}

/** The folder a `link:`/`portal:` points at, relative to the project, when it is inside the project. */
function linkTarget(project: Project, pkg: Package): string | null {
  try {
    const {selector, params} = structUtils.parseRange(pkg.reference);
    const parent = typeof params?.locator === `string` ? structUtils.parseLocator(params.locator) : null;
    const parentWorkspace = parent !== null ? project.tryWorkspaceByLocator(parent) : null;
    if (parentWorkspace === null)
      return null;
    const target = ppath.resolve(parentWorkspace.cwd, npath.toPortablePath(selector));
    const relative = ppath.relative(project.cwd, target);
    return relative === `..` || relative.startsWith(`../`) || ppath.isAbsolute(relative) ? null : relative || `.`;
  } catch {
    return null;
  }
}

/** Locator hash → every name a parent declares it under (an alias installs `npm:other@1` as `name`). */
function namesInstalledAs(project: Project): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>();
  for (const pkg of project.storedPackages.values()) {
    for (const descriptor of pkg.dependencies.values()) {
      const resolution = project.storedResolutions.get(descriptor.descriptorHash);
      const target = resolution !== undefined ? project.storedPackages.get(resolution) : undefined;
      if (target === undefined)
        continue;
      const real = structUtils.isVirtualLocator(target) ? structUtils.devirtualizeLocator(target).locatorHash : target.locatorHash;
      let set = names.get(real);
      if (set === undefined)
        names.set(real, set = new Set());
      set.add(structUtils.stringifyIdent(descriptor));
    }
  }
  return names;
}

/**
 * What a `patch:` installs is its npm source, patched: the source must satisfy the rules of every name
 * the patched package is installed under, whatever name the source itself has.
 */
function lendNamesToPatchSources(project: Project, names: Map<string, Set<string>>): void {
  for (const pkg of project.storedPackages.values()) {
    if (!pkg.reference.startsWith(`patch:`) || structUtils.isVirtualLocator(pkg))
      continue;
    const source = patchSourceOf(pkg);
    if (source === null)
      continue;
    const lent = names.get(source.locatorHash) ?? new Set<string>();
    lent.add(structUtils.stringifyIdent(pkg));
    for (const name of names.get(pkg.locatorHash) ?? [])
      lent.add(name);
    names.set(source.locatorHash, lent);
  }
}

/**
 * Lockfile entries whose resolution is not something their range can resolve to: another package
 * (`sigstore@npm:2.3.1` → `evil-pkg@npm:1.0.0`), another protocol (an npm range resolved to a git
 * URL or a tarball), or a version outside the range. Yarn trusts its lockfile (`--immutable` too), so
 * a hand edit would otherwise install whatever it names.
 */
/** Fills in the lockfile problems of packages listed without them (in place: the same subjects everywhere). */
export function addLockfileProblems(project: Project, packages: ReadonlyArray<ProjectPackage>): void {
  const problems = lockfileProblems(project);
  for (const {subject} of packages)
    subject.problems = problems.get(subject.id) ?? [];
}

/**
 * Every lockfile entry and what it resolves to, as one digest: what the lockfile problems are a function
 * of (with this plugin's version), so that a remembered outcome is keyed by it instead of by the problems.
 */
export function lockfileResolutionsDigest(project: Project): string {
  const pairs: Array<string> = [];
  for (const descriptor of project.storedDescriptors.values()) {
    if (!structUtils.isVirtualDescriptor(descriptor))
      pairs.push(`${structUtils.stringifyDescriptor(descriptor)} ${project.storedResolutions.get(descriptor.descriptorHash) ?? `-`}`);
  }
  return createHash(`sha256`).update(pairs.sort().join(`\n`)).digest(`hex`);
}

function lockfileProblems(project: Project): Map<string, Array<ProvenanceError>> {
  const problems = new Map<string, Array<ProvenanceError>>();
  for (const descriptor of project.storedDescriptors.values()) {
    if (structUtils.isVirtualDescriptor(descriptor))
      continue;
    const resolution = project.storedResolutions.get(descriptor.descriptorHash);
    const locator = resolution !== undefined ? project.storedPackages.get(resolution) : undefined;
    if (locator === undefined)
      continue;
    const problem = resolutionProblem(descriptor, locator);
    if (problem === null)
      continue;
    const list = problems.get(locator.locatorHash) ?? [];
    list.push(new ProvenanceError({
      code: `LOCKFILE_RESOLUTION_MISMATCH`,
      message: `yarn.lock resolves ${structUtils.stringifyDescriptor(descriptor)} to ${structUtils.stringifyLocator(locator)}: ${problem}`,
      mismatch: {what: `yarn.lock resolves ${structUtils.stringifyDescriptor(descriptor)} to ${problem}`, expected: structUtils.stringifyDescriptor(descriptor), found: structUtils.stringifyLocator(locator)},
    }));
    problems.set(locator.locatorHash, list);
  }
  return problems;
}

function resolutionProblem(descriptor: Descriptor, locator: Locator): string | null {
  // A patch must patch what its range names: compare the sources inside both.
  if (descriptor.range.startsWith(`patch:`)) {
    if (!locator.reference.startsWith(`patch:`))
      return `another protocol than a patch`;
    const sourceDescriptor = parseInner(descriptor.range, structUtils.tryParseDescriptor);
    const sourceLocator = parseInner(locator.reference, structUtils.tryParseLocator);
    if (sourceDescriptor === null || sourceLocator === null)
      return null;
    const problem = resolutionProblem(sourceDescriptor, sourceLocator);
    return problem === null ? null : `a patch of ${problem}`;
  }
  if (!descriptor.range.startsWith(`npm:`))
    return null;

  const selector = descriptor.range.slice(`npm:`.length);
  let expectedIdent: string = structUtils.stringifyIdent(descriptor);
  let range: string = selector;
  if (semverUtils.validRange(selector) === null && !/^[a-z][\w.-]*$/i.test(selector)) {
    // An alias, `npm:other@range`.
    const aliased = structUtils.tryParseDescriptor(selector, true);
    if (aliased === null)
      return null;
    expectedIdent = structUtils.stringifyIdent(aliased);
    range = aliased.range.replace(/^npm:/, ``);
  }

  if (!locator.reference.startsWith(`npm:`))
    return `another protocol than the npm registry`;
  if (structUtils.stringifyIdent(locator) !== expectedIdent)
    return `another package`;
  const version = semverUtils.clean(locator.reference.slice(`npm:`.length).split(`::`)[0]!);
  if (version !== null && semverUtils.validRange(range) !== null && !semverUtils.satisfiesWithPrereleases(version, range))
    return `a version outside the range`;
  return null;
}

/** The npm (or other) package a `patch:` locator patches; null for anything else. */
export function patchSourceOf(locator: Locator): Locator | null {
  return locator.reference.startsWith(`patch:`) ? parseInner(locator.reference, structUtils.tryParseLocator) : null;
}

/** The descriptor or locator a `patch:` range or reference wraps (`patch:name@npm%3A1.0.0#…`). */
function parseInner<T>(range: string, parse: (text: string, strict?: boolean) => T | null): T | null {
  try {
    const {source} = structUtils.parseRange(range);
    return source === null ? null : parse(source, true);
  } catch {
    return null;
  }
}
