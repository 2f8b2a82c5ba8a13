import type {Hooks, Plugin} from '@yarnpkg/core';

import {AuditCommand} from './yarn/commands/AuditCommand';
import {ExplainCommand} from './yarn/commands/ExplainCommand';
import {VerifyCommand} from './yarn/commands/VerifyCommand';
import {settingsDefinitions} from './yarn/settings';
import {wrapNetworkRequest} from './yarn/tarballBinding';

/**
 * Settings, commands and hooks; everything else lives in sources/yarn and sources/core. Every Yarn
 * command loads this file, so the verifier (sigstore, the policy engine) is imported only when an
 * install or a provenance command needs it.
 */
const plugin: Plugin<Hooks> = {
  configuration: settingsDefinitions as Plugin[`configuration`],
  commands: [AuditCommand, ExplainCommand, VerifyCommand],
  hooks: {
    validateProject: async (project, report) => {
      const {armInstallGate} = await import('./yarn/installGate');
      await armInstallGate(project, report);
    },
    wrapNetworkRequest,
  },
};

export default plugin;
