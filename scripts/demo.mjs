// The README's first command ends here: a registry on 127.0.0.1 serving real npm attestations, a
// scratch Yarn 4 project importing the freshly built plugin, one install allowed and one blocked.
// Needs no network: everything is served locally from the fixtures.
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import {defaultFixturesDir, startRegistry} from '../test/registry/server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), `..`);
const yarnPath = join(root, `.yarn/releases/yarn-4.18.1.cjs`);
const plugin = join(root, `bundles/@yarnpkg/plugin-provenance.js`);
const bold = text => process.stdout.isTTY ? `\x1b[1m${text}\x1b[22m` : text;

function yarn(cwd, ...args) {
  console.log(bold(`\n$ yarn ${args.join(` `)}`));
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|berry_|yarn_|project_cwd$|init_cwd$)/i.test(key)));
  env.YARN_ENABLE_IMMUTABLE_INSTALLS = `0`;
  // The plugin's per-user store: a fresh one beside the scratch project, never inside it.
  env.XDG_CACHE_HOME = `${cwd}.machine`;
  return new Promise(resolve => {
    const child = spawn(process.execPath, [yarnPath, ...args], {cwd, env, stdio: `inherit`});
    child.on(`close`, code => resolve(code));
  });
}

let registry;
try {
  registry = await startRegistry({fixturesDir: defaultFixturesDir()});
} catch (error) {
  console.error(`Cannot serve the fixtures (${error.message}). See README, "Test fixtures": node scripts/fetch-fixtures.mjs`);
  process.exit(2);
}

// The scratch project and its machine folder (`<dir>.machine`), removed at the end unless DEMO_KEEP=1.
const dir = mkdtempSync(join(tmpdir(), `provenance-demo-`));
try {
  console.log(`Registry with real npm attestations: ${registry.url}`);
  console.log(`Scratch project: ${dir}`);
  writeFileSync(join(dir, `package.json`), `{"name": "demo", "private": true}\n`);
  writeFileSync(join(dir, `yarn.lock`), ``);
  writeFileSync(join(dir, `.yarnrc.yml`), [
    `yarnPath: ${JSON.stringify(yarnPath)}`,
    `npmRegistryServer: "${registry.url}"`,
    `unsafeHttpWhitelist: ["127.0.0.1"]`,
    `enableGlobalCache: false`,
    `enableTelemetry: false`,
    `nodeLinker: node-modules`,
    `globalFolder: ${JSON.stringify(join(dir, `.yarn-global`))}`,
  ].join(`\n`) + `\n`);
  writeFileSync(join(dir, `.provenance.yml`), [
    `version: 1`,
    `rules:`,
    `  - packages: ["sigstore", "@sigstore/*"]`,
    `    source: github.com/sigstore/sigstore-js`,
    `    runner: github-hosted`,
  ].join(`\n`) + `\n`);

  await yarn(dir, `plugin`, `import`, plugin);
  console.log(bold(`\nThe policy (.provenance.yml): sigstore must be built by github.com/sigstore/sigstore-js on a GitHub-hosted runner.`));

  const allowed = await yarn(dir, `add`, `sigstore@2.1.0`);

  console.log(bold(`\nAn update, sigstore@2.3.1, but the registry serves a different tarball than the one sigstore-js's CI attested (what a stolen token or a compromised mirror looks like):`));
  registry.fault(`sigstore@2.3.1`, {kind: `tarball-from`, fixture: `sigstore@2.1.0`});
  const blocked = await yarn(dir, `up`, `sigstore@2.3.1`);

  console.log(bold(`\nResult: first install exit ${allowed} (allowed), second exit ${blocked} (blocked, nothing linked, package.json and yarn.lock unchanged).`));
  process.exitCode = allowed === 0 && blocked === 1 ? 0 : 1;
} finally {
  await registry.close();
  if (!process.env.DEMO_KEEP) {
    rmSync(dir, {recursive: true, force: true});
    rmSync(`${dir}.machine`, {recursive: true, force: true});
  }
}
