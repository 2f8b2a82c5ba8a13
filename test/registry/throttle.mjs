// A network profile for the test registry: a fixed latency before each response starts, and a bandwidth cap per
// connection. Loopback answers in microseconds at memory speed, so a bench on it measures CPU only; with this profile
// the downloads take real time, as on a CI runner, and the bench can see whether verification hides behind them.
//
// Off unless asked for (`startRegistry({network: {...}})` or `registry.setNetwork(...)`): no test changes behaviour.

/**
 * What a CI runner sees from a registry. 30 ms: a round trip from a cloud region to a CDN edge in another region.
 * 5 MB/s per connection: what one TCP stream reaches on a 30 ms path for files of this size (slow start sends
 * 10 segments, ~15 KB, in the first round trip and doubles each round trip, so a 100 KB tarball averages a few
 * MB/s); across Yarn's 32-50 parallel connections that is 160-250 MB/s, about a runner's network share.
 */
export const CI_RUNNER = Object.freeze({latencyMs: 30, bytesPerSecond: 5_000_000});

/** Bytes per write: 10 ms worth at the cap, so a paced response is many small writes, never one burst. */
const SLICES_PER_SECOND = 100;

/** `{latencyMs?, bytesPerSecond?}` with CI_RUNNER's figures for what is left out; throws on anything else. */
export function checkNetwork(network) {
  if (network === null || typeof network !== `object` || Array.isArray(network))
    throw new Error(`A network profile {latencyMs, bytesPerSecond} is expected, got ${JSON.stringify(network)}`);
  const profile = {...CI_RUNNER, ...network};
  if (!Number.isFinite(profile.latencyMs) || profile.latencyMs < 0)
    throw new Error(`latencyMs: a number of milliseconds ≥ 0 is expected, got ${JSON.stringify(network.latencyMs)}`);
  if (!Number.isFinite(profile.bytesPerSecond) || profile.bytesPerSecond <= 0)
    throw new Error(`bytesPerSecond: a number > 0 is expected, got ${JSON.stringify(network.bytesPerSecond)}`);
  return {latencyMs: profile.latencyMs, bytesPerSecond: profile.bytesPerSecond};
}

/**
 * Wraps a request handler: the handler runs `latencyMs` after the request arrived, and a body it ends the response
 * with (`res.end(bytes)`) leaves in slices, each written when the connection would have carried it at
 * `bytesPerSecond`. `profile()` is read per request, so the profile can change (or go, `null`) between installs.
 * Bytes written with `res.write` (the drip faults) are not paced.
 *
 * Why the timing is done this way: the response is started and finished through `res` only (never the raw socket),
 * so Node's server knows a response is in progress and neither its keep-alive timer nor a pipelined request can end
 * the socket under it; when the client goes away (`close`), every pending timer is cleared and nothing more is
 * written. A write the socket cannot take yet waits for `drain` (backpressure) before the next slice is scheduled.
 */
export function throttled(profile, handle) {
  /** socket → when (performance.now()) its last scheduled slice has been carried: the connection's own cap. */
  const busyUntil = new WeakMap();
  return (req, res) => {
    const network = profile();
    if (network === null) return handle(req, res);
    let timer = null;
    const cancel = () => clearTimeout(timer);
    res.once(`close`, cancel);
    const after = (ms, then) => {
      timer = setTimeout(then, Math.max(0, ms));
      // The server's listening socket keeps the process alive; a pending response alone should not.
      timer.unref();
    };
    after(network.latencyMs, () => {
      pace(req, res, network, busyUntil, after);
      handle(req, res);
    });
    return undefined;
  };
}

function pace(req, res, {bytesPerSecond}, busyUntil, after) {
  const socket = req.socket;
  const end = res.end;
  const slice = Math.max(1024, Math.floor(bytesPerSecond / SLICES_PER_SECOND));
  res.end = (chunk, ...rest) => {
    if (chunk === undefined || chunk === null || typeof chunk === `function` || chunk.length === 0)
      return end.call(res, chunk, ...rest);
    const bytes = typeof chunk === `string` ? Buffer.from(chunk) : chunk;
    let offset = 0;
    const next = () => {
      if (res.destroyed) return;
      const piece = bytes.subarray(offset, offset + slice);
      // This slice arrives once the connection has carried everything before it and the slice itself.
      const free = Math.max(performance.now(), busyUntil.get(socket) ?? 0);
      const due = free + piece.length * 1000 / bytesPerSecond;
      busyUntil.set(socket, due);
      after(due - performance.now(), () => {
        offset += piece.length;
        if (offset >= bytes.length) return void end.call(res, piece);
        if (res.write(piece)) return next();
        res.once(`drain`, next);
      });
    };
    next();
    return res;
  };
}
