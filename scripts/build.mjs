// Builds the two artifacts: the standalone CLI (bundles/yarn-provenance.cjs, self-contained so that
// it runs before any install) and the Yarn plugin (bundles/@yarnpkg/plugin-provenance.js).
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import {build} from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), `..`);
const only = process.argv[2];

if (only === undefined || only === `cli`) {
  await build({
    entryPoints: [join(root, `sources/cli/main.ts`)],
    outfile: join(root, `bundles/yarn-provenance.cjs`),
    bundle: true,
    platform: `node`,
    format: `cjs`,
    target: `node20.17`,
    minify: true,
    keepNames: true,
    legalComments: `eof`,
    banner: {js: `#!/usr/bin/env node`},
    logLevel: `warning`,
  });
  console.log(`built bundles/yarn-provenance.cjs`);
}

if ((only === undefined || only === `plugin`) && process.env.PROVENANCE_SKIP_PLUGIN === undefined) {
  try {
    readFileSync(join(root, `sources/index.ts`));
  } catch {
    process.exit(0);
  }
  execFileSync(process.execPath, [join(root, `node_modules/@yarnpkg/builder/lib/cli.js`), `build`, `plugin`], {cwd: root, stdio: `inherit`});
}
