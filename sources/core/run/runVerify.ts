import {EXIT, exitCodeFor} from '../exitCodes';
import {isProvenanceError, kindOf} from '../errors';
import {parsePackageSpec} from '../packageSpec';
import {DEFAULT_POLICY} from '../policy/defaultPolicy';
import {loadPolicyFile} from '../policy/parsePolicy';
import {withRequirements} from '../policy/withRequirements';
import {formatVerdict} from '../report/formatVerdict';
import {toVerdictRecord} from '../report/verdictRecord';
import {createNodeFetcher} from '../registry/nodeFetcher';
import type {Fetcher} from '../registry/fetcher.types';
import {DEFAULT_REGISTRY} from '../registry/registryUrls';
import type {TrustFiles} from '../trust/trustTexts';
import type {VerifyBody} from '../verify/verifyBody.types';
import {verifyOne} from '../verifyOne';

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
  /** Injected by the Yarn layer (its own network stack); the CLI uses fetch(). */
  fetcher?: Fetcher;
};

/**
 * Where verification runs, given the trust files: in this thread for the CLI, on the plugin's
 * worker threads inside Yarn. Returns notes to show (e.g. a trust refresh that failed).
 */
export type VerifierFactory = (files: TrustFiles & {offline: boolean}) => Promise<{verify: VerifyBody, notes: Array<string>, close?: () => Promise<void>}>;

export type Output = {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
};

/** `verify` for one package, shared by the standalone bin and `yarn provenance verify`. */
export async function runVerify(args: VerifyArgs, out: Output, createVerifier: VerifierFactory): Promise<number> {
  try {
    const pkg = parsePackageSpec(args.package);
    const basePolicy = args.policy !== undefined ? await loadPolicyFile(args.policy) : DEFAULT_POLICY;
    const policy = withRequirements(basePolicy, pkg.name, {source: args.sourceUri, builder: args.builderId});

    const needsNetwork = args.tarball === undefined || args.attestations === undefined;
    const verifier = await createVerifier({trustedRootPath: args.trustedRoot, registryKeysPath: args.registryKeys, offline: args.offline ?? false});
    const verdict = await verifyOne({
      package: pkg,
      tarballPath: args.tarball,
      attestationsPath: args.attestations,
      registry: args.registry ?? DEFAULT_REGISTRY,
      fetcher: args.offline ? undefined : args.fetcher ?? (needsNetwork ? createNodeFetcher() : undefined),
      policy,
      verify: verifier.verify,
    }).finally(() => verifier.close?.());

    if (args.json) {
      out.stdout(JSON.stringify(toVerdictRecord(verdict), null, 2));
    } else {
      for (const note of verifier.notes)
        out.stderr(note);
      for (const line of formatVerdict(verdict))
        out.stdout(line);
    }

    return exitCodeFor([verdict]);
  } catch (error) {
    // Only the caller's own mistakes reach here (usage, unreadable files, invalid policy or trust).
    if (isProvenanceError(error) && kindOf(error.code) === `usage`) {
      if (args.json)
        out.stdout(JSON.stringify({package: args.package, status: `error`, code: error.code, message: error.message}, null, 2));
      else
        out.stderr(`${error.code}: ${error.message}`);
      return EXIT.USAGE;
    }
    throw error;
  }
}
