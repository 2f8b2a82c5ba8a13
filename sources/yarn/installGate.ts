import type {Fetcher, MessageName as MessageNameType, Project} from '@yarnpkg/core';
import {MessageName, Report, ReportError} from '@yarnpkg/core';
import {ppath} from '@yarnpkg/fslib';

import type {PassedInstall} from '../core/cache/storeEntries';
import {isUsageError} from '../core/errors';
import type {Policy} from '../core/policy/policy.types';
import type {Verdict} from '../core/provenance.types';
import {installInputsDigest, passedInstallKey, passedInstallPreKey} from './passedInstallKey';
import type {ProjectContext} from './projectCheck';
import {loadProjectContext, ProjectCheck} from './projectCheck';
import type {ProjectPackage} from './projectPackages';
import {addLockfileProblems, listProjectPackages, lockfileResolutionsDigest} from './projectPackages';
import {fetchOptionsFor} from './tarballBinding';
import {gateWarnings, policyRootOf} from './projectPolicy';
import {SUPPORTED_YARN} from './hostYarn';
import {reportVerdicts} from './reportVerdicts';
import {reportUsageError} from './usageErrors';
import {settlePins} from './projectPins';
import {formatVerdict} from '../core/report/formatVerdict';
import {isContinuityCode} from '../core/pins/continuity';
import {describeContinuity} from '../core/pins/describePins';
import {toVerdictRecord} from '../core/report/verdictRecord';
import {dailyExpiryWarnings} from '../core/policy/ruleUsage';


type FetchEverything = (opts: Parameters<Project[`fetchEverything`]>[0]) => Promise<void>;
type FetchStepOptions = Parameters<FetchEverything>[0];
type ValidationReport = {reportWarning: (name: MessageNameType, text: string) => void, reportError: (name: MessageNameType, text: string) => void};

const ARMED = Symbol.for(`yarn-plugin-provenance/armed`);

/**
 * Called from the `validateProject` hook, before resolution. Replaces this project's fetch step with
 * one that, once Yarn has fetched everything, waits for every package's verdict and throws when one
 * is blocked. Throwing there is the last moment before anything is written: the lockfile and
 * package.json are persisted, and packages linked (lifecycle scripts), only after the fetch step.
 */
export async function armInstallGate(project: Project, report: ValidationReport): Promise<void> {
  // The gate relies on Yarn internals, not documented hooks: without them, fail closed.
  const fetchEverything = (project as unknown as {fetchEverything?: unknown}).fetchEverything;
  if (typeof fetchEverything !== `function` || typeof project.configuration.makeFetcher !== `function`) {
    report.reportError(MessageName.UNNAMED, `Provenance: this Yarn lacks the install internals the provenance gate needs (Project.fetchEverything, Configuration.makeFetcher); supported Yarn versions are ${SUPPORTED_YARN}. Refusing to install unverified packages; set provenanceEnabled: false to install without the gate.`);
    return;
  }
  if ((project as unknown as Record<symbol, boolean>)[ARMED])
    return;

  let context: ProjectContext;
  try {
    context = await loadProjectContext(project, {forGate: true});
  } catch (error) {
    if (!isUsageError(error))
      throw error;
    // Reported as errors, these stop the install before resolution: nothing is written.
    reportUsageError(report, error);
    return;
  }

  for (const line of gateWarnings(context.settings, context.policy))
    report.reportWarning(MessageName.UNNAMED, line);
  if (context.storeWarning !== null)
    report.reportWarning(MessageName.UNNAMED, context.storeWarning);
  const {policy} = context;
  if (policy === null) {
    await context.store.save();
    return;
  }
  for (const line of dailyExpiryWarnings(policy, project.cwd, context.store, new Date()))
    report.reportWarning(MessageName.UNNAMED, line);

  (project as unknown as Record<symbol, boolean>)[ARMED] = true;
  const original = (fetchEverything as FetchEverything).bind(project);
  (project as unknown as {fetchEverything: FetchEverything}).fetchEverything = opts => gatedFetch(project, context, policy, original, opts);
}

