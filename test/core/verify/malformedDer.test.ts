import {describe, expect, it} from 'vitest';

import {isProvenanceError} from '../../../sources/core/errors';
import {cloneJson, entryOf, loadFixture} from '../../helpers/fixtures';
import type {Fixture} from '../../helpers/fixtures';
import {verifyJson} from '../../helpers/verifier';

/**
 * Malformed DER anywhere in a real bundle must end as a coded rejection, never as an exception the
 * caller cannot classify (which the CLI printed as `Internal error: invalid length`, exit 70, and the
 * Yarn gate as VERIFIER_FAILED). Every byte position of each DER field is corrupted, deterministically.
 */
const ACCEPTED_CODES = [`SIGNATURE_INVALID`, `BUNDLE_MALFORMED`];

// Provenance in each bundle shape (v0.1 chain, v0.2 chain, v0.3 single certificate); publish in v0.1 and v0.2.
const FIXTURES = [`sigstore@0.4.0`, `sigstore@2.3.1`, `@playwright__cli@0.1.1`].map(loadFixture);

type Kind = `provenance` | `publish`;
type Bundle = any;

/** One binary field of a bundle: where it is, how to read it and how to put a corrupted copy back. */
type BinaryField = {
  name: string;
  /** Corrupt only about this many evenly spaced positions (default: every one). */
  sample?: number;
  read(bundle: Bundle): Buffer;
  write(bundle: Bundle, bytes: Buffer): void;
};

const base64Field = (name: string, holder: (bundle: Bundle) => any, key: string, sample?: number): BinaryField => ({
  name,
  sample,
  read: bundle => Buffer.from(holder(bundle)[key], `base64`),
  write: (bundle, bytes) => {
    holder(bundle)[key] = bytes.toString(`base64`);
  },
});

const tlogEntry = (bundle: Bundle) => bundle.verificationMaterial.tlogEntries[0];

function certificateHolder(bundle: Bundle) {
  const material = bundle.verificationMaterial;
  return material.certificate ?? material.x509CertificateChain.certificates[0];
}

// The checkpoint's signature line is `— <origin> <base64 of a 4-byte key hint and a DER ECDSA signature>`.
const CHECKPOINT_SIGNATURE = /^(— \S+ )(\S+)$/m;
const checkpointSignature: BinaryField = {
  name: `checkpoint signature`,
  read: bundle => Buffer.from(CHECKPOINT_SIGNATURE.exec(tlogEntry(bundle).inclusionProof.checkpoint.envelope)![2]!, `base64`),
  write: (bundle, bytes) => {
    const proof = tlogEntry(bundle).inclusionProof;
    proof.checkpoint.envelope = proof.checkpoint.envelope.replace(CHECKPOINT_SIGNATURE, `$1${bytes.toString(`base64`)}`);
  },
};

/**
 * npm's bundles carry no RFC 3161 timestamp, but sigstore-js parses any it finds before checking
 * anything: one is added, made from the bundle's own DER signature (a DER SEQUENCE, not a timestamp).
 */
const addedTimestamp: BinaryField = {
  name: `added RFC 3161 timestamp`,
  read: bundle => Buffer.from(bundle.dsseEnvelope.signatures[0].sig, `base64`),
  write: (bundle, bytes) => {
    bundle.verificationMaterial.timestampVerificationData = {rfc3161Timestamps: [{signedTimestamp: bytes.toString(`base64`)}]};
  },
};

function fieldsOf(kind: Kind, bundle: Bundle): Array<BinaryField> {
  const fields = [
    base64Field(`DSSE signature`, b => b.dsseEnvelope.signatures[0], `sig`),
    base64Field(`tlog signed entry timestamp`, b => tlogEntry(b).inclusionPromise, `signedEntryTimestamp`),
    // Kilobytes of JSON (with DER inside base64 inside it), where each corruption costs a log
    // signature check: a dense sample.
    base64Field(`tlog body`, tlogEntry, `canonicalizedBody`, 512),
    base64Field(`tlog log id`, b => tlogEntry(b).logId, `keyId`),
    addedTimestamp,
  ];
  if (kind === `provenance`)
    fields.unshift(base64Field(`certificate (SCT list included)`, certificateHolder, `rawBytes`));
  if (tlogEntry(bundle).inclusionProof?.checkpoint !== undefined)
    fields.push(checkpointSignature);
  return fields;
}

/**
 * Corruptions of one field: at every byte position (every few, for the long tlog body) one change,
 * cycling through values that break a DER header in different ways (all bits, zero, the long-form
 * length marker, the lowest bit), and every 16th prefix (truncation).
 */
function* corruptionsOf(bytes: Buffer, sample = bytes.length): Generator<{label: string, bytes: Buffer}> {
  const changes = [(b: number) => b ^ 0xff, () => 0x00, () => 0x80, (b: number) => b ^ 0x01];
  const stride = Math.max(1, Math.ceil(bytes.length / sample));
  for (let position = 0; position < bytes.length; position += stride) {
    const before = bytes[position]!;
    let after = changes[position % changes.length]!(before);
    if (after === before)
      after ^= 0xff;
    const copy = Buffer.from(bytes);
    copy[position] = after;
    yield {label: `byte ${position} ${before} -> ${after}`, bytes: copy};
  }
  for (let length = 0; length < bytes.length; length += 16)
    yield {label: `truncated to ${length} bytes`, bytes: bytes.subarray(0, length)};
}

/** How one verification ended: a code, `accepted`, or the uncoded exception that escaped. */
async function outcomeOf(fixture: Fixture, entry: unknown): Promise<string> {
  try {
    await verifyJson(fixture.pkg, {attestations: [entry]}, fixture.tarballSha512);
    return `accepted`;
  } catch (error) {
    return isProvenanceError(error) ? error.code : `uncoded ${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe(`malformed DER in a real bundle`, () => {
  for (const fixture of FIXTURES) {
    for (const kind of [`provenance`, `publish`] as const) {
      if (!fixture.expected.attestationsPresent[kind])
        continue;

      it(`${fixture.id} ${kind}: the unmodified bundle verifies`, async () => {
        expect(await outcomeOf(fixture, entryOf(fixture, kind))).toBe(`accepted`);
      });

      for (const field of fieldsOf(kind, entryOf(fixture, kind).bundle)) {
        it(`${fixture.id} ${kind}: every corruption of the ${field.name} is SIGNATURE_INVALID or BUNDLE_MALFORMED`, async () => {
          const original = entryOf(fixture, kind);
          const unexpected: Array<string> = [];
          let count = 0;
          for (const corruption of corruptionsOf(field.read(original.bundle), field.sample)) {
            const entry = cloneJson(original);
            field.write(entry.bundle, corruption.bytes);
            const outcome = await outcomeOf(fixture, entry);
            count++;
            if (!ACCEPTED_CODES.includes(outcome))
              unexpected.push(`${corruption.label}: ${outcome}`);
          }
          expect(count).toBeGreaterThan(0);
          expect(unexpected.slice(0, 10), `${unexpected.length} of ${count} corruptions`).toEqual([]);
        });
      }
    }
  }
});
