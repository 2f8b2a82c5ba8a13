import {existsSync, readFileSync} from 'node:fs';
import {basename, dirname, join, resolve} from 'node:path';

import {LocalStore} from '../core/cache/localStore';
import {defaultStoreFolder, isInsideFolder} from '../core/cache/storeFolder';
import {isProvenanceError, kindOf, ProvenanceError} from '../core/errors';
import {exitCodeFor} from '../core/exitCodes';
import {entryPositions} from '../core/lockfiles/entryPositions';
import {lockfileEdges} from '../core/lockfiles/lockfileEdges';
import {findLockfile, readLockfile} from '../core/lockfiles/readLockfile';
import type {LockfileKind} from '../core/lockfiles/lockedSubject.types';
import {PackageChecker} from '../core/pipeline/packageChecker';
import {ALLOW_CHANGE_VARIABLE, parseAllowChange} from '../core/pins/allowChange';
import {NO_PINS, parsePins, PINS_FILE_NAME} from '../core/pins/pinsFile';
import type {Pins} from '../core/pins/pins.types';
import type {CheckerEdges} from '../core/pipeline/packageChecker';
import type {LockedSubject} from '../core/lockfiles/lockedSubject.types';
import {fetchVersionDocument} from '../core/registry/fetchVersionDocument';
import type {SignatureKeys} from '../core/registry/registrySignature';
import {DEFAULT_POLICY} from '../core/policy/defaultPolicy';
import {loadPolicyFile} from '../core/policy/parsePolicy';
import type {Policy} from '../core/policy/policy.types';
import type {Verdict} from '../core/provenance.types';
import type {Fetcher} from '../core/registry/fetcher.types';
import {formatVerdict} from '../core/report/formatVerdict';
import {writeGitlabCodeQuality} from '../core/report/toGitlabCodeQuality';
import {toMarkdown} from '../core/report/toMarkdown';
import {toSarif} from '../core/report/toSarif';
import {toTable} from '../core/report/toTable';
import {jsonLines} from '../core/report/jsonRecords';
import {reportUsageProblem} from '../core/run/usageProblem';
import type {Output, VerifierFactory} from '../core/run/runVerify';
import {VERSION} from '../core/version';
import {readNpmConfig} from './npmrc';
import {createNpmrcFetcher} from './npmrcFetcher';
import {placeInLockfile} from './sarifRegions';

export type CheckArgs = {
  cwd: string;
  lockfile?: string;
  policy?: string;
  trustedRoot?: string;
  registryKeys?: string;
  concurrency: number;
  format: `table` | `json` | `sarif` | `markdown`;
  /** Also write GitLab's Code Quality JSON to this file (relative to `cwd`). */
  gitlabCodeQuality?: string;
};

/** The policy file looked for beside the lockfile, as the plugin looks for it at the project's root. */
export const POLICY_FILE = `.provenance.yml`;

/**
 * `check` for an npm or pnpm project: every package of its lockfile through the pipeline the Yarn gate
 * runs, with the lockfile's `integrity` as the bytes binding. Reports as `yarn provenance audit` does, with
 * its exit codes. Nothing is installed or downloaded but attestations.
 */
export async function runCheck(args: CheckArgs, out: Output, createVerifier: VerifierFactory, fetcher?: Fetcher): Promise<number> {
  try {
    const found = await findLockfile(args.cwd, args.lockfile);
    const root = dirname(found.path);
    const npmConfig = readNpmConfig(root);
    const project = readLockfile(found, npmConfig.registryFor);
    const policy = findPolicy(root, args.policy);

    // npm's `offline` holds for the trust refresh too: nothing goes out.
    const offline = npmConfig.fetchOptions.offline === true;
    const verifier = await createVerifier({trustedRootPath: args.trustedRoot, registryKeysPath: args.registryKeys, offline});
    const {store, warning} = await openUserStore(root);
    if (warning !== null)
      out.stderr(warning);
    const network = fetcher ?? createNpmrcFetcher(npmConfig.fetchOptions);
    const edges = {
      ...lockfileEdges({subjects: project.subjects, fetcher: network, verify: verifier.verify, trustDigest: verifier.trustDigest}),
      ...registrySignatureEdge(project.subjects, network, verifier.signatureKeys),
      memory: () => store.evidence(),
    };
    // Continuity against the pins beside the policy, as at install; a check never writes them.
    const judge = {pins: findPins(root, args.policy), allowChange: parseAllowChange(process.env[ALLOW_CHANGE_VARIABLE])};
    const checker = new PackageChecker(edges, policy, {skipOff: false, concurrency: args.concurrency, judge});
    const verdicts = await Promise.all(project.subjects.map(locked => checker.check(locked.subject)!)).finally(() => verifier.close?.());
    await store.save();
    // Each verdict with its first entry in the lockfile, where SARIF places its finding.
    const located = verdicts.map((verdict, index) => ({verdict, entry: project.subjects[index]!.entries[0]}));
    located.sort(({verdict: a}, {verdict: b}) => a.package.name.localeCompare(b.package.name) || a.package.version.localeCompare(b.package.version));

    for (const note of verifier.notes)
      out.stderr(note);
    report(located, policy, found, args.format, out);
    if (args.gitlabCodeQuality !== undefined)
      writeGitlabCodeQuality(resolve(args.cwd, args.gitlabCodeQuality), verdicts, {path: basename(found.path), text: found.text});
    return exitCodeFor(verdicts);
  } catch (error) {
    // Only the caller's own mistakes reach here (usage, an unreadable or invalid lockfile, policy or trust).
    if (isProvenanceError(error) && kindOf(error.code) === `usage`)
      return reportUsageProblem(out, args.format === `json`, error.code, error.message);
    throw error;
  }
}

