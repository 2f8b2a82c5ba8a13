import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {afterAll, beforeAll, expect, it} from 'vitest';

import {createTestAuthority} from '../authority';
import {generateProject} from '../generator/generatePackages';
import {publishGenerated} from '../generator/publishGenerated';
import {startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';
import {messages} from './output';
import {ScratchProject} from './scratchProject';

// `init` on a generated project of 1,000 packages (issue 8, item 8): the policy it writes passes the next install.
let registry: TestRegistry;
let scratch: ScratchProject;
let empty: string;
/** Packages published without provenance. */
let unattested = 0;

const COUNT = 1000;

beforeAll(async () => {
  empty = mkdtempSync(join(tmpdir(), `provenance-init-large-`));
  // Only generated packages: an empty fixtures folder.
  registry = await startRegistry({fixturesDir: empty});
  const authority = await createTestAuthority();
  const project = generateProject({count: COUNT, seed: 8, org: `init-org`, scriptFraction: 0});
  for (const [index, pkg] of project.packages.entries()) {
    // One repository publishes the whole @acme scope (a monorepo); a few packages publish no provenance.
    if (pkg.name.startsWith(`@acme/`))
      pkg.repository = `https://github.com/init-org/acme-monorepo`;
    else if (index % 97 === 5)
      pkg.fault = `no-provenance`;
  }
  unattested = project.packages.filter(pkg => pkg.fault !== undefined).length;
  await publishGenerated(project, registry, authority);

  scratch = new ScratchProject(registry.url, {dependencies: project.rootDependencies});
  const {trustedRootPath, registryKeysPath} = authority.writeTrustFiles(join(scratch.dir, `..`, `trust`));
  await scratch.importPlugin();
  scratch.writeRc(registry.url, {provenanceTrustedRootPath: trustedRootPath, provenanceRegistryKeysPath: registryKeysPath});
  const install = await scratch.yarn(`install`);
  if (install.code !== 0)
    throw new Error(install.output);
}, 600_000);
afterAll(async () => {
  await registry?.close();
  rmSync(empty, {recursive: true, force: true});
});

it(`writes a policy under which the next install of 1,000 packages passes`, async () => {
  const init = await scratch.yarn(`provenance`, `init`);
  expect(init.code, init.output).toBe(0);
  const summary = messages(init).find(line => line.startsWith(`Wrote .provenance.yml:`));
  expect(summary).toMatch(new RegExp(`^Wrote \\.provenance\\.yml: ${COUNT} packages, ${COUNT - unattested} attested in \\d+ rules, ${unattested} unattested$`));
  const policy = scratch.read(`.provenance.yml`);
  expect(policy).toContain(`"@acme/*"`);
  expect(policy).toContain(`    source: github.com/init-org/acme-monorepo\n`);

  const install = await scratch.yarn(`install`);
  expect(install.code, install.output).toBe(0);
  expect(install.output).toMatch(new RegExp(`${COUNT + 1} packages checked against .*: ${COUNT - unattested} verified, ${unattested} missing, 1 project`));
}, 600_000);
