/**
 * The body of a verification worker thread. Yarn's install is bound by its main thread while the
 * second core sits mostly idle (profile in the issue notes), so signature checks run here, beside it.
 * Built into a string by scripts/build.mjs and started with `new Worker(source, {eval: true})`,
 * because a Yarn plugin is one file evaluated by Yarn, not a script a worker could load by path.
 */
import {parentPort, workerData} from 'node:worker_threads';

import {parseAttestations} from '../attestations/parseAttestations';
import {isProvenanceError} from '../errors';
import {loadTrust} from '../trust/loadTrust';
import type {TrustFiles} from '../trust/trustTexts';
import type {WorkerReply, WorkerRequest} from './verifierPool.types';
import {createPackageVerifier} from './verifyPackage';

const port = parentPort!;
const ready = loadTrust(workerData as TrustFiles).then(createPackageVerifier);
// Bad trust files are answered, with their code, to every request; they must not crash the thread
// (an unhandled rejection would) before the first request arrives to await them.
ready.catch(() => {});

port.on(`message`, async (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    const verifier = await ready;
    const attestations = parseAttestations(Buffer.from(request.attestations));
    reply = {id: request.id, ok: true, provenance: verifier.verify({package: request.package, attestations, tarballSha512: request.tarballSha512})};
  } catch (error) {
    reply = isProvenanceError(error)
      ? {id: request.id, ok: false, code: error.code, message: error.message, mismatch: error.mismatch}
      : {id: request.id, ok: false, code: null, message: (error as Error).message};
  }
  port.postMessage(reply);
});
