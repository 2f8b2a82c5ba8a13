import {isMainThread} from 'node:worker_threads';

import {Builtins, Cli} from 'clipanion';

import {EXIT} from '../core/exitCodes';
import {VERSION} from '../core/version';
import {CheckCommand} from './commands/CheckCommand';
import {VerifyCommand} from './commands/VerifyCommand';

const cli = new Cli({
  binaryLabel: `npm provenance verifier`,
  binaryName: `yarn-provenance`,
  binaryVersion: VERSION,
});

cli.register(CheckCommand);
cli.register(VerifyCommand);
cli.register(Builtins.HelpCommand);
cli.register(Builtins.VersionCommand);

async function main(args: Array<string>): Promise<number> {
  // Clipanion reports usage errors with exit code 1, which here means "verification failed":
  // parse first, so that an unknown flag or a missing option exits 2 like every usage problem.
  try {
    cli.process(args);
  } catch (error) {
    process.stderr.write(cli.error(error as Error, {colored: false}));
    return EXIT.USAGE;
  }
  return cli.run(args);
}

// `check` starts verification workers on this very file (see verifyOnWorkers.ts): in a worker it is the
// verification loop, not the command line.
if (!isMainThread) {
  void import(`../core/verify/verifyWorker`);
} else {
  // A reader that stops early (`… | head`) closes the pipe: the rest of the output is dropped, never a
  // stack trace, and the exit code is still the verdict's (a block piped into `head` still exits 1).
  for (const stream of [process.stdout, process.stderr]) {
    stream.on(`error`, error => {
      if ((error as NodeJS.ErrnoException).code !== `EPIPE`)
        throw error;
    });
  }

  main(process.argv.slice(2)).then(code => {
    process.exitCode = code;
  }, error => {
    // A bug, not a verdict: one line, and an exit code no verdict uses.
    process.stderr.write(`Internal error: ${(error as Error).message}\n`);
    process.exitCode = 70;
  });
}
