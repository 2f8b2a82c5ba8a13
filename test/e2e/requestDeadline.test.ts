import {rmSync} from 'node:fs';

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';
import {ScratchProject} from './scratchProject';

// A real `yarn add` of the committed Yarn with the freshly built plugin, against a registry on
// 127.0.0.1 whose attestations answer never ends.
let registry: TestRegistry;
beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry.close();
});

const SIGSTORE_POLICY = `version: 1\nrules:\n  - packages: [sigstore]\n    source: github.com/sigstore/sigstore-js\n    mode: enforce\n`;

// Each byte comes well within httpTimeout, so Yarn's idle timeout never fires: only the plugin's
// overall deadline (2 x httpTimeout) can end the request.
const HTTP_TIMEOUT_MS = 1500;
const DRIP_INTERVAL_MS = 100;

describe(`an attestations answer that drips forever`, () => {
  it(`ends the install as NETWORK_UNVERIFIABLE with exit 1 under enforce, leaving nothing installed`, async () => {
    registry.fault(`sigstore@2.3.1`, {kind: `attestations-drip`, intervalMs: DRIP_INTERVAL_MS});
    const scratch = new ScratchProject(registry.url, {settings: {httpTimeout: HTTP_TIMEOUT_MS}});
    try {
      await scratch.importPlugin();
      scratch.policy(SIGSTORE_POLICY);
      // Before the deadline, the install never finished: the process stayed alive with the drip
      // (the suite's own timeout was the only end).
      const result = await scratch.yarn(`add`, `sigstore@2.3.1`);
      expect(result.code, result.output).toBe(1);
      expect(result.output).toContain(`NETWORK_UNVERIFIABLE`);
      expect(scratch.exists(`node_modules/sigstore`)).toBe(false);
    } finally {
      registry.fault(`sigstore@2.3.1`, null);
      rmSync(scratch.dir, {recursive: true, force: true});
    }
  });
});

describe(`a tarball that drips forever while a cached package is tied to it`, () => {
  it(`ends the install as NETWORK_UNVERIFIABLE with exit 1 under enforce, never as a pass and never a hang`, async () => {
    const origin = new ScratchProject(registry.url, {settings: {httpTimeout: HTTP_TIMEOUT_MS}});
    let fresh: ScratchProject | undefined;
    try {
      await origin.importPlugin();
      origin.policy(SIGSTORE_POLICY);
      expect((await origin.yarn(`add`, `sigstore@2.3.1`)).code).toBe(0);
      // A machine that never saw this cache must download the tarball to tie the committed zip to it.
      fresh = origin.cloneTo(registry.url, {httpTimeout: HTTP_TIMEOUT_MS});
      registry.fault(`sigstore@2.3.1`, {kind: `tarball-drip`, intervalMs: DRIP_INTERVAL_MS});
      const lockfile = fresh.read(`yarn.lock`);
      const result = await fresh.yarn(`install`, `--immutable`);
      expect(result.code, result.output).toBe(1);
      expect(result.output).toContain(`NETWORK_UNVERIFIABLE`);
      expect(fresh.exists(`node_modules/sigstore`)).toBe(false);
      expect(fresh.read(`yarn.lock`)).toBe(lockfile);
    } finally {
      registry.fault(`sigstore@2.3.1`, null);
    }
  });
});
