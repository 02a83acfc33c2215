/**
 * Loading the data of a command (`--data` long CSV or `--X`/`--Y` shared design) and aligning new
 * data to a fitted model's tasks and features (by label and name, any column order).
 *
 * @packageDocumentation
 */
import { MultiTaskData } from '../data/MultiTaskData.js';
import type { Mat } from '../types.js';
import { longCsvMultiTaskData } from '../io/csv.js';
import { CsvInputError, readLongCsv, readSharedCsv, type LongCsv, type SharedCsv } from './csv.js';
import { InputMismatchError, UsageError } from './errors.js';
import type { FitFile } from './fitFile.js';
import type { DataOpts } from './options.js';
import type { CommandInput } from './output.js';

/**
 * The data files of a command as read.
 * @example
 * ```ts
 * const l: Loaded = loadData({ data: 'school.csv', taskColumn: 'task', responseColumn: 'y' }, true);
 * ```
 * @see {@link loadData}
 */
export interface Loaded {
  /** Which layout (`'statistics'`: a statistics file, or a long CSV streamed into statistics). */
  layout: 'long' | 'shared' | 'statistics';
  /** The files, as given. */
  files: string[];
  /** The long CSV (layout `'long'`). */
  long?: LongCsv;
  /** The shared design (layout `'shared'` with --Y). */
  shared?: SharedCsv;
}

/**
 * The input files named by the data options (for the `--out` check).
 * @param o - the data options, and `--fit`/`--graph` when the command has them
 * @returns the inputs with their flags
 * @example
 * ```ts
 * dataInputs({ data: 'a.csv', taskColumn: 'task', responseColumn: 'y' }); // [{ flag: '--data', file: 'a.csv' }]
 * ```
 * @see {@link CommandInput}
 */
export function dataInputs(o: Partial<DataOpts> & { fit?: string; graph?: string; path?: string; cv?: string }): CommandInput[] {
  const out: CommandInput[] = [];
  for (const [flag, file] of [['--data', o.data], ['--X', o.X], ['--Y', o.Y], ['--fit', o.fit], ['--graph', o.graph], ['--path', o.path], ['--cv', o.cv]] as const) {
    if (file !== undefined) out.push({ flag, file });
  }
  return out;
}

/**
 * Reads the data of a command.
 * @param opts - the data options
 * @param needResponse - whether responses are required (fitting) or optional (prediction)
 * @returns the loaded files
 * @throws {@link UsageError} on a wrong combination of options; {@link CsvInputError} on bad files
 * @example
 * ```ts
 * loadData({ X: 'X.csv', Y: 'Y.csv', taskColumn: 'task', responseColumn: 'y' }, true).layout; // 'shared'
 * ```
 * @see {@link loadedData}
 */
export function loadData(opts: DataOpts, needResponse: boolean): Loaded {
  const hasShared = opts.X !== undefined || opts.Y !== undefined;
  if (opts.data !== undefined && hasShared) throw new UsageError('give either --data (long CSV) or --X/--Y (shared design), not both');
  if (opts.data !== undefined) {
    return {
      layout: 'long', files: [opts.data],
      long: readLongCsv(opts.data, {
        taskColumn: opts.taskColumn, responseColumn: opts.responseColumn, requireResponse: needResponse, ...(opts.features ? { features: opts.features } : {}),
      }),
    };
  }
  if (!hasShared) throw new UsageError('no data: give --data file.csv (long layout task,y,x1,…) or --X X.csv --Y Y.csv');
  if (opts.features !== undefined) throw new UsageError('--features selects columns of --data (the long CSV); with --X every column is a feature');
  if (opts.X === undefined) throw new UsageError('--Y needs --X (the shared design)');
  if (opts.Y === undefined) {
    if (needResponse) throw new UsageError('--X needs --Y (the responses, one column per task)');
    return { layout: 'shared', files: [opts.X] };
  }
  return { layout: 'shared', files: [opts.X, opts.Y], shared: readSharedCsv(opts.X, opts.Y) };
}

/**
 * The data object, task labels and feature names of loaded files (with responses).
 * @param l - the loaded files
 * @returns the data with labels and names
 * @example
 * ```ts
 * const { data, taskLabels } = loadedData(loadData(o, true));
 * ```
 * @see {@link loadData}
 */
