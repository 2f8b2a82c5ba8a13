import {availableParallelism} from 'node:os';
import {Worker} from 'node:worker_threads';

import {isErrorCode, ProvenanceError} from '../errors';
import type {PackageRef, VerifiedProvenance} from '../provenance.types';
import type {TrustFiles} from '../trust/trustTexts';
import {unattested} from './unattested';
import type {VerifyBody} from './verifyBody.types';
import type {WorkerReply, WorkerRequest} from './verifierPool.types';

export type PoolInput = {package: PackageRef, attestations: Uint8Array, tarballSha512: string};

/**
 * Verification on worker threads, round-robin. Started on first use (a warm install, whose
 * evidence is all remembered, never starts one) and unref'd, so that it never keeps Yarn alive.
 */
export class VerifierPool {
  private workers: Array<Worker> | null = null;
  private next = 0;
  private sequence = 0;
  private readonly pending = new Map<number, {resolve: (value: VerifiedProvenance) => void, reject: (error: Error) => void}>();

  constructor(private readonly source: string, private readonly trust: TrustFiles, private readonly size = defaultSize()) {}

  verify(input: PoolInput): Promise<VerifiedProvenance> {
    const workers = this.start();
    const id = ++this.sequence;
    const worker = workers[this.next++ % workers.length]!;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0)
        workers.forEach(idle => idle.ref());
      this.pending.set(id, {resolve, reject});
      worker.postMessage({id, ...input} satisfies WorkerRequest);
    });
  }

  /** As a VerifyBody: packages without attestations need no worker. */
  readonly verifyBody: VerifyBody = async ({package: pkg, attestations, tarballSha512}) => {
    if (attestations === null)
      return unattested(pkg, tarballSha512);
    return this.verify({package: pkg, attestations, tarballSha512});
  };

  async close(): Promise<void> {
    const workers = this.workers ?? [];
    this.workers = null;
    await Promise.all(workers.map(worker => worker.terminate()));
  }

  private start(): Array<Worker> {
    if (this.workers !== null)
      return this.workers;

    this.workers = Array.from({length: this.size}, () => {
      const worker = new Worker(this.source, {eval: true, workerData: this.trust});
      worker.unref();
      worker.on(`message`, (reply: WorkerReply) => this.settle(reply));
      worker.on(`error`, error => this.failAll(error));
      return worker;
    });
    return this.workers;
  }

  private settle(reply: WorkerReply): void {
    const waiter = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    // Nothing in flight: let the process exit without waiting for idle workers.
    if (this.pending.size === 0)
      this.workers?.forEach(worker => worker.unref());
    if (waiter === undefined)
      return;

    if (reply.ok)
      waiter.resolve(reply.provenance);
    else if (!isErrorCode(reply.code))
      waiter.reject(new ProvenanceError({code: `VERIFIER_FAILED`, message: `The verification worker failed: ${reply.message}`}));
    else
      waiter.reject(new ProvenanceError({code: reply.code, message: reply.message, mismatch: reply.mismatch}));
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values())
      waiter.reject(new ProvenanceError({code: `VERIFIER_FAILED`, message: `The verification worker stopped: ${error.message}`, cause: error}));
    this.pending.clear();
  }
}

// One worker beside Yarn's main thread on small machines; never more than the cores left over.
function defaultSize(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 1));
}
