import {BaseCommand, WorkspaceRequiredError} from '@yarnpkg/cli';
import {Configuration, MessageName, Project, StreamReport} from '@yarnpkg/core';
import {npath, ppath, xfs} from '@yarnpkg/fslib';
import {Command, Option} from 'clipanion';
import * as t from 'typanion';

import {isUsageError, ProvenanceError} from '../../core/errors';
import {EXIT} from '../../core/exitCodes';
import {PRESET_NAMES} from '../../core/init/presets';
import {formatVerdict} from '../../core/report/formatVerdict';
import {policyRootOf} from '../projectPolicy';
import {readSettings} from '../settings';
import {reportUsageError} from '../usageErrors';

export class InitCommand extends BaseCommand {
  static override paths = [[`provenance`, `init`]];

  static override usage = Command.Usage({
    category: `Provenance-related commands`,
    description: `write a provenance policy and pins for the project as it is`,
    details: `
      Verifies every npm package of the project (every workspace) through the install gate's pipeline, as \`yarn provenance audit -A\` does, then writes \`.provenance.yml\` (the \`provenancePolicyPath\` setting) and \`.provenance.lock\` beside it.

      The policy has one rule per source repository, naming every package built there and requiring provenance from it (\`@scope/*\` when every installed package of the scope comes from that repository); packages without provenance are listed in a comment. The pins file records, for each package and release line, the identity that built it (pins already in the file are kept). The next \`yarn install\` passes under both unchanged.

      \`--preset\` takes the \`default\` and \`continuity\` settings of policies/<name>.yml (\`recommended\`, the default; \`strict\`; \`audit-only\`). When the preset requires provenance of every package, one exception (\`require: none\`, with a reason) names the packages that have none.

      An existing policy is never overwritten without \`--force\` (exit 2). Nothing is written when a package fails verification (exit 1) or cannot be verified (exit 3).
    `,
    examples: [[
      `Write a policy and pins for the project`,
      `$0 provenance init`,
    ], [
      `Start from the strict preset, replacing the current policy`,
      `$0 provenance init --preset strict --force`,
    ]],
  });

  preset = Option.String(`--preset`, `recommended`, {description: `Settings to start from: recommended, strict or audit-only`, validator: t.isEnum(PRESET_NAMES)});
  force = Option.Boolean(`--force`, false, {description: `Replace an existing policy`});

  async execute(): Promise<number> {
    const configuration = await Configuration.find(this.context.cwd, this.context.plugins);
    const {project, workspace} = await Project.find(configuration, this.context.cwd);
    if (!workspace)
      throw new WorkspaceRequiredError(project.cwd, this.context.cwd);

    let exitCode: number = EXIT.OK;
    await StreamReport.start({configuration, stdout: this.context.stdout, includeFooter: false}, async report => {
      try {
        const {policyPath} = readSettings(configuration, await policyRootOf(project));
        if (!this.force && xfs.existsSync(policyPath))
          throw new ProvenanceError({code: `USAGE_INVALID`, message: `${npath.fromPortablePath(policyPath)} already exists: init never overwrites a policy (pass --force to replace it)`});

        // Loaded here, not with the plugin: every Yarn command loads the plugin.
        const [{auditProject}, {initProject}, {parsePins, PINS_FILE_NAME}] = await Promise.all([import('../auditProject'), import('../../core/init/initProject'), import('../../core/pins/pinsFile')]);
        const pinsPath = ppath.join(ppath.dirname(policyPath), PINS_FILE_NAME);
        const pinsText = await xfs.readFilePromise(pinsPath, `utf8`).catch(() => null);
        const pins = pinsText === null ? new Map() : parsePins(pinsText, npath.fromPortablePath(pinsPath)).entries;
        const {verdicts} = await auditProject(project, project.workspaces, report);
        const outcome = initProject({verdicts, preset: this.preset, pins, policyOrigin: npath.fromPortablePath(policyPath), now: new Date()});
        if (!outcome.ok) {
          for (const line of outcome.unsettled.flatMap(verdict => formatVerdict(verdict)))
            report.reportError(MessageName.UNNAMED, line);
          report.reportError(MessageName.UNNAMED, `Nothing written: a policy must not be built on packages that failed or could not be verified`);
          exitCode = outcome.unsettled.some(verdict => verdict.status !== `unverifiable`) ? EXIT.FAILED : EXIT.UNVERIFIABLE;
          return;
        }

        await xfs.writeFilePromise(policyPath, outcome.policyText);
        await xfs.writeFilePromise(pinsPath, outcome.pinsText);
        const {packages, attested, rules, unattested, unattestable, pinsAdded} = outcome.summary;
        report.reportInfo(MessageName.UNNAMED, `Wrote ${ppath.basename(policyPath)}: ${packages} packages, ${attested} attested in ${rules} rule${rules === 1 ? `` : `s`}, ${unattested} unattested${unattestable > 0 ? `, ${unattestable} not from the registry` : ``}`);
        report.reportInfo(MessageName.UNNAMED, `Wrote ${PINS_FILE_NAME}: ${pinsAdded} release line${pinsAdded === 1 ? `` : `s`} pinned${pins.size > 0 ? ` (${pins.size} kept)` : ``}`);
      } catch (error) {
        if (!isUsageError(error))
          throw error;
        reportUsageError(report, error);
        exitCode = EXIT.USAGE;
      }
    });
    return exitCode;
  }
}
