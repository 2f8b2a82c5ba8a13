import {availableParallelism} from 'node:os';
import {Worker} from 'node:worker_threads';

import {isErrorCode, ProvenanceError} from '../errors';
import type {PackageRef, VerifiedProvenance} from '../provenance.types';
import type {TrustFiles} from '../trust/trustTexts';
import {unattested} from './unattested';
import type {VerifyBody} from './verifyBody.types';
import type {WorkerReply, WorkerRequest} from './verifierPool.types';

export type PoolInput = {package: PackageRef, attestations: Uint8Array, tarballSha512: string};

type Waiter = {resolve: (value: VerifiedProvenance) => void, reject: (error: Error) => void};

/** One worker and the requests it has not answered yet. */
type Slot = {worker: Worker, pending: Map<number, Waiter>};

/**
 * Verification on worker threads, round-robin. Started on first use (a warm install, whose
 * evidence is all remembered, never starts one) and unref'd while idle, so that it never keeps Yarn
 * alive. A worker that dies (an uncaught exception, `process.exit`, running out of memory) fails the
 * requests it held with VERIFIER_FAILED, and its slot starts a fresh worker on the next request:
 * nothing waits on a thread that will never answer.
 */
export class VerifierPool {
  private slots: Array<Slot | undefined> = [];
  private next = 0;
  private sequence = 0;

  constructor(private readonly source: string, private readonly trust: TrustFiles, private readonly size = defaultPoolSize()) {}

  verify(input: PoolInput): Promise<VerifiedProvenance> {
    const index = this.next++ % this.size;
    const slot = this.slots[index] ??= this.spawn(index);
    const id = ++this.sequence;
    return new Promise((resolve, reject) => {
      // Something in flight: keep the process alive until the worker answers or dies.
      if (slot.pending.size === 0)
        slot.worker.ref();
      slot.pending.set(id, {resolve, reject});
      slot.worker.postMessage({id, ...input} satisfies WorkerRequest);
    });
  }

  /** As a VerifyBody: packages without attestations need no worker. */
  readonly verifyBody: VerifyBody = async ({package: pkg, attestations, tarballSha512}) => {
    if (attestations === null)
      return unattested(pkg, tarballSha512);
    return this.verify({package: pkg, attestations, tarballSha512});
  };

  /** Stops every worker; requests still pending fail with VERIFIER_FAILED. */
  async close(): Promise<void> {
    const slots = this.slots.filter(slot => slot !== undefined);
    this.slots = [];
    await Promise.all(slots.map(slot => slot.worker.terminate()));
  }

  private spawn(index: number): Slot {
    const worker = new Worker(this.source, {eval: true, workerData: this.trust});
    worker.unref();
    const slot: Slot = {worker, pending: new Map()};
    worker.on(`message`, (reply: WorkerReply) => this.settle(slot, reply));
    // `error` (an uncaught exception, out of memory) is followed by `exit`; `process.exit` in the
    // worker gives `exit` alone. Either way the worker is gone.
    worker.on(`error`, error => this.retire(index, slot, `stopped: ${error.message}`, error));
    worker.on(`exit`, code => this.retire(index, slot, `exited with code ${code}`));
    return slot;
  }

  private settle(slot: Slot, reply: WorkerReply): void {
    const waiter = slot.pending.get(reply.id);
    slot.pending.delete(reply.id);
    // Nothing in flight: let the process exit without waiting for an idle worker.
    if (slot.pending.size === 0)
      slot.worker.unref();
    if (waiter === undefined)
      return;

    if (reply.ok)
      waiter.resolve(reply.provenance);
    else if (!isErrorCode(reply.code))
      waiter.reject(new ProvenanceError({code: `VERIFIER_FAILED`, message: `The verification worker failed: ${reply.message}`}));
    else
      waiter.reject(new ProvenanceError({code: reply.code, message: reply.message, mismatch: reply.mismatch}));
  }

  /** The worker is gone: fail what it held, and free its slot for a fresh worker. */
  private retire(index: number, slot: Slot, reason: string, cause?: Error): void {
    if (this.slots[index] === slot)
      this.slots[index] = undefined;
    for (const waiter of slot.pending.values())
      waiter.reject(new ProvenanceError({code: `VERIFIER_FAILED`, message: `The verification worker ${reason}; nothing was concluded`, cause}));
    slot.pending.clear();
  }
}

/**
 * During an install, one worker beside Yarn's main thread on small machines, never more than the cores left over.
 * `alone` (a command that only verifies, like `audit`): Yarn's main thread mostly waits, so every core, up to two.
 */
export function defaultPoolSize({alone = false}: {alone?: boolean} = {}): number {
  return Math.max(1, Math.min(2, availableParallelism() - (alone ? 0 : 1)));
}
