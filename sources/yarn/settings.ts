import {statSync} from 'node:fs';

import type {Configuration, SettingsDefinition} from '@yarnpkg/core';
import {SettingsType} from '@yarnpkg/core';
import {npath, ppath} from '@yarnpkg/fslib';
import type {PortablePath} from '@yarnpkg/fslib';

import {ProvenanceError} from '../core/errors';
import type {Mode} from '../core/policy/policy.types';

declare module '@yarnpkg/core' {
  interface ConfigurationValueMap {
    provenancePolicyPath: string;
    provenanceEnabled: boolean;
    provenanceDefaultMode: string;
    provenanceConcurrency: number;
    provenanceTrustedRootPath: PortablePath | null;
    provenanceRegistryKeysPath: PortablePath | null;
  }
}

/** The settings this plugin adds to `.yarnrc.yml` (all visible in `yarn config`). */
export const settingsDefinitions: Record<string, SettingsDefinition> = {
  provenancePolicyPath: {
    description: `Path of the provenance policy file, relative to the project root (an explicitly set path must exist)`,
    type: SettingsType.STRING,
    default: `.provenance.yml`,
  },
  provenanceEnabled: {
    description: `If false, installs are not checked against the provenance policy (every install says so; yarn provenance audit still works)`,
    type: SettingsType.BOOLEAN,
    default: true,
  },
  provenanceDefaultMode: {
    description: `Overrides every rule's mode on this machine: enforce, warn or off (empty keeps the policy's modes; every install says so)`,
    type: SettingsType.STRING,
    default: ``,
  },
  provenanceConcurrency: {
    description: `How many attestation requests may run at once, beside Yarn's own downloads (1 to 256)`,
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

export type SettingName = `provenancePolicyPath` | `provenanceEnabled` | `provenanceDefaultMode` | `provenanceConcurrency` | `provenanceTrustedRootPath` | `provenanceRegistryKeysPath`;

export type ProvenanceSettings = {
  enabled: boolean;
  policyPath: PortablePath;
  /** Whether the policy path was set by a configuration file (then it must exist). */
  policyPathExplicit: boolean;
  modeOverride: Mode | null;
  concurrency: number;
  trustedRootPath?: string;
  registryKeysPath?: string;
  /** The file (or `<environment>`) each setting came from, for messages; undefined for defaults. */
  origin: (name: SettingName) => string | undefined;
};

const MODES: ReadonlyArray<string> = [`enforce`, `warn`, `off`];

/**
 * The plugin's settings, validated when read: a value the plugin cannot take stops the install with
 * SETTING_INVALID naming the setting and its file, because a typo in a security setting must never
 * quietly weaken the gate. `policyRoot` is the folder a relative policy path is resolved from.
 */
export function readSettings(configuration: Configuration, policyRoot: PortablePath): ProvenanceSettings {
  const origin = (name: SettingName) => configuration.sources.get(name);
  const invalid = (name: SettingName, problem: string) => new ProvenanceError({
    code: `SETTING_INVALID`,
    message: `${name} ${problem} (set in ${origin(name) ?? `the defaults`})`,
  });

  const mode = configuration.get(`provenanceDefaultMode`);
  if (typeof mode !== `string` || (mode !== `` && !MODES.includes(mode)))
    throw invalid(`provenanceDefaultMode`, `is ${JSON.stringify(mode)}; expected one of ${MODES.join(`, `)} (or empty)`);

  const concurrency = configuration.get(`provenanceConcurrency`);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)
    throw invalid(`provenanceConcurrency`, `is ${String(concurrency)}; expected a whole number from 1 to 256`);

  const policySetting = configuration.get(`provenancePolicyPath`);
  if (typeof policySetting !== `string` || policySetting.trim() === ``)
    throw invalid(`provenancePolicyPath`, `is empty; expected the path of the policy file`);
  const policyPath = ppath.resolve(policyRoot, npath.toPortablePath(policySetting));
  const policyPathExplicit = origin(`provenancePolicyPath`) !== undefined;
  const policyKind = kindOfPath(npath.fromPortablePath(policyPath));
  if (policyKind === `folder` || (policyKind !== `file` && policyKind !== `absent`))
    throw invalid(`provenancePolicyPath`, `names ${npath.fromPortablePath(policyPath)}, which is ${policyKind === `folder` ? `a folder` : `unreadable (${policyKind})`}, not a policy file`);
  if (policyKind === `absent` && policyPathExplicit)
    throw invalid(`provenancePolicyPath`, `names ${npath.fromPortablePath(policyPath)}, which does not exist`);

  const trustFile = (name: `provenanceTrustedRootPath` | `provenanceRegistryKeysPath`): string | undefined => {
    const value = configuration.get(name);
    if (value === null)
      return undefined;
    const path = npath.fromPortablePath(value);
    const kind = kindOfPath(path);
    if (kind !== `file`)
      throw invalid(name, `names ${path}, which ${kind === `absent` ? `does not exist` : kind === `folder` ? `is a folder` : `is unreadable (${kind})`}`);
    return path;
  };

  return {
    enabled: configuration.get(`provenanceEnabled`),
    policyPath,
    policyPathExplicit,
    modeOverride: mode === `` ? null : mode as Mode,
    concurrency,
    trustedRootPath: trustFile(`provenanceTrustedRootPath`),
    registryKeysPath: trustFile(`provenanceRegistryKeysPath`),
    origin,
  };
}

function kindOfPath(path: string): `file` | `folder` | `absent` | string {
  try {
    const stat = statSync(path);
    return stat.isFile() ? `file` : stat.isDirectory() ? `folder` : `not a regular file`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === `ENOENT` || code === `ENOTDIR` ? `absent` : code ?? `unreadable`;
  }
}
