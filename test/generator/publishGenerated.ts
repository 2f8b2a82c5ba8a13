import {createHash} from 'node:crypto';
import {gunzipSync, gzipSync} from 'node:zlib';

import type {BuildIdentity, TestAuthority} from '../authority';
import type {TestRegistry} from '../registry/server.mjs';
import type {GeneratedPackage, GeneratedProject} from './generatePackages';

/**
 * Serves a generated project from the test registry, each package with attestations minted by the
 * test authority: what a healthy registry would serve, except where a package carries a fault.
 */
export async function publishGenerated(project: GeneratedProject, registry: TestRegistry, authority: TestAuthority, {concurrency = 8}: {concurrency?: number} = {}): Promise<void> {
  const queue = [...project.packages];
  const workers = Array.from({length: concurrency}, async () => {
    for (let pkg = queue.shift(); pkg !== undefined; pkg = queue.shift())
      await publishOne(pkg, registry, authority);
  });
  await Promise.all(workers);
}

async function publishOne(pkg: GeneratedPackage, registry: TestRegistry, authority: TestAuthority): Promise<void> {
  const base = {name: pkg.name, version: pkg.version, files: pkg.files, scripts: pkg.scripts, dependencies: pkg.dependencies};
  // The registry builds the tarball; ask it for the bytes so that the attested digest is theirs.
  registry.add(base);
  const tarball = await download(`${registry.url}/${pkg.name}/-/${pkg.name.replace(/^@[^/]+\//, ``)}-${pkg.version}.tgz`);
  const tarballSha512 = createHash(`sha512`).update(tarball).digest(`hex`);

  if (pkg.fault === `no-provenance`)
    return;

  const identity: BuildIdentity = {
    platform: `github`,
    repository: pkg.fault === `wrong-repository` ? pkg.repository.replace(/github\.com\/[^/]+\//, `github.com/evil-org/`) : pkg.repository,
    ref: `refs/tags/v${pkg.version}`,
    runnerEnvironment: pkg.fault === `self-hosted` ? `self-hosted` : `github-hosted`,
  };
  const attestations = await authority.mint({pkg: {name: pkg.name, version: pkg.version}, tarballSha512, identity});
  registry.add({...base, attestations});

  if (pkg.fault === `tampered-tarball`)
    // Same files, other bytes: a valid tarball that is not the attested one.
    registry.fault(`${pkg.name}@${pkg.version}`, {kind: `tarball-bytes`, bytes: gzipSync(Buffer.concat([gunzipSync(tarball), Buffer.alloc(1024)]), {level: 1})});
}

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  if (response.status !== 200)
    throw new Error(`${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}
