import {BaseCommand, WorkspaceRequiredError} from '@yarnpkg/cli';
import {Configuration, MessageName, Project, StreamReport} from '@yarnpkg/core';
import {Command, Option} from 'clipanion';

import {isUsageError} from '../../core/errors';
import {reportUsageError} from '../usageErrors';
import {EXIT, exitCodeFor} from '../../core/exitCodes';
import type {ProjectPackage} from '../projectPackages';
import {formatVerdict} from '../../core/report/formatVerdict';
import {describeExtension} from '../../core/report/fulcioExtensionNames';
import {describeContinuity} from '../../core/pins/describePins';
import type {Verdict} from '../../core/provenance.types';
import {dependencyChains} from '../dependencyChains';

/**
 * For triage: the pin beside this version's identity, the registry's publish signals, who pulls the
 * package in (as `yarn why` does), and the exact `approve` command when continuity found a change.
 */
function triageLines(project: Project, verdict: Verdict): Array<string> {
  const lines: Array<string> = [];
  const registry = verdict.provenance?.registry;
  if (registry !== undefined)
    lines.push(`  registry  signature ${registry.signature}${registry.keyId ? ` (key ${registry.keyId})` : ``}; trusted publisher: ${registry.trustedPublisher ? `yes` : `no`}; staged: ${registry.staged ? `yes` : `no`}`);
  lines.push(...describeContinuity(verdict));
  if (verdict.continuity === undefined && verdict.provenance?.provenance !== undefined)
    lines.push(`  continuity no pin for this package yet: the next ordinary install records one`);
  const chains = dependencyChains(project, verdict.package);
  for (const [index, chain] of chains.entries())
    lines.push(`  ${index === 0 ? `pulled in` : ``.padEnd(9)} ${chain.join(` › `)}`);
  return lines;
}
import type {ReportRecord} from '../../core/report/jsonRecords';
import {errorRecord, jsonLines, summaryRecord} from '../../core/report/jsonRecords';
import {linesTo, reportUsageProblem} from '../../core/run/usageProblem';
import {readProjectLockfile} from '../projectLockfile';

export class ExplainCommand extends BaseCommand {
  static override paths = [[`provenance`, `explain`]];

  static override usage = Command.Usage({
    category: `Provenance-related commands`,
    description: `show all the provenance evidence for a package, and the rule that decided`,
    details: `
      For every version of the package in the project: the verdict, what was expected and found, the signer identity read from the Fulcio certificate (source repository, ref, commit, workflow, runner, issuer), the SLSA predicate's claims, the publish attestation, every Fulcio certificate extension with the Rekor log entry, and the policy rule that decided. For triage: the provenance pin of the version's release line beside its own identity (\`.provenance.lock\`), the registry's publish signals, the dependency chains from the workspaces that pull it in, and the exact \`yarn provenance approve\` command when its identity changed.
    `,
    examples: [[
      `Explain why a package is blocked`,
      `$0 provenance explain sigstore`,
    ], [
      `Explain one version`,
      `$0 provenance explain @sigstore/bundle@2.3.2`,
    ], [
      `The verdicts as JSON records (one per line, then a summary)`,
      `$0 provenance explain sigstore --json`,
    ]],
  });

  package = Option.String({name: `name[@version]`, required: false});
  json = Option.Boolean(`--json`, false, {description: `Print one JSON record per version, then a summary record`});

