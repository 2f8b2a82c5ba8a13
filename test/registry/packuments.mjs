// The registry's data: package versions (real fixtures and generated ones) and the JSON documents
// npm serves for them (packument, per-version manifest).
//
// Why a packument is built per request: faults can swap a version's tarball, and a compromised
// registry would publish `dist.integrity`/`shasum` of whatever it serves. Building the document from
// the bytes actually served keeps the registry self-consistent, so a verifier must rely on the
// attested subject digest, never on `dist.integrity`, to catch a swap.

import {createHash, generateKeyPairSync, sign} from 'node:crypto';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

import semver from 'semver';

import {digestsOf, packTarball} from './tarballs.mjs';

/**
 * One version the registry serves.
 * @typedef {object} Entry
 * @property {string} name
 * @property {string} version
 * @property {string} time           ISO publish date (Yarn's npmMinimalAgeGate needs it, older than a day)
 * @property {Buffer} tarball        the real bytes (faults may serve others)
 * @property {Buffer | null} attestations  body of the attestations endpoint, null = 404
 * @property {Record<string, string>} dependencies
 * @property {Record<string, string> | undefined} scripts
 * @property {Record<string, unknown>} fields  further manifest fields (os, cpu, optional and peer dependencies)
 * @property {string | null} distTarball    `dist.tarball` when it is not the conventional URL: a path on this
 *                                          registry (`/…`) or an absolute URL
 * @property {boolean} trustedPublisher    published through npm trusted publishing (`_npmUser.trustedPublisher`)
 */

/** Manifest fields a synthetic package may declare, and a `manifest-fields` fault may set, beside `dependencies`. */
export const EXTRA_FIELDS = [`optionalDependencies`, `peerDependencies`, `peerDependenciesMeta`, `os`, `cpu`];

// Used when a fixture has no tlog time, and for generated packages: old enough for any age gate.
export const FALLBACK_FIXTURE_TIME = `2023-01-01T00:00:00.000Z`;
export const SYNTHETIC_TIME = `2024-01-01T00:00:00.000Z`;

/**
 * Reads every `<name with / as __>@<version>/` folder of the fixtures directory.
 * @param {string} dir
 * @returns {Map<string, Entry>} keyed by folder name
 */
export function loadFixtures(dir) {
  const fixtures = new Map();
  if (!existsSync(dir)) return fixtures;
  for (const dirent of readdirSync(dir, {withFileTypes: true})) {
    if (!dirent.isDirectory()) continue;
    const folder = join(dir, dirent.name);
    const tarballPath = join(folder, `package.tgz`);
    // A fixture without its tarball cannot be installed; skip it rather than serve a broken version.
    if (!existsSync(tarballPath)) continue;

    const expectedPath = join(folder, `expected.json`);
    const expected = existsSync(expectedPath) ? JSON.parse(readFileSync(expectedPath, `utf8`)) : {};
    const fromFolder = parseSpec(dirent.name.replace(/__/g, `/`));
    const name = typeof expected.name === `string` ? expected.name : fromFolder?.name;
    const version = typeof expected.version === `string` ? expected.version : fromFolder?.version;
    if (!name || !version) continue;

    const attestationsPath = join(folder, `attestations.json`);
    fixtures.set(dirent.name, {
      name,
      version,
      time: firstTlogTime(expected) ?? FALLBACK_FIXTURE_TIME,
      tarball: readFileSync(tarballPath),
      // Kept as raw bytes: the endpoint must answer exactly what is stored.
      attestations: existsSync(attestationsPath) ? readFileSync(attestationsPath) : null,
      // The fixture tarballs declare dependencies this registry cannot serve, and Yarn resolves
      // dependencies from the packument, so none are declared here.
      dependencies: {},
      scripts: undefined,
      fields: {},
      distTarball: null,
      trustedPublisher: false,
    });
  }
  return fixtures;
}

