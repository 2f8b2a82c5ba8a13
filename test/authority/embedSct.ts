/**
 * Turns a precertificate into the final certificate: the SCT list goes in as the last extension and
 * the CA signs the new TBS. This is what RFC 6962 describes (the final TBS is the precertificate's
 * plus the SCT extension) and what sigstore-js undoes to check the SCT, so the only bytes that may
 * change are the SCT extension and the lengths around it. Done on the DER directly: building the
 * whole certificate a second time with @peculiar/x509 was half the cost of a mint.
 */
import {sign} from 'node:crypto';
import type {KeyObject} from 'node:crypto';

import {derTlv as tlv, readDer} from './der';

const SEQUENCE = 0x30;
const BIT_STRING = 0x03;
const EXTENSIONS = 0xa3; // [3] EXPLICIT Extensions, the last field of a v3 TBSCertificate

/**
 * @param precertificate DER certificate whose TBS ends with an extensions field.
 * @param extension DER `Extension` (SEQUENCE {extnID, [critical], extnValue}) to append.
 * @param signer the issuing CA's key and the hash its signature algorithm names.
 */
export function appendExtensionAndSign(precertificate: Buffer, extension: Buffer, signer: {privateKey: KeyObject, hash: `sha256` | `sha384`}): Buffer {
  const certificate = readDer(precertificate, 0);
  const tbs = readDer(precertificate, certificate.valueStart);
  const signatureAlgorithm = readDer(precertificate, tbs.end);

  let last = readDer(precertificate, tbs.valueStart);
  while (last.end < tbs.end)
    last = readDer(precertificate, last.end);
  if (last.tag !== EXTENSIONS)
    throw new Error(`The precertificate's TBS does not end with extensions`);
  const extensions = readDer(precertificate, last.valueStart);

  const newTbs = tlv(SEQUENCE,
    precertificate.subarray(tbs.valueStart, last.start),
    tlv(EXTENSIONS, tlv(SEQUENCE, precertificate.subarray(extensions.valueStart, extensions.end), extension)));
  // Node signs ECDSA in DER (ECDSA-Sig-Value), which is what X.509's BIT STRING holds.
  const signature = sign(signer.hash, newTbs, signer.privateKey);

  return tlv(SEQUENCE,
    newTbs,
    precertificate.subarray(signatureAlgorithm.start, signatureAlgorithm.end),
    tlv(BIT_STRING, Buffer.from([0x00]), signature));
}
