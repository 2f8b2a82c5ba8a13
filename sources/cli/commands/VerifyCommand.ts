import {Command, Option} from 'clipanion';

import {linesTo, reportUsageProblem} from '../../core/run/usageProblem';
import {packageArgument} from '../../core/run/packageArgument';
import {runVerify} from '../../core/run/runVerify';
import {verifyInThisThread} from '../verifyInThisThread';

export class VerifyCommand extends Command {
  static override paths = [[`verify`]];

  static override usage = Command.Usage({
    description: `verify one npm package's provenance against a policy`,
    details: `
      Verifies the Sigstore attestations of one package version: the signatures (against the public-good Sigstore instance and npm's registry keys, embedded so that this works offline), that the attestations are about exactly this tarball, that the SLSA provenance agrees with the signing certificate, and then that the certificate's identity (source repository, ref, workflow, builder, runner) satisfies the policy.

      Files given with \`--tarball\` and \`--attestations\` are used as they are; whatever is not given is downloaded from \`--registry\`.

      Exit codes: 0 verified and allowed; 1 verification failed or the policy was violated; 2 bad usage, an unreadable input file, or an invalid policy; 3 unverifiable (the network was needed and did not answer).
    `,
    examples: [[
      `Verify a downloaded package against the repository it must come from`,
      `$0 verify sigstore@2.3.1 --tarball sigstore-2.3.1.tgz --attestations attestations.json --source-uri github.com/sigstore/sigstore-js`,
    ], [
      `Verify against a policy file, with machine-readable output`,
      `$0 verify --package @sigstore/bundle@2.3.2 --policy .provenance.yml --json`,
    ], [
      `Verify with a private Sigstore deployment's trust material`,
      `$0 verify --package my-lib@1.0.0 --trusted-root trusted_root.json --registry-keys keys.json --registry https://npm.example.com`,
    ]],
  });

  spec = Option.String({name: `name@version`, required: false});
  packageOption = Option.String(`--package`, {description: `The package as <name>@<version> (or give it as the argument)`});
  tarball = Option.String(`--tarball`, {description: `The package tarball (.tgz); downloaded from the registry when absent`});
  attestations = Option.String(`--attestations`, {description: `The registry's attestations answer (JSON); fetched when absent`});
  sourceUri = Option.String(`--source-uri`, {description: `Require this source repository, e.g. github.com/owner/repo`});
  builderId = Option.String(`--builder-id`, {description: `Require this builder id (glob)`});
  policy = Option.String(`--policy`, {description: `A policy file (YAML); see policies/ for presets`});
  trustedRoot = Option.String(`--trusted-root`, {description: `A Sigstore trusted_root.json instead of the public-good one`});
  registryKeys = Option.String(`--registry-keys`, {description: `Registry attestation keys (TUF keys.json or /-/npm/v1/keys)`});
  registry = Option.String(`--registry`, {description: `The npm registry (default https://registry.npmjs.org)`});
  offline = Option.Boolean(`--offline`, false, {description: `Never use the network (no trust refresh, no downloads)`});
  json = Option.Boolean(`--json`, false, {description: `Print one JSON object instead of the report`});

  async execute(): Promise<number> {
    const out = linesTo(this.context);
    const chosen = packageArgument(this, `yarn-provenance verify`);
    // A caller who asked for JSON gets the mistake as records too (README "JSON records").
    if (`problem` in chosen)
      return reportUsageProblem(out, this.json, `USAGE_INVALID`, chosen.problem);
    try {
      return await runVerify({...this, package: chosen.spec}, out, verifyInThisThread);
    } catch (error) {
      // A bug, not a verdict: one line, and an exit code no verdict uses.
      out.stderr(`Internal error: ${(error as Error).message}`);
      return 70;
    }
  }
}
