import {BaseCommand} from '@yarnpkg/cli';
import {Command, Option} from 'clipanion';

import {EXIT} from '../../core/exitCodes';
import {unsupportedYarnReason} from '../hostYarn';

/**
 * Stands in for every `yarn provenance` command on a Yarn the plugin does not support, so that they
 * say why in one line (exit 2) instead of running on internals that are not there.
 */
export class UnsupportedYarnCommand extends BaseCommand {
  static override paths = [[`provenance`]];

  static override usage = Command.Usage({
    category: `Provenance-related commands`,
    description: `unavailable: this Yarn is not supported by the provenance plugin`,
  });

  rest = Option.Proxy();

  async execute(): Promise<number> {
    this.context.stdout.write(`${unsupportedYarnReason()}\n`);
    return EXIT.USAGE;
  }
}
