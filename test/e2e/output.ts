import {expect} from 'vitest';

import type {RunResult, ScratchProject} from './scratchProject';

/** Yarn's report lines carry `➤ YN0000: ` and section bars before the message. */
export function messages(result: RunResult): Array<string> {
  return result.output.split(`\n`).map(line => line.replace(/^➤ YN\d{4}: [│┌└·\s]*/, ``).trimEnd());
}

/** Every failure is a coded line: never a stack trace, never Yarn's "Internal Error". */
export function expectNoCrash(result: RunResult): void {
  expect(result.output).not.toMatch(/^ {4}at /m);
  expect(result.output).not.toContain(`Internal Error`);
}

/** What a blocked install must leave as it was. */
export function snapshot(scratch: ScratchProject): {manifest: string, lockfile: string} {
  return {manifest: scratch.read(`package.json`), lockfile: scratch.read(`yarn.lock`)};
}
