import {Command, Option} from 'clipanion';
import * as t from 'typanion';

import {EXIT} from '../../core/exitCodes';
import {runCheck} from '../runCheck';
import {verifyOnWorkers} from '../verifyOnWorkers';

export class CheckCommand extends Command {
  static override paths = [[`check`]];

  static override usage = Command.Usage({
    description: `check every package of an npm or pnpm lockfile against the provenance policy, before installing`,
    details: `
      Reads \`npm-shrinkwrap.json\`, \`package-lock.json\` (versions 2 and 3) or \`pnpm-lock.yaml\` (versions 6 and 9, every importer), in that order from the current folder, or the file given with \`--lockfile\`, and checks each package as the Yarn plugin's install gate does: Sigstore signatures, that the attestations are about exactly the tarball whose sha512 the lockfile pins as \`integrity\` (npm and pnpm refuse any other download), and the signer identity against the policy.

      The policy is \`--policy\`, else \`.provenance.yml\` beside the lockfile, else the built-in one. Attestations are fetched as npm fetches, through npm-registry-fetch with the user's \`.npmrc\` and \`npm_config_*\` settings: the registry of each package (\`@scope:registry=\`, \`registry=\`), its credentials, proxies, \`cafile\`, \`strict-ssl\` and \`offline\`; signatures are verified on worker threads. Git, tarball-URL and \`file:\` entries are \`unattestable\`; workspaces and links inside the project are the project's own code. Entries whose \`integrity\` is missing or sha1-only are \`invalid\` with \`LOCKED_INTEGRITY_UNUSABLE\` when the package has attestations, and judged as packages without provenance when it has none.

      Run it before \`npm ci\` or \`pnpm install --frozen-lockfile\`: nothing is installed, and nothing but attestations is downloaded.

      Exit codes: 0 nothing blocks; 1 a package violates the policy or fails verification; 2 bad usage, an unreadable or unsupported lockfile, an invalid policy or trust file; 3 nothing failed but some packages could not be verified (network).
    `,
    examples: [[
      `Check the lockfile of the current folder, then install`,
      `$0 check && npm ci`,
    ], [
      `Check a pnpm lockfile against a policy and write SARIF`,
      `$0 check --lockfile pnpm-lock.yaml --policy .provenance.yml --sarif > provenance.sarif`,
    ], [
      `Add a summary to a GitHub Actions job`,
      `$0 check --markdown >> "$GITHUB_STEP_SUMMARY"`,
    ], [
      `Write a GitLab Code Quality report (artifacts: reports: codequality)`,
      `$0 check --gitlab-codequality gl-code-quality-report.json`,
    ]],
  });

  lockfile = Option.String(`--lockfile`, {description: `The lockfile (package-lock.json, npm-shrinkwrap.json or pnpm-lock.yaml)`});
  policy = Option.String(`--policy`, {description: `A policy file (YAML); default .provenance.yml beside the lockfile`});
  trustedRoot = Option.String(`--trusted-root`, {description: `A Sigstore trusted_root.json instead of the public-good one`});
  registryKeys = Option.String(`--registry-keys`, {description: `Registry attestation keys (TUF keys.json or /-/npm/v1/keys)`});
  concurrency = Option.String(`--concurrency`, `16`, {description: `Attestation requests at once (1 to 256)`, validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(1, 256)])});
  json = Option.Boolean(`--json`, false, {description: `Print one JSON record per package (one per line)`});
  sarif = Option.Boolean(`--sarif`, false, {description: `Print a SARIF 2.1.0 log`});
  markdown = Option.Boolean(`--markdown`, false, {description: `Print a Markdown summary`});
  gitlabCodeQuality = Option.String(`--gitlab-codequality`, {description: `Also write GitLab's Code Quality JSON for the findings to this file`});

  async execute(): Promise<number> {
    const out = {
      stdout: (line: string) => this.context.stdout.write(`${line}\n`),
      stderr: (line: string) => this.context.stderr.write(`${line}\n`),
    };
    const formats = ([[`json`, this.json], [`sarif`, this.sarif], [`markdown`, this.markdown]] as const).filter(([, on]) => on);
    if (formats.length > 1) {
      out.stderr(`USAGE_INVALID: Choose one of --json, --sarif and --markdown.`);
      return EXIT.USAGE;
    }
    try {
      return await runCheck({
        cwd: process.cwd(),
        lockfile: this.lockfile,
        policy: this.policy,
        trustedRoot: this.trustedRoot,
        registryKeys: this.registryKeys,
        concurrency: this.concurrency,
        format: formats[0]?.[0] ?? `table`,
        gitlabCodeQuality: this.gitlabCodeQuality,
      }, out, verifyOnWorkers(__filename));
    } catch (error) {
      // A bug, not a verdict: one line, and an exit code no verdict uses.
      out.stderr(`Internal error: ${(error as Error).message}`);
      return 70;
    }
  }
}
