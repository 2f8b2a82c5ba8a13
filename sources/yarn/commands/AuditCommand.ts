import {BaseCommand, WorkspaceRequiredError} from '@yarnpkg/cli';
import {Configuration, formatUtils, MessageName, Project, StreamReport} from '@yarnpkg/core';
import {npath, xfs} from '@yarnpkg/fslib';
import {Command, Option} from 'clipanion';

import {isAbsolute, resolve} from 'node:path';

import {isUsageError} from '../../core/errors';
import {reportUsageError} from '../usageErrors';
import {EXIT, exitCodeFor} from '../../core/exitCodes';
import {toMarkdown} from '../../core/report/toMarkdown';
import {policyProblemsToSarif, toSarif} from '../../core/report/toSarif';
import {PolicyInvalidError} from '../../core/policy/policyError';
import type {StatusTone} from '../../core/report/toTable';
import {toTable} from '../../core/report/toTable';
import {writeGitlabCodeQuality} from '../../core/report/toGitlabCodeQuality';
import {jsonLines, usageErrorLines} from '../../core/report/jsonRecords';
import {VERSION} from '../../core/version';
import {projectRelative, readProjectLockfile} from '../projectLockfile';

/** The colours the install gives the same states: errors red, warnings yellow (formatUtils, off without colours). */
const TONE_COLOURS: Record<StatusTone, string> = {blocks: `red`, warns: `yellow`, verified: `green`, neutral: `grey`};
import type {Policy} from '../../core/policy/policy.types';
import type {RuleFinding} from '../../core/policy/ruleUsage';
import type {ProjectPackage} from '../projectPackages';

export class AuditCommand extends BaseCommand {
  static override paths = [[`provenance`, `audit`]];

  static override usage = Command.Usage({
    category: `Provenance-related commands`,
    description: `verify the provenance of every npm package against the policy`,
    details: `
      Checks every npm package that the current workspace depends on (directly or not), or every workspace's with \`-A,--all\`, against the project's provenance policy (\`provenancePolicyPath\`, \`.provenance.yml\` by default; the built-in policy when there is none): Sigstore signatures, the tarball binding, and the signer identity (source repository, ref, workflow, builder, runner).

      Nothing is installed or changed. Results already established on this machine are reused; the rest is fetched from the registry through Yarn's network settings.

      Output: a table by default (lockfile order, at most 120 columns, whether each package blocks the install, then the counts per status; \`-f,--failures-only\` lists only the packages with a finding); \`--json\` prints one JSON record per package (one per line), then a summary record (README "JSON records"); \`--sarif\` prints a SARIF 2.1.0 log; \`--markdown\` prints a summary for CI job summaries. \`--gitlab-codequality <file>\` also writes GitLab's Code Quality JSON (one issue per finding, at its yarn.lock entry) to that file.

      Packages come from the lockfile; when it lacks some (a first install that was blocked), they are resolved as \`yarn install\` would, without installing. Registry packages are read from Yarn's cache (downloaded into it when missing), so the verdicts are about the bytes an install would link. Git, tarball-URL, \`file:\` and \`exec:\` dependencies are listed as \`unattestable\`; workspaces and links inside the project as the project's own code.

      Exit codes: 0 nothing blocks; 1 a package violates the policy or fails verification; 2 an invalid setting, policy or trust file; 3 nothing failed but some packages could not be verified (network).
    `,
    examples: [[
      `Audit the current workspace's dependencies`,
      `$0 provenance audit`,
    ], [
      `List only the packages that block or warn`,
      `$0 provenance audit --failures-only`,
    ], [
      `Audit every workspace and write SARIF for code scanning`,
      `$0 provenance audit --all --sarif > provenance.sarif`,
    ], [
      `Add a summary to a GitHub Actions job`,
      `$0 provenance audit --markdown >> "$GITHUB_STEP_SUMMARY"`,
    ], [
      `Write a GitLab Code Quality report (artifacts: reports: codequality) beside the table`,
      `$0 provenance audit --gitlab-codequality gl-code-quality-report.json`,
    ]],
  });

  all = Option.Boolean(`-A,--all`, false, {description: `Audit the dependencies of every workspace`});
  json = Option.Boolean(`--json`, false, {description: `Print one JSON record per package`});
  sarif = Option.Boolean(`--sarif`, false, {description: `Print a SARIF 2.1.0 log`});
  markdown = Option.Boolean(`--markdown`, false, {description: `Print a Markdown summary`});
  gitlabCodeQuality = Option.String(`--gitlab-codequality`, {description: `Also write GitLab's Code Quality JSON for the findings to this file`});
  failuresOnly = Option.Boolean(`-f,--failures-only`, false, {description: `List only the packages with a finding (table and --json)`});

