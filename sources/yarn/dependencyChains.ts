import type {LocatorHash, Project} from '@yarnpkg/core';
import {structUtils} from '@yarnpkg/core';

/** `workspace › dep@1.0.0 › target@2.0.0`: how a workspace pulls a package in. */
export type DependencyChain = Array<string>;

function label(project: Project, hash: LocatorHash): string {
  const pkg = project.storedPackages.get(hash)!;
  const workspace = project.tryWorkspaceByLocator(pkg);
  if (workspace !== null)
    return workspace.manifest.name ? structUtils.stringifyIdent(workspace.manifest.name) : `(root workspace)`;
  return `${structUtils.stringifyIdent(pkg)}@${pkg.version ?? `?`}`;
}

/**
 * The shortest chain from each workspace to each version of the package named, as `yarn why` finds
 * them: a breadth-first walk of the stored packages from the workspaces (virtual packages are followed
 * and shown as what they are). At most `limit` chains, shortest first.
 */
export function dependencyChains(project: Project, target: {name: string, version: string}, limit = 5): Array<DependencyChain> {
  const chains: Array<DependencyChain> = [];
  const shown = new Set<string>();
  for (const workspace of project.workspaces) {
    const start = workspace.anchoredLocator.locatorHash;
    const parent = new Map<LocatorHash, LocatorHash | null>([[start, null]]);
    const queue = [start];
    while (queue.length > 0) {
      const hash = queue.shift()!;
      const pkg = project.storedPackages.get(hash);
      if (pkg === undefined)
        continue;
      if (hash !== start && structUtils.stringifyIdent(pkg) === target.name && pkg.version === target.version) {
        const chain: Array<string> = [];
        for (let at: LocatorHash | null = hash; at !== null; at = parent.get(at) ?? null)
          chain.unshift(label(project, at));
        const text = chain.join(` › `);
        if (!shown.has(text)) {
          shown.add(text);
          chains.push(chain);
        }
        continue;
      }
      for (const descriptor of pkg.dependencies.values()) {
        const next = project.storedResolutions.get(descriptor.descriptorHash);
        if (next !== undefined && !parent.has(next)) {
          parent.set(next, hash);
          queue.push(next);
        }
      }
    }
  }
  return chains.sort((a, b) => a.length - b.length).slice(0, limit);
}
