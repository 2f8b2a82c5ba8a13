// A pre-install check for pnpm: copy this file to the folder of pnpm-lock.yaml as `.pnpmfile.cjs`.
//
// `preResolution` is the hook that runs on every `pnpm install`, `--frozen-lockfile` included, before
// anything is fetched, linked or built; a throw there stops the install (measured on pnpm 10.34, see the
// README's "npm and pnpm"). It runs `yarn-provenance check` on the lockfile on disk: packages that
// `pnpm add` or a lockfile refresh is about to add are not in it yet, so check again in CI, where
// `pnpm install --frozen-lockfile` installs exactly what the lockfile names.
//
// The check must not come from node_modules (nothing is installed yet): the standalone bin is one file.
// Set YARN_PROVENANCE_BIN to where it is, or keep it at tools/yarn-provenance.cjs beside this file.
// YARN_PROVENANCE_ARGS (a JSON array) adds flags, e.g. `["--trusted-root","root.json"]` for a private Sigstore.
'use strict';

const {spawnSync} = require('node:child_process');
const {existsSync} = require('node:fs');
const path = require('node:path');

function preResolution(options) {
  const lockfileDir = options.lockfileDir || __dirname;
  const lockfile = path.join(lockfileDir, 'pnpm-lock.yaml');
  // A first install has no lockfile to check: run `pnpm install --lockfile-only`, then the check, then install.
  if (!options.existsNonEmptyWantedLockfile || !existsSync(lockfile))
    return;

  const bin = process.env.YARN_PROVENANCE_BIN || path.join(__dirname, 'tools', 'yarn-provenance.cjs');
  const extra = process.env.YARN_PROVENANCE_ARGS ? JSON.parse(process.env.YARN_PROVENANCE_ARGS) : [];
  const result = spawnSync(process.execPath, [bin, 'check', '--lockfile', lockfile, ...extra], {cwd: lockfileDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
  if (result.status === 0)
    return;

  process.stderr.write(`${result.stdout || ''}${result.stderr || ''}${result.error ? `${result.error.message}\n` : ''}`);
  // Exit 3 (unverifiable: the registry did not answer) blocks too: a gate that cannot see lets nothing through.
  const error = new Error(`yarn-provenance check exited ${result.status === null ? 'without a status' : result.status}: nothing was fetched or installed`);
  // pnpm prints errors whose code starts with ERR_PNPM_ as one line, without a stack trace.
  error.code = 'ERR_PNPM_PROVENANCE_BLOCKED';
  throw error;
}

module.exports = {hooks: {preResolution}};
