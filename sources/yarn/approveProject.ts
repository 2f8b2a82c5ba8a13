import type {Project, Report} from '@yarnpkg/core';
import {MessageName} from '@yarnpkg/core';
import {ppath} from '@yarnpkg/fslib';
import semver from 'semver';

import {EXIT} from '../core/exitCodes';
import {approvePins} from '../core/pins/approvePins';
import type {Approval} from '../core/pins/approvePins';
import {describePinComparison, pinTitle} from '../core/pins/describePins';
import {pinIdentityOf} from '../core/pins/pinIdentity';
import {isContinuityCode} from '../core/pins/continuity';
import {auditProject} from './auditProject';
import type {ProjectPackage} from './projectPackages';
import {writeProjectPins} from './projectPins';

/**
 * `yarn provenance approve <name>[@<range>]`: verifies the installed versions of the package as audit
 * does, shows each line's pin beside the version's identity, and records it in the pins file. Returns
 * the exit code: 2 when no installed package matches, 1 when something could not be approved or the
 * policy itself still blocks it, else 0.
 */
export async function approveInProject(project: Project, report: Report, {name, range, reason}: {name: string, range?: string, reason?: string}): Promise<number> {
  const only = (pkg: ProjectPackage) => pkg.subject.ref.name === name && pkg.subject.source.kind === `registry`
    && (range === undefined || semver.satisfies(pkg.subject.ref.version, range, {includePrerelease: true}));
  const result = await auditProject(project, project.workspaces, report, {only});
  if (result.verdicts.length === 0) {
    report.reportError(MessageName.UNNAMED, `USAGE_INVALID: no installed npm package matches ${name}${range !== undefined ? `@${range}` : ``} (run \`yarn why ${name}\`; install it first, then approve)`);
    return EXIT.USAGE;
  }

  const pinsFile = result.pins;
  const {entries, approvals} = approvePins(pinsFile.pins.entries, result.verdicts, reason);
  const file = ppath.basename(pinsFile.path);
  let exitCode: number = EXIT.OK;
  for (const approval of approvals) {
    for (const line of describeApproval(approval, file))
      report.reportInfo(null, line);
    if (approval.kind === `unverified`)
      exitCode = EXIT.FAILED;
    // The policy still decides: approving pins never lifts a block of the policy's own.
    const {verdict} = approval;
    if (approval.kind !== `unverified` && !verdict.allowed && verdict.code !== undefined && !isContinuityCode(verdict.code)) {
      report.reportError(MessageName.UNNAMED, `${verdict.package.name}@${verdict.package.version} is still blocked by the policy (${verdict.code}, ${verdict.rule}): approve changes pins only; change the policy to allow it`);
      exitCode = EXIT.FAILED;
    }
    report.reportSeparator();
  }

  if (await writeProjectPins(pinsFile, entries))
    report.reportInfo(null, `Wrote ${file}: review the change like a change to yarn.lock`);
  else
    report.reportInfo(null, `${file} unchanged`);
  return exitCode;
}

function describeApproval(approval: Approval, file: string): Array<string> {
  const {key, verdict} = approval;
  const version = `${verdict.package.name}@${verdict.package.version}`;
  const seen = verdict.provenance === undefined ? undefined : pinIdentityOf(verdict.provenance);
  switch (approval.kind) {
    case `unverified`:
      return [`✗ ${version}: cannot be approved, its evidence did not verify (${verdict.code ?? verdict.status}): yarn provenance explain ${version}`];
    case `unchanged`:
      return approval.pin === undefined
        ? [`· ${version}: no provenance and no pin for ${key}: nothing to record`]
        : [`· ${version}: already matches ${pinTitle(key, approval.pin)}`];
    case `removed`:
      return [
        `! ${version} has no provenance: the pin of ${key} is removed from ${file} (a weaker identity than none cannot be pinned)`,
        ...describePinComparison({title: pinTitle(key, approval.before), identity: approval.before}, {title: version, identity: seen}),
        `  reason    ${approval.reason ?? `(none given: pass --reason)`}`,
      ];
    case `recorded`:
      return [
        `✓ ${version}: recorded as the pin of ${key}${approval.after.reason ? ` (reason: ${approval.after.reason})` : ``}`,
        ...describePinComparison({title: approval.before ? pinTitle(key, approval.before) : `no pin for ${key}`, identity: approval.before, absent: `-`}, {title: version, identity: seen}),
      ];
  }
}
