import {ASN1Obj, X509Certificate} from '@sigstore/core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {makeDerParser} from '../../../sources/core/verify/derParser';
import {fixtureIds, loadFixture} from '../../helpers/fixtures';

// sigstore-js's own parser, captured before anything could replace it.
const original = ASN1Obj.parseBuffer.bind(ASN1Obj);
const parse = makeDerParser(original);

/** Every node's tag, value bytes and children, or the class and message of what the parse threw. */
function outcome(call: () => ASN1Obj): string {
  try {
    return describeNode(call());
  } catch (error) {
    return `threw ${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
}

function describeNode(node: ASN1Obj): string {
  const {tag} = node;
  return `${tag.toDER()}/${tag.number}/${tag.class}/${tag.constructed}:${node.value.toString(`hex`)}[${node.subs.map(describeNode).join(`,`)}]`;
}

function expectSameAsSigstore(input: Buffer<ArrayBuffer>): string {
  const expected = outcome(() => original(input));
  expect(outcome(() => parse(input))).toBe(expected);
  return expected;
}

function certificates(): Array<Buffer<ArrayBuffer>> {
  return fixtureIds().flatMap(id => loadFixture(id).attestationsJson.attestations.flatMap(entry => {
    const material = entry.bundle.verificationMaterial;
    const raw = material.certificate ? [material.certificate] : material.x509CertificateChain?.certificates ?? [];
    return raw.map((cert: {rawBytes: string}) => Buffer.from(cert.rawBytes, `base64`) as Buffer<ArrayBuffer>);
  }));
}

/** A deterministic stream of bytes (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % 256;
  };
}

function element(tag: number, content: Buffer): Buffer<ArrayBuffer> {
  const size = content.length;
  const length = size < 0x80 ? [size] : size < 0x100 ? [0x81, size] : [0x82, size >> 8, size & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), content]) as Buffer<ArrayBuffer>;
}

const stackTraceLimit = Error.stackTraceLimit;
// Only to keep the thousands of refusals below fast (vitest maps every stack trace); no effect on what is compared.
beforeAll(() => {
  Error.stackTraceLimit = 0;
});
afterAll(() => {
  Error.stackTraceLimit = stackTraceLimit;
});

describe(`makeDerParser`, () => {
  it(`parses every real certificate into the tree sigstore-js builds`, () => {
    const ders = certificates();
    expect(ders.length).toBeGreaterThan(10);
    for (const der of ders) {
      expect(expectSameAsSigstore(der)).not.toMatch(/^threw/);
      // The certificate reads the same through either tree (extensions, SCTs, key).
      const certificate = new X509Certificate(parse(der));
      expect(certificate.extensions.length).toBeGreaterThan(3);
      expect(certificate.root.toDER().equals(der)).toBe(true);
    }
  });

  it(`answers tampered certificates (bytes changed, cut short, appended) exactly as sigstore-js does`, () => {
    const outcomes = new Set<string>();
    for (const der of certificates().slice(0, 4)) {
      for (let at = 0; at < der.length; at += 3) {
        for (const mask of [0x01, 0x20, 0x80, 0xff]) {
          const copy = Buffer.from(der);
          copy[at]! ^= mask;
          outcomes.add(expectSameAsSigstore(copy).slice(0, 60));
        }
        expectSameAsSigstore(der.subarray(0, at) as Buffer<ArrayBuffer>);
      }
      outcomes.add(expectSameAsSigstore(Buffer.concat([der, Buffer.from([0])]) as Buffer<ArrayBuffer>));
    }
    // Every way sigstore-js refuses DER came up, so each was compared.
    const refusals = [...outcomes].filter(outcome => outcome.startsWith(`threw`)).join(`\n`);
    for (const reason of [`past end`, `long form`, `tag 0x00`, `non-minimal`, `indefinite`, `invalid length`, `trailing`, `6 byte`])
      expect(refusals).toContain(reason);
  });

  it(`answers random bytes and random nestings exactly as sigstore-js does`, () => {
    const next = random(20261122);
    for (let i = 0; i < 3000; i++) {
      const bytes = Buffer.from(Array.from({length: next() % 24}, next));
      expectSameAsSigstore(bytes as Buffer<ArrayBuffer>);
      // Random bytes wrapped in an OCTET STRING or a SEQUENCE: tried as nested DER, kept as bytes or refused.
      expectSameAsSigstore(element(0x04, bytes));
      expectSameAsSigstore(element(0x30, element(0x04, Buffer.concat([bytes, element(0x04, bytes)]))));
    }
  });

  it(`reads each form of length as sigstore-js does: short, minimal long, non-minimal, indefinite, too long`, () => {
    const lengths = [[0x7f], [0x80], [0x81, 0x00], [0x81, 0x7f], [0x81, 0x80], [0x81, 0xff], [0x82, 0x00, 0x80], [0x82, 0x01, 0x00],
      [0x86, 0x01, 0, 0, 0, 0, 0], [0x87, 0x01, 0, 0, 0, 0, 0, 0], [0xff]];
    for (const tag of [0x04, 0x30, 0x02]) {
      for (const length of lengths) {
        const content = Buffer.alloc(300, 0x05);
        const input = Buffer.concat([Buffer.from([tag, ...length]), content]) as Buffer<ArrayBuffer>;
        expectSameAsSigstore(input);
        // The same inside an OCTET STRING, where sigstore-js catches the refusal and keeps the bytes.
        expectSameAsSigstore(element(0x04, input.subarray(0, 200) as Buffer<ArrayBuffer>));
      }
    }
  });

  it(`stops at sigstore-js's nesting depth, inside OCTET STRINGs and SEQUENCEs alike`, () => {
    for (const depth of [99, 100, 101, 102]) {
      for (const tag of [0x04, 0x30]) {
        let nested: Buffer<ArrayBuffer> = Buffer.from([0x05, 0x00]);
        for (let i = 0; i < depth; i++)
          nested = element(tag, nested);
        expectSameAsSigstore(nested);
      }
    }
  });

  it(`keeps values of its own copy of the input, as sigstore-js does`, () => {
    const der = Buffer.from(certificates()[0]!);
    const tree = parse(der);
    const before = describeNode(tree);
    der.fill(0);
    expect(describeNode(tree)).toBe(before);
  });
});