  async execute(): Promise<number> {
    if ([this.json, this.sarif, this.markdown].filter(Boolean).length > 1) {
      this.context.stderr.write(`Choose one of --json, --sarif and --markdown.\n`);
      return EXIT.USAGE;
    }

    const configuration = await Configuration.find(this.context.cwd, this.context.plugins);
    const {project, workspace} = await Project.find(configuration, this.context.cwd);
    if (!workspace)
      throw new WorkspaceRequiredError(project.cwd, this.context.cwd);

    const workspaces = this.all ? project.workspaces : [workspace];
    let exitCode: number = EXIT.OK;
    const quiet = this.sarif || this.markdown || this.json;
    const print = (line: string) => this.context.stdout.write(`${line}\n`);

    // A document on stdout (SARIF, Markdown, JSON records) must be whole or absent: Yarn's own lines go to stderr.
    const reportStream = quiet ? this.context.stderr : this.context.stdout;
    await StreamReport.start({configuration, stdout: reportStream, includeFooter: false, forceSectionAlignment: false}, async report => {
      const {auditProject} = await import('../auditProject');
      const result = await auditProject(project, workspaces, quiet ? silent(report) : report, {registryBound: true}).catch(error => {
        // The user's own settings, policy or trust files: one coded line, no partial report.
        if (!isUsageError(error))
          throw error;
        // Code scanning shows a broken policy at its lines; the exit code still says "usage".
        if (this.sarif && error instanceof PolicyInvalidError) {
          const policyUri = projectRelative(project, error.origin);
          this.context.stdout.write(`${JSON.stringify(policyProblemsToSarif(error.problems, {toolVersion: VERSION, policyUri}), null, 2)}\n`);
        }
        if (this.json)
          usageErrorLines(error.code, error.message).forEach(print);
        else
          reportUsageError(report, error);
        return null;
      });
      if (result === null) {
        exitCode = EXIT.USAGE;
        return;
      }

      exitCode = exitCodeFor(result.verdicts);
      // Exception hygiene (README, "The policy"): rules no package matches, exceptions about to expire.
      const policyFindings = await ruleFindings(project, result.policy, result.projectPackages);
      // Every format places findings at their yarn.lock entries: read it once.
      const lockfile = await readProjectLockfile(project);
      if (this.gitlabCodeQuality !== undefined) {
        const {uri, text} = lockfile;
        try {
          writeGitlabCodeQuality(resolve(npath.fromPortablePath(this.context.cwd), this.gitlabCodeQuality), result.verdicts, {path: uri, text});
        } catch (error) {
          if (!isUsageError(error))
            throw error;
          // The report asked for is missing: the run failed, whatever the verdicts say.
          if (this.json)
            usageErrorLines(error.code, error.message).forEach(print);
          else
            reportUsageError(report, error);
          exitCode = EXIT.USAGE;
          return;
        }
      }
      if (this.json) {
        const {uri, text} = lockfile;
        const lines = jsonLines(result.verdicts, exitCode, {lockfile: {file: uri, text}, failuresOnly: this.failuresOnly});
        // The summary stays the last record.
        const policyRecords = policyFindings.map(({finding, line}) => JSON.stringify({type: `policy`, kind: finding.kind, rule: finding.rule.index, line: finding.rule.position?.line ?? null, lines: finding.lines ?? null, message: line}));
        for (const line of [...lines.slice(0, -1), ...policyRecords, ...lines.slice(-1)])
          print(line);
      } else if (this.sarif) {
        this.context.stdout.write(`${JSON.stringify(toSarif(result.verdicts, {toolVersion: VERSION, lockfile}), null, 2)}\n`);
      } else if (this.markdown) {
        // A job summary is read on another machine: the policy's path from the project root, not this runner's.
        const origin = isAbsolute(result.policy.origin) ? projectRelative(project, result.policy.origin) : result.policy.origin;
        this.context.stdout.write(toMarkdown(result.verdicts, origin));
      } else {
        const lockfileText = lockfile.text;
        // Before the table: its last line stays the counts.
        if (result.unpinned > 0)
          report.reportInfo(null, `Provenance pins: ${result.unpinned} package${result.unpinned === 1 ? ` has` : `s have`} no pin yet: the next ordinary install records them in .provenance.lock`);
        // Yarn puts `➤ YN0000: ` (10 columns) before each line: the whole line fits 120 columns.
        const colour = (text: string, tone: StatusTone) => formatUtils.pretty(configuration, text, TONE_COLOURS[tone]);
        for (const line of toTable(result.verdicts, {lockfileText, failuresOnly: this.failuresOnly, width: 110, colour}))
          report.reportInfo(null, line);
        const present = new Set(result.verdicts.map(verdict => `${verdict.package.name}@${verdict.package.version}`));
        const refused = result.lastBlocked?.packages.filter(pkg => !present.has(`${pkg.name}@${pkg.version}`)) ?? [];
        for (const {line} of policyFindings)
          report.reportWarning(MessageName.UNNAMED, line);
        if (refused.length > 0)
          report.reportWarning(MessageName.UNNAMED, `The last install (${result.lastBlocked!.at}) was blocked and refused ${refused.map(pkg => `${pkg.name}@${pkg.version} (${pkg.code})`).join(`, `)}: yarn provenance explain ${refused[0]!.name}@${refused[0]!.version}`);
      }
    });

    return exitCode;
  }
}

/** Stale rules and expiring exceptions of the policy, against every package of the project (all workspaces). */
async function ruleFindings(project: Project, policy: Policy, packages: ReadonlyArray<ProjectPackage>): Promise<Array<{finding: RuleFinding, line: string}>> {
  const [{ruleUsage, describeRuleFinding}, {ruleLineSpans}, {namesOf}] = await Promise.all([
    import('../../core/policy/ruleUsage'), import('../../core/policy/ruleLines'), import('../../core/pipeline/evaluateSubject'),
  ]);
  const text = await xfs.readFilePromise(npath.toPortablePath(policy.origin), `utf8`).catch(() => null);
  const refs = packages.flatMap(pkg => namesOf(pkg.subject));
  const findings = ruleUsage(policy, refs, new Date(), text === null ? [] : ruleLineSpans(text));
  return findings.map(finding => ({finding, line: describeRuleFinding(finding, projectRelative(project, policy.origin))}));
}

/** For machine formats on stdout: keep Yarn's own report lines out of the document. */
function silent<T extends object>(report: T): T {
  return new Proxy(report, {
    get(target, property, receiver) {
      if (property === `reportInfo` || property === `reportWarning`)
        return () => {};
      if (property === `reportProgress`)
        return () => Object.assign(Promise.resolve(), {stop: () => {}});
      return Reflect.get(target, property, receiver);
    },
  });
}
