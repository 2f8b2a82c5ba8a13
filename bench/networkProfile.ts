/**
 * The bench's second network profile (issue 10): the same cold installs, plain Yarn and with the plugin, against the
 * test registry throttled like a CI runner's network (test/registry/throttle.mjs: 30 ms before each response, 5 MB/s
 * per connection). On loopback every download is instant and the bench measures CPU; here Yarn's downloads take real
 * time, and the plugin's verification (in its worker, while Yarn fetches) should hide behind them: target ≤ 1.05.
 * `BENCH_NETWORK=0` leaves the section out.
 */
import {CI_RUNNER} from '../test/registry/server.mjs';
import type {TestRegistry} from '../test/registry/server.mjs';
import type {Measurement} from './measure';

/** How the profile is named in the bench's summary. */
export const NETWORK_PROFILE = `${CI_RUNNER.latencyMs} ms per request, ${CI_RUNNER.bytesPerSecond / 1e6} MB/s per connection`;

export const NETWORK_ENABLED = process.env.BENCH_NETWORK !== `0`;

export type NetworkResult = {
  latencyMs: number;
  bytesPerSecond: number;
  plainCold: Measurement;
  pluginCold: Measurement;
  /** Each repeat as a (plain, plugin) pair, run back to back. */
  pairs: Array<[Measurement, Measurement]>;
  /** Median plugin wall time / median plain wall time. */
  ratio: number;
};

/**
 * Runs `repeats` interleaved pairs of cold installs with the registry throttled, then takes the profile off again,
 * also when an install throws. `print` reports one median the way the other rows are printed.
 */
export async function networkProfileCold({registry, repeats, plain, plugin, print}: {
  registry: TestRegistry;
  repeats: number;
  plain: () => Promise<Measurement>;
  plugin: () => Promise<Measurement>;
  print: (measurement: Measurement, label: string) => Measurement;
}): Promise<NetworkResult> {
  const pairs: Array<[Measurement, Measurement]> = [];
  registry.setNetwork(CI_RUNNER);
  try {
    for (let i = 0; i < repeats; i++)
      pairs.push([await plain(), await plugin()]);
  } finally {
    registry.setNetwork(null);
  }
  const plainCold = print(median(pairs.map(([plainRun]) => plainRun)), `plain Yarn, cold, CI network (median of ${repeats})`);
  const pluginCold = print(median(pairs.map(([, pluginRun]) => pluginRun)), `with the plugin, cold, CI network (median of ${repeats})`);
  return {...CI_RUNNER, plainCold, pluginCold, pairs, ratio: pluginCold.seconds / plainCold.seconds};
}

function median(runs: Array<Measurement>): Measurement {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!;
}
