import type {Configuration, Project, SettingsDefinition} from '@yarnpkg/core';
import {SettingsType} from '@yarnpkg/core';
import {npath, ppath} from '@yarnpkg/fslib';
import type {PortablePath} from '@yarnpkg/fslib';

/** The settings this plugin adds to `.yarnrc.yml` (all visible in `yarn config`). */
export const settingsDefinitions: Record<string, SettingsDefinition> = {
  provenancePolicyPath: {
    description: `Path of the provenance policy file, relative to the project root`,
    type: SettingsType.STRING,
    default: `.provenance.yml`,
  },
  provenanceEnabled: {
    description: `If false, installs are not checked against the provenance policy (yarn provenance audit still works)`,
    type: SettingsType.BOOLEAN,
    default: true,
  },
  provenanceDefaultMode: {
    description: `Overrides every rule's mode for this machine (enforce, warn or off); empty keeps the policy's modes`,
    type: SettingsType.STRING,
    default: ``,
  },
  provenanceConcurrency: {
    description: `How many attestation requests may run at once, beside Yarn's own downloads`,
    type: SettingsType.NUMBER,
    default: 16,
  },
  provenanceTrustedRootPath: {
    description: `A Sigstore trusted_root.json for a private Sigstore deployment (default: the public-good instance, embedded)`,
    type: SettingsType.ABSOLUTE_PATH,
    default: null,
  },
  provenanceRegistryKeysPath: {
    description: `Registry attestation keys for a private registry (TUF keys.json or a /-/npm/v1/keys answer; default: npm's, embedded)`,
    type: SettingsType.ABSOLUTE_PATH,
    default: null,
  },
};

export type ProvenanceSettings = {
  enabled: boolean;
  policyPath: PortablePath;
  modeOverride: `enforce` | `warn` | `off` | null;
  concurrency: number;
  trustedRootPath?: string;
  registryKeysPath?: string;
};

export function readSettings(configuration: Configuration, project: Project): ProvenanceSettings {
  const mode = String(configuration.get(`provenanceDefaultMode`) ?? ``);
  const trustedRoot = configuration.get(`provenanceTrustedRootPath`) as PortablePath | null;
  const registryKeys = configuration.get(`provenanceRegistryKeysPath`) as PortablePath | null;
  return {
    enabled: configuration.get(`provenanceEnabled`) as boolean,
    policyPath: ppath.resolve(project.cwd, npath.toPortablePath(configuration.get(`provenancePolicyPath`) as string)),
    modeOverride: mode === `enforce` || mode === `warn` || mode === `off` ? mode : null,
    concurrency: Math.max(1, Number(configuration.get(`provenanceConcurrency`)) || 16),
    trustedRootPath: trustedRoot ? npath.fromPortablePath(trustedRoot) : undefined,
    registryKeysPath: registryKeys ? npath.fromPortablePath(registryKeys) : undefined,
  };
}
