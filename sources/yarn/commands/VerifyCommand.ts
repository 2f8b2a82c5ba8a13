import {BaseCommand} from '@yarnpkg/cli';
import {Configuration, Project, structUtils} from '@yarnpkg/core';
import {npmConfigUtils} from '@yarnpkg/plugin-npm';
import {Command, Option} from 'clipanion';

import {isUsageError} from '../../core/errors';
import {linesTo, reportUsageProblem} from '../../core/run/usageProblem';
import {packageArgument} from '../../core/run/packageArgument';
import type {VerifyContext} from '../../core/run/runVerify';

export class VerifyCommand extends BaseCommand {
  static override paths = [[`provenance`, `verify`]];

  static override usage = Command.Usage({
    category: `Provenance-related commands`,
    description: `verify one npm package's provenance (tarball and attestations from files or the registry)`,
    details: `
      The standalone \`yarn-provenance verify\`, inside Yarn and inside the project: the project's policy (\`provenancePolicyPath\`), its trust settings (\`provenanceTrustedRootPath\`, \`provenanceRegistryKeysPath\`) and the package's registry (scoped registries and their auth) apply; downloads go through Yarn's network settings. A flag overrides only what it names. \`--source-uri\` and \`--builder-id\` add to the rule that matches the package: both must hold, and the output says when a flag decided. Works offline when \`--tarball\` and \`--attestations\` are given.

      Exit codes: 0 verified and allowed; 1 verification failed or the policy was violated; 2 bad usage, an unreadable input file, or an invalid setting, policy or trust file; 3 unverifiable.
    `,
    examples: [[
      `Verify a package against the project's policy`,
      `$0 provenance verify sigstore@2.3.1`,
    ], [
      `Verify a tarball against the repository it must come from, on top of the policy`,
      `$0 provenance verify --package sigstore@2.3.1 --tarball sigstore-2.3.1.tgz --attestations attestations.json --source-uri github.com/sigstore/sigstore-js`,
    ]],
  });

  spec = Option.String({name: `name@version`, required: false});
  packageOption = Option.String(`--package`, {description: `The package as <name>@<version> (or give it as the argument)`});
  tarball = Option.String(`--tarball`, {description: `The package tarball; downloaded when absent`});
  attestations = Option.String(`--attestations`, {description: `The registry's attestations answer; fetched when absent`});
  sourceUri = Option.String(`--source-uri`, {description: `Also require this source repository`});
  builderId = Option.String(`--builder-id`, {description: `Also require this builder id (glob)`});
  policy = Option.String(`--policy`, {description: `A policy file (YAML) instead of the project's`});
  trustedRoot = Option.String(`--trusted-root`, {description: `A Sigstore trusted_root.json instead of the project's setting`});
  registryKeys = Option.String(`--registry-keys`, {description: `Registry attestation keys instead of the project's setting`});
  registry = Option.String(`--registry`, {description: `The npm registry (default: the project's, scope-aware)`});
  offline = Option.Boolean(`--offline`, false, {description: `Never use the network`});
  json = Option.Boolean(`--json`, false, {description: `Print one JSON object`});

  async execute(): Promise<number> {
    const out = linesTo(this.context);
    const chosen = packageArgument(this, `yarn provenance verify`);
    // A caller who asked for JSON gets the mistake as records too (README "JSON records").
    if (`problem` in chosen)
      return reportUsageProblem(out, this.json, `USAGE_INVALID`, chosen.problem);
    const configuration = await Configuration.find(this.context.cwd, this.context.plugins);
    const [{runVerify}, {yarnFetcher}, {verifyOnWorker}, {loadProjectContext}] = await Promise.all([
      import('../../core/run/runVerify'), import('../yarnNetwork'), import('../workerVerifier'), import('../projectCheck'),
    ]);

    const ident = structUtils.tryParseIdent(chosen.spec.slice(0, Math.max(0, chosen.spec.lastIndexOf(`@`))));
    const context: VerifyContext = {
      fetcher: yarnFetcher(configuration, ident),
      registryFor: name => npmConfigUtils.getScopeRegistry(structUtils.parseIdent(name).scope, {configuration}),
    };
    // Inside a project, its settings and policy apply (outside one, the built-in policy and trust).
    if (configuration.projectCwd !== null) {
      try {
        const {project} = await Project.find(configuration, this.context.cwd);
        const {settings, policy} = await loadProjectContext(project, {forGate: false});
        context.policy = policy ?? undefined;
        context.trust = {trustedRootPath: settings.trustedRootPath, registryKeysPath: settings.registryKeysPath};
      } catch (error) {
        if (!isUsageError(error))
          throw error;
        return reportUsageProblem(out, this.json, error.code, error.message);
      }
    }
    return runVerify({...this, package: chosen.spec}, out, verifyOnWorker, context);
  }
}