async function gatedFetch(project: Project, context: ProjectContext, policy: Policy, original: FetchEverything, opts: FetchStepOptions): Promise<void> {
  // Resolution is done: the set of packages is fixed; only their bytes are yet to be established.
  // Their lockfile problems are found only when something will be judged (below).
  const packages = listProjectPackages(project, {lockfileProblems: false});
  const resolutions = lockfileResolutionsDigest(project);
  let problemsFound = false;
  const findProblems = () => {
    if (!problemsFound)
      addLockfileProblems(project, packages);
    problemsFound = true;
  };
  let check: ProjectCheck;
  try {
    check = await ProjectCheck.start(project, context, policy, packages, {skipOff: true, remember: true});
  } catch (error) {
    throw asReportError(error);
  }

  try {
    for (const note of check.trustNotes)
      opts.report.reportWarning(MessageName.UNNAMED, note);
    const now = new Date();
    const immutable = opts.immutable === true || project.configuration.get(`enableImmutableInstalls`) === true;
    const inputs = installInputsDigest(packages, resolutions, policy, context.pins.pins.digest, check.checker.trustDigest, now, immutable);
    const preKey = passedInstallPreKey(project, packages, inputs);
    // An install like one that passed (same packages, policy, trust, day) is likely unchanged: do
    // not start verifying while Yarn downloads; the zips decide below.
    const eager = !context.store.hasPassedPreKey(preKey);
    if (eager)
      findProblems();
    const inner = opts.fetcher ?? project.configuration.makeFetcher();
    const fetcher = check.binding.tap(inner, locator => {
      const pkg = check.packageOf(locator);
      if (eager && pkg !== undefined)
        void check.check(pkg)?.catch(() => {});
    });
    await original({...opts, fetcher});
    // `--mode=update-lockfile` fetches only new packages: every stored one is bound all the same.
    await fetchTheRest(project, packages, check, fetcher, opts);

    const key = await passedInstallKey(inputs, packages, check.binding);
    const passed = context.store.getPassedInstall(key);
    if (passed !== undefined) {
      replay(opts.report, passed);
      return;
    }
    findProblems();
    const {outcome, verdicts} = await enforce(project, opts.report, check, policy, packages, context);
    context.store.setBlockedInstall(project.cwd, null);

    // Passed: record the pins (trust on first use), unless the install is immutable (CI, `--immutable`).
    // `yarn dlx` judges by the pins of the project it was run from, but its packages are not that project's.
    const dlx = await policyRootOf(project) !== project.cwd;
    const settled = dlx ? {lines: [], pins: context.pins.pins} : await settlePins(context.pins, verdicts, {immutable});
    for (const line of settled.lines)
      opts.report.reportInfo(MessageName.UNNAMED, line);
    // An override is for this one run: its outcome is never replayed. An immutable install's is, under a
    // key of its own (the inputs say immutable), with its line about unpinned packages.
    if (outcome === null || verdicts.some(verdict => verdict.continuity?.overridden))
      return;
    const remembered = immutable ? {...outcome, warnings: [...outcome.warnings, ...settled.lines]} : outcome;
    // Remembered under the pins as they now are: what was just recorded is what these verdicts saw. An
    // ordinary install left nothing unpinned, so an immutable one with the same pins would conclude the
    // same: it is remembered for both.
    for (const asImmutable of immutable ? [true] : [false, true]) {
      const settledInputs = installInputsDigest(packages, resolutions, policy, settled.pins.digest, check.checker.trustDigest, now, asImmutable);
      const settledKey = settledInputs === inputs ? key : await passedInstallKey(settledInputs, packages, check.binding);
      const settledPreKey = settledInputs === inputs ? preKey : passedInstallPreKey(project, packages, settledInputs);
      context.store.setPassedInstall(settledKey, {...remembered, at: now.toISOString(), preKey: settledPreKey});
    }
  } catch (error) {
    throw asReportError(error);
  } finally {
    await check.close();
  }
}

/** The user's own trust files are unreadable or invalid: say so plainly, and install nothing. */
function asReportError(error: unknown): unknown {
  if (isUsageError(error))
    return new ReportError(MessageName.UNNAMED, `Provenance ${error.code}: ${error.message}`);
  return error;
}

