import {afterAll, beforeAll, describe, it} from 'vitest';

import {packPackage, startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';
import {expectBlocked, expectPassed, markerScript, Scratches, snapshot, writeManifest} from './shapes';

// A mirror that lists a second package whose `dist.tarball` is an attested package's tarball URL, and
// answers that URL with different bytes per request. The attested package must be judged by the bytes
// Yarn stored for it, never by a record kept per URL (issue 7, "Packages that get in unchecked" 1).
let registry: TestRegistry;
const scratches = new Scratches(() => registry.url);

const SCOPED = `@laurentsimon/provenance-npm-test`;
const POLICY = `version: 1
rules:
  - packages: [sigstore]
    source: github.com/sigstore/sigstore-js
  - packages: ["${SCOPED}"]
    source: github.com/laurentsimon/provenance-npm-test
`;

beforeAll(async () => {
  registry = await startRegistry();
  // Each carrier is an ordinary-looking package that only exists to make Yarn download the URL too.
  registry.add({name: `shapes-carrier`, version: `1.0.0`, tarball: `/sigstore/-/sigstore-2.3.1.tgz`});
  registry.add({name: `shapes-carrier-slash`, version: `1.0.0`, tarball: `/${SCOPED}/-/provenance-npm-test-1.0.5.tgz`});
});
afterAll(async () => {
  await registry.close();
});

/** The attested package's name and version with a postinstall script: what the mirror slips in. */
function tampered(name: string, version: string, marker: string): Buffer {
  return packPackage({name, version, ...markerScript(`postinstall`, marker)});
}

describe(`a mirror sharing one tarball URL between two packages`, () => {
  it(`blocks a committed zip made from tampered bytes when another package downloads the same URL and gets the genuine ones`, async () => {
    registry.fault(`sigstore@2.3.1`, {kind: `tarball-sequence`, tarballs: [tampered(`sigstore`, `2.3.1`, `TAMPERED`), `sigstore@2.3.1`]});
    try {
      // Committed while the mirror served the tampered bytes to the first request and the gate was off:
      // lockfile and cache agree with each other, not with what was attested.
      const origin = await scratches.project({policy: `version: 1\ndefault:\n  mode: off\n`, manifest: {dependencies: {sigstore: `2.3.1`}}});
      expectPassed(await origin.yarn(`install`), origin);
      origin.policy(POLICY);
      writeManifest(origin, {dependencies: {sigstore: `2.3.1`, "shapes-carrier": `1.0.0`}});

      // On a fresh machine sigstore is a cache hit; the carrier's download of the same URL gets the genuine bytes.
      const fresh = scratches.clone(origin, {enableScripts: true});
      const before = snapshot(fresh);
      const result = await fresh.yarn(`install`);
      expectBlocked(result, fresh, before, {
        codes: [/SUBJECT_DIGEST_MISMATCH|CACHE_BINDING_MISMATCH/],
        unlinked: [`sigstore`, `shapes-carrier`],
        markers: [`TAMPERED`],
      });
    } finally {
      registry.fault(`sigstore@2.3.1`, null);
    }
  });

  it(`blocks the attested package when its %2f URL answers tampered bytes and the / spelling the genuine ones`, async () => {
    registry.fault(`${SCOPED}@1.0.5`, {kind: `tarball-by-spelling`, escaped: tampered(SCOPED, `1.0.5`, `TAMPERED`), plain: `${SCOPED}@1.0.5`});
    try {
      const scratch = await scratches.project({
        policy: POLICY,
        settings: {enableScripts: true},
        manifest: {dependencies: {[SCOPED]: `1.0.5`, "shapes-carrier-slash": `1.0.0`}},
      });
      const before = snapshot(scratch);
      const result = await scratch.yarn(`install`);
      expectBlocked(result, scratch, before, {
        codes: [/SUBJECT_DIGEST_MISMATCH|CACHE_BINDING_MISMATCH/],
        unlinked: [SCOPED, `shapes-carrier-slash`],
        markers: [`TAMPERED`],
      });
    } finally {
      registry.fault(`${SCOPED}@1.0.5`, null);
    }
  });
});
