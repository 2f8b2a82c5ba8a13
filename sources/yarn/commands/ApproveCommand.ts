import {BaseCommand, WorkspaceRequiredError} from '@yarnpkg/cli';
import {Configuration, Project, StreamReport} from '@yarnpkg/core';
import {Command, Option} from 'clipanion';
import semver from 'semver';

import {isUsageError} from '../../core/errors';
import {EXIT} from '../../core/exitCodes';
import {reportUsageError} from '../usageErrors';

export class ApproveCommand extends BaseCommand {
  static override paths = [[`provenance`, `approve`]];

  static override usage = Command.Usage({
    category: `Provenance-related commands`,
    description: `record a package's new build identity in the provenance pins (.provenance.lock)`,
    details: `
      Verifies the installed versions of the package (those matching the range, if given), shows the pin of each release line beside the identity the newest version of that line was built with, and records that identity in \`.provenance.lock\` with \`since\` set to that version and the reason. The change shows in the pull request's diff. A version without provenance cannot be pinned: approving it removes the pin of its line. The policy is not changed and still decides.

      Exit codes: 0 recorded (or nothing to change); 1 a version's evidence did not verify, or the policy itself still blocks it; 2 no installed package matches, or bad usage.
    `,
    examples: [[
      `Accept that widget moved to a new repository`,
      `$0 provenance approve widget --reason "moved to github.com/acme-org/widget"`,
    ], [
      `Approve only the 2.x line`,
      `$0 provenance approve widget@^2 --reason "new release workflow"`,
    ]],
  });

  package = Option.String({name: `name[@range]`, required: false});
  reason = Option.String(`--reason`, {description: `Why the new identity is trusted; written into the pin`});

  async execute(): Promise<number> {
    const spec = this.package;
    if (spec === undefined) {
      this.context.stderr.write(`USAGE_INVALID: Missing the package to approve: yarn provenance approve <name>[@<range>] [--reason <text>]\n`);
      return EXIT.USAGE;
    }
    const at = spec.lastIndexOf(`@`);
    const [name, range] = at > 0 ? [spec.slice(0, at), spec.slice(at + 1)] : [spec, undefined];
    if (range !== undefined && semver.validRange(range) === null) {
      this.context.stderr.write(`USAGE_INVALID: "${range}" is not a version or semver range (yarn provenance approve <name>[@<range>])\n`);
      return EXIT.USAGE;
    }

    const configuration = await Configuration.find(this.context.cwd, this.context.plugins);
    const {project, workspace} = await Project.find(configuration, this.context.cwd);
    if (!workspace)
      throw new WorkspaceRequiredError(project.cwd, this.context.cwd);

    let exitCode: number = EXIT.OK;
    await StreamReport.start({configuration, stdout: this.context.stdout, includeFooter: false}, async report => {
      const {approveInProject} = await import('../approveProject');
      exitCode = await approveInProject(project, report, {name, ...(range !== undefined ? {range} : {}), ...(this.reason !== undefined ? {reason: this.reason} : {})}).catch(error => {
        if (!isUsageError(error))
          throw error;
        reportUsageError(report, error);
        return EXIT.USAGE;
      });
    });
    return exitCode;
  }
}
