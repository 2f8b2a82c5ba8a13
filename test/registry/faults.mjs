// What the registry serves for one version once a test's fault is applied.
//
// Why one place: the packument (dist.integrity, dist.attestations), the tarball route and the
// attestations route must agree on the same "served" view, the way a misbehaving or compromised
// registry would be consistent with itself.

import {EXTRA_FIELDS, parseSpec} from './packuments.mjs';

const FAULT_KINDS = new Set([
  `attestations-status`, `attestations-hang`, `attestations-drip`, `attestations-body`, `attestations-from`, `tarball-drip`,
  `tarball-from`, `tarball-bytes`, `tarball-sequence`, `tarball-by-spelling`, `manifest-fields`, `signature`,
]);
const SIGNATURE_FAULTS = new Set([`forged`, `stripped`, `other-integrity`, `unknown-key`]);
const MANIFEST_FIELDS = new Set([`dependencies`, ...EXTRA_FIELDS]);

/** Throws on a malformed fault so that a typo in a test fails loudly instead of serving the real data. */
export function checkFault(fault, fixtures) {
  if (!fault || !FAULT_KINDS.has(fault.kind))
    throw new Error(`Unknown fault: ${JSON.stringify(fault)}`);
  if (fault.kind === `attestations-status` && !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599))
    throw new Error(`attestations-status needs an HTTP status, got ${fault.status}`);
  if ((fault.kind === `attestations-drip` || fault.kind === `tarball-drip`) && !(Number.isInteger(fault.intervalMs) && fault.intervalMs > 0))
    throw new Error(`${fault.kind} needs a positive intervalMs, got ${fault.intervalMs}`);
  if (fault.kind === `attestations-body` && typeof fault.body !== `string`)
    throw new Error(`attestations-body needs a string body`);
  if (fault.kind === `tarball-bytes` && !(fault.bytes instanceof Uint8Array))
    throw new Error(`tarball-bytes needs a Uint8Array`);
  if (fault.kind === `tarball-sequence`) {
    if (!Array.isArray(fault.tarballs) || fault.tarballs.length === 0)
      throw new Error(`tarball-sequence needs a non-empty list of tarballs`);
    for (const item of fault.tarballs)
      if (!(item instanceof Uint8Array) && !findFixture(fixtures, item))
        throw new Error(`tarball-sequence: ${JSON.stringify(item)} is neither bytes nor a fixture`);
  }
  if (fault.kind === `tarball-by-spelling`) {
    for (const item of [fault.escaped, fault.plain])
      if (!(item instanceof Uint8Array) && !findFixture(fixtures, item))
        throw new Error(`tarball-by-spelling: ${JSON.stringify(item)} is neither bytes nor a fixture`);
  }
  if (fault.kind === `signature` && !SIGNATURE_FAULTS.has(fault.signature))
    throw new Error(`signature needs one of ${[...SIGNATURE_FAULTS].join(`, `)}, got ${JSON.stringify(fault.signature)}`);
  if (fault.kind === `manifest-fields`) {
    const names = Object.keys(fault.fields ?? {});
    if (typeof fault.fields !== `object` || fault.fields === null || names.length === 0)
      throw new Error(`manifest-fields needs an object of manifest fields`);
    for (const name of names)
      if (!MANIFEST_FIELDS.has(name))
        throw new Error(`manifest-fields: ${JSON.stringify(name)} is not one of ${[...MANIFEST_FIELDS].join(`, `)}`);
  }
  if (fault.kind === `attestations-from` || fault.kind === `tarball-from`) {
    const source = findFixture(fixtures, fault.fixture);
    if (!source)
      throw new Error(`${fault.kind}: no fixture ${JSON.stringify(fault.fixture)}`);
    if (fault.kind === `attestations-from` && !source.attestations)
      throw new Error(`attestations-from: fixture ${fault.fixture} has no attestations`);
  }
}

/** Accepts a folder name (`@scope__name@1.0.0`) or a spec (`@scope/name@1.0.0`). */
export function findFixture(fixtures, id) {
  if (typeof id !== `string`) return undefined;
  const byFolder = fixtures.get(id);
  if (byFolder) return byFolder;
  const spec = parseSpec(id);
  return spec ? fixtures.get(`${spec.name.replace(/\//g, `__`)}@${spec.version}`) : undefined;
}

/**
 * The tarball bytes served for this version. `request.index` is how many requests for its tarball came
 * before this one (any spelling of the URL counts), `request.escaped` whether the scope separator was
 * sent as `%2f`; the packument describes what the first request, escaped as Yarn sends it, gets.
 * @returns {Uint8Array}
 */
export function servedTarball(entry, fault, fixtures, request = {index: 0, escaped: true}) {
  const bytesOf = item => item instanceof Uint8Array ? item : findFixture(fixtures, item).tarball;
  switch (fault?.kind) {
    case `tarball-from`:
      return bytesOf(fault.fixture);
    case `tarball-bytes`:
      return fault.bytes;
    case `tarball-sequence`: {
      const list = fault.tarballs;
      return bytesOf(fault.cycle ? list[request.index % list.length] : list[Math.min(request.index, list.length - 1)]);
    }
    case `tarball-by-spelling`:
      return bytesOf(request.escaped ? fault.escaped : fault.plain);
    default:
      return entry.tarball;
  }
}

/** How `dist.signatures` is spoiled for this version (see server.d.mts), or null. */
export function servedSignatureFault(fault) {
  return fault?.kind === `signature` ? fault.signature : null;
}

/** The manifest fields the packument lists in place of the version's own, or null. */
export function servedFields(fault) {
  return fault?.kind === `manifest-fields` ? fault.fields : null;
}

/**
 * How the attestations endpoint answers for this version.
 * `advertised` says whether the manifest lists `dist.attestations`: yes when the version has them,
 * and also under any attestations fault, so a client that follows the manifest still reaches the
 * faulty endpoint.
 * `dripMs`: answer 200 at once, then one byte every that many milliseconds, never ending.
 * @returns {{advertised: boolean, body: Uint8Array | null, status: number, hang: boolean, dripMs?: number}}
 */
export function servedAttestations(entry, fault, fixtures) {
  const original = entry.attestations;
  switch (fault?.kind) {
    case `attestations-status`:
      return {advertised: true, body: original, status: fault.status, hang: false};
    case `attestations-hang`:
      return {advertised: true, body: original, status: 0, hang: true};
    case `attestations-drip`:
      return {advertised: true, body: original, status: 200, hang: false, dripMs: fault.intervalMs};
    case `attestations-body`:
      return {advertised: true, body: Buffer.from(fault.body, `utf8`), status: 200, hang: false};
    case `attestations-from`:
      return {advertised: true, body: findFixture(fixtures, fault.fixture).attestations, status: 200, hang: false};
    default:
      return original
        ? {advertised: true, body: original, status: 200, hang: false}
        : {advertised: false, body: null, status: 404, hang: false};
  }
}
