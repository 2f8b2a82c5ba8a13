import {describe, expect, it} from 'vitest';

import {MAX_ATTESTATIONS_BYTES, parseAttestations} from '../../../sources/core/attestations/parseAttestations';
import {cloneJson, entryOf, loadFixture} from '../../helpers/fixtures';
import {rejectionCode} from '../../helpers/verifier';

const fixture = loadFixture(`sigstore@2.3.1`);

describe(`parseAttestations`, () => {
  it(`sorts a real answer into provenance and publish`, () => {
    const set = parseAttestations(fixture.attestationsText);
    expect(set.provenance?.predicateType).toBe(`https://slsa.dev/provenance/v1`);
    expect(set.publish?.predicateType).toBe(`https://github.com/npm/attestation/tree/main/specs/publish/v0.1`);
    expect(set.unknownPredicateTypes).toEqual([]);
  });

  it(`accepts bytes as well as text`, () => {
    expect(parseAttestations(Buffer.from(fixture.attestationsText)).provenance).toBeDefined();
  });

  it.each([
    [`not JSON`, `<html>502 Bad Gateway</html>`],
    [`truncated`, fixture.attestationsText.slice(0, fixture.attestationsText.length / 2)],
    [`empty`, ``],
    [`null`, `null`],
    [`a list`, `[]`],
    [`no attestations key`, `{"foo": []}`],
    [`attestations not a list`, `{"attestations": {"predicateType": "x"}}`],
    [`an entry without a bundle`, `{"attestations": [{"predicateType": "https://slsa.dev/provenance/v1"}]}`],
    [`a predicate type that is not a string`, `{"attestations": [{"predicateType": 7, "bundle": {}}]}`],
    [`deeply nested JSON`, `${`[`.repeat(200_000)}${`]`.repeat(200_000)}`],
  ])(`rejects %s as ATTESTATIONS_MALFORMED`, async (_, body) => {
    expect(await rejectionCode(() => parseAttestations(body))).toBe(`ATTESTATIONS_MALFORMED`);
  });

  it(`rejects an oversized answer before parsing it`, async () => {
    const padded = JSON.stringify({...fixture.attestationsJson, padding: `x`.repeat(MAX_ATTESTATIONS_BYTES)});
    expect(await rejectionCode(() => parseAttestations(padded))).toBe(`ATTESTATIONS_TOO_LARGE`);
  });

  it(`rejects two provenance attestations, which would make the answer ambiguous`, async () => {
    const doubled = {attestations: [entryOf(fixture, `provenance`), entryOf(fixture, `provenance`)]};
    expect(await rejectionCode(() => parseAttestations(JSON.stringify(doubled)))).toBe(`ATTESTATIONS_MALFORMED`);
  });

  it(`rejects an answer with implausibly many entries`, async () => {
    const many = cloneJson(fixture.attestationsJson);
    for (let i = 0; i < 20; i++)
      many.attestations.push({predicateType: `https://example.com/${i}`, bundle: {}});
    expect(await rejectionCode(() => parseAttestations(JSON.stringify(many)))).toBe(`ATTESTATIONS_MALFORMED`);
  });

  it(`reports unknown predicate types without interpreting them`, () => {
    const set = parseAttestations(JSON.stringify({attestations: [{predicateType: `https://in-toto.io/attestation/vulns`, bundle: {}}]}));
    expect(set.unknownPredicateTypes).toEqual([`https://in-toto.io/attestation/vulns`]);
    expect(set.provenance).toBeUndefined();
  });
});