async function fetchTheRest(project: Project, packages: ReadonlyArray<ProjectPackage>, check: ProjectCheck, fetcher: Fetcher, opts: FetchStepOptions): Promise<void> {
  const fetchOptions = fetchOptionsFor(project, opts.cache, fetcher, opts.report);
  for (const {locator, subject} of packages) {
    if (subject.source.kind !== `registry` || check.binding.has(locator))
      continue;
    const result = await fetcher.fetch(locator, fetchOptions);
    result.releaseFs?.();
  }
}

/**
 * Waits for every package's verdict and blocks the install when one is not allowed. Returns what to
 * remember for an identical install, or null when the outcome must not be reused (something was
 * unverifiable: the next install may be able to verify it).
 */
async function enforce(project: Project, report: Report, check: ProjectCheck, policy: Policy, packages: ReadonlyArray<ProjectPackage>, context: ProjectContext): Promise<{outcome: Omit<PassedInstall, `at` | `preKey`> | null, verdicts: Array<Verdict>}> {
  const verdicts: Array<Verdict> = [];
  let printed: ReturnType<typeof reportVerdicts> | undefined;

  await report.startTimerPromise(`Provenance check`, async () => {
    const progress = Report.progressViaCounter(packages.length);
    const reporting = report.reportProgress(progress);
    try {
      await Promise.all(packages.map(async pkg => {
        const pending = check.check(pkg);
        if (pending !== null)
          verdicts.push(await pending);
        progress.tick();
      }));
    } finally {
      reporting.stop();
    }
    printed = reportVerdicts(report, project.configuration, verdicts, policy);
  });

  const blocked = verdicts.filter(verdict => !verdict.allowed);
  if (blocked.length > 0) {
    const first = blocked.sort((a, b) => a.package.name.localeCompare(b.package.name))[0]!;
    // A blocked `yarn add` leaves no trace in the project: remember what was refused for audit/explain.
    context.store.setBlockedInstall(project.cwd, {
      at: new Date().toISOString(),
      packages: blocked.map(verdict => ({
        name: verdict.package.name, version: verdict.package.version, code: verdict.code ?? verdict.status,
        lines: [...formatVerdict(verdict), ...describeContinuity(verdict)], record: toVerdictRecord(verdict),
      })),
    });
    // Honest about what already ran: Yarn packs git dependencies (prepack) while resolving them.
    const ranCode = packages.filter(pkg => pkg.subject.source.kind === `unattestable` && pkg.subject.source.ranCodeBeforeGate !== undefined);
    const scripts = ranCode.length === 0
      ? `no lifecycle script ran`
      : `no lifecycle script ran (but Yarn already ran code of ${ranCode.map(pkg => pkg.subject.ref.name).join(`, `)} while resolving ${ranCode.length === 1 ? `it` : `them`})`;
    // A changed identity is settled by review and `approve`, never by editing the pins file.
    const changed = blocked.some(verdict => verdict.code !== undefined && isContinuityCode(verdict.code))
      ? `; a changed identity, once checked, is accepted with yarn provenance approve <name> --reason "<why>" (${ppath.basename(context.pins.path)})`
      : ``;
    throw new ReportError(MessageName.UNNAMED, `Install blocked by the provenance policy (${policy.origin}): ${blocked.length} package${blocked.length === 1 ? `` : `s`} listed above. Nothing was linked, ${scripts}, and package.json and yarn.lock are unchanged. For the evidence: yarn provenance explain ${first.package.name}@${first.package.version}${changed}`);
  }

  const outcome = verdicts.some(verdict => verdict.status === `unverifiable`) ? null : printed ?? null;
  return {outcome, verdicts};
}

function replay(report: Report, passed: PassedInstall): void {
  report.startTimerSync(`Provenance check`, () => {
    for (const warning of passed.warnings)
      report.reportWarning(MessageName.UNNAMED, warning);
    report.reportInfo(MessageName.UNNAMED, `${passed.summary} (unchanged since ${passed.at}: nothing to re-check)`);
  });
}
