import {exitCodeFor} from '../exitCodes';
import {isProvenanceError, kindOf} from '../errors';
import {parsePackageSpec} from '../packageSpec';
import {PackageChecker} from '../pipeline/packageChecker';
import {registrySubject} from '../pipeline/registrySubject';
import {singlePackageEdges} from '../pipeline/singlePackageEdges';
import {DEFAULT_POLICY} from '../policy/defaultPolicy';
import {loadPolicyFile} from '../policy/parsePolicy';
import type {Policy} from '../policy/policy.types';
import {applyFlagRequirements, flagPolicy} from '../policy/withRequirements';
import {formatVerdict} from '../report/formatVerdict';
import {jsonLines} from '../report/jsonRecords';
import {reportUsageProblem} from './usageProblem';
import type {Output} from './usageProblem';
import {createNodeFetcher} from '../registry/nodeFetcher';
import type {Fetcher} from '../registry/fetcher.types';
import {fetchVersionDocument} from '../registry/fetchVersionDocument';
import type {SignatureKeys} from '../registry/registrySignature';
import {DEFAULT_REGISTRY} from '../registry/registryUrls';
import type {TrustFiles} from '../trust/trustTexts';
import type {VerifyBody} from '../verify/verifyBody.types';

export type VerifyArgs = {
  package: string;
  tarball?: string;
  attestations?: string;
  sourceUri?: string;
  builderId?: string;
  policy?: string;
  trustedRoot?: string;
  registryKeys?: string;
  registry?: string;
  offline?: boolean;
  json?: boolean;
};

/** What the caller's environment supplies: the Yarn layer passes the project's, the CLI nothing. */
export type VerifyContext = {
  /** The policy when `--policy` is not given (the project's); the built-in one when absent. */
  policy?: Policy;
  /** The registry for a package when `--registry` is not given (the project's, scope-aware). */
  registryFor?: (name: string) => string;
  /** Trust files when the flags do not name them (the project's settings). */
  trust?: TrustFiles;
  /** The network (Yarn's own stack inside Yarn; fetch() otherwise). */
  fetcher?: Fetcher;
};

/**
 * Where verification runs, given the trust files: in this thread for the CLI, on the plugin's
 * worker threads inside Yarn. Returns notes to show (e.g. a trust refresh that failed).
 */
export type VerifierFactory = (files: TrustFiles & {offline: boolean}) => Promise<{
  verify: VerifyBody;
  trustDigest: string;
  /** The registry's `npm:signatures` keys of the same trust material (absent: registry signatures unchecked). */
  signatureKeys?: SignatureKeys;
  notes: Array<string>;
  close?: () => Promise<void>;
}>;

export type {Output} from './usageProblem';

/**
 * `verify` for one package, shared by the standalone bin and `yarn provenance verify`: the same
 * pipeline as the install gate, with the package's files or the registry as its edges. Flags
 * override only what they name, and constraint flags add to the matching rule.
 */
export async function runVerify(args: VerifyArgs, out: Output, createVerifier: VerifierFactory, context: VerifyContext = {}): Promise<number> {
  try {
    const pkg = parsePackageSpec(args.package);
    const policy = args.policy !== undefined ? await loadPolicyFile(args.policy) : context.policy ?? DEFAULT_POLICY;
    const flags = flagPolicy(pkg.name, {source: args.sourceUri, builder: args.builderId});
    const registry = args.registry ?? context.registryFor?.(pkg.name) ?? DEFAULT_REGISTRY;

    const needsNetwork = args.tarball === undefined || args.attestations === undefined;
    const verifier = await createVerifier({
      trustedRootPath: args.trustedRoot ?? context.trust?.trustedRootPath,
      registryKeysPath: args.registryKeys ?? context.trust?.registryKeysPath,
      offline: args.offline ?? false,
    });
    const fetcher = args.offline ? undefined : context.fetcher ?? (needsNetwork ? createNodeFetcher() : undefined);
    const edges = singlePackageEdges({
      tarballPath: args.tarball,
      attestationsPath: args.attestations,
      registry,
      fetcher,
      verify: verifier.verify,
      trustDigest: verifier.trustDigest,
    });
    // The registry's signature is asked for whenever the registry is: never offline, nor for local files alone.
    const {signatureKeys} = verifier;
    if (fetcher !== undefined && signatureKeys !== undefined)
      edges.registrySignatures = {keys: signatureKeys, fetchVersionMetadata: subject => fetchVersionDocument(fetcher, registry, subject.ref)};
    const now = new Date();
    const checker = new PackageChecker(edges, policy, {skipOff: false, concurrency: 1, now});
    const verdict = applyFlagRequirements(await checker.check(registrySubject(pkg, registry))!.finally(() => verifier.close?.()), flags, now);

    const exitCode = exitCodeFor([verdict]);
    if (args.json) {
      for (const line of jsonLines([verdict], exitCode))
        out.stdout(line);
    } else {
      for (const note of verifier.notes)
        out.stderr(note);
      for (const line of formatVerdict(verdict))
        out.stdout(line);
      out.stdout(`  policy    ${policy.origin}`);
    }

    return exitCode;
  } catch (error) {
    // Only the caller's own mistakes reach here (usage, unreadable files, invalid policy or trust).
    if (isProvenanceError(error) && kindOf(error.code) === `usage`)
      return reportUsageProblem(out, args.json === true, error.code, error.message);
    throw error;
  }
}