/**
 * The plugin's per-user store, so that an unchanged lockfile re-checks nothing: evidence is remembered
 * under the trust digest, registry, name, version and locked sha512, and the policy is applied afresh on
 * every run. Its folder comes from the user's environment only; inside the project it is not used.
 */
async function openUserStore(root: string): Promise<{store: LocalStore, warning: string | null}> {
  const folder = defaultStoreFolder();
  if (!isInsideFolder(folder, root))
    return {store: await LocalStore.open(folder), warning: null};
  return {
    store: await LocalStore.open(null),
    warning: `The per-user store ${folder} is inside this project, so nothing is remembered and every package is checked afresh (set XDG_CACHE_HOME to a folder outside the project)`,
  };
}

/** `.provenance.lock` beside the policy file (or the lockfile, with the built-in policy); none is no pins. */
function findPins(root: string, namedPolicy: string | undefined): Pins {
  const path = join(namedPolicy !== undefined ? dirname(resolve(namedPolicy)) : root, PINS_FILE_NAME);
  let text: string;
  try {
    text = readFileSync(path, `utf8`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === `ENOENT`)
      return NO_PINS;
    throw new ProvenanceError({code: `PINS_INVALID`, message: `${path} cannot be read (${(error as Error).message})`, cause: error});
  }
  return parsePins(text, path);
}

/**
 * The registry's signature over `<name>@<version>:<integrity>` for every locked npm package whose lockfile
 * integrity has a sha512: the only digest the signature can be checked against (sha1-only entries stay unchecked).
 */
function registrySignatureEdge(subjects: ReadonlyArray<LockedSubject>, fetcher: Fetcher, keys: SignatureKeys | undefined): Pick<CheckerEdges, `registrySignatures`> {
  if (keys === undefined)
    return {};
  const bindable = new Set(subjects.filter(locked => locked.integrity?.includes(`sha512-`)).map(locked => locked.subject.id));
  return {registrySignatures: {keys, fetchVersionMetadata: async subject => subject.source.kind === `registry` && bindable.has(subject.id)
    ? fetchVersionDocument(fetcher, subject.source.registry, subject.ref)
    : undefined}};
}

function findPolicy(root: string, named: string | undefined): Policy {
  if (named !== undefined)
    return loadPolicyFile(named);
  const beside = join(root, POLICY_FILE);
  return existsSync(beside) ? loadPolicyFile(beside) : DEFAULT_POLICY;
}

function report(located: Array<{verdict: Verdict, entry: string | undefined}>, policy: Policy, lockfile: {path: string, kind: LockfileKind, text: string}, format: CheckArgs[`format`], out: Output): void {
  const verdicts = located.map(({verdict}) => verdict);
  const lockfileName = basename(lockfile.path);
  switch (format) {
    case `json`:
      for (const line of jsonLines(verdicts, exitCodeFor(verdicts)))
        out.stdout(line);
      return;
    case `sarif`:
      out.stdout(JSON.stringify(sarifOf(located, lockfile), null, 2));
      return;
    case `markdown`:
      out.stdout(toMarkdown(verdicts, policy.origin).trimEnd());
      return;
    case `table`:
      for (const line of toTable(verdicts))
        out.stdout(line);
      // What blocks, with what was expected and found: the table alone does not say why.
      for (const verdict of verdicts.filter(verdict => !verdict.allowed)) {
        out.stdout(``);
        for (const line of formatVerdict(verdict))
          out.stdout(line);
      }
      out.stdout(``);
      out.stdout(`${verdicts.length} packages of ${lockfileName} checked against ${policy.origin}`);
  }
}

/** SARIF whose findings point at each package's entry in the lockfile (line and column of its key). */
function sarifOf(located: Array<{verdict: Verdict, entry: string | undefined}>, lockfile: {path: string, kind: LockfileKind, text: string}): object {
  const positionOf = entryPositions(lockfile.kind, lockfile.text);
  const sarif = toSarif(located.map(({verdict}) => verdict), {toolVersion: VERSION, lockfile: {uri: basename(lockfile.path), text: null}});
  return placeInLockfile(sarif, located.map(({verdict, entry}) => ({verdict, entry: entry === undefined ? undefined : positionOf(entry)})));
}
