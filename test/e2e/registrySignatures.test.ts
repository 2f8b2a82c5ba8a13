import {createHash} from 'node:crypto';
import {join} from 'node:path';

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {createTestAuthority} from '../authority';
import type {TestAuthority} from '../authority';
import {startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';
import {audit, expectBlocked, expectPassed, gateLinesWith, Scratches, snapshot} from './shapes';

// Registry signatures at install time (issue 8, item 4): a real `yarn install` with the built plugin,
// against a registry that signs `dist.signatures` with the test authority's registry key, the key the
// project's trust files list for `npm:signatures`.
let authority: TestAuthority;
let registry: TestRegistry;
const scratches = new Scratches(() => registry.url);

const ATTESTED = {name: `sig-attested`, version: `1.0.0`};
const PLAIN = {name: `sig-plain`, version: `1.0.0`};

beforeAll(async () => {
  authority = await createTestAuthority();
  registry = await startRegistry({signingKey: authority.registrySigner});
  registry.add({...PLAIN});
  registry.add({...ATTESTED});
  const tarball = Buffer.from(await (await fetch(`${registry.url}/sig-attested/-/sig-attested-1.0.0.tgz`)).arrayBuffer());
  const tarballSha512 = createHash(`sha512`).update(tarball).digest(`hex`);
  const identity = {platform: `github` as const, repository: `https://github.com/acme/sig-attested`};
  registry.add({...ATTESTED, trustedPublisher: true, attestations: await authority.mint({pkg: ATTESTED, tarballSha512, identity})});
});
afterAll(async () => {
  await registry?.close();
});

async function project(policy = `version: 1\n`) {
  const scratch = await scratches.project({policy, manifest: {dependencies: {[ATTESTED.name]: ATTESTED.version, [PLAIN.name]: PLAIN.version}}});
  const {trustedRootPath, registryKeysPath} = authority.writeTrustFiles(join(scratch.dir, `..`, `machine`, `trust-files`));
  scratch.writeRc(registry.url, {provenanceTrustedRootPath: trustedRootPath, provenanceRegistryKeysPath: registryKeysPath});
  return scratch;
}

describe(`registry signatures at install`, () => {
  it(`passes packages whose registry signatures verify, with or without provenance`, async () => {
    const scratch = await project();
    expectPassed(await scratch.yarn(`install`), scratch, [ATTESTED.name, PLAIN.name]);
    const {records} = await audit(scratch);
    expect(records.filter(record => record.name.startsWith(`sig-`)).map(record => [record.name, record.status, record.code])).toEqual([
      [ATTESTED.name, `verified`, null],
      [PLAIN.name, `missing`, null],
    ]);
  });

  it(`blocks a package without provenance whose registry signature is forged`, async () => {
    registry.fault(`${PLAIN.name}@${PLAIN.version}`, {kind: `signature`, signature: `forged`});
    try {
      const scratch = await project();
      const before = snapshot(scratch);
      const result = await scratch.yarn(`install`);
      expectBlocked(result, scratch, before, {codes: [`REGISTRY_SIGNATURE_INVALID`], unlinked: [PLAIN.name, ATTESTED.name]});
      expect(gateLinesWith(result.output, PLAIN.name, `REGISTRY_SIGNATURE_INVALID`).length).toBeGreaterThan(0);
    } finally {
      registry.fault(`${PLAIN.name}@${PLAIN.version}`, null);
    }
  });

  it(`notes a registry that serves no signature (one line for every such package), and blocks it under signatures.missing: enforce`, async () => {
    registry.fault(`${ATTESTED.name}@${ATTESTED.version}`, {kind: `signature`, signature: `stripped`});
    registry.fault(`${PLAIN.name}@${PLAIN.version}`, {kind: `signature`, signature: `stripped`});
    try {
      const noted = await project();
      const passed = await noted.yarn(`install`);
      expectPassed(passed, noted, [ATTESTED.name]);
      // A registry that signs nothing would otherwise print a line per package: one line names them all.
      const lines = passed.output.split(`\n`).filter(line => line.includes(`no signature`));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`2 packages (${ATTESTED.name}@${ATTESTED.version}, ${PLAIN.name}@${PLAIN.version})`);

      const enforced = await project(`version: 1\nsignatures:\n  missing: enforce\n`);
      const before = snapshot(enforced);
      expectBlocked(await enforced.yarn(`install`), enforced, before, {codes: [`REGISTRY_SIGNATURE_MISSING`], unlinked: [ATTESTED.name]});
    } finally {
      registry.fault(`${ATTESTED.name}@${ATTESTED.version}`, null);
      registry.fault(`${PLAIN.name}@${PLAIN.version}`, null);
    }
  });
});
