import {createHash} from 'node:crypto';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join, resolve} from 'node:path';

import type {PackageRef} from '../../sources/core/provenance.types';

const REPO_ROOT = resolve(__dirname, `../..`);

/**
 * The real attestations live outside the repository (see README "Test fixtures"): in
 * ../shared/fixtures on our machines and CI, or in fixtures-cache/ after scripts/fetch-fixtures.mjs.
 */
export const FIXTURES_ROOT = process.env.PROVENANCE_FIXTURES
  ?? [resolve(REPO_ROOT, `../shared/fixtures`), resolve(REPO_ROOT, `fixtures-cache`)].find(dir => existsSync(dir))
  ?? resolve(REPO_ROOT, `../shared/fixtures`);

export const ATTESTATIONS_DIR = join(FIXTURES_ROOT, `npm-attestations`);

export type Expected = {
  name: string;
  version: string;
  purl: string;
  integrity: string;
  subjectDigestSha512Hex: string;
  attestationsPresent: {provenance: boolean, publish: boolean};
  provenancePredicateType?: string;
  buildType?: string;
  sourceRepo?: string;
  ref?: string;
  commit?: string;
  workflowPath?: string;
  builderId?: string;
  runnerEnvironment?: string | null;
  runnerEnvironmentSource?: string | null;
  issuer?: string;
  certMatchesPredicate?: boolean;
  certificateSubjectAlternativeName?: string;
  certificateExtensions?: Record<string, string>;
  bundles: Array<{predicateType: string, mediaType: string, keyHint: string | null, tlog: {integratedTime: string}}>;
};

export type Fixture = {
  dir: string;
  id: string;
  pkg: PackageRef;
  expected: Expected;
  tarball: Buffer;
  tarballSha512: string;
  attestationsText: string;
  attestationsJson: {attestations: Array<{predicateType: string, bundle: any}>};
};

export function fixtureIds(): Array<string> {
  return readdirSync(ATTESTATIONS_DIR, {withFileTypes: true}).filter(entry => entry.isDirectory()).map(entry => entry.name).sort();
}

export function loadFixture(id: string): Fixture {
  const dir = join(ATTESTATIONS_DIR, id);
  const expected = JSON.parse(readFileSync(join(dir, `expected.json`), `utf8`)) as Expected;
  const tarball = readFileSync(join(dir, `package.tgz`));
  const attestationsText = readFileSync(join(dir, `attestations.json`), `utf8`);
  return {
    dir,
    id,
    pkg: {name: expected.name, version: expected.version},
    expected,
    tarball,
    tarballSha512: createHash(`sha512`).update(tarball).digest(`hex`),
    attestationsText,
    attestationsJson: JSON.parse(attestationsText),
  };
}

/** A deep copy to tamper with, so that one test's forgery never leaks into another. */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function entryOf(fixture: Fixture, kind: `provenance` | `publish`) {
  const entry = fixture.attestationsJson.attestations.find(att => kind === `publish` ? att.predicateType.includes(`/publish/`) : att.predicateType.startsWith(`https://slsa.dev/provenance/`));
  if (entry === undefined)
    throw new Error(`${fixture.id} has no ${kind} attestation`);
  return cloneJson(entry);
}
