import type {Fetcher, FetchOptions, FetchResult, Locator, Project} from '@yarnpkg/core';
import {MessageName, Report, ReportError} from '@yarnpkg/core';

import {LocalStore} from '../core/cache/localStore';
import type {VerdictSet} from '../core/cache/localStore';
import {isProvenanceError, kindOf} from '../core/errors';
import type {Policy} from '../core/policy/policy.types';
import type {Verdict} from '../core/provenance.types';
import {listNpmPackages, toPackageRef} from './npmPackages';
import type {NpmPackage} from './npmPackages';
import {loadProjectPolicy} from './projectPolicy';
import {reportVerdicts} from './reportVerdicts';
import type {ProvenanceSettings} from './settings';
import {readSettings} from './settings';
import {listenForTarballs} from './tarballTap';
import {verdictSetKey} from './verdictSet';
import {VerificationSession} from './verificationSession';

export const SUPPORTED_YARN = `>=4.1.0 <5.0.0`;

type FetchEverything = (opts: Parameters<Project[`fetchEverything`]>[0]) => Promise<void>;
type ValidationReport = {reportWarning: (name: MessageName, text: string) => void, reportError: (name: MessageName, text: string) => void};

const ARMED = Symbol.for(`yarn-plugin-provenance/armed`);

/**
 * Called from the `validateProject` hook, before resolution. Replaces this project's fetch step with
 * one that, once Yarn has fetched everything, waits for every npm package's verdict and throws when
 * one is blocked. Throwing there is the last moment before anything is written: the lockfile and
 * package.json are persisted, and packages linked (lifecycle scripts), only after the fetch step.
 */
export async function armInstallGate(project: Project, report: ValidationReport): Promise<void> {
  const settings = readSettings(project.configuration, project);
  if (!settings.enabled)
    return;

  // The gate relies on Yarn internals, not documented hooks: without them, fail closed.
  const fetchEverything = (project as unknown as {fetchEverything?: unknown}).fetchEverything;
  if (typeof fetchEverything !== `function` || typeof project.configuration.makeFetcher !== `function`) {
    report.reportError(MessageName.UNNAMED, `Provenance: this Yarn lacks the install internals the provenance gate needs (Project.fetchEverything, Configuration.makeFetcher); supported Yarn versions are ${SUPPORTED_YARN}. Refusing to install unverified packages; set provenanceEnabled: false to install without the gate.`);
    return;
  }
  if ((project as unknown as Record<symbol, boolean>)[ARMED])
    return;

  const store = await LocalStore.open(VerificationSession.storeFolder(project.configuration));
  const policy = await loadProjectPolicy(project, settings, report, store);
  if (policy === null) {
    await store.save();
    return;
  }

  (project as unknown as Record<symbol, boolean>)[ARMED] = true;
  const original = (fetchEverything as FetchEverything).bind(project);

  (project as unknown as {fetchEverything: FetchEverything}).fetchEverything = async opts => {
    const session = await VerificationSession.create(project, settings, policy, store, {skipOff: true});
    const stopListening = listenForTarballs();
    try {
      // An install identical to one that passed (same packages and checksums, policy, trust, day)
      // needs no check at all; the tap stays idle unless the packages change during the fetch.
      // Resolution is done: the set of packages is fixed; only their checksums may change while fetching.
      const now = new Date();
      const packages = listNpmPackages(project);
      const before = verdictSetKey(project, packages, policy, session.trustDigest, now);
      const known = before === null ? undefined : store.getVerdictSet(before);
      const fetcher = known ? opts.fetcher ?? project.configuration.makeFetcher() : tapFetcher(opts.fetcher ?? project.configuration.makeFetcher(), session);
      await original({...opts, fetcher});

      const after = verdictSetKey(project, packages, policy, session.trustDigest, now);
      if (known && after === before) {
        replay(opts.report, known);
        return;
      }
      const outcome = await enforce(project, opts.report, session, policy, settings, packages);
      if (outcome !== null && after !== null)
        store.setVerdictSet(after, {...outcome, at: now.toISOString()});
    } catch (error) {
      // The user's own trust files are unreadable or invalid: say so plainly, and install nothing.
      if (isProvenanceError(error) && kindOf(error.code) === `usage`)
        throw new ReportError(MessageName.UNNAMED, `Provenance ${error.code}: ${error.message}`);
      throw error;
    } finally {
      stopListening();
      await session.close();
    }
  };
}

/** Starts verifying each npm package the moment Yarn has it, so verification overlaps the downloads. */
function tapFetcher(inner: Fetcher, session: VerificationSession): Fetcher {
  return {
    supports: (locator: Locator, opts: any) => inner.supports(locator, opts),
    getLocalPath: (locator: Locator, opts: FetchOptions) => inner.getLocalPath(locator, opts),
    fetch: async (locator: Locator, opts: FetchOptions): Promise<FetchResult> => {
      const result = await inner.fetch(locator, opts);
      const ref = toPackageRef(locator);
      if (ref !== null && !opts.project.disabledLocators.has(locator.locatorHash))
        void session.check({locator, ref}, result.checksum ?? null)?.catch(() => {});
      return result;
    },
  };
}

/**
 * Waits for every package's verdict and blocks the install when one is not allowed. Returns what to
 * remember for an identical install, or null when the outcome must not be reused (something was
 * unverifiable: the next install may be able to verify it).
 */
async function enforce(project: Project, report: Report, session: VerificationSession, policy: Policy, settings: ProvenanceSettings, packages: ReadonlyArray<NpmPackage>): Promise<Omit<VerdictSet, `at`> | null> {
  const verdicts: Array<Verdict> = [];
  let printed: ReturnType<typeof reportVerdicts> | undefined;

  await report.startTimerPromise(`Provenance check`, async () => {
    const progress = Report.progressViaCounter(packages.length);
    const reporting = report.reportProgress(progress);
    try {
      // Every stored npm package, fetched now or not (`--mode=update-lockfile` fetches only new ones).
      await Promise.all(packages.map(async pkg => {
        const pending = session.check(pkg, project.storedChecksums.get(pkg.locator.locatorHash) ?? null);
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
    throw new ReportError(MessageName.UNNAMED, `Install blocked by the provenance policy (${policy.origin}): ${blocked.length} package${blocked.length === 1 ? `` : `s`} listed above. Nothing was linked, no lifecycle script ran, and package.json and yarn.lock are unchanged.${settings.modeOverride === null ? `` : ` (provenanceDefaultMode=${settings.modeOverride})`}`);
  }

  return verdicts.some(verdict => verdict.status === `unverifiable`) ? null : printed ?? null;
}

function replay(report: Report, known: VerdictSet): void {
  report.startTimerSync(`Provenance check`, () => {
    for (const warning of known.warnings)
      report.reportWarning(MessageName.UNNAMED, warning);
    report.reportInfo(MessageName.UNNAMED, `${known.summary} (unchanged since ${known.at}: nothing to re-check)`);
  });
}
