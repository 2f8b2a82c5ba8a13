/**
 * DSSE signing (https://github.com/secure-systems-lab/dsse/blob/master/protocol.md): the signature
 * covers the pre-authentication encoding of payload type and payload, never the payload alone.
 */
import {createHash, sign} from 'node:crypto';
import type {KeyObject} from 'node:crypto';

export const IN_TOTO_PAYLOAD_TYPE = `application/vnd.in-toto+json`;

export type SignedEnvelope = {
  payload: Buffer;
  payloadType: string;
  /** DER ECDSA signature. */
  signature: Buffer;
  /** The signer's key id as the envelope states it (`` for a certificate). */
  keyid: string;
};

export function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, `utf8`);
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, `utf8`), type,
    Buffer.from(` ${payload.length} `, `utf8`), payload,
  ]);
}

export function signEnvelope(statement: object, privateKey: KeyObject, keyid = ``): SignedEnvelope {
  const payload = Buffer.from(JSON.stringify(statement), `utf8`);
  const signature = sign(`sha256`, pae(IN_TOTO_PAYLOAD_TYPE, payload), privateKey);
  return {payload, payloadType: IN_TOTO_PAYLOAD_TYPE, signature, keyid};
}

/** The envelope as JSON (base64 payload and signature), as Rekor hashes it. */
export function envelopeJson(envelope: SignedEnvelope) {
  return {
    payload: envelope.payload.toString(`base64`),
    payloadType: envelope.payloadType,
    signatures: [{sig: envelope.signature.toString(`base64`), keyid: envelope.keyid}],
  };
}

export function sha256Hex(bytes: Buffer | string): string {
  return createHash(`sha256`).update(bytes).digest(`hex`);
}