  async execute(): Promise<number> {
    const print = (record: ReportRecord) => this.context.stdout.write(`${JSON.stringify(record)}\n`);
    const usageProblem = (code: string, message: string) => reportUsageProblem(linesTo(this.context), this.json, code, message);
    if (this.package === undefined)
      return usageProblem(`USAGE_INVALID`, `Missing the package to explain: yarn provenance explain <name>[@<version>] (for example yarn provenance explain sigstore)`);
    const spec = this.package;
    const configuration = await Configuration.find(this.context.cwd, this.context.plugins);
    const {project, workspace} = await Project.find(configuration, this.context.cwd);
    if (!workspace)
      throw new WorkspaceRequiredError(project.cwd, this.context.cwd);

    const at = spec.lastIndexOf(`@`);
    const [name, version] = at > 0 ? [spec.slice(0, at), spec.slice(at + 1)] : [spec, undefined];
    let exitCode: number = EXIT.OK;

    // JSON records alone on stdout: Yarn's own lines (progress, notes) go to stderr.
    await StreamReport.start({configuration, stdout: this.json ? this.context.stderr : this.context.stdout, includeFooter: false}, async report => {
      const {auditProject} = await import('../auditProject');
      // An alias is found under either of its names; `explain` verifies afresh to show every extension.
      const only = (pkg: ProjectPackage) => (pkg.subject.ref.name === name || pkg.subject.installedAs.includes(name)) && (version === undefined || pkg.subject.ref.version === version);
      const result = await auditProject(project, project.workspaces, report, {only, remember: false}).catch(error => {
        if (!isUsageError(error))
          throw error;
        if (this.json)
          usageProblem(error.code, error.message);
        else
          reportUsageError(report, error);
        return null;
      });
      if (result === null) {
        exitCode = EXIT.USAGE;
        return;
      }
      // A package a blocked `yarn add`/`yarn up` refused is not in the project: show what the gate printed.
      const refused = result.lastBlocked?.packages.filter(pkg => pkg.name === name && (version === undefined || pkg.version === version)) ?? [];
      if (result.verdicts.length === 0 && refused.length > 0 && this.json) {
        // Not in the project: the record the gate wrote when it refused it (an error record from an older plugin).
        for (const pkg of refused) {
          if (pkg.record !== undefined)
            this.context.stdout.write(`${JSON.stringify(pkg.record)}\n`);
          else
            print(errorRecord(pkg.code, `${pkg.name}@${pkg.version} was refused by the install blocked at ${result.lastBlocked!.at}: ${pkg.lines.map(line => line.trim()).join(` `)}`));
        }
        print(summaryRecord([], EXIT.FAILED));
        exitCode = EXIT.FAILED;
        return;
      }
      if (result.verdicts.length === 0 && refused.length > 0) {
        report.reportInfo(null, `Not in the project: refused by the install blocked at ${result.lastBlocked!.at}`);
        for (const pkg of refused)
          for (const line of pkg.lines)
            report.reportInfo(null, line);
        exitCode = EXIT.FAILED;
        return;
      }
      if (result.verdicts.length === 0 && this.json) {
        exitCode = usageProblem(`USAGE_INVALID`, `${spec} is not a package of this project (run \`yarn why ${name}\`)`);
        return;
      }
      if (result.verdicts.length === 0) {
        report.reportError(MessageName.UNNAMED, `${spec} is not a package of this project (run \`yarn why ${name}\`)`);
        exitCode = EXIT.USAGE;
        return;
      }
      if (this.json) {
        exitCode = exitCodeFor(result.verdicts);
        const lockfile = await readProjectLockfile(project);
        for (const line of jsonLines(result.verdicts, exitCode, {lockfile}))
          this.context.stdout.write(`${line}\n`);
        return;
      }

      for (const verdict of result.verdicts) {
        for (const line of formatVerdict(verdict))
          report.reportInfo(null, line);
        const provenance = verdict.provenance?.provenance;
        if (provenance) {
          const {claims, identity} = provenance;
          report.reportInfo(null, `  predicate ${claims.predicateType} (${claims.buildType})`);
          report.reportInfo(null, `            claims ${claims.sourceRepo}${claims.ref ? ` @ ${claims.ref}` : ``}${claims.workflowPath ? `, ${claims.workflowPath}` : ``}${claims.commit ? `, ${claims.commit}` : ``}`);
          if (provenance.integratedTime)
            report.reportInfo(null, `  logged    ${provenance.integratedTime.toISOString()} (Rekor)`);
          report.reportInfo(null, `  SAN       ${identity.subjectAlternativeName ?? `(none)`}`);
          const named = Object.entries(identity.extensions).map(([oid, value]) => [describeExtension(oid), value] as const);
          const width = Math.max(0, ...named.map(([name]) => name.length));
          for (const [name, value] of named)
            report.reportInfo(null, `  ${name.padEnd(width)}  ${value}`);
          if (provenance.logIndex !== undefined)
            report.reportInfo(null, `  Rekor     log index ${provenance.logIndex}: https://search.sigstore.dev/?logIndex=${provenance.logIndex}`);
        }
        for (const line of triageLines(project, verdict))
          report.reportInfo(null, line);
        report.reportSeparator();
      }
      report.reportInfo(null, `Policy: ${result.policy.origin}`);
      exitCode = exitCodeFor(result.verdicts);
    });

    return exitCode;
  }
}
