import {EXIT} from '../exitCodes';
import {usageErrorLines} from '../report/jsonRecords';

/** Where a command writes its lines. */
export type Output = {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
};

/** A command's two streams as line writers. */
export function linesTo(streams: {stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream}): Output {
  return {
    stdout: line => streams.stdout.write(`${line}\n`),
    stderr: line => streams.stderr.write(`${line}\n`),
  };
}

/**
 * The caller's own mistake, said once and coded: as `error` and `summary` records on stdout when JSON
 * was asked for (README "JSON records"), else one `CODE: message` line on stderr. Returns exit 2.
 */
export function reportUsageProblem(out: Output, json: boolean, code: string, message: string): number {
  if (json)
    usageErrorLines(code, message).forEach(out.stdout);
  else
    out.stderr(`${code}: ${message}`);
  return EXIT.USAGE;
}
