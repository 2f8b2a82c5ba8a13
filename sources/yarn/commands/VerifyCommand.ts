import {BaseCommand} from '@yarnpkg/cli';
import {Configuration} from '@yarnpkg/core';
import {Command, Option} from 'clipanion';


export class VerifyCommand extends BaseCommand {
  static override paths = [[`provenance`, `verify`]];

  static override usage = Command.Usage({
    category: `Provenance-related commands`,
    description: `verify one npm package's provenance (tarball and attestations from files or the registry)`,
    details: `
      The standalone \`yarn-provenance verify\`, inside Yarn: downloads go through Yarn's network settings (registries, auth, proxies). Works offline when \`--tarball\` and \`--attestations\` are given.

      Exit codes: 0 verified and allowed; 1 verification failed or the policy was violated; 2 bad usage, an unreadable input file, or an invalid policy; 3 unverifiable.
    `,
    examples: [[
      `Verify a tarball against the repository it must come from`,
      `$0 provenance verify --package sigstore@2.3.1 --tarball sigstore-2.3.1.tgz --attestations attestations.json --source-uri github.com/sigstore/sigstore-js`,
    ]],
  });

  package = Option.String(`--package`, {required: true, description: `The package as <name>@<version>`});
  tarball = Option.String(`--tarball`, {description: `The package tarball; downloaded when absent`});
  attestations = Option.String(`--attestations`, {description: `The registry's attestations answer; fetched when absent`});
  sourceUri = Option.String(`--source-uri`, {description: `Require this source repository`});
  builderId = Option.String(`--builder-id`, {description: `Require this builder id (glob)`});
  policy = Option.String(`--policy`, {description: `A policy file (YAML)`});
  trustedRoot = Option.String(`--trusted-root`, {description: `A Sigstore trusted_root.json`});
  registryKeys = Option.String(`--registry-keys`, {description: `Registry attestation keys`});
  registry = Option.String(`--registry`, {description: `The npm registry (default: the project's)`});
  offline = Option.Boolean(`--offline`, false, {description: `Never use the network`});
  json = Option.Boolean(`--json`, false, {description: `Print one JSON object`});

  async execute(): Promise<number> {
    const configuration = await Configuration.find(this.context.cwd, this.context.plugins);
    const [{runVerify}, {yarnFetcher}, {verifyOnWorker}] = await Promise.all([import('../../core/run/runVerify'), import('../yarnNetwork'), import('../workerVerifier')]);
    return runVerify({
      ...this,
      registry: this.registry ?? configuration.get(`npmRegistryServer`),
      fetcher: yarnFetcher(configuration),
    }, {
      stdout: line => this.context.stdout.write(`${line}\n`),
      stderr: line => this.context.stderr.write(`${line}\n`),
    }, verifyOnWorker);
  }
}
