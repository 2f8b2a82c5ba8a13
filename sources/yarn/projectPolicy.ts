import {createHash} from 'node:crypto';

import type {MessageName, Project} from '@yarnpkg/core';
import {MessageName as Names} from '@yarnpkg/core';
import {npath, ppath, xfs} from '@yarnpkg/fslib';

import type {LocalStore} from '../core/cache/localStore';
import {isProvenanceError} from '../core/errors';
import {policyDigest} from '../core/policy/digest';
import type {Mode, Policy} from '../core/policy/policy.types';
import {VERSION} from '../core/version';
import type {ProvenanceSettings} from './settings';

type ValidationReport = {reportWarning: (name: MessageName, text: string) => void, reportError: (name: MessageName, text: string) => void};

/**
 * The project's policy, or null when there is none (a hint is shown once per project and machine)
 * or when it is invalid (every problem is reported as an error, which stops the install before
 * resolution: a typo in a security policy must never silently weaken it). A policy already parsed
 * on this machine is taken from the store by the digest of its text; the parser (YAML, JSON Schema)
 * is only loaded when it is not.
 */
export async function loadProjectPolicy(project: Project, settings: ProvenanceSettings, report: ValidationReport, store: LocalStore): Promise<Policy | null> {
  let text: string;
  try {
    text = await xfs.readFilePromise(settings.policyPath, `utf8`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== `ENOENT`)
      throw error;
    hintOnce(project, settings, report);
    return null;
  }

  const origin = npath.fromPortablePath(settings.policyPath);
  const key = createHash(`sha256`).update(JSON.stringify([VERSION, origin, text])).digest(`hex`);
  let policy = store.getPolicy(key);
  if (policy === undefined) {
    try {
      const {parsePolicy} = await import('../core/policy/parsePolicy');
      policy = parsePolicy(text, origin);
    } catch (error) {
      if (!isProvenanceError(error))
        throw error;
      const [first, ...rest] = error.message.split(`\n`);
      report.reportError(Names.UNNAMED, `Provenance ${error.code}: ${first}`);
      for (const line of rest)
        report.reportError(Names.UNNAMED, `  ${line}`);
      return null;
    }
    store.setPolicy(key, policy);
  }

  return applyModeOverride(policy, settings.modeOverride);
}

function hintOnce(project: Project, settings: ProvenanceSettings, report: ValidationReport): void {
  const marker = ppath.join(project.configuration.get(`globalFolder`), `provenance/hinted-${createHash(`sha256`).update(project.cwd).digest(`hex`).slice(0, 16)}`);
  if (xfs.existsSync(marker))
    return;
  report.reportWarning(Names.UNNAMED, `Provenance: no policy at ${npath.fromPortablePath(settings.policyPath)}, so installs are not checked. Create one to start, e.g. \`printf 'version: 1\\n' > .provenance.yml\` (verifies any provenance present) or copy a preset from the plugin's policies/ folder; \`yarn provenance audit\` shows what a policy would say. (Shown once.)`);
  try {
    xfs.mkdirSync(ppath.dirname(marker), {recursive: true});
    xfs.writeFileSync(marker, ``);
  } catch {
    // Not being able to remember the hint only means it is shown again.
  }
}

/** `provenanceDefaultMode` lets one machine (a laptop) downgrade enforcement without editing the policy. */
export function applyModeOverride(policy: Policy, mode: Mode | null): Policy {
  if (mode === null)
    return policy;
  const changed = {...policy, default: {...policy.default, mode}, rules: policy.rules.map(rule => ({...rule, mode}))};
  return {...changed, digest: policyDigest(changed)};
}
