import {spawn} from 'node:child_process';
import {resolve} from 'node:path';

/** The committed Yarn. */
export const YARN = resolve(__dirname, `../../.yarn/releases/yarn-4.18.1.cjs`);

/**
 * Runs the committed Yarn asynchronously: a synchronous spawn would block a test registry living in the
 * same process. Without an outer `yarn run`'s settings.
 */
export function runYarnAsync(cwd: string, args: Array<string>): Promise<{code: number | null, output: string}> {
  const env: NodeJS.ProcessEnv = {};
  // Variables set by an outer `yarn run` (npm_*, BERRY_*, YARN_*, PROJECT_CWD) would leak that project's settings in.
  for (const [key, value] of Object.entries(process.env))
    if (!/^(npm_|berry_|yarn_|project_cwd$|init_cwd$)/i.test(key)) env[key] = value;
  // CI=true makes installs immutable by default; `yarn add` must be able to write the lockfile.
  env.YARN_ENABLE_IMMUTABLE_INSTALLS = `0`;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [YARN, ...args], {cwd, env, stdio: [`ignore`, `pipe`, `pipe`]});
    let output = ``;
    child.stdout.on(`data`, chunk => output += chunk);
    child.stderr.on(`data`, chunk => output += chunk);
    child.on(`error`, reject);
    child.on(`close`, code => resolvePromise({code, output}));
  });
}
