/**
 * The one-time override for emergencies: `PROVENANCE_ALLOW_CHANGE=<name>[@<version>][,...]` lets the
 * continuity findings of those packages pass for one run. The policy still applies, nothing is written
 * to the pins file, and every use is printed. The Yarn layer reads it from the process environment only
 * (never from .yarnrc.yml or env files a repository could carry).
 */
import type {PackageRef} from '../provenance.types';

export const ALLOW_CHANGE_VARIABLE = `PROVENANCE_ALLOW_CHANGE`;

/** Whether continuity findings for a package are overridden in this run. */
export type AllowChange = (ref: PackageRef) => boolean;

export const NO_OVERRIDE: AllowChange = () => false;

/** `a, @s/b@1.2.3` → a predicate; an entry without a version covers every version of that name. */
export function parseAllowChange(text: string | undefined): AllowChange {
  const entries = (text ?? ``).split(`,`).map(entry => entry.trim()).filter(entry => entry.length > 0).map(entry => {
    const at = entry.lastIndexOf(`@`);
    return at > 0 ? {name: entry.slice(0, at), version: entry.slice(at + 1)} : {name: entry, version: undefined};
  });
  if (entries.length === 0)
    return NO_OVERRIDE;
  return ref => entries.some(entry => entry.name === ref.name && (entry.version === undefined || entry.version === ref.version));
}
