// `yarn bench [sizes…]` (default 1000 3000): bundles bench/installBench.ts with esbuild, then runs it.
// See bench/installBench.ts for what is measured; results are kept in bench/results/.
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

import {build} from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), `..`);
const sizes = process.argv.slice(2).map(Number).filter(n => n > 0);
const paths = {root, yarn: join(root, `.yarn/releases/yarn-4.18.1.cjs`), plugin: join(root, `bundles/@yarnpkg/plugin-provenance.js`)};

if (!existsSync(paths.plugin)) {
  console.error(`No plugin bundle: run the build first (node .yarn/releases/yarn-4.18.1.cjs build).`);
  process.exit(2);
}

// ESM, because the test registry is an ES module that reads import.meta; CommonJS dependencies get a require.
// The bundled bench lives in a folder of its own, removed when the process exits.
const bundleFolder = mkdtempSync(join(tmpdir(), `provenance-bench-`));
process.on(`exit`, () => rmSync(bundleFolder, {recursive: true, force: true}));
const outfile = join(bundleFolder, `bench.mjs`);
await build({
  entryPoints: [join(root, `bench/installBench.ts`)], outfile, bundle: true, platform: `node`, format: `esm`, target: `node20.17`, logLevel: `warning`,
  banner: {js: `import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);`},
});
const {main} = await import(pathToFileURL(outfile).href);
await main(paths, sizes.length > 0 ? sizes : [1000, 3000]);
