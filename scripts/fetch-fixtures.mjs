#!/usr/bin/env node
// Rebuilds the real npm attestation fixtures (../shared/fixtures on our machines and CI) into
// fixtures-cache/, downloading each file from its public origin at a pinned commit or version, and
// checks every file against scripts/fixtures-manifest.json. Node 20 built-ins only.
//
//   node scripts/fetch-fixtures.mjs [--out <dir>]   download into <dir> (default: fixtures-cache/)
//   node scripts/fetch-fixtures.mjs --check <dir>   verify an existing tree offline, e.g. ../shared/fixtures
//   node scripts/fetch-fixtures.mjs --ensure        what `npm test` and `npm run demo` run first: nothing when the
//                                                   tests have fixtures ($PROVENANCE_FIXTURES, ../shared/fixtures, or
//                                                   a complete fixtures-cache/), else downloads them into
//                                                   fixtures-cache/; offline, one line that says what to do (exit 1)
//
// Each recipe is described in the manifest's $comment. Exits 1 on any mismatch, missing file or
// download failure, naming the file; 2 on bad arguments.
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {gunzipSync} from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), `..`);
const MANIFEST_PATH = join(ROOT, `scripts`, `fixtures-manifest.json`);
const RAW_GITHUB = `https://raw.githubusercontent.com`;
const TIMEOUT_MS = 60_000;
const ATTEMPTS = 3;

class FixtureError extends Error {}

const sha = (algorithm, bytes) => createHash(algorithm).update(bytes).digest(`hex`);

const USAGE = `usage: node scripts/fetch-fixtures.mjs [--out <dir>] | --check <dir> | --ensure`;

function usage(message) {
  if (message)
    console.error(`error: ${message}`);
  console.error(USAGE);
  process.exit(2);
}

function parseArgs(argv) {
  let out = null;
  let check = null;
  let ensure = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith(`--`) && arg.includes(`=`) ? [arg.slice(0, arg.indexOf(`=`)), arg.slice(arg.indexOf(`=`) + 1)] : [arg, undefined];
    if (flag === `-h` || flag === `--help`) {
      console.log(USAGE);
      process.exit(0);
    }
    if (flag === `--ensure` && inline === undefined) {
      ensure = true;
      continue;
    }
    if (flag !== `--out` && flag !== `--check`)
      usage(`unknown argument ${arg}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === ``)
      usage(`${flag} needs a directory`);
    if (flag === `--out`)
      out = value;
    else
      check = value;
  }
  if ([out !== null, check !== null, ensure].filter(Boolean).length > 1)
    usage(`--out, --check and --ensure cannot be combined`);
  return {out, check, ensure};
}

function loadManifest() {
  try {
    return JSON.parse(readFileSync(MANIFEST_PATH, `utf8`));
  } catch (error) {
    console.error(`error: cannot read ${relative(process.cwd(), MANIFEST_PATH)}: ${error.message}`);
    process.exit(1);
  }
}

// ---- sources ---------------------------------------------------------------------------------

function sourceUrl(source) {
  if (source.url)
    return source.url;
  if (source.github && /^[0-9a-f]{40}$/.test(source.commit ?? ``) && source.path)
    return `${RAW_GITHUB}/${source.github}/${source.commit}/${source.path.split(`/`).map(encodeURIComponent).join(`/`).replace(/%40/g, `@`)}`;
  throw new FixtureError(`manifest: unusable source ${JSON.stringify(source)}`);
}

function describeSource(source) {
  return source.github ? `${source.github}:${source.path}@${source.commit}` : source.url;
}

const downloads = new Map();

function download(url) {
  if (!downloads.has(url))
    downloads.set(url, downloadUncached(url));
  return downloads.get(url);
}

async function downloadUncached(url) {
  let lastProblem;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const response = await fetch(url, {signal: AbortSignal.timeout(TIMEOUT_MS), redirect: `follow`});
      if (response.ok)
        return Buffer.from(await response.arrayBuffer());
      lastProblem = `HTTP ${response.status} ${response.statusText}`.trim();
      // A 4xx will not get better by asking again (except rate limiting).
      if (response.status >= 400 && response.status < 500 && response.status !== 429)
        break;
    } catch (error) {
      const cause = error.cause?.code ?? error.cause?.message;
      lastProblem = error.name === `TimeoutError` ? `timed out after ${TIMEOUT_MS / 1000}s` : `${error.message}${cause ? ` (${cause})` : ``}`;
    }
    if (attempt < ATTEMPTS)
      await new Promise(done => setTimeout(done, 1000 * attempt));
  }
  throw new FixtureError(`download failed: ${url}: ${lastProblem}`);
}

// ---- transformations -------------------------------------------------------------------------

// JSON with 2-space indent, every character above U+007F written as \uXXXX (surrogate pairs as two
// escapes), as Python's json.dumps(indent=2) writes it.
function asciiJson(value) {
  return JSON.stringify(value, null, 2).replace(/[\u0080-\uffff]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, `0`)}`);
}

