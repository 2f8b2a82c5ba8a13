import type {ErrorCode, Mismatch} from '../errors';
import type {PackageRef, VerifiedProvenance} from '../provenance.types';

export type WorkerRequest = {
  id: number;
  package: PackageRef;
  /** The registry's attestations answer, as received: parsing is part of the work moved off the main thread. */
  attestations: Uint8Array;
  tarballSha512: string;
};

export type WorkerReply =
  | {id: number, ok: true, provenance: VerifiedProvenance}
  /** `code: null` is a bug in the worker, not a verdict. */
  | {id: number, ok: false, code: ErrorCode | null, message: string, mismatch?: Mismatch};
