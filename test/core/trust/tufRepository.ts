/**
 * A TUF repository served on 127.0.0.1, laid out as Sigstore's is (consistent snapshots: versioned
 * metadata, targets prefixed with their sha256) and signed with this test's own ed25519 keys, so
 * that the real tuf-js client can be run against it: rotations, expiries, rollbacks and tampering
 * are all a method call away. Metadata are built with @tufjs/models, tuf-js's own model classes.
 */
import {createHash, generateKeyPairSync, sign} from 'node:crypto';
import type {KeyObject} from 'node:crypto';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';

import {Key, Metadata, MetaFile, Root, Signature, Snapshot, TargetFile, Targets, Timestamp} from '@tufjs/models';

const DAY = 24 * 60 * 60 * 1000;
const ROLES = [`root`, `timestamp`, `snapshot`, `targets`] as const;
type Role = typeof ROLES[number];

type SigningKey = {key: Key, privateKey: KeyObject};

export type TrustContent = {trustedRoot: string, registryKeys: string};

export type TestTufRepository = {
  mirror: string;
  /** The 1.root.json text a client is seeded with. */
  seedRoot: string;
  /** Every path asked for, in order. */
  requests: Array<string>;
  /** Signs and serves a new version of both targets (new targets, snapshot and timestamp). */
  publish(content: TrustContent): void;
  /** A new root version with a fresh root key, signed by the old and the new key. */
  rotateRoot(): void;
  /** Serves, as the current timestamp, one signed with the given expiry and version offset. */
  serveTimestamp(options: {expiresInMs?: number, version?: number}): void;
  /** Serves other bytes under a target's name than its signed hashes describe. */
  tamperTarget(name: `trusted_root.json` | `registry.npmjs.org/keys.json`, bytes: string): void;
  /** While true, every connection is closed without an answer. */
  down: boolean;
  close(): Promise<void>;
};

export async function createTufRepository({seedExpiresInMs = 365 * DAY}: {seedExpiresInMs?: number} = {}): Promise<TestTufRepository> {
  const files = new Map<string, string>();
  const keys = Object.fromEntries(ROLES.map(role => [role, newKey()])) as Record<Role, SigningKey>;
  const versions = {root: 1, timestamp: 0, snapshot: 0, targets: 0};
  const requests: Array<string> = [];
  let content: TrustContent | null = null;

  const signRoot = (expiresInMs: number, signers: Array<SigningKey>) => {
    const root = new Metadata(new Root({version: versions.root, specVersion: `1.0.31`, expires: isoIn(expiresInMs), consistentSnapshot: true}));
    for (const role of ROLES)
      root.signed.addKey(keys[role].key, role);
    for (const signer of signers)
      root.sign(signWith(signer), true);
    const text = serialize(root);
    files.set(`/${versions.root}.root.json`, text);
    return text;
  };

  const timestampFor = ({expiresInMs = 7 * DAY, version = versions.timestamp}: {expiresInMs?: number, version?: number}) => {
    const timestamp = new Metadata(new Timestamp({
      version,
      specVersion: `1.0.31`,
      expires: isoIn(expiresInMs),
      snapshotMeta: new MetaFile({version: versions.snapshot}),
    }));
    timestamp.sign(signWith(keys.timestamp));
    return serialize(timestamp);
  };

  const seedRoot = signRoot(seedExpiresInMs, [keys.root]);

  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? `/`, `http://127.0.0.1`).pathname);
    requests.push(path);
    if (repository.down) {
      request.socket.destroy();
      return;
    }
    const body = files.get(path);
    response.writeHead(body === undefined ? 404 : 200, {'content-type': `application/octet-stream`});
    response.end(body ?? ``);
  });
  await new Promise<void>(resolve => server.listen(0, `127.0.0.1`, resolve));

  const repository: TestTufRepository = {
    mirror: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seedRoot,
    requests,
    down: false,

    publish(next) {
      content = next;
      versions.targets++;
      versions.snapshot++;
      versions.timestamp++;

      const targets = new Metadata(new Targets({version: versions.targets, specVersion: `1.0.31`, expires: isoIn(7 * DAY)}));
      for (const [name, text] of [[`trusted_root.json`, next.trustedRoot], [`registry.npmjs.org/keys.json`, next.registryKeys]] as const) {
        const digest = createHash(`sha256`).update(text).digest(`hex`);
        targets.signed.addTarget(new TargetFile({path: name, length: Buffer.byteLength(text), hashes: {sha256: digest}}));
        files.set(`/targets/${hashedName(name, digest)}`, text);
      }
      targets.sign(signWith(keys.targets));
      files.set(`/${versions.targets}.targets.json`, serialize(targets));

      const snapshot = new Metadata(new Snapshot({
        version: versions.snapshot,
        specVersion: `1.0.31`,
        expires: isoIn(7 * DAY),
        meta: {'targets.json': new MetaFile({version: versions.targets})},
      }));
      snapshot.sign(signWith(keys.snapshot));
      files.set(`/${versions.snapshot}.snapshot.json`, serialize(snapshot));
      files.set(`/timestamp.json`, timestampFor({}));
    },

    rotateRoot() {
      const old = keys.root;
      keys.root = newKey();
      versions.root++;
      signRoot(365 * DAY, [old, keys.root]);
    },

    serveTimestamp(options) {
      files.set(`/timestamp.json`, timestampFor(options));
    },

    tamperTarget(name, bytes) {
      const text = name === `trusted_root.json` ? content?.trustedRoot : content?.registryKeys;
      if (text === undefined)
        throw new Error(`nothing published yet`);
      files.set(`/targets/${hashedName(name, createHash(`sha256`).update(text).digest(`hex`))}`, bytes);
    },

    close: () => new Promise(resolve => server.close(() => resolve())),
  };
  return repository;
}

function newKey(): SigningKey {
  const {publicKey, privateKey} = generateKeyPairSync(`ed25519`);
  const pem = publicKey.export({type: `spki`, format: `pem`}).toString();
  const keyVal = {public: pem};
  // TUF key ids are the sha256 of the key's canonical JSON; any unique id verifies, this one is honest.
  const keyID = createHash(`sha256`).update(JSON.stringify({keytype: `ed25519`, scheme: `ed25519`, keyval: keyVal})).digest(`hex`);
  return {key: new Key({keyID, keyType: `ed25519`, scheme: `ed25519`, keyVal}), privateKey};
}

function signWith({key, privateKey}: SigningKey) {
  return (data: Buffer) => new Signature({keyID: key.keyID, sig: sign(null, data, privateKey).toString(`hex`)});
}

/** Consistent snapshots name targets `<dir>/<sha256>.<basename>`. */
function hashedName(name: string, digest: string): string {
  const slash = name.lastIndexOf(`/`);
  return slash === -1 ? `${digest}.${name}` : `${name.slice(0, slash)}/${digest}.${name.slice(slash + 1)}`;
}

function isoIn(ms: number): string {
  // TUF dates carry no fraction of a second.
  return new Date(Date.now() + ms).toISOString().replace(/\.\d+Z$/, `Z`);
}

function serialize(metadata: Metadata<any>): string {
  return JSON.stringify(metadata.toJSON());
}
