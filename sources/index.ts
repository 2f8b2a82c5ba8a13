import type {Hooks, Plugin} from '@yarnpkg/core';
import {MessageName, ReportError} from '@yarnpkg/core';

import {ApproveCommand} from './yarn/commands/ApproveCommand';
import {AuditCommand} from './yarn/commands/AuditCommand';
import {ExplainCommand} from './yarn/commands/ExplainCommand';
import {InitCommand} from './yarn/commands/InitCommand';
import {UnsupportedYarnCommand} from './yarn/commands/UnsupportedYarnCommand';
import {VerifyCommand} from './yarn/commands/VerifyCommand';
import {unsupportedYarnReason} from './yarn/hostYarn';
import {settingsDefinitions} from './yarn/settings';
import {wrapNetworkRequest} from './yarn/tarballBinding';

/** Decided once, when Yarn loads the plugin: null on a supported Yarn. */
const unsupported = unsupportedYarnReason();

/**
 * Settings, commands and hooks; everything else lives in sources/yarn and sources/core. Every Yarn
 * command loads this file, so the verifier (sigstore, the policy engine) is imported only when an
 * install or a provenance command needs it. On a Yarn it does not support, the plugin fails closed:
 * every install stops with one coded line naming the supported range, and so do its commands.
 */
const plugin: Plugin<Hooks> = {
  configuration: settingsDefinitions as Plugin[`configuration`],
  commands: unsupported === null ? [ApproveCommand, AuditCommand, ExplainCommand, InitCommand, VerifyCommand] : [UnsupportedYarnCommand],
  hooks: {
    validateProject: async (project, report) => {
      if (unsupported !== null) {
        // Thrown, not reported: Yarn 3 goes on to fetch and link after errors reported here.
        if (project.configuration.get(`provenanceEnabled`) !== false)
          throw new ReportError(MessageName.UNNAMED, unsupported);
        return;
      }
      const {armInstallGate} = await import('./yarn/installGate');
      await armInstallGate(project, report);
    },
    wrapNetworkRequest,
  },
};

export default plugin;
