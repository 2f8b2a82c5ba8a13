import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {join} from 'node:path';

import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/**
 * A validator for SARIF 2.1.0 (the schema GitHub documents) with formats checked (`uri`, `uri-reference`,
 * `date-time`), and every warning Ajv would print collected instead, so that a test can require none.
 */
export function sarifValidator(): {validate: (log: unknown) => string | null, warnings: Array<string>} {
  const require = createRequire(__filename);
  const path = join(require.resolve(`@microsoft/jest-sarif/package.json`), `../lib/schemas/sarif-2.1.0-rtm.5.json`);
  const warnings: Array<string> = [];
  const logger = {log: () => {}, warn: (...args: Array<unknown>) => warnings.push(args.join(` `)), error: (...args: Array<unknown>) => warnings.push(args.join(` `))};
  const ajv = new Ajv({strict: false, unicodeRegExp: false, logger});
  addFormats(ajv);
  const check = ajv.compile(JSON.parse(readFileSync(path, `utf8`)));
  return {validate: log => (check(log) ? null : JSON.stringify(check.errors)), warnings};
}
