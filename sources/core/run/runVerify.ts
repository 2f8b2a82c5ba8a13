import {homedir} from 'node:os';
import {join} from 'node:path';

import {EXIT, exitCodeFor} from '../exitCodes';
import {isProvenanceError, kindOf} from '../errors';
import {parsePackageSpec} from '../packageSpec';
import {DEFAULT_POLICY} from '../policy/parsePolicy';
import {loadPolicyFile} from '../policy/parsePolicy';
import {withRequirements} from '../policy/withRequirements';
import {formatVerdict} from '../report/formatVerdict';
import {toVerdictRecord} from '../report/verdictRecord';
import {createNodeFetcher} from '../registry/nodeFetcher';
import type {Fetcher} from '../registry/fetcher.types';
import {DEFAULT_REGISTRY} from '../registry/registryUrls';
import {loadTrust} from '../trust/loadTrust';
import {refreshTrust} from '../trust/refresh';
import {createPackageVerifier} from '../verify/verifyPackage';
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

export type Output = {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
};

/** `verify` for one package, shared by the standalone bin and `yarn provenance verify`. */
export async function runVerify(args: VerifyArgs, out: Output): Promise<number> {
  try {
    const pkg = parsePackageSpec(args.package);
    const basePolicy = args.policy !== undefined ? await loadPolicyFile(args.policy) : DEFAULT_POLICY;
    const policy = withRequirements(basePolicy, pkg.name, {source: args.sourceUri, builder: args.builderId});

    const needsNetwork = args.tarball === undefined || args.attestations === undefined;
    const trust = await loadTrust({
      trustedRootPath: args.trustedRoot,
      registryKeysPath: args.registryKeys,
      refresh: args.offline ? undefined : () => refreshTrust({cachePath: join(homedir(), `.cache`, `yarn-provenance`, `tuf`), timeoutMs: 3000}),
    });

    const verdict = await verifyOne({
      package: pkg,
      tarballPath: args.tarball,
      attestationsPath: args.attestations,
      registry: args.registry ?? DEFAULT_REGISTRY,
      fetcher: args.offline ? undefined : args.fetcher ?? (needsNetwork ? createNodeFetcher() : undefined),
      policy,
      verifier: createPackageVerifier(trust),
    });

    if (args.json) {
      out.stdout(JSON.stringify(toVerdictRecord(verdict), null, 2));
    } else {
      for (const note of trust.notes)
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
