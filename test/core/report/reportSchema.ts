import {readFileSync} from 'node:fs';
import {join} from 'node:path';

import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

const SCHEMA = join(__dirname, `../../../schemas/report.schema.json`);

/**
 * A validator for one `--json` record against schemas/report.schema.json, with formats checked, and every warning
 * Ajv would print collected instead, so that a test can require none.
 */
export function reportValidator(): {validate: (record: unknown) => string | null, warnings: Array<string>} {
  const warnings: Array<string> = [];
  const logger = {log: () => {}, warn: (...args: Array<unknown>) => warnings.push(args.join(` `)), error: (...args: Array<unknown>) => warnings.push(args.join(` `))};
  const ajv = new Ajv2020({strict: true, allowUnionTypes: true, allErrors: true, logger});
  addFormats(ajv);
  const check = ajv.compile(JSON.parse(readFileSync(SCHEMA, `utf8`)));
  return {validate: record => (check(record) ? null : JSON.stringify(check.errors)), warnings};
}

/** The lines of a `--json` output that are JSON objects, parsed. */
export function jsonRecords(stdout: string): Array<Record<string, any>> {
  return stdout.split(`\n`).filter(line => line.startsWith(`{`)).map(line => JSON.parse(line) as Record<string, any>);
}
