import {spawn} from 'node:child_process';
import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';

const REPO = resolve(__dirname, `../..`);
export const YARN = join(REPO, `.yarn/releases/yarn-4.18.1.cjs`);
export const PLUGIN = join(REPO, `bundles/@yarnpkg/plugin-provenance.js`);

export type RunResult = {code: number | null, stdout: string, stderr: string, output: string};

/**
 * A throwaway Yarn 4 project wired to the test registry, with the freshly built plugin imported the
 * way users import it. Each has its own global folder: Yarn caches packuments per host (not port),
 * and the plugin keeps its machine-local store there.
 */
export class ScratchProject {
  readonly dir: string;
  readonly globalFolder: string;

  constructor(registryUrl: string, {settings = {}, dependencies = {}}: {settings?: Record<string, unknown>, dependencies?: Record<string, string>} = {}) {
    this.dir = mkdtempSync(join(tmpdir(), `provenance-e2e-`));
    this.globalFolder = join(this.dir, `.yarn-global`);
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
    const dir = mkdtempSync(join(tmpdir(), `provenance-e2e-clone-`));
    for (const entry of [`package.json`, `yarn.lock`, `.provenance.yml`, `.yarn`])
      if (existsSync(join(this.dir, entry)))
        cpSync(join(this.dir, entry), join(dir, entry), {recursive: true});
    Object.assign(clone, {dir, globalFolder: join(dir, `.yarn-global`)});
    mkdirSync(clone.globalFolder, {recursive: true});
    clone.writeRc(registryUrl, settings);
    return clone;
  }

  /** Runs the committed Yarn asynchronously: a synchronous spawn would block the in-process registry. */
  yarn(...args: Array<string>): Promise<RunResult> {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env))
      if (!/^(npm_|berry_|yarn_|project_cwd$|init_cwd$)/i.test(key))
        env[key] = value;
    env.YARN_ENABLE_IMMUTABLE_INSTALLS = `0`;
    env.FORCE_COLOR = `0`;

    return new Promise((resolvePromise, reject) => {
      const child = spawn(process.execPath, [YARN, ...args], {cwd: this.dir, env, stdio: [`ignore`, `pipe`, `pipe`]});
      let stdout = ``;
      let stderr = ``;
      child.stdout.on(`data`, chunk => { stdout += chunk; });
      child.stderr.on(`data`, chunk => { stderr += chunk; });
      child.on(`error`, reject);
      child.on(`close`, code => resolvePromise({code, stdout, stderr, output: stdout + stderr}));
    });
  }
}
