import {ASN1Obj} from '@sigstore/core';

/**
 * sigstore-js's DER parser (`ASN1Obj.parseBuffer`, @sigstore/core 4.x `asn1/obj.ts`) rewritten without
 * exceptions as control flow. sigstore-js tries every OCTET STRING as nested DER and catches the error
 * when it is not (most certificate extension values, the SCT list): building and unwinding those errors
 * was over half the cost of parsing a leaf certificate, a tenth of verifying a package. This gives the same
 * tree (new ASN1Obj and ASN1Tag objects, values as views of a private copy of the input, exactly as the
 * original's ByteStream copies it) and throws the same error class with the same message wherever the
 * original throws. test/core/verify/derParser.test.ts compares the two on real, tampered and random input.
 */

type Failure = {kind: `parse` | `stream` | `plain`, message: string};
type ErrorClasses = Record<Failure[`kind`], new (message: string) => Error>;

// sigstore-js's limits and messages, asn1/obj.ts, asn1/length.ts, asn1/tag.ts and stream.ts.
const MAX_DEPTH = 100;
const PAST_END = `request past end of buffer`;
const INVALID_LENGTH = `invalid length`;
const NON_MINIMAL = `non-minimal length encoding`;
const OCTET_STRING = 0x04;

/** A parser bound to sigstore-js's own error classes, which it does not export: provoked once from its parser. */
export function makeDerParser(originalParse: (der: Buffer<ArrayBuffer>) => ASN1Obj): (der: Buffer<ArrayBuffer>) => ASN1Obj {
  const errorClasses: ErrorClasses = {
    parse: classOfError(() => originalParse(Buffer.from([0x1f, 0x00]))), // a long-form tag
    stream: classOfError(() => originalParse(Buffer.from([0x04, 0x05]))), // a value past the end
    plain: Error,
  };
  const Tag = originalParse(Buffer.from([0x05, 0x00])).tag.constructor as new (encoding: number) => ASN1Obj[`tag`];

  return (input: Buffer<ArrayBuffer>) => {
    const parser = new Parser(Buffer.from(input), Tag);
    const root = parser.element(0);
    if (root === null)
      throw new errorClasses[parser.failure!.kind](parser.failure!.message);
    if (parser.position !== parser.bytes.length)
      throw new errorClasses.parse(`invalid trailing data`);
    return root;
  };
}

function classOfError(call: () => unknown): new (message: string) => Error {
  try {
    call();
  } catch (error) {
    return (error as Error).constructor as new (message: string) => Error;
  }
  throw new Error(`sigstore-js's DER parser accepted input it refuses`);
}

class Parser {
  position = 0;
  failure: Failure | null = null;

  constructor(readonly bytes: Buffer, private readonly Tag: new (encoding: number) => ASN1Obj[`tag`]) {}

  /** One element and its children (`parseStream`), or null with `failure` set where sigstore-js throws. */
  element(depth: number): ASN1Obj | null {
    if (depth > MAX_DEPTH)
      return this.fail(`parse`, `maximum nesting depth exceeded`);
    if (this.position + 1 > this.bytes.length)
      return this.fail(`plain`, PAST_END);
    const encoding = this.bytes[this.position++]!;
    const number = encoding & 0x1f;
    const universal = encoding >> 6 === 0;
    if (number === 0x1f)
      return this.fail(`parse`, `long form tags not supported`);
    if (universal && number === 0)
      return this.fail(`parse`, `unsupported tag 0x00`);
    const tag = new this.Tag(encoding);

    const length = this.length();
    if (length === null)
      return null;
    const start = this.position;
    if (start + length > this.bytes.length)
      return this.fail(`stream`, PAST_END);
    const value = this.bytes.subarray(start, start + length);

    let subs: Array<ASN1Obj> = [];
    if (tag.constructed) {
      const children = this.children(length, depth);
      if (children === null)
        return null;
      subs = children;
    } else if (universal && number === OCTET_STRING) {
      // An OCTET STRING that is not DER inside is kept as bytes: sigstore-js catches that error.
      subs = this.children(length, depth) ?? [];
      this.failure = null;
    }
    if (subs.length === 0)
      this.position = start + length;
    return new ASN1Obj(tag, value, subs);
  }

  /** `decodeLength`: short or minimal long form, at most 6 bytes, never indefinite. */
  private length(): number | null {
    if (this.position + 1 > this.bytes.length)
      return this.fail(`plain`, PAST_END);
    const first = this.bytes[this.position++]!;
    if ((first & 0x80) === 0)
      return first;
    const count = first & 0x7f;
    if (count > 6)
      return this.fail(`parse`, `length exceeds 6 byte limit`);
    let length = 0;
    for (let i = 0; i < count; i++) {
      if (this.position + 1 > this.bytes.length)
        return this.fail(`plain`, PAST_END);
      const byte = this.bytes[this.position++]!;
      if (i === 0 && byte === 0)
        return this.fail(`parse`, NON_MINIMAL);
      length = length * 256 + byte;
    }
    if (length === 0)
      return this.fail(`parse`, `indefinite length encoding not supported`);
    if (length < 128)
      return this.fail(`parse`, NON_MINIMAL);
    return length;
  }

  /** `collectSubs`: elements filling exactly `length` bytes. */
  private children(length: number, depth: number): Array<ASN1Obj> | null {
    const end = this.position + length;
    if (end > this.bytes.length)
      return this.fail(`parse`, INVALID_LENGTH);
    const subs: Array<ASN1Obj> = [];
    while (this.position < end) {
      const sub = this.element(depth + 1);
      if (sub === null)
        return null;
      subs.push(sub);
    }
    if (this.position !== end)
      return this.fail(`parse`, INVALID_LENGTH);
    return subs;
  }

  private fail(kind: Failure[`kind`], message: string): null {
    this.failure = {kind, message};
    return null;
  }
}
