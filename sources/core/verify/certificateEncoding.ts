/**
 * The outer envelope of an X.509 certificate, checked byte for byte. A CA's signature covers only the
 * tbsCertificate: sigstore-js reads the signature bits and the algorithm without checking the tags
 * around them, so a certificate whose outer tags, unused-bits byte or trailing bytes were altered still
 * verified. Nothing read from it changed, but the bundle no longer holds the certificate Fulcio issued,
 * and such input is rejected as malformed (as Go's crypto/x509 does) instead of passing.
 */

const SEQUENCE = 0x30;
const BIT_STRING = 0x03;
const VERSION = 0xa0; // [0] EXPLICIT Version, optional first field of the tbsCertificate

export type DerElement = {tag: number, start: number, contentStart: number, end: number};

/** The element at `offset`: definite-length DER with a low tag number, inside `der`; throws otherwise. */
export function readElement(der: Buffer, offset: number): DerElement {
  const tag = der[offset];
  const first = der[offset + 1];
  if (tag === undefined || first === undefined)
    throw new Error(`truncated DER at byte ${offset}`);
  if ((tag & 0x1f) === 0x1f)
    throw new Error(`unsupported DER tag at byte ${offset}`);

  let contentStart = offset + 2;
  let length = first;
  if (first >= 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4)
      throw new Error(`unsupported DER length at byte ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++)
      length = length * 256 + (der[contentStart + i] ?? 0);
    contentStart += count;
  }

  const end = contentStart + length;
  if (end > der.length)
    throw new Error(`truncated DER at byte ${offset}`);
  return {tag, start: offset, contentStart, end};
}

/**
 * Throws unless `der` is exactly `SEQUENCE {tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE,
 * signatureValue BIT STRING}` with no unused bits, nothing after it, and the outer signature algorithm
 * identical to the one inside the signed tbsCertificate (RFC 5280, 4.1.1.2).
 */
export function checkCertificateEncoding(der: Buffer): void {
  const certificate = expectTag(readElement(der, 0), SEQUENCE, `certificate`);
  if (certificate.end !== der.length)
    throw new Error(`${der.length - certificate.end} bytes follow the certificate`);

  const tbs = expectTag(readElement(der, certificate.contentStart), SEQUENCE, `tbsCertificate`);
  const algorithm = expectTag(readElement(der, tbs.end), SEQUENCE, `signatureAlgorithm`);
  const signature = expectTag(readElement(der, algorithm.end), BIT_STRING, `signatureValue`);
  if (signature.end !== certificate.end)
    throw new Error(`the certificate holds more than three elements`);
  if (signature.contentStart === signature.end || der[signature.contentStart] !== 0)
    throw new Error(`the signatureValue has unused bits`);

  const versionOrSerial = readElement(der, tbs.contentStart);
  const serial = versionOrSerial.tag === VERSION ? readElement(der, versionOrSerial.end) : versionOrSerial;
  const signedAlgorithm = readElement(der, serial.end);
  if (!bytesOf(der, signedAlgorithm).equals(bytesOf(der, algorithm)))
    throw new Error(`the signatureAlgorithm differs from the one in the tbsCertificate`);
}

function expectTag(element: DerElement, tag: number, name: string): DerElement {
  if (element.tag !== tag)
    throw new Error(`the ${name} has tag 0x${element.tag.toString(16)}, expected 0x${tag.toString(16)}`);
  return element;
}

function bytesOf(der: Buffer, element: DerElement): Buffer {
  return der.subarray(element.start, element.end);
}
