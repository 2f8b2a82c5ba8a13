/**
 * What `init` needs to know about each installed package, read from the audit's verdicts: who built
 * it (from verified evidence only), or that it has no provenance, or that it cannot carry any.
 */
import {normaliseSource} from '../policy/source';
import type {PackageRef, SlsaLevel, Verdict} from '../provenance.types';

export type InitPackage =
  /** Verified provenance; `source` is absent only when the certificate names no repository. */
  | {kind: `attested`, ref: PackageRef, names: Array<string>, source?: string, level: SlsaLevel}
  /** An npm package published without provenance. */
  | {kind: `unattested`, ref: PackageRef, names: Array<string>}
  /** Git, tarball URL, `file:`, `exec:`: cannot carry npm provenance. */
  | {kind: `unattestable`, ref: PackageRef, names: Array<string>, origin: string};

export type InitInput = {
  packages: Array<InitPackage>;
  /** Packages whose evidence could not be established (invalid, unverifiable): init writes nothing then. */
  unsettled: Array<Verdict>;
};

/**
 * Sorts verdicts into what `init` writes rules for. The audit ran under whatever policy was in place
 * (or the built-in one): the evidence is read, never the verdict's own judgement of it.
 */
export function toInitInput(verdicts: ReadonlyArray<Verdict>): InitInput {
  const packages: Array<InitPackage> = [];
  const unsettled: Array<Verdict> = [];
  for (const verdict of verdicts) {
    const ref = verdict.package;
    const names = [ref.name, ...verdict.installedAs ?? []];
    if (verdict.status === `invalid` || verdict.status === `unverifiable`) {
      unsettled.push(verdict);
    } else if (verdict.status === `unattestable`) {
      packages.push({kind: `unattestable`, ref, names, origin: verdict.origin ?? `not the npm registry`});
    } else if (verdict.provenance?.provenance !== undefined) {
      const sourceRepo = verdict.provenance.provenance.identity.sourceRepo;
      packages.push({kind: `attested`, ref, names, level: verdict.provenance.slsaLevel, ...(sourceRepo !== undefined ? {source: normaliseSource(sourceRepo)} : {})});
    } else if (verdict.provenance !== undefined) {
      packages.push({kind: `unattested`, ref, names});
    }
    // `project` and `patched` are the project's own code, or judged through their source: no rule of their own.
  }
  return {packages, unsettled};
}
