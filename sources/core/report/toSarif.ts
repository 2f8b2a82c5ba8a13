import type {ErrorCode} from '../errors';
import {ERROR_CODES} from '../errors';
import type {PolicyProblem} from '../policy/policy.types';
import type {Verdict} from '../provenance.types';
import {CODE_DESCRIPTIONS, helpUriOf, README_URL} from './codeDescriptions';
import {entryOf, lockfileEntries} from './lockfileEntries';
import {toVerdictRecord} from './verdictRecord';

export type SarifOptions = {
  toolVersion: string;
  /** The lockfile's path relative to the project root (`yarn.lock`), and its text when it exists. */
  lockfile: {uri: string, text: string | null};
};

/** Every code is a rule, in the table's order, so that rule indexes are the same in every log. */
const RULE_IDS = Object.keys(ERROR_CODES) as Array<ErrorCode>;

/**
 * SARIF 2.1.0 in the shape GitHub code scanning uploads: one result per package that is not clean, placed at
 * its lockfile entry, with fingerprints that stay the same from run to run (package, version, code). Pure.
 */
export function toSarif(verdicts: ReadonlyArray<Verdict>, {toolVersion, lockfile}: SarifOptions): object {
  const entries = lockfile.text === null ? [] : lockfileEntries(lockfile.text);
  const results = verdicts.filter(verdict => verdict.code !== undefined).map(verdict => {
    const record = toVerdictRecord(verdict);
    const entry = entryOf(verdict, entries);
    const region = entry === undefined ? undefined : {startLine: entry.line, startColumn: 1, endLine: entry.line, endColumn: entry.keyLength + 1};
    const details = [record.message, record.expected !== null ? `expected ${record.expected}` : null, record.found !== null ? `found ${record.found}` : null];
    return {
      ...ruleOf(verdict.code!),
      level: verdict.allowed ? `warning` : `error`,
      message: {text: `${record.package}: ${details.filter(Boolean).join(`; `) || CODE_DESCRIPTIONS[verdict.code!].short}`},
      locations: [{
        physicalLocation: {artifactLocation: {uri: lockfile.uri}, ...(region ? {region} : {})},
        logicalLocations: [{name: record.package, kind: `package`}],
      }],
      partialFingerprints: {packageFinding: `${record.name}@${record.version}:${verdict.code}`},
      properties: {status: record.status, rule: record.rule, sourceRepo: record.sourceRepo, builderId: record.builderId, slsaLevel: record.slsaLevel},
    };
  });
  return sarifLog(toolVersion, results);
}

/**
 * An invalid policy as SARIF: one result per problem at its line and column in the policy file, so that code
 * scanning shows the mistake where it is written. `policyUri` is relative to the project root.
 */
export function policyProblemsToSarif(problems: ReadonlyArray<PolicyProblem>, {toolVersion, policyUri}: {toolVersion: string, policyUri: string}): object {
  const results = problems.map(problem => {
    const region = problem.line === undefined ? undefined : {startLine: problem.line, startColumn: problem.column ?? 1};
    return {
      ...ruleOf(`POLICY_INVALID`),
      level: `error`,
      message: {text: `${problem.path}: ${problem.message}`},
      locations: [{physicalLocation: {artifactLocation: {uri: policyUri}, ...(region ? {region} : {})}}],
      partialFingerprints: {policyProblem: `${policyUri}:${problem.path}:POLICY_INVALID`},
    };
  });
  return sarifLog(toolVersion, results);
}

function ruleOf(code: ErrorCode): {ruleId: string, ruleIndex: number} {
  return {ruleId: code, ruleIndex: RULE_IDS.indexOf(code)};
}

function sarifLog(toolVersion: string, results: Array<object>): object {
  return {
    $schema: `https://json.schemastore.org/sarif-2.1.0.json`,
    version: `2.1.0`,
    runs: [{
      tool: {
        driver: {
          name: `yarn-plugin-provenance`,
          version: toolVersion,
          informationUri: README_URL,
          rules: RULE_IDS.map(id => ({
            id,
            name: id.toLowerCase().replace(/_(.)/g, (_, c: string) => c.toUpperCase()),
            shortDescription: {text: CODE_DESCRIPTIONS[id].short},
            fullDescription: {text: CODE_DESCRIPTIONS[id].full},
            helpUri: helpUriOf(id),
            help: {text: `${CODE_DESCRIPTIONS[id].full} See ${helpUriOf(id)}`},
            properties: {kind: ERROR_CODES[id]},
          })),
        },
      },
      results,
    }],
  };
}
