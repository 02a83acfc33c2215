/**
 * Library errors in the user's words: the library numbers tasks from 0 (`task 3`, `tasks[3]`); the
 * command line reports them by the labels of the user's file, prefixed with that file.
 *
 * @packageDocumentation
 */
import { CsvInputError } from './csv.js';
import { FitFileError } from './fitFile.js';
import { InputMismatchError, OutputError, UsageError } from './errors.js';

/**
 * `task 3` → `task "north"` and `tasks[3]` → `tasks["north"]` in a library message.
 * @param message - the library's message
 * @param labels - the task labels, by 0-based index
 * @returns the message with labels
 * @example
 * ```ts
 * relabelMessage('folds: task 0 has 2 observed responses', ['north']); // 'folds: task "north" has 2 observed responses'
 * ```
 */
export function relabelMessage(message: string, labels: readonly string[]): string {
  const name = (i: string): string | undefined => labels[Number(i)];
  return message
    .replace(/\btask (\d+)\b/g, (m, i: string) => (name(i) !== undefined ? `task "${name(i)}"` : m))
    .replace(/\btasks\[(\d+)\]/g, (m, i: string) => (name(i) !== undefined ? `tasks["${name(i)}"]` : m));
}

function relabel(e: unknown, labels: readonly string[], file: string): unknown {
  if (!(e instanceof Error) || e instanceof CsvInputError || e instanceof FitFileError || e instanceof UsageError
    || e instanceof InputMismatchError || e instanceof OutputError) return e;
  const message = `${file ? `${file}: ` : ''}${relabelMessage(e.message, labels)}`;
  const out = e instanceof RangeError ? new RangeError(message) : e instanceof TypeError ? new TypeError(message) : new Error(message);
  out.stack = e.stack;
  return out;
}

/**
 * Runs a library call, re-throwing its errors with the data file and the user's task labels.
 * @param labels - the task labels of the data, by index
 * @param file - the data file (prefixed to the message)
 * @param work - the call (synchronous or a promise)
 * @returns what `work` returns
 * @example
 * ```ts
 * const fit = alignTaskLabels(taskLabels, 'school.csv', () => groupLasso(data, { lambda: 0.1 }));
 * ```
 * @see {@link relabelMessage}
 */
export function alignTaskLabels<R>(labels: readonly string[], file: string, work: () => R): R {
  let r: R;
  try {
    r = work();
  } catch (e) {
    throw relabel(e, labels, file);
  }
  if (r instanceof Promise) {
    return r.catch((e: unknown) => { throw relabel(e, labels, file); }) as R;
  }
  return r;
}
