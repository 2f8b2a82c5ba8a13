import {spawn} from 'node:child_process';
import {appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';

const REPO = resolve(__dirname, `../..`);
export const YARN = join(REPO, `.yarn/releases/yarn-4.18.1.cjs`);
export const PLUGIN = join(REPO, `bundles/@yarnpkg/plugin-provenance.js`);

export type RunResult = {code: number | null, stdout: string, stderr: string, output: string};

/** Every folder made by a scratch project in this test file, removed by `removeAll` (test/setup.ts). */
const made: Array<string> = [];

/** `<tmp>/provenance-e2e-XXXX/{project,machine}`: the machine's per-user folders sit outside the project. */
function makeBase(prefix: string): {dir: string, machine: string} {
  const base = mkdtempSync(join(tmpdir(), prefix));
  made.push(base);
  const dir = join(base, `project`);
  const machine = join(base, `machine`);
  mkdirSync(dir);
  mkdirSync(machine);
  return {dir, machine};
}

/**
 * A throwaway Yarn 4 project wired to the test registry, with the freshly built plugin imported the
 * way users import it. Each has its own global folder (Yarn caches packuments per host, not port)
 * and its own per-user cache folder (`XDG_CACHE_HOME`, where the plugin keeps its machine-local
 * store), both outside the project folder: a fresh machine per project.
 */
export class ScratchProject {
  readonly dir: string;
  readonly globalFolder: string;
  /** `XDG_CACHE_HOME` of this project's Yarn runs: the plugin's store is `<it>/yarn-plugin-provenance`. */
  cacheHome: string;

  static removeAll(): void {
    for (const base of made.splice(0))
      rmSync(base, {recursive: true, force: true});
  }

  constructor(registryUrl: string, {settings = {}, dependencies = {}}: {settings?: Record<string, unknown>, dependencies?: Record<string, string>} = {}) {
    const {dir, machine} = makeBase(`provenance-e2e-`);
    this.dir = dir;
    this.globalFolder = join(machine, `yarn-global`);
    this.cacheHome = join(machine, `cache`);
    this.writeRc(registryUrl, settings);
    writeFileSync(join(this.dir, `package.json`), `${JSON.stringify({name: `scratch`, private: true, dependencies}, null, 2)}\n`);
    writeFileSync(join(this.dir, `yarn.lock`), ``);
  }

  writeRc(registryUrl: string, settings: Record<string, unknown> = {}): void {
    const rc: Record<string, unknown> = {
      yarnPath: YARN,
      npmRegistryServer: registryUrl,
      unsafeHttpWhitelist: [`127.0.0.1`],
      enableGlobalCache: false,
      enableTelemetry: false,
      nodeLinker: `node-modules`,
      globalFolder: this.globalFolder,
      httpRetry: 0,
      ...settings,
    };
    const plugins = existsSync(join(this.dir, `.yarn/plugins/@yarnpkg/plugin-provenance.cjs`))
      ? `plugins:\n  - path: .yarn/plugins/@yarnpkg/plugin-provenance.cjs\n    spec: "${PLUGIN}"\n`
      : ``;
    writeFileSync(join(this.dir, `.yarnrc.yml`), Object.entries(rc).map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join(`\n`) + `\n` + plugins);
  }

  async importPlugin(): Promise<void> {
    const result = await this.yarn(`plugin`, `import`, PLUGIN);
    if (result.code !== 0)
      throw new Error(`plugin import failed: ${result.output}`);
  }

  policy(yaml: string): void {
    writeFileSync(join(this.dir, `.provenance.yml`), yaml);
  }

  read(path: string): string {
    return readFileSync(join(this.dir, path), `utf8`);
  }

  exists(path: string): boolean {
    return existsSync(join(this.dir, path));
  }

  /** Copies this project's files (cache included) to a new folder with its own global folder. */
  cloneTo(registryUrl: string, settings: Record<string, unknown> = {}): ScratchProject {
    const clone = Object.create(ScratchProject.prototype) as ScratchProject;
    const {dir, machine} = makeBase(`provenance-e2e-clone-`);
    for (const entry of [`package.json`, `yarn.lock`, `.provenance.yml`, `.yarn`])
      if (existsSync(join(this.dir, entry)))
        cpSync(join(this.dir, entry), join(dir, entry), {recursive: true});
    Object.assign(clone, {dir, globalFolder: join(machine, `yarn-global`), cacheHome: join(machine, `cache`)});
    mkdirSync(clone.globalFolder, {recursive: true});
    clone.writeRc(registryUrl, settings);
    return clone;
  }

  /** Runs the committed Yarn asynchronously: a synchronous spawn would block the in-process registry. */
  yarn(...args: Array<string>): Promise<RunResult> {
    return this.yarnWithEnv({}, ...args);
  }

  /** `yarn(...)` with these variables added to its environment. */
  yarnWithEnv(extra: NodeJS.ProcessEnv, ...args: Array<string>): Promise<RunResult> {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env))
      if (!/^(npm_|berry_|yarn_|project_cwd$|init_cwd$)/i.test(key))
        env[key] = value;
    env.YARN_ENABLE_IMMUTABLE_INSTALLS = `0`;
    env.FORCE_COLOR = `0`;
    env.XDG_CACHE_HOME = this.cacheHome;
    // Never the public TUF repository from tests (the refresh itself is tested on a local one).
    env.PROVENANCE_TRUST_REFRESH = `off`;
    Object.assign(env, extra);

    return new Promise((resolvePromise, reject) => {
      const child = spawn(process.execPath, [YARN, ...args], {cwd: this.dir, env, stdio: [`ignore`, `pipe`, `pipe`]});
      let stdout = ``;
      let stderr = ``;
      child.stdout.on(`data`, chunk => { stdout += chunk; });
      child.stderr.on(`data`, chunk => { stderr += chunk; });
      child.on(`error`, reject);
      child.on(`close`, code => {
        // PROVENANCE_E2E_LOG=<file>: every Yarn run of the suite, command and output, for a look by hand.
        if (process.env.PROVENANCE_E2E_LOG)
          appendFileSync(process.env.PROVENANCE_E2E_LOG, `\n$ yarn ${args.join(` `)}  (in ${this.dir}, exit ${code})\n${stdout}${stderr}`);
        resolvePromise({code, stdout, stderr, output: stdout + stderr});
      });
    });
  }
}