function firstTlogTime(expected) {
  const time = expected?.bundles?.[0]?.tlog?.integratedTime;
  return typeof time === `string` && !Number.isNaN(Date.parse(time)) ? new Date(time).toISOString() : null;
}

/**
 * Turns a SyntheticPackage (see server.d.mts) into an entry with a deterministic tarball.
 * @returns {Entry}
 */
export function syntheticEntry(pkg) {
  if (typeof pkg?.name !== `string` || typeof pkg?.version !== `string` || !semver.valid(pkg.version))
    throw new Error(`A synthetic package needs a name and a valid semver version`);
  if (pkg.tarball !== undefined && (typeof pkg.tarball !== `string` || !/^(\/|https?:\/\/)/.test(pkg.tarball)))
    throw new Error(`A synthetic package's tarball is a path on the registry ("/…") or an http(s) URL`);
  const fields = {};
  for (const field of EXTRA_FIELDS)
    if (pkg[field] !== undefined) fields[field] = structuredClone(pkg[field]);
  return {
    name: pkg.name,
    version: pkg.version,
    time: SYNTHETIC_TIME,
    tarball: packTarball(packageFiles(pkg)),
    attestations: pkg.attestations === undefined ? null : Buffer.from(JSON.stringify(pkg.attestations)),
    dependencies: {...pkg.dependencies},
    scripts: pkg.scripts ? {...pkg.scripts} : undefined,
    fields,
    distTarball: pkg.tarball ?? null,
    trustedPublisher: pkg.trustedPublisher === true,
  };
}

/**
 * The files of a synthetic package's tarball: its package.json says what the packument says (npm
 * publishes both from one manifest), plus the test's files.
 */
export function packageFiles(pkg) {
  const manifest = {name: pkg.name, version: pkg.version};
  if (pkg.scripts) manifest.scripts = pkg.scripts;
  if (pkg.dependencies) manifest.dependencies = pkg.dependencies;
  for (const field of EXTRA_FIELDS)
    if (pkg[field] !== undefined) manifest[field] = pkg[field];
  // `files["package.json"]`, when given, wins: lets a test ship a manifest that disagrees with the packument.
  return {"package.json": `${JSON.stringify(manifest, null, 2)}\n`, ...pkg.files};
}

/** `name@version` → parts; the name may be scoped (`@scope/name@1.0.0`). */
export function parseSpec(spec) {
  const at = spec.lastIndexOf(`@`);
  if (at <= 0) return null;
  return {name: spec.slice(0, at), version: spec.slice(at + 1)};
}

export function basename(name) {
  return name.startsWith(`@`) ? name.slice(name.indexOf(`/`) + 1) : name;
}

/** The URL Yarn's npm fetcher downloads from; `dist.tarball` must equal it or Yarn pins another URL. */
export function tarballUrl(baseUrl, name, version) {
  return `${baseUrl}/${name}/-/${basename(name)}-${version}.tgz`;
}

/** npm escapes the scope separator in attestation URLs: `@scope%2fname@1.0.0`. */
export function attestationsUrl(baseUrl, name, version) {
  return `${baseUrl}/-/npm/v1/attestations/${name.replace(`/`, `%2f`)}@${version}`;
}

/**
 * The per-version manifest, as served inside the packument and at `/<name>/<version>`.
 * `served.fields` are what a `manifest-fields` fault lists in place of the version's own.
 * @param {Entry} entry
 * @param {{baseUrl: string, tarball: Uint8Array, attestations: {advertised: boolean, body: Uint8Array | null},
 *   fields: Record<string, unknown> | null, signing: SigningKey | null, signatureFault: string | null}} served
 */
