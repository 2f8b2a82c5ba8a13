import {createHash} from 'node:crypto';
import {statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {createTestAuthority} from '../authority';
import type {BuildIdentity} from '../authority';
import {packPackage, startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';
import {parsePins} from '../../sources/core/pins/pinsFile';
import {expectNoCrash} from './output';
import {ScratchProject} from './scratchProject';

// Provenance pins with real installs: packages minted by the test authority with chosen identities,
// served on 127.0.0.1, installed by the committed Yarn with the freshly built plugin.
let registry: TestRegistry;
let scratch: ScratchProject;
let trustSettings: Record<string, unknown>;

const REPO_A = `https://github.com/acme/widget`;
const PINS = `.provenance.lock`;

/** name@version → its build identity, or null for a version published without provenance. */
const RELEASES: Array<[string, string, Partial<BuildIdentity> | null]> = [
  [`widget`, `1.0.0`, {}],
  [`widget`, `1.1.0`, {}],
  [`widget`, `1.2.0`, {repository: `https://github.com/other/widget`}],
  [`widget`, `1.3.0`, null],
  [`widget`, `1.4.0`, {runnerEnvironment: `self-hosted`}],
  [`widget`, `2.0.0`, {repository: `https://github.com/acme/widget-ng`}],
  [`gadget`, `1.0.0`, {repository: `https://github.com/acme/gadget`}],
];

beforeAll(async () => {
  registry = await startRegistry();
  const authority = await createTestAuthority();
  for (const [name, version, build] of RELEASES) {
    const pkg = {name, version};
    if (build === null) {
      registry.add(pkg);
      continue;
    }
    const tarballSha512 = createHash(`sha512`).update(packPackage(pkg)).digest(`hex`);
    const identity: BuildIdentity = {platform: `github`, repository: REPO_A, ...build};
    registry.add({...pkg, attestations: await authority.mint({pkg, tarballSha512, identity})});
  }

  scratch = new ScratchProject(registry.url);
  await scratch.importPlugin();
  const {trustedRootPath, registryKeysPath} = authority.writeTrustFiles(join(scratch.dir, `trust`));
  trustSettings = {provenanceTrustedRootPath: trustedRootPath, provenanceRegistryKeysPath: registryKeysPath};
  scratch.writeRc(registry.url, trustSettings);
  scratch.policy(`version: 1\n`);
});
afterAll(async () => {
  await registry.close();
});

function depend(project: ScratchProject, dependencies: Record<string, string>): void {
  writeFileSync(join(project.dir, `package.json`), `${JSON.stringify({name: `scratch`, private: true, dependencies}, null, 2)}\n`);
}

describe(`provenance pins`, () => {
  let pinned = ``;

  it(`are recorded by the first install (announced), and an unchanged install or a same-identity bump leaves the file byte-identical`, async () => {
    depend(scratch, {widget: `1.0.0`, gadget: `1.0.0`});
    const first = await scratch.yarn(`install`);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain(`Provenance pins: recorded 2 new release line(s) in ${PINS} (trust on first use): gadget@1, widget@1`);
    pinned = scratch.read(PINS);
    expect(parsePins(pinned, PINS).entries.get(`widget@1`)).toMatchObject({source: `github.com/acme/widget`, runner: `hosted`, since: `1.0.0`});
    const written = statSync(join(scratch.dir, PINS)).mtimeMs;

    const again = await scratch.yarn(`install`);
    expect(again.code, again.output).toBe(0);
    depend(scratch, {widget: `1.1.0`, gadget: `1.0.0`});
    const bumped = await scratch.yarn(`install`);
    expect(bumped.code, bumped.output).toBe(0);
    expect(bumped.output).not.toContain(`Provenance pins: recorded`);
    expect(scratch.read(PINS)).toBe(pinned);
    expect(statSync(join(scratch.dir, PINS)).mtimeMs).toBe(written);
  });

  it(`block a change within the release line (repository, provenance lost, self-hosted runner), writing nothing`, async () => {
    const lockfile = scratch.read(`yarn.lock`);
    for (const [version, code] of [[`1.3.0`, `PROVENANCE_DOWNGRADE`], [`1.4.0`, `RUNNER_DOWNGRADE`], [`1.2.0`, `SOURCE_REPO_CHANGED`]] as const) {
      depend(scratch, {widget: version, gadget: `1.0.0`});
      const result = await scratch.yarn(`install`);
      expect(result.code, result.output).toBe(1);
      expect(result.output).toContain(code);
      expect(result.output).toContain(`accepted with yarn provenance approve <name>`);
      expect(scratch.read(`yarn.lock`)).toBe(lockfile);
      expect(scratch.read(PINS)).toBe(pinned);
    }
    depend(scratch, {widget: `1.1.0`, gadget: `1.0.0`});

    // Triage: the installed version with its pin, the Rekor entry and who pulls it in; the refused one
    // with the pin beside its new identity and the command that accepts it.
    const installed = await scratch.yarn(`provenance`, `explain`, `widget`);
    expect(installed.code, installed.output).toBe(0);
    expect(installed.stdout).toContain(`continuity unchanged`);
    expect(installed.stdout).toContain(`pulled in scratch › widget@1.1.0`);
    expect(installed.stdout).toContain(`https://search.sigstore.dev/?logIndex=`);
    const refused = await scratch.yarn(`provenance`, `explain`, `widget@1.2.0`);
    expect(refused.code, refused.output).toBe(1);
    expectNoCrash(refused);
    expect(refused.stdout).toMatch(/source +github\.com\/acme\/widget +≠ github\.com\/other\/widget/);
    expect(refused.stdout).toContain(`yarn provenance approve widget@1.2.0 --reason`);
    // The same triage as data: the record the gate judged, the pin beside the identity it found.
    const asJson = await scratch.yarn(`provenance`, `explain`, `widget@1.2.0`, `--json`);
    expect(asJson.code, asJson.output).toBe(1);
    const [record] = asJson.stdout.trim().split(`\n`).map(line => JSON.parse(line));
    expect(record).toMatchObject({
      type: `package`, name: `widget`, version: `1.2.0`, code: `SOURCE_REPO_CHANGED`, blocks: true, logIndex: expect.stringMatching(/^\d+$/),
      continuity: {pin: `widget@1`, sameLine: true, code: `SOURCE_REPO_CHANGED`, overridden: false, pinned: {source: `github.com/acme/widget`, since: `1.0.0`}, seen: {source: `github.com/other/widget`}},
    });
    depend(scratch, {widget: `1.2.0`, gadget: `1.0.0`});
  });

  it(`let a change pass once with PROVENANCE_ALLOW_CHANGE, loudly, recording nothing`, async () => {
    const overridden = await scratch.yarnWithEnv({PROVENANCE_ALLOW_CHANGE: `widget@1.2.0`}, `install`);
    expect(overridden.code, overridden.output).toBe(0);
    expect(overridden.output).toContain(`Provenance continuity OVERRIDDEN for widget@1.2.0 by PROVENANCE_ALLOW_CHANGE`);
    expect(overridden.output).toContain(`widget@1.2.0: violation SOURCE_REPO_CHANGED (SLSA Build L2), allowed once by PROVENANCE_ALLOW_CHANGE`);
    expect(scratch.read(PINS)).toBe(pinned);

    const next = await scratch.yarn(`install`);
    expect(next.code, next.output).toBe(1);
    expect(next.output).toContain(`SOURCE_REPO_CHANGED`);
  });

  it(`record a new identity with approve: exactly one entry changes, and the install passes`, async () => {
    const approved = await scratch.yarn(`provenance`, `approve`, `widget`, `--reason`, `moved to the other org`);
    expect(approved.code, approved.output).toBe(0);
    const before = parsePins(pinned, PINS).entries;
    const after = parsePins(scratch.read(PINS), PINS).entries;
    expect([...after.keys()]).toEqual([...before.keys()]);
    expect([...after.keys()].filter(key => JSON.stringify(after.get(key)) !== JSON.stringify(before.get(key)))).toEqual([`widget@1`]);
    expect(after.get(`widget@1`)).toMatchObject({source: `github.com/other/widget`, since: `1.2.0`, reason: `moved to the other org`});

    const result = await scratch.yarn(`install`);
    expect(result.code, result.output).toBe(0);
    pinned = scratch.read(PINS);

    const unknown = await scratch.yarn(`provenance`, `approve`, `no-such-package`);
    expect(unknown.code, unknown.output).toBe(2);
  });

  it(`warn about a new major from another repository, and pin it only when approved`, async () => {
    depend(scratch, {widget: `2.0.0`, gadget: `1.0.0`});
    const result = await scratch.yarn(`install`);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/YN0000: .*widget@2\.0\.0: violation SOURCE_REPO_CHANGED.*allowed by warn mode/);
    expect(scratch.read(PINS)).toBe(pinned);
  });

  it(`are never written by an immutable install, which lists what is unpinned; the next ordinary install records them`, async () => {
    const clone = scratch.cloneTo(registry.url, trustSettings);
    expect(clone.exists(PINS)).toBe(false);
    const immutable = await clone.yarn(`install`, `--immutable`);
    expect(immutable.code, immutable.output).toBe(0);
    expect(immutable.output).toContain(`Provenance pins: 2 packages have no pin yet (immutable install): the next ordinary install records them`);
    expect(clone.exists(PINS)).toBe(false);
    // A warm immutable install (CI with a cache) reuses that outcome, and still says what is unpinned.
    const warm = await clone.yarn(`install`, `--immutable`);
    expect(warm.code, warm.output).toBe(0);
    expect(warm.output).toContain(`nothing to re-check`);
    expect(warm.output).toContain(`Provenance pins: 2 packages have no pin yet (immutable install)`);
    expect(clone.exists(PINS)).toBe(false);

    const audit = await clone.yarn(`provenance`, `audit`);
    expect(audit.output).toContain(`2 packages have no pin yet`);

    const ordinary = await clone.yarn(`install`);
    expect(ordinary.code, ordinary.output).toBe(0);
    expect([...parsePins(clone.read(PINS), PINS).entries.keys()]).toEqual([`gadget@1`, `widget@2`]);
  });

  it(`refuse a pins file edited to loosen anything (an unknown field, an entry moved to another line)`, async () => {
    for (const edited of [pinned.replace(`since: 1.0.0`, `since: 1.0.0\n    mode: off`), pinned.replace(`widget@1:`, `widget@2:`)]) {
      expect(edited).not.toBe(pinned);
      writeFileSync(join(scratch.dir, PINS), edited);
      const result = await scratch.yarn(`install`);
      expect(result.code, result.output).toBe(1);
      expect(result.output).toContain(`PINS_INVALID`);
      expectNoCrash(result);
    }
    writeFileSync(join(scratch.dir, PINS), pinned);
  });
});
