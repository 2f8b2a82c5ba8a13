// Hand-written types for server.mjs (plain ESM so plain-node scripts can run it without a build).
// Keep in step with server.mjs; `tsc --noEmit -p .` checks every TypeScript caller against this.

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
  | {kind: 'tarball-bytes', bytes: Uint8Array};

/** A package generated on the fly, with a deterministic tarball (fixed mtimes, sorted entries). */
export type SyntheticPackage = {
  name: string;
  version: string;
  /** Extra files, paths relative to the package root; `package.json` here replaces the generated one. */
  files?: Record<string, string>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  /** Body of the attestations endpoint, served as JSON; absent = 404 and no `dist.attestations`. */
  attestations?: unknown;
};

export type TestRegistry = {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** Sets (or with `null` clears) the fault for `name@version`; throws on a malformed fault. */
  fault(spec: string, fault: Fault | null): void;
  /** Adds (or replaces) a generated version; published `2024-01-01`, old enough for Yarn's age gate. */
  add(pkg: SyntheticPackage): void;
  /** Every request received, in order (`url` is the raw request target, e.g. `/@scope%2fname`). */
  requests: Array<{method: string, url: string}>;
  /** Stops the server, ending hanging and keep-alive connections at once. Idempotent. */
  close(): Promise<void>;
};

export function startRegistry(options?: {fixturesDir?: string, port?: number}): Promise<TestRegistry>;

/**
 * `$PROVENANCE_FIXTURES/npm-attestations` when set; else `<repo>/fixtures-cache/npm-attestations`
 * when it exists and `<repo>/../shared` does not; else `<repo>/../shared/fixtures/npm-attestations`.
 */
export function defaultFixturesDir(): string;
