// `yarn bench:verify [N]`: bundles bench/verifyThroughput.ts with the same esbuild as the product
// build (so the figures are those of the shipped code), then runs it over the real fixtures.
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

import {build} from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), `..`);
const total = Number(process.argv[2] ?? 2000);
const fixtures = process.env.PROVENANCE_FIXTURES
  ? join(process.env.PROVENANCE_FIXTURES, `npm-attestations`)
  : [resolve(root, `../shared/fixtures/npm-attestations`), resolve(root, `fixtures-cache/npm-attestations`)].find(existsSync);

if (fixtures === undefined) {
  console.error(`No fixtures found: run \`node scripts/fetch-fixtures.mjs\` first (see README, "Test fixtures").`);
  process.exit(2);
}

// The bundled bench lives in a folder of its own, removed when the process exits.
const bundleFolder = mkdtempSync(join(tmpdir(), `provenance-bench-`));
process.on(`exit`, () => rmSync(bundleFolder, {recursive: true, force: true}));
const outfile = join(bundleFolder, `bench.cjs`);
await build({entryPoints: [join(root, `bench/verifyThroughput.ts`)], outfile, bundle: true, platform: `node`, format: `cjs`, target: `node20.17`, minify: true, logLevel: `warning`});
const {main} = (await import(pathToFileURL(outfile).href)).default;
await main(fixtures, total);
