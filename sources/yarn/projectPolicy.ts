import {createHash} from 'node:crypto';

import type {Project} from '@yarnpkg/core';
import {Configuration} from '@yarnpkg/core';
import {npath, ppath, xfs} from '@yarnpkg/fslib';
import type {PortablePath} from '@yarnpkg/fslib';

import type {LocalStore} from '../core/cache/localStore';
import {ProvenanceError} from '../core/errors';
import {policyDigest} from '../core/policy/digest';
import {weakestMode} from '../core/pins/continuity';
import {starterPolicyHint} from '../core/report/starterPolicy';
import type {Continuity, Mode, Policy} from '../core/policy/policy.types';
import {VERSION} from '../core/version';
import type {ProvenanceSettings} from './settings';

/**
 * The folder the policy path is resolved from: the project's root, except for `yarn dlx`, which
 * installs in a temporary project (`<tmp>/dlx-<pid>`) with a copy of the project's settings: there
 * the policy of the project dlx was run from applies.
 */
export async function policyRootOf(project: Project): Promise<PortablePath> {
  if (ppath.basename(project.cwd) !== `dlx-${process.pid}`)
    return project.cwd;
  const origin = await Configuration.findProjectCwd(npath.toPortablePath(process.cwd()));
  return origin ?? project.cwd;
}

/**
 * The project's policy, or null when there is no policy file at the default path. An invalid policy
 * throws POLICY_INVALID with every problem (a typo in a security policy must never silently weaken
 * it). A policy already parsed on this machine is taken from the store by the digest of its text;
 * the parser (YAML, JSON Schema) is only loaded when it is not.
 */
export async function loadProjectPolicy(settings: ProvenanceSettings, store: LocalStore): Promise<Policy | null> {
  let text: string;
  try {
    text = await xfs.readFilePromise(settings.policyPath, `utf8`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === `ENOENT` && !settings.policyPathExplicit)
      return null;
    throw new ProvenanceError({code: `SETTING_INVALID`, message: `provenancePolicyPath names ${npath.fromPortablePath(settings.policyPath)}, which cannot be read (${code ?? (error as Error).message})`, cause: error});
  }

  const origin = npath.fromPortablePath(settings.policyPath);
  const key = createHash(`sha256`).update(JSON.stringify([VERSION, origin, text])).digest(`hex`);
  let policy = store.getPolicy(key);
  if (policy === undefined) {
    const {parsePolicy} = await import('../core/policy/parsePolicy');
    policy = parsePolicy(text, origin);
    store.setPolicy(key, policy);
  }

  return applyModeOverride(policy, settings.modeOverride);
}

/** `provenanceDefaultMode` lets one machine (a laptop) downgrade enforcement without editing the policy. */
export function applyModeOverride(policy: Policy, mode: Mode | null): Policy {
  if (mode === null)
    return policy;
  // Continuity is weakened with the rules (never strengthened: a newLine `warn` stays a warning).
  const continuity = Object.fromEntries(Object.entries(policy.continuity).map(([check, own]) => [check, weakestMode(own, mode)])) as Continuity;
  const changed = {...policy, default: {...policy.default, mode}, rules: policy.rules.map(rule => ({...rule, mode})), continuity};
  return {...changed, digest: policyDigest(changed)};
}

/**
 * One line for each way the gate is off or weaker than the policy says, naming the file that did it:
 * printed on every install, because a quiet downgrade is how a security gate stops protecting anyone.
 */
export function gateWarnings(settings: ProvenanceSettings, policy: Policy | null): Array<string> {
  const from = (name: Parameters<ProvenanceSettings[`origin`]>[0]) => settings.origin(name) ?? `the defaults`;
  if (!settings.enabled)
    return [`Provenance gate OFF: provenanceEnabled is false (set in ${from(`provenanceEnabled`)}); packages are installed unchecked`];
  if (policy === null)
    return [`Provenance gate OFF: no policy at ${npath.fromPortablePath(settings.policyPath)}, so packages are installed unchecked. ${starterPolicyHint(ppath.basename(settings.policyPath))}`];

  const lines: Array<string> = [];
  if (settings.modeOverride !== null && settings.modeOverride !== `enforce`)
    lines.push(`Provenance gate weakened: provenanceDefaultMode is ${settings.modeOverride} (set in ${from(`provenanceDefaultMode`)}), overriding every rule of ${policy.origin}`);
  if (settings.trustedRootPath !== undefined)
    lines.push(`Provenance gate weakened: custom Sigstore trust, provenanceTrustedRootPath is ${settings.trustedRootPath} (set in ${from(`provenanceTrustedRootPath`)})`);
  if (settings.registryKeysPath !== undefined)
    lines.push(`Provenance gate weakened: custom registry keys, provenanceRegistryKeysPath is ${settings.registryKeysPath} (set in ${from(`provenanceRegistryKeysPath`)})`);
  return lines;
}
