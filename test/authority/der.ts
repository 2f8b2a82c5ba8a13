/**
 * The few DER and PEM encodings that @peculiar/x509 leaves to the caller (the value of a custom
 * extension is handed over already encoded), and reading one DER element's header.
 */

function derLength(length: number): Buffer {
  if (length < 0x80)
    return Buffer.from([length]);
  const bytes: Array<number> = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256))
    bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function derTlv(tag: number, ...parts: Array<Buffer>): Buffer {
  const value = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), derLength(value.length), value]);
}

export type DerElement = {tag: number, start: number, valueStart: number, end: number};

/** Reads the header of the DER element at `offset` (definite lengths only, as DER has). */
export function readDer(der: Buffer, offset: number): DerElement {
  const tag = der[offset]!;
  let length = der[offset + 1]!;
  let valueStart = offset + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    length = 0;
    for (let i = 0; i < octets; i++)
      length = length * 256 + der[valueStart + i]!;
    valueStart += octets;
  }
  return {tag, start: offset, valueStart, end: valueStart + length};
}

/** Fulcio's newer extensions (`.8` and up) hold a DER UTF8String. */
export function derUtf8String(text: string): Buffer {
  return derTlv(0x0c, Buffer.from(text, `utf8`));
}

export function derOctetString(bytes: Buffer): Buffer {
  return derTlv(0x04, bytes);
}

export function toPem(label: `CERTIFICATE` | `PUBLIC KEY`, der: Buffer): string {
  const lines = der.toString(`base64`).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join(`\n`)}\n-----END ${label}-----\n`;
}
