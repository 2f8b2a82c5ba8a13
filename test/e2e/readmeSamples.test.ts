import {readFileSync, writeFileSync} from 'node:fs';
import {join, resolve} from 'node:path';

import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {parsePolicy} from '../../sources/core/policy/parsePolicy';
import {startRegistry} from '../registry/server.mjs';
import type {TestRegistry} from '../registry/server.mjs';
import {ScratchProject} from './scratchProject';
import type {RunResult} from './scratchProject';

// The README's sample outputs are real: each block marked `<!-- sample: <name> -->` is what the command on its first
// line (`$ yarn …`) prints against the test registry, after normalising what differs from run to run (the project's
// folder, durations, colours, and the offline trust note the test environment adds). The policy the samples run
// under is itself a README block (`demo-policy`), so that the two cannot drift apart either.
const README = resolve(__dirname, `../../README.md`);
const PROJECT = `/path/to/project`;

/** The fenced block after `<!-- sample: name -->`. */
function readmeBlock(name: string): string {
  const text = readFileSync(README, `utf8`);
  const match = new RegExp(`<!-- sample: ${name} -->\\n+\`\`\`[a-z]*\\n([\\s\\S]*?)\\n\`\`\``).exec(text);
  if (match === null)
    throw new Error(`README.md has no block marked <!-- sample: ${name} -->`);
  return match[1]!;
}

function writeReadmeBlock(name: string, body: string): void {
  const text = readFileSync(README, `utf8`);
  const pattern = new RegExp(`(<!-- sample: ${name} -->\\n+\`\`\`[a-z]*\\n)[\\s\\S]*?(\\n\`\`\`)`);
  writeFileSync(README, text.replace(pattern, (_, open: string, close: string) => `${open}${body}${close}`));
}

/** The output as the README shows it: no colours, the project's folder as /path/to/project, no trailing blanks. */
function asShown(text: string, folders: Array<string>): string {
  let out = text.replace(/\x1b\[[0-9;]*m/g, ``);
  for (const folder of folders)
    out = out.split(folder).join(PROJECT);
  return out
    .split(`\n`)
    .filter(line => !line.includes(`Sigstore trust material not refreshed`))
    .map(line => line.trimEnd())
    .join(`\n`)
    .trim();
}

/** What may differ between two runs of the same command, on any machine: also the durations (Yarn leaves out short ones). */
function normalise(text: string, folders: Array<string>): string {
  return asShown(text, folders).replace(/ in \d+s \d+ms/g, ``);
}

let registry: TestRegistry;
let scratch: ScratchProject;

beforeAll(async () => {
  registry = await startRegistry();
  scratch = new ScratchProject(registry.url);
  writeFileSync(join(scratch.dir, `package.json`), `${JSON.stringify({name: `my-app`, private: true}, null, 2)}\n`);
  await scratch.importPlugin();
  scratch.policy(`version: 1\ndefault:\n  mode: off\n`);
  const install = await scratch.yarn(`add`, `sigstore@2.3.1`, `tuf-js@1.0.0`);
  if (install.code !== 0)
    throw new Error(install.output);
  scratch.policy(`${readmeBlock(`demo-policy`)}\n`);
});
afterAll(async () => {
  await registry.close();
});

/** Runs the block's command in `project` and expects the block to be its normalised output. */
async function expectSample(name: string, project: ScratchProject): Promise<RunResult> {
  const [command, ...expected] = readmeBlock(name).split(`\n`);
  const args = /^\$ yarn (.*)$/.exec(command!)?.[1]?.split(` `);
  expect(args, `the first line of the ${name} sample is its command`).toBeDefined();
  const result = await project.yarn(...args!);
  const actual = normalise(result.stdout, [scratch.dir, project.dir]);
  // `README_SAMPLES=write` pastes what the command printed into the README (then review the diff).
  if (process.env.README_SAMPLES === `write`)
    writeReadmeBlock(name, `${command}\n${asShown(result.stdout, [scratch.dir, project.dir])}`);
  expect(actual).toBe(normalise(expected.join(`\n`), []));
  return result;
}

/** A JSON sample: the record the block's command prints with the block's `type` (and `name`), compared as data. */
async function expectJsonSample(name: string, project: ScratchProject): Promise<void> {
  const [command, ...json] = readmeBlock(name).split(`\n`);
  const expected = JSON.parse(json.join(`\n`));
  const args = /^\$ yarn (.*)$/.exec(command!)![1]!.split(` `);
  const result = await project.yarn(...args);
  const records = normalise(result.stdout, [scratch.dir, project.dir]).split(`\n`).map(line => JSON.parse(line));
  expect(records.find(record => record.type === expected.type && record.name === expected.name)).toEqual(expected);
}

describe(`the README's samples are what the commands print`, () => {
  it(`audit-table`, async () => {
    expect((await expectSample(`audit-table`, scratch)).code).toBe(1);
  });

  it(`explain`, async () => {
    expect((await expectSample(`explain`, scratch)).code).toBe(1);
  });

  it(`blocked-install (a fresh checkout of the project)`, async () => {
    expect((await expectSample(`blocked-install`, scratch.cloneTo(registry.url))).code).toBe(1);
  });

  it(`json-package and json-summary`, async () => {
    await expectJsonSample(`json-package`, scratch);
    await expectJsonSample(`json-summary`, scratch);
  });

  it(`json-error`, async () => {
    await expectJsonSample(`json-error`, scratch);
  });
});

describe(`the no-policy hint`, () => {
  it(`prints a starter policy that parses`, async () => {
    const bare = new ScratchProject(registry.url);
    await bare.importPlugin();
    const result = await bare.yarn(`install`);
    expect(result.code, result.output).toBe(0);
    const lines = result.stdout.split(`\n`);
    const start = lines.findIndex(line => line.includes(`To start, save these lines as .provenance.yml`));
    expect(start, result.stdout).toBeGreaterThan(0);
    // The policy runs from the next line to the next line of Yarn's (which starts with its `➤` prefix).
    const end = lines.findIndex((line, index) => index > start && line.startsWith(`➤`));
    const policy = parsePolicy(lines.slice(start + 1, end).join(`\n`), `.provenance.yml`);
    expect(policy.default.mode).toBe(`enforce`);
  });
});
