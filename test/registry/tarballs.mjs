// Deterministic npm tarballs for synthetic test packages, and the digests npm publishes for them.
//
// Why hand-written: a package tarball is a gzipped ustar archive of a few small files under
// `package/`. Writing the 512-byte headers ourselves keeps the test registry free of dependencies
// (it must also run from a plain-node demo script) and lets us fix every byte that would otherwise
// vary between runs: mtimes, owners, modes and file order. Same input → same bytes → same sha512,
// so tests can predict `dist.integrity` and Yarn's cache checksum.

import {createHash} from 'node:crypto';
import {gzipSync} from 'node:zlib';

// npm itself stamps this date (1985-10-26T08:15:00Z) on every entry of the tarballs it packs,
// for the same reason: reproducible archives.
const FIXED_MTIME = 499162500;
const BLOCK = 512;

/**
 * @param {Record<string, string | Uint8Array>} files  paths relative to the package root
 * @returns {Buffer} the gzipped tarball, every entry under `package/`
 */
export function packTarball(files) {
  const blocks = [];
  // Sorted so that the caller's object key order does not change the bytes.
  for (const path of Object.keys(files).sort()) {
    const content = files[path];
    const data = typeof content === `string` ? Buffer.from(content, `utf8`) : Buffer.from(content);
    blocks.push(header(`package/${normalizePath(path)}`, data.length));
    blocks.push(data);
    const padding = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (padding > 0) blocks.push(Buffer.alloc(padding));
  }
  // End of archive: two zero blocks.
  blocks.push(Buffer.alloc(BLOCK * 2));
  // Node's gzip header carries mtime 0, so the compressed bytes are stable for a given zlib.
  return gzipSync(Buffer.concat(blocks), {level: 9});
}

function normalizePath(path) {
  const clean = path.replace(/\\/g, `/`).replace(/^\.?\/+/, ``);
  if (clean === `` || clean.split(`/`).some(part => part === `..` || part === ``))
    throw new Error(`Invalid file path in synthetic package: ${JSON.stringify(path)}`);
  return clean;
}

function header(name, size) {
  const buf = Buffer.alloc(BLOCK);
  const nameBytes = Buffer.from(name, `utf8`);
  let prefix = Buffer.alloc(0);
  let base = nameBytes;
  // ustar: names over 100 bytes are split at a `/` into prefix (155 bytes) + name (100 bytes).
  if (nameBytes.length > 100) {
    const cut = name.lastIndexOf(`/`, name.length - 1);
    prefix = Buffer.from(name.slice(0, cut), `utf8`);
    base = Buffer.from(name.slice(cut + 1), `utf8`);
    if (cut < 0 || prefix.length > 155 || base.length > 100)
      throw new Error(`Path too long for a ustar header: ${name}`);
  }
  base.copy(buf, 0);
  writeOctal(buf, 100, 8, 0o644); // mode
  writeOctal(buf, 108, 8, 0); // uid
  writeOctal(buf, 116, 8, 0); // gid
  writeOctal(buf, 124, 12, size);
  writeOctal(buf, 136, 12, FIXED_MTIME);
  buf.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  buf.write(`0`, 156, `ascii`); // typeflag: regular file
  buf.write(`ustar\u000000`, 257, `ascii`); // magic "ustar\0" + version "00"
  prefix.copy(buf, 345);
  let sum = 0;
  for (const byte of buf) sum += byte;
  buf.write(`${sum.toString(8).padStart(6, `0`)}\u0000 `, 148, `ascii`);
  return buf;
}

function writeOctal(buf, offset, length, value) {
  buf.write(`${value.toString(8).padStart(length - 1, `0`)}\u0000`, offset, `ascii`);
}

// Digests are recomputed per response (faults can swap the bytes), so memoise them per buffer.
const digestCache = new WeakMap();

/**
 * @param {Uint8Array} bytes
 * @returns {{integrity: string, shasum: string, sha512Hex: string}} what npm writes in `dist`
 */
export function digestsOf(bytes) {
  let digests = digestCache.get(bytes);
  if (!digests) {
    const sha512 = createHash(`sha512`).update(bytes).digest();
    digests = {
      integrity: `sha512-${sha512.toString(`base64`)}`,
      shasum: createHash(`sha1`).update(bytes).digest(`hex`),
      sha512Hex: sha512.toString(`hex`),
    };
    digestCache.set(bytes, digests);
  }
  return digests;
}
