import {describe, expect, it} from 'vitest';

import type {Verdict} from '../../../sources/core/provenance.types';
import {jsonLines, packageRecords, summaryRecord, usageErrorLines} from '../../../sources/core/report/jsonRecords';
import {reportValidator} from './reportSchema';

const LOCKFILE = `__metadata:
  version: 8

"alpha@npm:^2.0.0":
  version: 2.0.0
  resolution: "alpha@npm:2.0.0"
`;

const VERDICTS: Array<Verdict> = [
  {package: {name: `alpha`, version: `2.0.0`}, status: `violation`, code: `SOURCE_REPO_MISMATCH`, allowed: false, mode: `enforce`, rule: `rules[0]`, notes: [], expected: `github.com/a/b`, found: `github.com/c/d`},
  {package: {name: `beta`, version: `1.0.0`}, status: `missing`, allowed: true, mode: `enforce`, rule: `default`, notes: []},
  {package: {name: `gamma`, version: `1.0.0`}, status: `unverifiable`, code: `NETWORK_UNVERIFIABLE`, allowed: true, mode: `warn`, rule: `default`, notes: []},
];

describe(`JSON records`, () => {
  const {validate, warnings} = reportValidator();

  it(`a run is its package records, then one summary with the counts and the exit code`, () => {
    const records = jsonLines(VERDICTS, 1, {lockfile: {file: `yarn.lock`, text: LOCKFILE}}).map(line => JSON.parse(line));
    expect(records.map(record => record.type)).toEqual([`package`, `package`, `package`, `summary`]);
    expect(records[3]).toEqual({type: `summary`, packages: 3, counts: expect.objectContaining({violation: 1, missing: 1, unverifiable: 1, verified: 0}), blocking: 1, bound: {local: 0, registry: 0}, exitCode: 1});
    for (const record of records)
      expect(validate(record)).toBeNull();
    expect(warnings).toEqual([]);
  });

  it(`places a package at its lockfile entry when the lockfile has one`, () => {
    const [alpha, beta] = packageRecords(VERDICTS, {lockfile: {file: `yarn.lock`, text: LOCKFILE}});
    expect(alpha).toMatchObject({blocks: true, location: {file: `yarn.lock`, line: 4}});
    expect(beta).not.toHaveProperty(`location`);
  });

  it(`lists only findings with failuresOnly, and still counts every package`, () => {
    expect(packageRecords(VERDICTS, {failuresOnly: true}).map(record => record.name)).toEqual([`alpha`, `gamma`]);
    expect(summaryRecord(VERDICTS, 1).packages).toBe(3);
  });

  it(`a usage error is an error record and a summary that exits 2`, () => {
    const records = usageErrorLines(`POLICY_INVALID`, `bad`).map(line => JSON.parse(line));
    expect(records).toEqual([{type: `error`, code: `POLICY_INVALID`, message: `bad`}, expect.objectContaining({type: `summary`, packages: 0, exitCode: 2})]);
    for (const record of records)
      expect(validate(record)).toBeNull();
  });

  it(`the schema refuses a record of another shape`, () => {
    expect(validate({type: `package`, name: `x`})).not.toBeNull();
    expect(validate({type: `error`, code: `not a code`, message: `m`})).not.toBeNull();
    expect(validate({status: `error`, code: `USAGE_INVALID`, message: `m`})).not.toBeNull();
  });
});
