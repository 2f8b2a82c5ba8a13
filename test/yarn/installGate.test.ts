import {describe, expect, it} from 'vitest';

import {SUPPORTED_YARN} from '../../sources/yarn/hostYarn';
import {armInstallGate} from '../../sources/yarn/installGate';

// The gate relies on Yarn internals. A Yarn without them (simulated here: the only case the real
// committed Yarn cannot show) must make the install fail, not silently skip verification.
function fakeProject(withInternals: boolean) {
  const configuration = {
    get: (key: string) => ({provenanceEnabled: true, provenancePolicyPath: `.provenance.yml`, provenanceDefaultMode: ``, provenanceConcurrency: 16, provenanceTrustedRootPath: null, provenanceRegistryKeysPath: null, globalFolder: `/tmp/provenance-fake-global`} as Record<string, unknown>)[key],
    makeFetcher: withInternals ? () => ({}) : undefined,
    sources: new Map<string, string>(),
  };
  return {cwd: `/tmp/provenance-fake-project`, configuration, ...(withInternals ? {fetchEverything: async () => {}} : {})};
}

describe(`armInstallGate`, () => {
  it(`fails closed, naming the supported Yarn range, when Yarn's fetch internals are missing`, async () => {
    const errors: Array<string> = [];
    await armInstallGate(fakeProject(false) as never, {reportWarning: () => {}, reportError: (_, text) => errors.push(text)});
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(SUPPORTED_YARN);
  });

  it(`does not fail when the internals are there (no policy: nothing to enforce)`, async () => {
    const errors: Array<string> = [];
    await armInstallGate(fakeProject(true) as never, {reportWarning: () => {}, reportError: (_, text) => errors.push(text)});
    expect(errors).toEqual([]);
  });
});