export function loadedData(l: Loaded): { data: MultiTaskData; taskLabels: string[]; featureNames: string[] } {
  if (l.long) return { data: longCsvMultiTaskData(l.long), taskLabels: l.long.taskLabels, featureNames: l.long.featureNames };
  const s = l.shared;
  if (s === undefined) throw new UsageError('--X needs --Y (the responses, one column per task)');
  return { data: s.data, taskLabels: s.taskLabels, featureNames: s.featureNames };
}

/**
 * perm[j] = column of `names` holding fitted feature j; every fitted feature must be there, and nothing else.
 * @param file - the data file (for messages)
 * @param line - its header line
 * @param names - the columns of the file
 * @param fitted - the fitted feature names
 * @returns the permutation
 * @throws {@link CsvInputError} naming missing and unexpected columns
 * @example
 * ```ts
 * featurePermutation('new.csv', 1, ['x2', 'x1'], ['x1', 'x2']); // [1, 0]
 * ```
 */
export function featurePermutation(file: string, line: number, names: readonly string[], fitted: readonly string[]): number[] {
  const perm = fitted.map((f) => names.indexOf(f));
  const missing = fitted.filter((_, j) => perm[j]! < 0);
  const extra = names.filter((n) => !fitted.includes(n));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [missing.length ? `no column ${missing.map((m) => `"${m}"`).join(', ')}` : '', extra.length ? `unexpected column ${extra.map((m) => `"${m}"`).join(', ')}` : ''];
    throw new CsvInputError(file, line, 0, parts.filter(Boolean).join(' and '), `the fitted feature columns ${fitted.join(',')}`);
  }
  return perm;
}

function permuteColumns(A: Mat, perm: readonly number[]): Mat {
  const n = A.rows, k = perm.length;
  const out = new Float64Array(n * k);
  // out[i, j] = A[i, perm[j]]
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[i * k + j] = A.data[i * A.cols + perm[j]!]!;
  return { rows: n, cols: k, data: out };
}

function taskPermutation(file: string, names: readonly string[], labels: readonly string[]): number[] {
  const perm = labels.map((t) => names.indexOf(t));
  const missing = labels.filter((_, j) => perm[j]! < 0);
  const extra = names.filter((n) => !labels.includes(n));
  if (missing.length > 0 || extra.length > 0) {
    throw new CsvInputError(file, 1, 0, `task columns ${names.join(',')}`, `the fitted tasks ${labels.join(',')}`);
  }
  return perm;
}

/**
 * The data of `l` with tasks and features in the order of the fit file `f` (for `objective`).
 * @param l - the loaded files (with responses)
 * @param f - the fit file
 * @returns the aligned data
 * @throws {@link CsvInputError} on an unknown task or a feature mismatch; {@link InputMismatchError}
 *   when a fitted task has no rows
 * @example
 * ```ts
 * const data = alignToFit(loadData(o, true), parseFitFile('fit.json'));
 * ```
 * @see {@link loadData}
 */
export function alignToFit(l: Loaded, f: FitFile): MultiTaskData {
  const fitted = f.data.featureNames, labels = f.data.taskLabels;
  if (l.long) {
    const c = l.long, file = l.files[0]!;
    const perm = featurePermutation(file, c.headerLine, c.featureNames, fitted);
    const where = new Map(c.taskLabels.map((t, i) => [t, i] as const));
    const extra = c.taskLabels.filter((t) => !labels.includes(t));
    if (extra.length > 0) {
      const first = c.rowTask.indexOf(c.taskLabels.indexOf(extra[0]!));
      throw new CsvInputError(file, c.rowLine[first]!, c.taskColumnIndex, `unknown task "${extra[0]}"`, `one of the ${labels.length} fitted tasks`);
    }
    const missing = labels.filter((t) => !where.has(t));
    if (missing.length > 0) {
      throw new InputMismatchError(`${file}: no rows for fitted task${missing.length > 1 ? 's' : ''} ${missing.slice(0, 5).map((m) => `"${m}"`).join(', ')}${missing.length > 5 ? ', …' : ''}; expected every fitted task`);
    }
    return MultiTaskData.fromTasks(labels.map((t) => {
      const task = c.tasks[where.get(t)!]!;
      return { X: permuteColumns(task.X, perm), y: task.y };
    }));
  }
  const s = l.shared;
  if (s === undefined) throw new UsageError('--X needs --Y (the responses, one column per task)');
  const perm = featurePermutation(l.files[0]!, 1, s.featureNames, fitted);
  const tperm = taskPermutation(l.files[1]!, s.taskLabels, labels);
  return MultiTaskData.fromShared(permuteColumns(s.X, perm), permuteColumns(s.Y, tperm));
}