export function versionManifest(entry, served) {
  const {integrity, shasum} = digestsOf(served.tarball);
  const location = entry.distTarball === null
    ? tarballUrl(served.baseUrl, entry.name, entry.version)
    : entry.distTarball.startsWith(`/`) ? `${served.baseUrl}${entry.distTarball}` : entry.distTarball;
  const dist = {tarball: location, integrity, shasum};
  if (served.attestations.advertised) {
    dist.attestations = {url: attestationsUrl(served.baseUrl, entry.name, entry.version)};
    const predicateType = provenancePredicateType(served.attestations.body);
    // npm advertises `provenance` only when a provenance attestation exists (not for publish-only).
    if (predicateType) dist.attestations.provenance = {predicateType};
  }
  const manifest = {
    name: entry.name,
    version: entry.version,
    _id: `${entry.name}@${entry.version}`,
    dependencies: {...entry.dependencies},
    ...structuredClone(entry.fields),
  };
  if (entry.scripts) manifest.scripts = {...entry.scripts};
  // What a mirror lists here is not attested and need not match the tarball's package.json.
  Object.assign(manifest, structuredClone(served.fields ?? {}));
  // npm names the publisher; a trusted publisher (OIDC) is recorded on the same object.
  manifest._npmUser = {name: `test-publisher`, email: `publisher@example.test`};
  if (entry.trustedPublisher) manifest._npmUser.trustedPublisher = {id: `github`, oidcConfigId: `oidc:test-authority`};
  const signatures = served.signing ? registrySignatures(entry, served.signing, served.signatureFault) : [];
  if (signatures.length > 0) dist.signatures = signatures;
  manifest.dist = dist;
  return manifest;
}

/**
 * The registry's signing key: `dist.signatures` sign `<name>@<version>:<integrity>`.
 * @typedef {{keyId: string, privateKey: import('node:crypto').KeyObject}} SigningKey
 */

/**
 * `dist.signatures` as npm signs them at publish: over the integrity of the bytes that were published
 * (`entry.tarball`), so a tarball swapped later no longer matches. `fault` spoils them on purpose.
 * @param {Entry} entry
 * @param {SigningKey} key
 * @param {string | null} fault
 */
export function registrySignatures(entry, key, fault) {
  if (fault === `stripped`) return [];
  const published = fault === `other-integrity` ? Buffer.from(`another tarball`) : entry.tarball;
  const message = `${entry.name}@${entry.version}:${digestsOf(published).integrity}`;
  // `forged`: a well-formed signature under the registry's key id, made with another key.
  const signer = fault === `forged` ? generateKeyPairSync(`ec`, {namedCurve: `P-256`}).privateKey : key.privateKey;
  const keyid = fault === `unknown-key` ? `SHA256:${createHash(`sha256`).update(`unknown`).digest(`base64`).replace(/=+$/, ``)}` : key.keyId;
  return [{keyid, sig: sign(`sha256`, Buffer.from(message), signer).toString(`base64`)}];
}

function provenancePredicateType(body) {
  if (!body) return null;
  try {
    const parsed = JSON.parse(Buffer.from(body).toString(`utf8`));
    const found = parsed?.attestations?.find?.(a => typeof a?.predicateType === `string` && a.predicateType.startsWith(`https://slsa.dev/provenance/`));
    return found ? found.predicateType : null;
  } catch {
    return null; // a fault may serve garbage on purpose
  }
}

/**
 * @param {string} name
 * @param {Array<{entry: Entry, manifest: object}>} versions
 */
export function packument(name, versions) {
  const time = {};
  const manifests = {};
  for (const {entry, manifest} of versions) {
    manifests[entry.version] = manifest;
    time[entry.version] = entry.time;
  }
  const dates = Object.values(time).sort();
  return {
    _id: name,
    name,
    "dist-tags": {latest: latestVersion(Object.keys(manifests))},
    versions: manifests,
    time: {created: dates[0], modified: dates[dates.length - 1], ...time},
  };
}

// Highest semver, preferring releases over prereleases as npm's `latest` normally would.
export function latestVersion(versions) {
  const sorted = semver.rsort([...versions]);
  return sorted.find(v => semver.prerelease(v) === null) ?? sorted[0];
}
