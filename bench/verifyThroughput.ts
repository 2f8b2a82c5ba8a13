/**
 * Verification throughput: the real fixtures repeated to N packages, trust material loaded once, every
 * package's bundles (provenance and publish) verified with the production verifier. Prints figures;
 * asserts nothing (targets live in the README, not in a timed test).
 */
import {createHash} from 'node:crypto';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

import {parseAttestations} from '../sources/core/attestations/parseAttestations';
import type {PackageRef} from '../sources/core/provenance.types';
import {loadTrust} from '../sources/core/trust/loadTrust';
import {createPackageVerifier} from '../sources/core/verify/verifyPackage';

type Input = {pkg: PackageRef, text: string, sha512: string, bundles: number};

export async function main(fixturesDir: string, total: number): Promise<void> {
  const inputs: Array<Input> = readdirSync(fixturesDir, {withFileTypes: true}).filter(entry => entry.isDirectory()).map(entry => {
    const dir = join(fixturesDir, entry.name);
    const expected = JSON.parse(readFileSync(join(dir, `expected.json`), `utf8`));
    const text = readFileSync(join(dir, `attestations.json`), `utf8`);
    return {
      pkg: {name: expected.name, version: expected.version},
      text,
      sha512: createHash(`sha512`).update(readFileSync(join(dir, `package.tgz`))).digest(`hex`),
      bundles: JSON.parse(text).attestations.length,
    };
  });

  let peakRss = process.memoryUsage().rss;
  const sample = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 5);

  const trustStart = performance.now();
  const verifier = createPackageVerifier(await loadTrust());
  const trustMs = performance.now() - trustStart;

  let bundles = 0;
  const start = performance.now();
  // CPU time as well as wall time: on a shared machine the wall clock counts other processes' turns.
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < total; i++) {
    const input = inputs[i % inputs.length]!;
    // Parsing is part of the work: each package's answer arrives as text from the registry.
    verifier.verify({package: input.pkg, attestations: parseAttestations(input.text), tarballSha512: input.sha512});
    bundles += input.bundles;
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  clearInterval(sample);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);

  console.log(`fixtures:            ${inputs.length} real packages, repeated to ${total}`);
  console.log(`trust material load: ${trustMs.toFixed(1)} ms (once)`);
  console.log(`verified:            ${total} packages, ${bundles} bundles in ${seconds.toFixed(2)} s`);
  console.log(`throughput:          ${(total / seconds).toFixed(0)} packages/s, ${(bundles / seconds).toFixed(0)} bundles/s`);
  console.log(`per CPU-second:      ${(total / cpuSeconds).toFixed(0)} packages (${(cpuSeconds * 1000 / total).toFixed(2)} CPU-ms per package, this thread)`);
  console.log(`peak RSS:            ${(peakRss / 1024 / 1024).toFixed(1)} MiB`);
  console.log(`packages_per_s=${(total / seconds).toFixed(0)} packages_per_cpu_s=${(total / cpuSeconds).toFixed(0)} peak_rss_mib=${(peakRss / 1024 / 1024).toFixed(1)}`);
}
