// Hand-written types for server.mjs (plain ESM so plain-node scripts can run it without a build).
// Keep in step with server.mjs; `tsc --noEmit -p .` checks every TypeScript caller against this.

import type {KeyObject} from 'node:crypto';

/** A misbehaviour injected for one `name@version`. */
export type Fault =
  /** The attestations endpoint answers this status (404 = "none", 500 = registry trouble). */
  | {kind: 'attestations-status', status: number}
  /** The attestations request is never answered; the socket stays open until `close()`. */
  | {kind: 'attestations-hang'}
  /**
   * The attestations endpoint answers 200 at once, then sends one byte (a space) every `intervalMs`
   * forever, until `close()`: no idle timeout ever fires, only an overall deadline ends it.
   */
  | {kind: 'attestations-drip', intervalMs: number}
  /** The tarball URL answers 200, then one byte every `intervalMs` forever (the packument describes the real bytes). */
  | {kind: 'tarball-drip', intervalMs: number}
  /** The attestations endpoint answers 200 with this raw body (garbage, truncated JSON, …). */
  | {kind: 'attestations-body', body: string}
  /** The attestations endpoint answers another fixture's attestations.json (folder name or `name@version`). */
  | {kind: 'attestations-from', fixture: string}
  /**
   * The tarball URL serves another fixture's package.tgz. `dist.integrity`/`shasum` describe the bytes
   * served, as a compromised registry would publish them; only the attested subject digest differs.
   */
  | {kind: 'tarball-from', fixture: string}
  /** The tarball URL serves these bytes; `dist.integrity`/`shasum` describe them. */
  | {kind: 'tarball-bytes', bytes: Uint8Array}
  /**
   * A mirror that answers each download differently: the n-th request for this version's tarball (every
   * spelling of its URL, and every package whose `dist.tarball` names it, counts) gets `tarballs[n]`, a
   * fixture (folder name or `name@version`) or bytes; after the last, the last repeats ("the first request
   * gets A, later ones get B"), or with `cycle` the list starts over (alternating). Counted from when the
   * fault is set. `dist.integrity` describes the first. Yarn downloads a URL once per process: two
   * requests in one install need two spellings (`/@scope%2fname/-/…` and `/@scope/name/-/…`).
   */
  | {kind: 'tarball-sequence', tarballs: Array<string | Uint8Array>, cycle?: boolean}
  /**
   * A scoped package's tarball answers by how the request spells the scope separator: `escaped`
   * (`/@scope%2fname/-/…`, what Yarn's npm fetcher sends) or `plain` (`/@scope/name/-/…`, what another
   * package's `dist.tarball` may name). Fixture (folder name or `name@version`) or bytes.
   */
  | {kind: 'tarball-by-spelling', escaped: string | Uint8Array, plain: string | Uint8Array}
  /**
   * The packument (and per-version manifest) lists these fields in place of the version's own; the tarball
   * and its package.json are unchanged. Dependencies are not attested: a mirror can add an alias
   * (`"sigstore": "npm:other@1.0.0"`) or a tarball-URL dependency to an attested package this way.
   */
  | {kind: 'manifest-fields', fields: ManifestFields}
  /**
   * `dist.signatures` spoiled (the registry must sign, see `startRegistry`'s `signingKey`): `forged` (signed by
   * another key under the registry's key id), `stripped` (none served), `other-integrity` (the registry's key
   * over another tarball's integrity), `unknown-key` (a key id no keys file lists).
   */
  | {kind: 'signature', signature: 'forged' | 'stripped' | 'other-integrity' | 'unknown-key'};

/** Manifest fields the registry lists for a version besides name, version, scripts and dist. */
export type ManifestFields = {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, {optional?: boolean}>;
  /** Platforms the package installs on (`linux`, `!win32`, …), as esbuild's per-platform packages declare. */
  os?: Array<string>;
  cpu?: Array<string>;
};

/**
 * A package generated on the fly, with a deterministic tarball (fixed mtimes, sorted entries). Its
 * generated package.json and its packument list the same fields.
 */
export type SyntheticPackage = ManifestFields & {
  name: string;
  version: string;
  /** Extra files, paths relative to the package root; `package.json` here replaces the generated one. */
  files?: Record<string, string>;
  scripts?: Record<string, string>;
  /** Body of the attestations endpoint, served as JSON; absent = 404 and no `dist.attestations`. */
  attestations?: unknown;
  /** Published through npm trusted publishing: `_npmUser.trustedPublisher` is set. */
  trustedPublisher?: boolean;
  /**
   * `dist.tarball` in place of the conventional URL: a path on this registry (`/sigstore/-/sigstore-2.3.1.tgz`,
   * another package's tarball, or its `%2f` spelling) or any http(s) URL. Yarn then downloads from there
   * (and pins it in the lockfile as `::__archiveUrl=`). `dist.integrity` still describes this package's own
   * tarball, as a lying mirror would publish it.
   */
  tarball?: string;
};

/** A plain tarball for a dependency written as a URL: the package's files, or the exact bytes. */
export type PlainTarball = Omit<SyntheticPackage, 'attestations' | 'tarball'> | Uint8Array;

/**
 * A network like a CI runner's (test/registry/throttle.mjs): each response starts `latencyMs` after its request
 * (default 30) and each connection carries at most `bytesPerSecond` (default 5,000,000).
 */
export type NetworkProfile = {latencyMs?: number, bytesPerSecond?: number};

/** The defaults of a NetworkProfile. */
export const CI_RUNNER: Readonly<Required<NetworkProfile>>;

export type TestRegistry = {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** Sets (or with `null` clears) the fault for `name@version`; throws on a malformed fault. */
  fault(spec: string, fault: Fault | null): void;
  /** Adds (or replaces) a generated version; published `2024-01-01`, old enough for Yarn's age gate. */
  add(pkg: SyntheticPackage): void;
  /**
   * Serves a tarball at `/files/<fileName>` (not a registry path: for `"dep": "<url>"` dependencies) and
   * returns its URL. `fileName` ends in `.tgz`.
   */
  addFile(fileName: string, pkg: PlainTarball): string;
  /** Sets (or with `null` removes) the network profile for the requests that arrive from now on. */
  setNetwork(profile: NetworkProfile | null): void;
  /** Every request received, in order (`url` is the raw request target, e.g. `/@scope%2fname`). */
  requests: Array<{method: string, url: string}>;
  /** Stops the server, ending hanging and keep-alive connections at once. Idempotent. */
  close(): Promise<void>;
};

/** The deterministic tarball `add(pkg)` would serve: tampered bytes for `tarball-bytes`/`tarball-sequence`. */
export function packPackage(pkg: Omit<SyntheticPackage, 'attestations' | 'tarball'>): Buffer;

/**
 * `network`: latency and a bandwidth cap per connection (off by default; see NetworkProfile).
 * `signingKey`: the registry signs every version (`dist.signatures` over `<name>@<version>:<integrity>` of the
 * published bytes) and serves `/-/npm/v1/keys`; without it no version carries a signature.
 */
export function startRegistry(options?: {fixturesDir?: string, port?: number, signingKey?: {keyId: string, privateKey: KeyObject}, network?: NetworkProfile}): Promise<TestRegistry>;

/**
 * `$PROVENANCE_FIXTURES/npm-attestations` when set; else `<repo>/fixtures-cache/npm-attestations`
 * when it exists and `<repo>/../shared` does not; else `<repo>/../shared/fixtures/npm-attestations`.
 */
export function defaultFixturesDir(): string;
