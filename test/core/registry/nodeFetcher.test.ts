import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {createNodeFetcher} from '../../../sources/core/registry/nodeFetcher';
import {fetchAttestationsBody} from '../../../sources/core/registry/fetchAttestations';
import {loadFixture} from '../../helpers/fixtures';
import {rejectionCode} from '../../helpers/verifier';
import {startRegistry} from '../../registry/server.mjs';
import type {TestRegistry} from '../../registry/server.mjs';

// The standalone CLI's fetcher against a registry on 127.0.0.1.
let registry: TestRegistry;
beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry.close();
});

const fixture = loadFixture(`sigstore@2.3.1`);

describe(`the standalone CLI's fetcher`, () => {
  it(`reads an attestations answer whole`, async () => {
    const body = await fetchAttestationsBody(createNodeFetcher({deadlineMs: 10_000}), registry.url, fixture.pkg);
    expect(body?.toString(`utf8`)).toBe(fixture.attestationsText);
  });

  it(`ends an answer that drips forever as NETWORK_UNVERIFIABLE at its deadline`, async () => {
    // A byte every 50 ms: no idle timeout would ever fire; the registry keeps dripping until closed.
    registry.fault(`sigstore@2.3.1`, {kind: `attestations-drip`, intervalMs: 50});
    try {
      const fetcher = createNodeFetcher({deadlineMs: 500});
      expect(await rejectionCode(() => fetchAttestationsBody(fetcher, registry.url, fixture.pkg))).toBe(`NETWORK_UNVERIFIABLE`);
    } finally {
      registry.fault(`sigstore@2.3.1`, null);
    }
  });
});
