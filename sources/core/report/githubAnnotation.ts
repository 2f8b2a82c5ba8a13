import type {Policy} from '../policy/policy.types';
import {describeRule} from '../policy/describeRule';
import type {Verdict} from '../provenance.types';
import {entryOf, lockfileEntries} from './lockfileEntries';

/** Where an annotation points: a file relative to the project (GitHub resolves it from the workspace) and a line. */
export type AnnotationPlace = {file: string, line?: number};

/**
 * A GitHub Actions workflow command (`::error file=…,line=…,title=…::message`) for one blocked package: GitHub
 * shows it on the run's summary and, for a file in the repository, at that line of the file.
 */
export function toGithubAnnotation(verdict: Verdict, place: AnnotationPlace): string {
  const properties = [`file=${escapeProperty(place.file)}`];
  if (place.line !== undefined)
    properties.push(`line=${place.line}`);
  properties.push(`title=${escapeProperty(`${verdict.code ?? verdict.status} ${verdict.package.name}@${verdict.package.version}`)}`);
  const details = [verdict.message, verdict.expected !== undefined ? `expected ${verdict.expected}` : undefined, verdict.found !== undefined ? `found ${verdict.found}` : undefined];
  return `::error ${properties.join(`,`)}::${escapeData(details.filter(Boolean).join(`; `) || verdict.status)}`;
}

/**
 * The place for a blocked package: its lockfile entry when the lockfile has one (an installed package), else the
 * policy rule that decided when it is in the policy file (a package `yarn add` was refused), else the lockfile.
 */
export function annotationPlace(verdict: Verdict, {lockfileText, lockfileFile, policy, policyFile}: {
  lockfileText: string | null, lockfileFile: string, policy: Policy, policyFile: string | null,
}): AnnotationPlace {
  const entry = lockfileText === null ? undefined : entryOf(verdict, lockfileEntries(lockfileText));
  if (entry !== undefined)
    return {file: lockfileFile, line: entry.line};
  const rule = policy.rules.find(candidate => describeRule(candidate) === verdict.rule);
  if (rule?.position !== undefined && policyFile !== null)
    return {file: policyFile, line: rule.position.line};
  return {file: lockfileFile};
}

// GitHub's escaping for workflow commands (toolkit's command.ts): data escapes %, CR, LF; properties also : and ,.
function escapeData(value: string): string {
  return value.replace(/%/g, `%25`).replace(/\r/g, `%0D`).replace(/\n/g, `%0A`);
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, `%3A`).replace(/,/g, `%2C`);
}
