import type {Hooks, Plugin} from '@yarnpkg/core';

import {AuditCommand} from './yarn/commands/AuditCommand';
import {ExplainCommand} from './yarn/commands/ExplainCommand';
import {VerifyCommand} from './yarn/commands/VerifyCommand';
import {armInstallGate} from './yarn/installGate';
import {settingsDefinitions} from './yarn/settings';
import {wrapNetworkRequest} from './yarn/tarballTap';

/** Settings, commands and hooks; everything else lives in sources/yarn and sources/core. */
const plugin: Plugin<Hooks> = {
  configuration: settingsDefinitions as Plugin[`configuration`],
  commands: [AuditCommand, ExplainCommand, VerifyCommand],
  hooks: {
    validateProject: armInstallGate,
    wrapNetworkRequest,
  },
};

export default plugin;
