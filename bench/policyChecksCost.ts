/**
 * The CPU the policy adds per package besides verification (issue 8, item 10): continuity against the pins
 * file, and the registry signature over `<name>@<version>:<integrity>`. Both run once per package on the
 * main thread; the signature also costs one request per package, which shows in the cold install figures.
 * Measured on N packages with one identity and one key, median of rounds. Prints figures, asserts nothing.
 */
import {createHash, generateKeyPairSync, sign} from 'node:crypto';

import {checkContinuity} from '../sources/core/pins/continuity';
import {pinIdentityOf} from '../sources/core/pins/pinIdentity';
import {makePins} from '../sources/core/pins/pinsFile';
import {pinKey} from '../sources/core/pins/releaseLine';
import type {Pin} from '../sources/core/pins/pins.types';
import {DEFAULT_CONTINUITY} from '../sources/core/policy/policy.types';
import type {VerifiedProvenance} from '../sources/core/provenance.types';
import {checkRegistrySignature, toSignatureKeys} from '../sources/core/registry/registrySignature';

const ROUNDS = 5;

function verifiedAs(name: string): VerifiedProvenance {
  return {
    package: {name, version: `1.2.3`},
    tarballSha512: createHash(`sha512`).update(name).digest(`hex`),
    provenance: {
      claims: {predicateType: `https://slsa.dev/provenance/v1`, buildType: `https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1`, builderId: `https://github.com/actions/runner/github-hosted`, sourceRepo: `https://github.com/bench-org/${name}`},
      identity: {sourceRepo: `https://github.com/bench-org/${name}`, issuer: `https://token.actions.githubusercontent.com`, workflowPath: `.github/workflows/release.yml`, runnerEnvironment: `github-hosted`, extensions: {}},
    },
    publish: {keyId: `SHA256:bench`},
    slsaLevel: 2,
    unknownPredicateTypes: [],
    registry: {signature: `verified`, trustedPublisher: true, staged: false},
  };
}

function medianMicros(run: (round: number) => void, count: number): number {
  const rounds: Array<number> = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.cpuUsage();
    run(i);
    const used = process.cpuUsage(start);
    rounds.push((used.user + used.system) / count);
  }
  return rounds.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
}

export function policyChecksCost(count: number): {continuityMicros: number, signatureMicros: number} {
  const packages = Array.from({length: count}, (_, index) => verifiedAs(`bench-pkg-${index}`));
  const pins = makePins(new Map(packages.map(verified => [pinKey(verified.package.name, `1.0.0`), {...pinIdentityOf(verified)!, since: `1.0.0`} satisfies Pin])), `bench`);
  const continuityMicros = medianMicros(() => {
    for (const verified of packages) {
      if (checkContinuity(pins, DEFAULT_CONTINUITY, verified.package, verified, `enforce`)?.finding !== undefined)
        throw new Error(`Assertion failed: the same identity passes continuity`);
    }
  }, count);

  const {publicKey, privateKey} = generateKeyPairSync(`ec`, {namedCurve: `P-256`});
  const keys = toSignatureKeys([{keyId: `SHA256:bench`, spki: publicKey.export({format: `der`, type: `spki`})}], `bench`);
  const documents = packages.map(verified => {
    const integrity = `sha512-${Buffer.from(verified.tarballSha512, `hex`).toString(`base64`)}`;
    const sig = sign(`sha256`, Buffer.from(`${verified.package.name}@${verified.package.version}:${integrity}`), privateKey).toString(`base64`);
    return {dist: {integrity, signatures: [{keyid: `SHA256:bench`, sig}]}, _npmUser: {name: `bench`}};
  });
  // A document of its own each round, as each package's is parsed from its own response: a document whose
  // signatures were verified once is not verified again, and would time nothing.
  const perRound = Array.from({length: ROUNDS}, () => documents.map(document => structuredClone(document)));
  const signatureMicros = medianMicros(round => {
    packages.forEach((verified, index) => {
      if (checkRegistrySignature({package: verified.package, tarballSha512: verified.tarballSha512, document: perRound[round]![index], keys}).signature !== `verified`)
        throw new Error(`Assertion failed: the signature verifies`);
    });
  }, count);

  return {continuityMicros, signatureMicros};
}
