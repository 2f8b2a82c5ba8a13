import {createHash} from 'node:crypto';
import {join} from 'node:path';

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {createTestAuthority} from '../authority';
import type {TestAuthority} from '../authority';
import {startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';
import type {ScratchProject} from './scratchProject';
import {Scratches} from './shapes';

// `yarn provenance audit` on a machine that never bound the project's cached zips (issue 10): judged against the
// registry's signed integrity, without downloading a tarball, and saying so; local bytes still bound where claimed.
let authority: TestAuthority;
let registry: TestRegistry;
const scratches = new Scratches(() => registry.url);

const ATTESTED = {name: `fresh-attested`, version: `1.0.0`};
const OTHER = {name: `fresh-other`, version: `1.0.0`};
const POLICY = `version: 1\nrules:\n  - packages: [${ATTESTED.name}]\n    source: github.com/acme/${ATTESTED.name}\n`;

/** The installed project on the machine that installed it (its per-user store binds every zip). */
let installed: ScratchProject;
/** The same project installed while the registry served another tarball under ATTESTED's name, the gate off. */
let forged: ScratchProject;

type AuditLine = {type: string, name?: string, status?: string, code?: string | null, bound?: string | null, counts?: unknown};

beforeAll(async () => {
  authority = await createTestAuthority();
  registry = await startRegistry({signingKey: authority.registrySigner});
  registry.add({...OTHER});
  registry.add({...ATTESTED});
  const tarball = Buffer.from(await (await fetch(`${registry.url}/${ATTESTED.name}/-/${ATTESTED.name}-1.0.0.tgz`)).arrayBuffer());
  const tarballSha512 = createHash(`sha512`).update(tarball).digest(`hex`);
  const identity = {platform: `github` as const, repository: `https://github.com/acme/${ATTESTED.name}`};
  registry.add({...ATTESTED, attestations: await authority.mint({pkg: ATTESTED, tarballSha512, identity})});

  installed = await project(POLICY);
  const install = await installed.yarn(`install`);
  if (install.code !== 0)
    throw new Error(install.output);

  const otherTarball = Buffer.from(await (await fetch(`${registry.url}/${OTHER.name}/-/${OTHER.name}-1.0.0.tgz`)).arrayBuffer());
  forged = await project(`version: 1\ndefault:\n  mode: off\n`);
  registry.fault(`${ATTESTED.name}@${ATTESTED.version}`, {kind: `tarball-bytes`, bytes: otherTarball});
  try {
    const forgedInstall = await forged.yarn(`install`);
    if (forgedInstall.code !== 0)
      throw new Error(forgedInstall.output);
  } finally {
    registry.fault(`${ATTESTED.name}@${ATTESTED.version}`, null);
  }
  forged.policy(POLICY);
});
afterAll(async () => {
  await registry?.close();
});

async function project(policy: string): Promise<ScratchProject> {
  const scratch = await scratches.project({policy, manifest: {dependencies: {[ATTESTED.name]: ATTESTED.version}}});
  trustFiles(scratch);
  return scratch;
}

/** The test authority's trust files, on the scratch's machine (outside the project). */
function trustFiles(scratch: ScratchProject, settings: Record<string, unknown> = {}): void {
  const {trustedRootPath, registryKeysPath} = authority.writeTrustFiles(join(scratch.cacheHome, `..`, `trust-files`));
  scratch.writeRc(registry.url, {provenanceTrustedRootPath: trustedRootPath, provenanceRegistryKeysPath: registryKeysPath, ...settings});
}

/** A checkout of `origin` (project cache included) on a machine whose per-user store is empty. */
function freshMachine(origin: ScratchProject): ScratchProject {
  const clone = scratches.clone(origin);
  trustFiles(clone);
  return clone;
}

function tarballRequests(): number {
  return registry.requests.filter(request => request.url.endsWith(`.tgz`)).length;
}

async function auditJson(scratch: ScratchProject): Promise<{code: number | null, records: Array<AuditLine>}> {
  const result = await scratch.yarn(`provenance`, `audit`, `--json`);
  const records = result.stdout.split(`\n`).filter(line => line.startsWith(`{`)).map(line => JSON.parse(line) as AuditLine);
  return {code: result.code, records};
}

const attestedRecord = (records: Array<AuditLine>) => records.find(record => record.type === `package` && record.name === ATTESTED.name);
const summary = (records: Array<AuditLine>) => records.find(record => record.type === `summary`);

describe(`audit on a machine that never bound the cached zips`, () => {
  it(`judges them against the registry's signed integrity, downloads no tarball, and says so`, async () => {
    const fresh = freshMachine(installed);
    const before = tarballRequests();
    const {code, records} = await auditJson(fresh);
    expect(code).toBe(0);
    expect(tarballRequests()).toBe(before);
    expect(attestedRecord(records)).toMatchObject({status: `verified`, code: null, bound: `registry`});
    expect(summary(records)).toMatchObject({bound: {local: 0, registry: 1}});

    const table = await fresh.yarn(`provenance`, `audit`);
    expect(table.output).toMatch(new RegExp(`${ATTESTED.name}@1\\.0\\.0\\s+verified \\(registry\\)`));
    expect(table.output).toContain(`1 judged against the registry's signed integrity only`);
  });

  it(`remembers no binding of the zip: the next install still ties it to a tarball, and audit then says local`, async () => {
    const fresh = freshMachine(installed);
    expect(attestedRecord((await auditJson(fresh)).records)).toMatchObject({bound: `registry`});
    const before = tarballRequests();
    const install = await fresh.yarn(`install`);
    expect(install.code, install.output).toBe(0);
    expect(tarballRequests()).toBeGreaterThan(before);
    const after = tarballRequests();
    const {records} = await auditJson(fresh);
    expect(attestedRecord(records)).toMatchObject({status: `verified`, bound: `local`});
    expect(summary(records)).toMatchObject({bound: {local: 1, registry: 0}});
    expect(tarballRequests()).toBe(after);
  });

  it(`never claims local bytes for a forged cache zip: audit says registry, and the install blocks it`, async () => {
    const fresh = freshMachine(forged);
    expect(attestedRecord((await auditJson(fresh)).records)).toMatchObject({bound: `registry`});
    const install = await fresh.yarn(`install`, `--immutable`);
    expect(install.code, install.output).toBe(1);
    expect(install.output).toContain(`CACHE_BINDING_MISMATCH`);
  });

  it(`binds local bytes when the registry does not sign the version, and catches a forged zip`, async () => {
    registry.fault(`${ATTESTED.name}@${ATTESTED.version}`, {kind: `signature`, signature: `stripped`});
    try {
      const genuine = freshMachine(installed);
      const before = tarballRequests();
      expect(attestedRecord((await auditJson(genuine)).records)).toMatchObject({status: `verified`, bound: `local`});
      expect(tarballRequests()).toBeGreaterThan(before);

      const {code, records} = await auditJson(freshMachine(forged));
      expect(code).toBe(1);
      expect(attestedRecord(records)).toMatchObject({status: `invalid`, code: `CACHE_BINDING_MISMATCH`, bound: null});
    } finally {
      registry.fault(`${ATTESTED.name}@${ATTESTED.version}`, null);
    }
  });

  it(`binds local bytes when the registry's signature does not verify, and reports the forged signature`, async () => {
    registry.fault(`${ATTESTED.name}@${ATTESTED.version}`, {kind: `signature`, signature: `forged`});
    try {
      const {records} = await auditJson(freshMachine(installed));
      expect(attestedRecord(records)).toMatchObject({status: `invalid`, code: `REGISTRY_SIGNATURE_INVALID`, bound: `local`});
    } finally {
      registry.fault(`${ATTESTED.name}@${ATTESTED.version}`, null);
    }
  });
});