function parseJson(bytes, what) {
  try {
    return JSON.parse(bytes.toString(`utf8`));
  } catch (error) {
    throw new FixtureError(`${what} is not JSON: ${error.message}`);
  }
}

function dssePayload(bundle, what) {
  const payload = bundle?.dsseEnvelope?.payload;
  if (typeof payload !== `string`)
    throw new FixtureError(`${what} has no DSSE envelope payload`);
  return parseJson(Buffer.from(payload, `base64`), `${what}'s DSSE payload`);
}

async function wrapBundles(sources) {
  const attestations = [];
  for (const source of sources) {
    const what = describeSource(source);
    const bundle = parseJson(await download(sourceUrl(source)), what);
    const predicateType = dssePayload(bundle, what).predicateType;
    if (predicateType !== source.predicateType)
      throw new FixtureError(`${what}: predicateType is ${predicateType}, the manifest expects ${source.predicateType}`);
    attestations.push({predicateType, bundle});
  }
  return Buffer.from(asciiJson({attestations}), `utf8`);
}

// Minimal reader for the (ustar) tar inside an npm package tarball.
function tarMember(tgz, wanted, what) {
  let tar;
  try {
    tar = gunzipSync(tgz);
  } catch (error) {
    throw new FixtureError(`${what} is not gzip: ${error.message}`);
  }
  const text = (start, length) => {
    const field = tar.subarray(start, start + length);
    const end = field.indexOf(0);
    return field.subarray(0, end === -1 ? length : end).toString(`utf8`);
  };
  let paxPath = null;
  for (let offset = 0; offset + 512 <= tar.length;) {
    if (tar.subarray(offset, offset + 512).every(byte => byte === 0))
      break;
    const size = parseInt(text(offset + 124, 12).trim() || `0`, 8);
    const type = text(offset + 156, 1);
    const prefix = text(offset + 257, 6).startsWith(`ustar`) ? text(offset + 345, 155) : ``;
    const name = paxPath ?? (prefix ? `${prefix}/${text(offset, 100)}` : text(offset, 100));
    const body = tar.subarray(offset + 512, offset + 512 + size);
    paxPath = null;
    if (type === `x`) {
      const match = /^\d+ path=(.*)$/m.exec(body.toString(`utf8`));
      paxPath = match ? match[1] : null;
    } else if ((type === `0` || type === ``) && name.replace(/^\.\//, ``) === wanted) {
      return Buffer.from(body);
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new FixtureError(`${what} has no ${wanted}`);
}

async function tufSeedTarget(file) {
  const {source} = file;
  const what = describeSource(source);
  const tgz = await download(sourceUrl(source));
  if (source.integrity) {
    const [algorithm, digest] = source.integrity.split(`-`);
    if (createHash(algorithm).update(tgz).digest(`base64`) !== digest)
      throw new FixtureError(`${what}: integrity mismatch (expected ${source.integrity})`);
  }
  const seeds = parseJson(tarMember(tgz, source.member, what), `${what}:${source.member}`);
  const encoded = seeds[file.repository]?.targets?.[file.target];
  if (typeof encoded !== `string`)
    throw new FixtureError(`${what}:${source.member} has no target ${file.target} for ${file.repository}`);
  return Buffer.from(encoded, `base64`);
}

async function build(file) {
  switch (file.recipe) {
    case `as-is`: return download(sourceUrl(file.source));
    case `wrap-bundles`: return wrapBundles(file.sources);
    case `tuf-seed-target`: return tufSeedTarget(file);
    case `embedded-json`: return Buffer.from(`${JSON.stringify(file.content, null, 2)}\n`, `utf8`);
    case `embedded-text`: return Buffer.from(file.content, `utf8`);
    default: throw new FixtureError(`manifest: unknown recipe ${file.recipe}`);
  }
}

// ---- checks ----------------------------------------------------------------------------------

// Checks one file's bytes; returns a list of problems (empty when it matches).
function verify(file, bytes, folder) {
  const problems = [];
  const actual = sha(`sha256`, bytes);
  if (actual !== file.sha256)
    problems.push(`sha256 ${actual}, the manifest expects ${file.sha256}`);
  if (file.sha512 !== undefined) {
    // The tarball must be the attested one: its sha512 is expected.json's subjectDigestSha512Hex.
    const subjectDigest = folder.files[`expected.json`]?.content?.subjectDigestSha512Hex;
    if (subjectDigest !== undefined && subjectDigest !== file.sha512)
      throw new FixtureError(`manifest: ${folder.dir}: package.tgz sha512 differs from expected.json's subjectDigestSha512Hex`);
    const actual512 = sha(`sha512`, bytes);
    if (actual512 !== file.sha512)
      problems.push(`sha512 ${actual512.slice(0, 16)}… is not the attested subject digest ${file.sha512.slice(0, 16)}…`);
  }
  return problems;
}

// Cross-check within a folder: every attestation's subject digest is the tarball's sha512.
function crossCheck(folder, contents) {
  const attestations = contents.get(`attestations.json`);
  const tarball = contents.get(`package.tgz`);
  if (!attestations || !tarball)
    return [];
  const digest = sha(`sha512`, tarball);
  const problems = [];
  let parsed;
  try {
    parsed = JSON.parse(attestations.toString(`utf8`));
  } catch {
    return [`attestations.json: not JSON`];
  }
  for (const [index, entry] of (parsed.attestations ?? []).entries()) {
    try {
      const subjects = dssePayload(entry.bundle, `attestations[${index}]`).subject ?? [];
      if (!subjects.some(subject => subject?.digest?.sha512 === digest))
        problems.push(`attestations.json: attestations[${index}] (${entry.predicateType}) has no subject with package.tgz's sha512`);
    } catch (error) {
      problems.push(`attestations.json: ${error.message}`);
    }
  }
  return problems;
}

function report(folder, problems, fileCount, verb) {
  if (problems.length === 0) {
    console.log(`ok    ${folder.dir} (${fileCount} file${fileCount === 1 ? `` : `s`} ${verb})`);
  } else {
    console.error(`FAIL  ${folder.dir}`);
    for (const problem of problems)
      console.error(`error: ${problem}`);
  }
}

// ---- modes -----------------------------------------------------------------------------------

function checkTree(manifest, dir) {
  let failed = 0;
  for (const folder of manifest.fixtures) {
    const problems = [];
    const contents = new Map();
    for (const [name, file] of Object.entries(folder.files)) {
      const path = join(dir, folder.dir, name);
      let bytes;
      try {
        bytes = readFileSync(path);
      } catch (error) {
        problems.push(`${path}: ${error.code === `ENOENT` ? `missing` : error.message}`);
        continue;
      }
      contents.set(name, bytes);
      for (const problem of verify(file, bytes, folder))
        problems.push(`${path}: ${problem}`);
    }
    if (problems.length === 0)
      problems.push(...crossCheck(folder, contents).map(problem => `${join(dir, folder.dir)}/${problem}`));
    report(folder, problems, contents.size, `match`);
    failed += problems.length > 0 ? 1 : 0;
  }
  return failed;
}

async function fetchTree(manifest, dir) {
  // Build every folder concurrently (downloads are shared), then report in manifest order.
  const results = await Promise.all(manifest.fixtures.map(async folder => {
    const problems = [];
    const contents = new Map();
    for (const [name, file] of Object.entries(folder.files)) {
      const path = join(dir, folder.dir, name);
      try {
        const bytes = await build(file);
        const fileProblems = verify(file, bytes, folder);
        if (fileProblems.length === 0)
          contents.set(name, bytes);
        else
          problems.push(...fileProblems.map(problem => `${path}: ${problem} (from ${describeFile(file)})`));
      } catch (error) {
        if (!(error instanceof FixtureError))
          throw error;
        problems.push(`${path}: ${error.message}`);
      }
    }
    if (problems.length === 0)
      problems.push(...crossCheck(folder, contents).map(problem => `${join(dir, folder.dir)}/${problem}`));
    return {folder, problems, contents};
  }));

  let failed = 0;
  for (const {folder, problems, contents} of results) {
    if (problems.length === 0) {
      const folderPath = join(dir, folder.dir);
      mkdirSync(folderPath, {recursive: true});
      for (const [name, bytes] of contents) {
        const path = join(folderPath, name);
        writeFileSync(`${path}.tmp`, bytes);
        renameSync(`${path}.tmp`, path);
      }
    }
    report(folder, problems, contents.size, `written`);
    failed += problems.length > 0 ? 1 : 0;
  }
  return failed;
}

function describeFile(file) {
  if (file.source)
    return describeSource(file.source);
  if (file.sources)
    return file.sources.map(describeSource).join(` + `);
  return `the manifest`;
}

/** Whether `dir` holds every file of the manifest with its sha256 (a silent `--check`). */
function isComplete(manifest, dir) {
  return manifest.fixtures.every(folder => Object.entries(folder.files).every(([name, file]) => {
    try {
      return sha(`sha256`, readFileSync(join(dir, folder.dir, name))) === file.sha256;
    } catch {
      return false;
    }
  }));
}

/**
 * `--ensure`: the fixtures the tests will read (same order as test/helpers/fixtures.ts), else a download into
 * fixtures-cache/. One request is tried first, so that a machine without network gets one line, not one per file.
 */
async function ensureFixtures(manifest) {
  const cache = join(ROOT, `fixtures-cache`);
  const given = process.env.PROVENANCE_FIXTURES;
  if (given !== undefined) {
    if (existsSync(given))
      return 0;
    console.error(`error: PROVENANCE_FIXTURES is ${given}, which does not exist: unset it to use ../shared/fixtures or fixtures-cache/`);
    return 1;
  }
  if (existsSync(join(ROOT, `..`, `shared`, `fixtures`)) || isComplete(manifest, cache))
    return 0;

  const first = Object.values(manifest.fixtures[0].files).find(file => file.source)?.source;
  try {
    const response = await fetch(sourceUrl(first), {signal: AbortSignal.timeout(15_000)});
    if (!response.ok)
      throw new Error(`HTTP ${response.status}`);
    await response.arrayBuffer();
  } catch (error) {
    const cause = error.cause?.code ?? error.cause?.message ?? error.message;
    console.error(`error: the test fixtures are missing (no ../shared/fixtures, no complete fixtures-cache/) and ${new URL(sourceUrl(first)).host} cannot be reached (${cause}): run \`node scripts/fetch-fixtures.mjs\` where it can, or set PROVENANCE_FIXTURES to a copy of the fixtures`);
    return 1;
  }
  console.log(`The test fixtures are missing: downloading them into ${relative(process.cwd(), cache) || `.`} (checked against scripts/fixtures-manifest.json)`);
  const failed = await fetchTree(manifest, cache);
  if (failed > 0) {
    console.error(`error: ${failed} of ${manifest.fixtures.length} fixture folders could not be downloaded (see above); run this again, or set PROVENANCE_FIXTURES to a copy of the fixtures`);
    return 1;
  }
  return 0;
}

const {out, check, ensure} = parseArgs(process.argv.slice(2));
const manifest = loadManifest();

try {
  if (ensure) {
    process.exitCode = await ensureFixtures(manifest);
  } else if (check !== null) {
    const dir = resolve(check);
    const failed = checkTree(manifest, dir);
    if (failed > 0) {
      console.error(`error: ${failed} of ${manifest.fixtures.length} fixture folders in ${dir} do not match scripts/fixtures-manifest.json`);
      process.exit(1);
    }
    console.log(`all ${manifest.fixtures.length} fixture folders in ${dir} match scripts/fixtures-manifest.json`);
  } else {
    const dir = out !== null ? resolve(out) : join(ROOT, `fixtures-cache`);
    const failed = await fetchTree(manifest, dir);
    if (failed > 0) {
      console.error(`error: ${failed} of ${manifest.fixtures.length} fixture folders could not be rebuilt; nothing was written for them`);
      process.exit(1);
    }
    console.log(`all ${manifest.fixtures.length} fixture folders written to ${dir}`);
  }
} catch (error) {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
