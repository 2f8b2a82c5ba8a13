import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';
import {audit, expectBlocked, expectPassed, gateLinesWith, Scratches, snapshot} from './shapes';

// The project's own code (workspaces, `link:` and `portal:` to folders inside it) is listed, never judged
// nor blocked, even where provenance is required by default; a `patch:` is listed as a patch and its npm
// source judged; packages with peer dependencies (virtual packages in Yarn) install (issue 7, deliverable 2).
let registry: TestRegistry;
const scratches = new Scratches(() => registry.url);

const POLICY = `version: 1
default:
  require: provenance
rules:
  - packages: [sigstore]
    source: github.com/sigstore/sigstore-js
  - packages: [shapes-peer]
    require: none
`;

// A new file in the package: the patch applies whatever sigstore's own files hold.
const PATCH = `diff --git a/PATCHED.md b/PATCHED.md
new file mode 100644
--- /dev/null
+++ b/PATCHED.md
@@ -0,0 +1 @@
+patched by the project
`;

const OWN_CODE = [`@scratch/app`, `@scratch/lib`, `shapes-linked`, `shapes-portal`];

beforeAll(async () => {
  registry = await startRegistry();
  registry.add({name: `shapes-peer`, version: `1.0.0`, peerDependencies: {sigstore: `^2.0.0`}});
});
afterAll(async () => {
  await registry.close();
});

describe(`workspaces, link:, portal:, patch: and peer dependencies`, () => {
  it(`install under require: provenance, own code listed, the patch listed as one and its npm source judged`, async () => {
    const scratch = await scratches.project({
      policy: POLICY,
      manifest: {
        workspaces: [`packages/*`],
        dependencies: {
          sigstore: `patch:sigstore@npm%3A2.3.1#~/patches/sigstore.patch`,
          "shapes-peer": `1.0.0`,
          "shapes-linked": `link:./vendor/linked`,
          "shapes-portal": `portal:./vendor/portal`,
        },
      },
      files: {
        "patches/sigstore.patch": PATCH,
        "packages/app/package.json": JSON.stringify({name: `@scratch/app`, version: `1.0.0`, dependencies: {"@scratch/lib": `workspace:^`}}),
        "packages/lib/package.json": JSON.stringify({name: `@scratch/lib`, version: `1.0.0`}),
        "vendor/linked/index.js": `module.exports = 'linked';\n`,
        "vendor/portal/package.json": JSON.stringify({name: `shapes-portal`, version: `1.0.0`}),
      },
    });
    const result = await scratch.yarn(`install`);
    expectPassed(result, scratch, [`sigstore/PATCHED.md`, `shapes-peer`, `shapes-linked`, `shapes-portal`, `@scratch/app`, `@scratch/lib`]);
    expect(gateLinesWith(result.output, `patch`)).not.toEqual([]);

    // Listed in the report: the project's own code as such, the patch as one, and its npm source verified.
    const report = await audit(scratch);
    expect(report.code, report.output).toBe(0);
    const statusesOf = (name: string) => report.records.filter(record => record.name === name).map(record => record.status).sort();
    for (const name of OWN_CODE)
      expect(statusesOf(name), name).toEqual([`project`]);
    expect(statusesOf(`sigstore`)).toEqual([`patched`, `verified`]);

    // The npm package under the patch is what is judged: pinned elsewhere, it is blocked.
    scratch.policy(POLICY.replace(`github.com/sigstore/sigstore-js`, `github.com/attacker/sigstore-js`));
    const before = snapshot(scratch);
    const repinned = await scratch.yarn(`install`);
    expectBlocked(repinned, scratch, before, {codes: [`SOURCE_REPO_MISMATCH`], unlinked: []});
    expect(gateLinesWith(repinned.output, `sigstore@2.3.1`, `SOURCE_REPO_MISMATCH`)).not.toEqual([]);
  });
});
