import {existsSync} from 'node:fs';
import {basename, dirname, join} from 'node:path';

import {LocalStore} from '../core/cache/localStore';
import {defaultStoreFolder, isInsideFolder} from '../core/cache/storeFolder';
import {isProvenanceError, kindOf} from '../core/errors';
import {EXIT, exitCodeFor} from '../core/exitCodes';
import {lockfileEdges} from '../core/lockfiles/lockfileEdges';
import {findLockfile, readLockfile} from '../core/lockfiles/readLockfile';
import {PackageChecker} from '../core/pipeline/packageChecker';
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
import {toMarkdown} from '../core/report/toMarkdown';
import {toSarif} from '../core/report/toSarif';
import {toTable} from '../core/report/toTable';
import {toVerdictRecord} from '../core/report/verdictRecord';
import type {Output, VerifierFactory} from '../core/run/runVerify';
import {VERSION} from '../core/version';
import {readNpmConfig} from './npmrc';
import {createNpmrcFetcher} from './npmrcFetcher';

export type CheckArgs = {
  cwd: string;
  lockfile?: string;
  policy?: string;
  trustedRoot?: string;
  registryKeys?: string;
  concurrency: number;
  format: `table` | `json` | `sarif` | `markdown`;
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

    const verifier = await createVerifier({trustedRootPath: args.trustedRoot, registryKeysPath: args.registryKeys, offline: false});
    const {store, warning} = await openUserStore(root);
    if (warning !== null)
      out.stderr(warning);
    const network = fetcher ?? createNpmrcFetcher(npmConfig);
    const edges = {
      ...lockfileEdges({subjects: project.subjects, fetcher: network, verify: verifier.verify, trustDigest: verifier.trustDigest}),
      ...registrySignatureEdge(project.subjects, network, verifier.signatureKeys),
      memory: () => store.evidence(),
    };
    const checker = new PackageChecker(edges, policy, {skipOff: false, concurrency: args.concurrency});
    const verdicts = await Promise.all(project.subjects.map(locked => checker.check(locked.subject)!)).finally(() => verifier.close?.());
    await store.save();
    verdicts.sort((a, b) => a.package.name.localeCompare(b.package.name) || a.package.version.localeCompare(b.package.version));

    for (const note of verifier.notes)
      out.stderr(note);
    report(verdicts, policy, basename(found.path), args.format, out);
    return exitCodeFor(verdicts);
  } catch (error) {
    // Only the caller's own mistakes reach here (usage, an unreadable or invalid lockfile, policy or trust).
    if (isProvenanceError(error) && kindOf(error.code) === `usage`) {
      if (args.format === `json`)
        out.stdout(JSON.stringify({status: `error`, code: error.code, message: error.message}));
      else
        out.stderr(`${error.code}: ${error.message}`);
      return EXIT.USAGE;
    }
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

function report(verdicts: Array<Verdict>, policy: Policy, lockfileName: string, format: CheckArgs[`format`], out: Output): void {
  switch (format) {
    case `json`:
      for (const verdict of verdicts)
        out.stdout(JSON.stringify(toVerdictRecord(verdict)));
      return;
    case `sarif`:
      out.stdout(JSON.stringify(toSarif(verdicts, {toolVersion: VERSION, lockfile: {uri: lockfileName, text: null}}), null, 2));
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
