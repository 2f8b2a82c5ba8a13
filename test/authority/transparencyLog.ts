/**
 * A Rekor-like log: @sigstore/mock's TLog signs the inclusion promise (SET) and a checkpoint over a
 * one-entry tree; this turns a DSSE envelope into the entry Rekor would store (`intoto` 0.0.2 or
 * `dsse` 0.0.1) and the result into a bundle's `tlogEntries` item.
 */
import {generateKeyPairSync} from 'node:crypto';

import type {SerializedBundle} from '@sigstore/bundle';
// The package index would also load the mock's nock-based HTTP handlers; only the log is wanted.
import {initializeTLog} from '@sigstore/mock/dist/rekor/tlog';
import type {TLog} from '@sigstore/mock/dist/rekor/tlog';

import {toPem} from './der';
import {envelopeJson, sha256Hex} from './dsse';
import type {SignedEnvelope} from './dsse';
import type {Timeline} from './timeline';

export type TlogEntryJson = SerializedBundle[`verificationMaterial`][`tlogEntries`][number];
export type EntryKind = `intoto` | `dsse`;

/** The part of the mock's answer (Rekor's `POST /api/v1/log/entries` shape) that is read here. */
type MockLogEntry = Record<string, {
  body: string;
  integratedTime: number;
  logID: string;
  logIndex: number;
  verification: {
    signedEntryTimestamp: string;
    inclusionProof: {logIndex: number, treeSize: number, rootHash: string, hashes: Array<string>, checkpoint: string};
  };
}>;

export type TransparencyLog = {
  /** The log's URL; its host names the checkpoint's signer, and sigstore-js matches the two. */
  baseUrl: string;
  publicKey: Buffer;
  record(envelope: SignedEnvelope, options: {kind: EntryKind, verifier: {certificate: Buffer} | {publicKey: Buffer}, at: `provenance` | `publish`}): Promise<TlogEntryJson>;
};

export async function createTransparencyLog(baseUrl: string, timeline: Timeline): Promise<TransparencyLog> {
  const keyPair = generateKeyPairSync(`ec`, {namedCurve: `P-256`});
  // One mock per integrated time: the mock stamps entries with the clock it was created with.
  const logs: Record<`provenance` | `publish`, TLog> = {
    provenance: await initializeTLog(baseUrl, keyPair, timeline.provenanceLoggedAt),
    publish: await initializeTLog(baseUrl, keyPair, timeline.publishLoggedAt),
  };

  return {
    baseUrl,
    publicKey: logs.provenance.publicKey,
    async record(envelope, {kind, verifier, at}) {
      const verifierPem = `certificate` in verifier ? toPem(`CERTIFICATE`, verifier.certificate) : toPem(`PUBLIC KEY`, verifier.publicKey);
      const answer = await logs[at].log(proposedEntry(envelope, kind, verifierPem)) as unknown as MockLogEntry;
      const [entry] = Object.values(answer);
      if (entry === undefined)
        throw new Error(`The mock transparency log returned no entry`);

      const {inclusionProof, signedEntryTimestamp} = entry.verification;
      return {
        logIndex: String(entry.logIndex),
        logId: {keyId: Buffer.from(entry.logID, `hex`).toString(`base64`)},
        kindVersion: {kind, version: kind === `intoto` ? `0.0.2` : `0.0.1`},
        integratedTime: String(entry.integratedTime),
        inclusionPromise: {signedEntryTimestamp},
        inclusionProof: {
          logIndex: String(inclusionProof.logIndex),
          rootHash: Buffer.from(inclusionProof.rootHash, `hex`).toString(`base64`),
          treeSize: String(inclusionProof.treeSize),
          hashes: inclusionProof.hashes,
          checkpoint: {envelope: inclusionProof.checkpoint},
        },
        canonicalizedBody: entry.body,
      };
    },
  };
}

/** The entry body Rekor stores; sigstore-js compares its signature and payload hash with the bundle. */
function proposedEntry(envelope: SignedEnvelope, kind: EntryKind, verifierPem: string): object {
  const envelopeHash = {algorithm: `sha256`, value: sha256Hex(JSON.stringify(envelopeJson(envelope)))};
  const payloadHash = {algorithm: `sha256`, value: sha256Hex(envelope.payload)};
  const verifier = Buffer.from(verifierPem, `utf8`).toString(`base64`);

  if (kind === `dsse`) {
    return {
      apiVersion: `0.0.1`,
      kind: `dsse`,
      spec: {envelopeHash, payloadHash, signatures: [{signature: envelope.signature.toString(`base64`), verifier}]},
    };
  }

  // intoto 0.0.2 stores the signature base64-encoded twice, and the key id only when there is one.
  const signature = {
    ...(envelope.keyid !== `` ? {keyid: envelope.keyid} : {}),
    publicKey: verifier,
    sig: Buffer.from(envelope.signature.toString(`base64`), `utf8`).toString(`base64`),
  };
  return {
    apiVersion: `0.0.2`,
    kind: `intoto`,
    spec: {content: {envelope: {payloadType: envelope.payloadType, signatures: [signature]}, hash: envelopeHash, payloadHash}},
  };
}
