/**
 * The text of the policy `init` writes: reviewable by a person (a comment says where each block comes
 * from), stable for the same project and day (rules sorted by repository, names sorted), and
 * accepted unchanged by the parser (a test parses what it writes).
 */
import {HOME_REPOSITORY} from '../home';
import {DEFAULT_CONTINUITY} from '../policy/policy.types';
import type {Continuity} from '../policy/policy.types';
import type {PackageRef} from '../provenance.types';
import type {GeneratedRule, Grouping} from './groupRules';
import type {PresetName, PresetSettings} from './presets';

/** The line README.md's example starts with: editors then validate the file against the schema. */
export const SCHEMA_LINE = `# yaml-language-server: $schema=https://raw.githubusercontent.com/${HOME_REPOSITORY}/main/policies/policy.schema.json`;

const WIDTH = 120;

export type PolicyTextInput = {
  preset: PresetName;
  settings: PresetSettings;
  grouping: Grouping;
  /** `YYYY-MM-DD`, for the comments and the exceptions' reason. */
  day: string;
  packageCount: number;
};

/** A YAML flow list of quoted names, or a block list when it would not fit on one line. */
function list(key: string, values: ReadonlyArray<string>, indent: string): Array<string> {
  const flow = `${indent}${key}: [${values.map(value => JSON.stringify(value)).join(`, `)}]`;
  if (flow.length <= WIDTH)
    return [flow];
  return [`${indent}${key}:`, ...values.map(value => `${indent}  - ${JSON.stringify(value)}`)];
}

function ruleLines(rule: GeneratedRule, settings: PresetSettings): Array<string> {
  const lines = list(`- packages`, rule.packages, `  `);
  if (rule.versions !== undefined)
    lines.push(`    versions: ${JSON.stringify(rule.versions)}`);
  if (rule.source !== undefined)
    lines.push(`    source: ${rule.source}`);
  lines.push(`    require: provenance`);
  // The preset's level would block what is installed today: the rule states the level it shows.
  const level = settings.default.level;
  if (level !== undefined && rule.lowestLevel < level)
    lines.push(`    level: ${rule.lowestLevel}   # below default.level: some of these packages show only SLSA Build L${rule.lowestLevel}`);
  return lines;
}

function continuityLines(continuity: Continuity): Array<string> {
  const changed = (Object.keys(continuity) as Array<keyof Continuity>).filter(check => continuity[check] !== DEFAULT_CONTINUITY[check]);
  if (changed.length === 0)
    return [];
  return [``, `continuity:`, ...changed.map(check => `  ${check}: ${continuity[check]}`)];
}

function refs(items: ReadonlyArray<PackageRef>): Array<string> {
  return items.map(ref => `${ref.name}@${ref.version}`);
}

/** Comment lines of at most WIDTH columns listing the given words. */
function wrapped(words: ReadonlyArray<string>, prefix: string): Array<string> {
  const lines: Array<string> = [];
  let line = prefix;
  for (const word of words) {
    if (line !== prefix && line.length + word.length + 1 > WIDTH) {
      lines.push(line);
      line = prefix;
    }
    line += line === prefix ? word : ` ${word}`;
  }
  if (line !== prefix)
    lines.push(line);
  return lines;
}

export function policyText({preset, settings, grouping, day, packageCount}: PolicyTextInput): string {
  const {rules, unattested, unattestable, namesWithoutProvenance} = grouping;
  const attested = new Set(rules.flatMap(rule => refs(rule.covers))).size;
  const lines = [
    SCHEMA_LINE,
    `# Written by \`yarn provenance init\` on ${day} from the ${preset} preset: ${packageCount} packages, ${attested} with`,
    `# provenance in ${rules.length} rule${rules.length === 1 ? `` : `s`} (one per source repository), ${unattested.length + unattestable.length} without. Review it like code:`,
    `# each rule says which repository may build those packages; README.md, "The policy", says what else a rule can require.`,
    `version: 1`,
    ``,
    `default:`,
    `  require: ${settings.default.require}`,
    `  mode: ${settings.default.mode}`,
    ...settings.default.level !== undefined ? [`  level: ${settings.default.level}`] : [],
    ...continuityLines(settings.continuity),
    ``,
  ];

  const exception = settings.default.require === `provenance` && namesWithoutProvenance.length > 0;
  if (rules.length === 0 && !exception) {
    lines.push(`rules: []`);
  } else {
    lines.push(`rules:`);
    for (const rule of rules) {
      lines.push(...wrapped(refs(rule.covers), `  # `), ...ruleLines(rule, settings), ``);
    }
    if (exception) {
      // The default requires provenance: without this the next install would block them.
      lines.push(
        `  # No provenance when init ran: allowed by name until they publish some (then delete them here).`,
        ...list(`- packages`, namesWithoutProvenance, `  `),
        `    require: none`,
        `    reason: ${JSON.stringify(`no provenance when yarn provenance init ran on ${day}`)}`,
        ``,
      );
    }
  }

  if (unattested.length > 0) {
    lines.push(
      `# Without provenance when init ran (${unattested.length}): ${exception ? `the last rule allows them` : `no rule names them, so \`default\` decides`}.`,
      ...wrapped(refs(unattested), `#   `),
    );
  }
  if (unattestable.length > 0) {
    lines.push(`# Not from the npm registry, so without provenance (${unattestable.length}):`);
    for (const {ref, origin} of unattestable)
      lines.push(`#   ${ref.name}@${ref.version} (${origin})`);
  }
  while (lines.at(-1) === ``)
    lines.pop();
  return `${lines.join(`\n`)}\n`;
}
