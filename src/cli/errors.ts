/**
 * Exit statuses, error kinds and the output streams shared by every `mtlearn` command.
 *
 * @packageDocumentation
 */

/**
 * Where {@link run} writes: anything with a `write(text)` method (e.g. `process.stdout`).
 * @example
 * ```ts
 * let out = ''; await run(['--help'], { stdout: { write: (s: string) => (out += s) }, stderr: process.stderr });
 * ```
 * @see {@link run}
 */
export interface CliIO {
  /** Standard output (results, help). */
  stdout: { write(text: string): unknown };
  /** Standard error (errors, progress; the progress bar only when `isTTY` is true). */
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
}

/**
 * Exit status of a malformed input (CSV or fit file).
 * @example
 * ```ts
 * (await run(['fit', '--model', 'group-lasso', '--data', 'empty.csv', '--lambda', '1', '--out', 'f.json'])) === EXIT_INPUT;
 * ```
 * @see {@link run}
 */
export const EXIT_INPUT = 2;
/**
 * Exit status of a usage error, a solver failure or an output that cannot be written.
 * @example
 * ```ts
 * (await run(['fit', '--no-such-option'])) === EXIT_USAGE; // true
 * ```
 * @see {@link run}
 */
export const EXIT_USAGE = 1;

/**
 * An input that parses but does not match the fit (unknown task, missing feature): exit status 2.
 * @example
 * ```ts
 * throw new InputMismatchError('new.csv: no rows for fitted task "north"; expected every fitted task');
 * ```
 * @see {@link EXIT_INPUT}
 */
export class InputMismatchError extends Error {
  override readonly name = 'InputMismatchError';
}

/**
 * An option combination that the model or command does not accept: exit status 1.
 * @example
 * ```ts
 * throw new UsageError('give --lambda or --lambda-ratio, not both');
 * ```
 * @see {@link EXIT_USAGE}
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * An output file that cannot be written (full device, read-only file, missing directory, the same
 * file as an input): exit status 1, nothing replaced.
 * @example
 * ```ts
 * throw new OutputError('/dev/full', 'No space left on device (ENOSPC)');
 * ```
 * @see {@link EXIT_USAGE}
 */
export class OutputError extends Error {
  override readonly name = 'OutputError';
  /**
   * @param file - the output path as given
   * @param problem - what went wrong
   * @example
   * ```ts
   * new OutputError('out.json', 'read-only file').message; // 'cannot write out.json: read-only file'
   * ```
   */
  constructor(readonly file: string, problem: string) {
    super(`cannot write ${file}: ${problem}`);
  }
}

/**
 * Formats a number for summaries and CSV output (shortest round-trip form).
 * @param v - the number
 * @returns its text
 * @example
 * ```ts
 * fmt(0.1); // '0.1'
 * ```
 */
export function fmt(v: number): string {
  return String(v);
}
