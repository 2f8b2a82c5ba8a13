import type {PackageRef, VerifiedProvenance} from '../provenance.types';

/**
 * Verification of a registry's attestations answer (raw bytes; null when it has none), wherever it
 * runs: in this thread (the CLI) or on worker threads (the Yarn plugin). Rejects with a
 * ProvenanceError for anything that does not verify.
 */
export type VerifyBody = (input: {package: PackageRef, attestations: Uint8Array | null, tarballSha512: string}) => Promise<VerifiedProvenance>;
