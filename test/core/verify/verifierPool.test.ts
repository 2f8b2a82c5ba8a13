import {afterEach, describe, expect, it} from 'vitest';

import {VerifierPool} from '../../../sources/core/verify/verifierPool';
import {rejectionCode} from '../../helpers/verifier';

/**
 * The pool is the thing under test; the worker bodies here stand in for a verifier that dies. Each one
 * answers a request for `healthy` with a provenance record and reacts to the others as its name says.
 */
const workerSource = (onOther: string) => `
  const {parentPort} = require('node:worker_threads');
  parentPort.on('message', request => {
    if (request.package.name !== 'healthy') {
      ${onOther}
    }
    parentPort.postMessage({id: request.id, ok: true, provenance: {
      package: request.package, tarballSha512: request.tarballSha512, slsaLevel: 0, unknownPredicateTypes: [],
    }});
  });
`;

const EXITS = workerSource(`process.exit(1);`);
const THROWS = workerSource(`throw new Error('the verifier crashed');`);
const NEVER_ANSWERS = workerSource(`return;`);

const TRUST = {};
const request = (name: string) => ({package: {name, version: `1.0.0`}, attestations: new Uint8Array(), tarballSha512: `00`});

let pool: VerifierPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

// A pool that leaves a check waiting fails by this bound instead of the suite's two minutes.
describe(`a verification worker that dies`, {timeout: 20_000}, () => {
  it(`fails every check pending on a worker that exits on its first message with VERIFIER_FAILED`, async () => {
    pool = new VerifierPool(EXITS, TRUST, 1);
    const pending = [pool.verify(request(`poison`)), pool.verify(request(`healthy`)), pool.verify(request(`healthy`))];
    const codes = await Promise.all(pending.map(check => rejectionCode(() => check)));
    expect(codes).toEqual([`VERIFIER_FAILED`, `VERIFIER_FAILED`, `VERIFIER_FAILED`]);
  });

  it(`gives later checks a fresh worker after one exits`, async () => {
    pool = new VerifierPool(EXITS, TRUST, 1);
    expect(await rejectionCode(() => pool!.verify(request(`poison`)))).toBe(`VERIFIER_FAILED`);
    expect((await pool.verify(request(`healthy`))).package.name).toBe(`healthy`);
  });

  it(`fails the checks of a worker that crashes with an uncaught exception, then starts a fresh one`, async () => {
    pool = new VerifierPool(THROWS, TRUST, 1);
    const pending = [pool.verify(request(`poison`)), pool.verify(request(`healthy`))];
    expect(await Promise.all(pending.map(check => rejectionCode(() => check)))).toEqual([`VERIFIER_FAILED`, `VERIFIER_FAILED`]);
    expect((await pool.verify(request(`healthy`))).package.name).toBe(`healthy`);
  });

  it(`only fails the checks held by the worker that died`, async () => {
    pool = new VerifierPool(EXITS, TRUST, 2);
    // Round-robin: the first request goes to the first worker, the second to the other one.
    const [poisoned, healthy] = [pool.verify(request(`poison`)), pool.verify(request(`healthy`))];
    expect(await rejectionCode(() => poisoned)).toBe(`VERIFIER_FAILED`);
    expect((await healthy).package.name).toBe(`healthy`);
  });

  it(`fails the checks still pending when the pool is closed`, async () => {
    pool = new VerifierPool(NEVER_ANSWERS, TRUST, 1);
    const pending = pool.verify(request(`silent`));
    await pool.close();
    expect(await rejectionCode(() => pending)).toBe(`VERIFIER_FAILED`);
  });
});
