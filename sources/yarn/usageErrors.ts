import type {MessageName as MessageNameType} from '@yarnpkg/core';
import {MessageName} from '@yarnpkg/core';

import type {ProvenanceError} from '../core/errors';

/** The part of a Yarn report that says what went wrong (Report, or the `validateProject` hook's report). */
export type ErrorReport = {reportError: (name: MessageNameType, text: string) => void};

/**
 * The caller's own mistake (a setting, the policy, trust files) as Yarn errors: the code on the first
 * line, then the rest of the message one line each (a policy lists every problem with its line).
 */
export function reportUsageError(report: ErrorReport, error: ProvenanceError): void {
  const [first, ...rest] = error.message.split(`\n`);
  report.reportError(MessageName.UNNAMED, `Provenance ${error.code}: ${first}`);
  for (const line of rest)
    report.reportError(MessageName.UNNAMED, `  ${line}`);
}
