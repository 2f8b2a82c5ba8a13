import type {ChildProcess} from 'node:child_process';
import {execFileSync, spawn} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import type {Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';

// Git repositories served on 127.0.0.1 over the git protocol (`git://127.0.0.1:<port>/<name>.git`), for
// git dependencies in e2e tests.
//
// Why git://: Yarn clones with the real git, and refuses a repository URL without a host (it checks
// the host's network settings first), so `git+file:` does not work; `git://127.0.0.1` needs no
// credentials and no TLS. Each connection is handed to `git daemon --inetd`, so the port is the one
// Node picked (no free-port guessing) and closing the server ends every daemon.

export type GitServer = {
  /** `git://127.0.0.1:<port>` */
  url: string;
  /**
   * Creates (or replaces) the bare repository `<name>.git` with one commit of these files (paths relative
   * to the repository root) and returns the dependency spec Yarn accepts, pinned to that commit.
   */
  repo(name: string, files: Record<string, string>): {spec: string, commit: string};
  /** Stops serving, ends running daemons and removes every repository. Idempotent. */
  close(): Promise<void>;
};

// Fixed identity and dates: the same files give the same commit, and no user or system git config applies.
const GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: `1`,
  GIT_CONFIG_GLOBAL: `/dev/null`,
  GIT_AUTHOR_NAME: `provenance-tests`,
  GIT_AUTHOR_EMAIL: `tests@example.invalid`,
  GIT_AUTHOR_DATE: `2024-01-01T00:00:00Z`,
  GIT_COMMITTER_NAME: `provenance-tests`,
  GIT_COMMITTER_EMAIL: `tests@example.invalid`,
  GIT_COMMITTER_DATE: `2024-01-01T00:00:00Z`,
};

export async function startGitServer(): Promise<GitServer> {
  const base = mkdtempSync(join(tmpdir(), `provenance-git-`));
  const env = {...process.env, ...GIT_ENV};
  const git = (cwd: string, ...args: Array<string>) => execFileSync(`git`, args, {cwd, env, encoding: `utf8`}).trim();

  const daemons = new Set<ChildProcess>();
  const sockets = new Set<Socket>();
  const server = createServer(socket => {
    sockets.add(socket);
    const args = [`daemon`, `--inetd`, `--export-all`, `--base-path=${base}`, base];
    const daemon = spawn(`git`, args, {env, stdio: [`pipe`, `pipe`, `ignore`]});
    daemons.add(daemon);
    socket.pipe(daemon.stdin!);
    daemon.stdout!.pipe(socket);
    // Either side ending ends the other; errors on a closing pipe are expected, not test failures.
    socket.on(`error`, () => daemon.kill());
    daemon.stdin!.on(`error`, () => {});
    daemon.on(`exit`, () => {
      daemons.delete(daemon);
      socket.end();
    });
    socket.on(`close`, () => {
      sockets.delete(socket);
      daemon.kill();
    });
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once(`error`, reject);
    server.listen(0, `127.0.0.1`, () => resolvePromise());
  });
  const address = server.address();
  if (!address || typeof address === `string`)
    throw new Error(`Unexpected server address`);
  const url = `git://127.0.0.1:${address.port}`;

  let closing: Promise<void> | null = null;
  return {
    url,
    repo(name, files) {
      if (!/^[\w.-]+$/.test(name))
        throw new Error(`A repository name like "my-dep" is expected, got ${JSON.stringify(name)}`);
      const work = mkdtempSync(join(base, `.work-`));
      try {
        git(work, `init`, `--quiet`, `--initial-branch=main`);
        for (const [path, text] of Object.entries(files)) {
          mkdirSync(dirname(join(work, path)), {recursive: true});
          writeFileSync(join(work, path), text);
        }
        git(work, `add`, `--all`);
        git(work, `commit`, `--quiet`, `--no-gpg-sign`, `--message`, `${name} for tests`);
        const commit = git(work, `rev-parse`, `HEAD`);
        const bare = join(base, `${name}.git`);
        rmSync(bare, {recursive: true, force: true});
        git(base, `clone`, `--quiet`, `--bare`, work, bare);
        return {spec: `${url}/${name}.git#commit=${commit}`, commit};
      } finally {
        rmSync(work, {recursive: true, force: true});
      }
    },
    close() {
      closing ??= new Promise<void>(resolvePromise => {
        server.close(() => resolvePromise());
        for (const socket of sockets)
          socket.destroy();
        for (const daemon of daemons)
          daemon.kill();
      }).then(() => rmSync(base, {recursive: true, force: true}));
      return closing;
    },
  };
}
