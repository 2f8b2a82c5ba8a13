/**
 * From the project's packages to rules: one rule per source repository, naming every package built
 * there (`packages: [a, b]`), so a policy for 1,000 packages stays a page, not a phone book. A scope
 * glob (`@scope/*`) stands for names only when every installed package of that scope comes from that
 * repository: a glob must not vouch for a package of the scope that another repository builds.
 */
import semver from 'semver';

import type {PackageRef, SlsaLevel} from '../provenance.types';
import type {InitPackage} from './initPackages';

export type GeneratedRule = {
  /** Names, or `@scope/*` globs. */
  packages: Array<string>;
  /** Only for a name whose installed versions do not all share this repository. */
  versions?: string;
  /** Absent when the certificates name no repository: provenance is still required. */
  source?: string;
  /** The lowest SLSA Build level among the packages it covers. */
  lowestLevel: SlsaLevel;
  /** The installed packages it covers. */
  covers: Array<PackageRef>;
};

export type Grouping = {
  rules: Array<GeneratedRule>;
  unattested: Array<PackageRef>;
  unattestable: Array<{ref: PackageRef, origin: string}>;
  /** Names of packages without provenance (under each name they are installed as). */
  namesWithoutProvenance: Array<string>;
};

type Build = {source: string, level: SlsaLevel, ref: PackageRef};
const NO_SOURCE = ``;

function scopeOf(name: string): string | undefined {
  return name.startsWith(`@`) && name.includes(`/`) ? name.slice(0, name.indexOf(`/`)) : undefined;
}

function byRef(a: PackageRef, b: PackageRef): number {
  return a.name.localeCompare(b.name) || a.version.localeCompare(b.version);
}

/** `>=<lowest>` when every other installed version is older (provenance from there on); else the exact versions. */
function versionsFor(own: Array<string>, others: Array<string>): string {
  const sorted = [...own].sort(semver.compare);
  const lowest = sorted[0]!;
  const allValid = [...own, ...others].every(version => semver.valid(version) !== null);
  if (allValid && others.every(version => semver.lt(version, lowest)))
    return `>=${lowest}`;
  return sorted.join(` || `);
}

export function groupRules(packages: ReadonlyArray<InitPackage>): Grouping {
  // name → version → where it was built; names without provenance (any version) apart.
  const builds = new Map<string, Map<string, Build>>();
  const without = new Map<string, Set<string>>();
  for (const pkg of packages) {
    for (const name of pkg.names) {
      if (pkg.kind === `attested`) {
        if (!builds.has(name))
          builds.set(name, new Map());
        builds.get(name)!.set(pkg.ref.version, {source: pkg.source ?? NO_SOURCE, level: pkg.level, ref: pkg.ref});
      } else {
        if (!without.has(name))
          without.set(name, new Set());
        without.get(name)!.add(pkg.ref.version);
      }
    }
  }

  // A name every version of which comes from one repository joins that repository's rule by name.
  const byName = new Map<string, Array<string>>();
  const rules: Array<GeneratedRule> = [];
  const grouped = new Map<string, Array<Build>>();
  for (const [name, versions] of builds) {
    const sources = new Set([...versions.values()].map(build => build.source));
    if (sources.size === 1 && !without.has(name)) {
      const source = [...sources][0]!;
      byName.set(source, [...byName.get(source) ?? [], name]);
      grouped.set(source, [...grouped.get(source) ?? [], ...versions.values()]);
      continue;
    }
    // Versions that disagree: one rule per repository, scoped to its versions; the rest falls to later rules.
    for (const source of sources) {
      const own = [...versions.values()].filter(build => build.source === source);
      const others = [...versions.keys(), ...without.get(name) ?? []].filter(version => !own.some(build => build.ref.version === version));
      rules.push(makeRule([name], source, own, versionsFor(own.map(build => build.ref.version), others)));
    }
  }

  const allNames = new Set([...builds.keys(), ...without.keys()]);
  for (const [source, names] of byName)
    rules.push(makeRule(withScopeGlobs(names, allNames), source, grouped.get(source)!));

  rules.sort((a, b) => (a.source ?? ``).localeCompare(b.source ?? ``) || a.packages[0]!.localeCompare(b.packages[0]!));

  const unattested = packages.filter(pkg => pkg.kind === `unattested`).map(pkg => pkg.ref).sort(byRef);
  const unattestable = packages.flatMap(pkg => pkg.kind === `unattestable` ? [{ref: pkg.ref, origin: pkg.origin}] : [])
    .sort((a, b) => byRef(a.ref, b.ref));
  return {rules, unattested, unattestable, namesWithoutProvenance: [...without.keys()].sort()};
}

function makeRule(packages: Array<string>, source: string, builds: Array<Build>, versions?: string): GeneratedRule {
  const lowestLevel = Math.min(...builds.map(build => build.level)) as SlsaLevel;
  return {
    packages,
    ...(versions !== undefined ? {versions} : {}),
    ...(source !== NO_SOURCE ? {source} : {}),
    lowestLevel,
    // A package installed under two names (an alias) is one package.
    covers: [...new Map(builds.map(build => [`${build.ref.name}@${build.ref.version}`, build.ref])).values()].sort(byRef),
  };
}

/** Names, with the names of a scope replaced by `@scope/*` when the whole scope (two or more names) is among them. */
function withScopeGlobs(names: Array<string>, allNames: ReadonlySet<string>): Array<string> {
  const scopes = new Map<string, Array<string>>();
  for (const name of names) {
    const scope = scopeOf(name);
    if (scope !== undefined)
      scopes.set(scope, [...scopes.get(scope) ?? [], name]);
  }
  const replaced = new Set<string>();
  const globs: Array<string> = [];
  for (const [scope, members] of scopes) {
    const wholeScope = [...allNames].filter(name => scopeOf(name) === scope);
    if (members.length >= 2 && wholeScope.length === members.length) {
      globs.push(`${scope}/*`);
      for (const member of members)
        replaced.add(member);
    }
  }
  return [...globs, ...names.filter(name => !replaced.has(name))].sort();
}
