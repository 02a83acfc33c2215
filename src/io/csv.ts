/**
 * Readers of the two CSV layouts of mtlearn, straight into typed arrays: the long per-task layout
 * (`task,y,x1,…,xd`, one row per observation) and a numeric matrix with a header (the shared
 * design's `X.csv` and `Y.csv`). Browser-safe (no Node imports); the file readers are in
 * `mtlearn/node` ({@link readLongCsvFile}).
 *
 * Each reader makes two passes over the bytes (see {@link scanCsv}): the first checks every cell and
 * counts the rows of each task, the second writes the numbers into arrays of their final size, so the
 * memory is the result plus one line.
 *
 * Numbers are strict decimals ({@link parseDecimal}): `0x10`, `Infinity`, `1e-400` (which would
 * underflow to 0), `1e400` and empty cells are errors naming file:line:column, never converted.
 * Task labels are text, compared exactly as written (after trimming spaces and tabs); when every
 * label is a number the tasks are ordered numerically, else by first appearance — and two labels
 * that are the same number written differently (`1`, `1.0`, `01`) are an error rather than two tasks.
 *
 * @packageDocumentation
 */
import { MultiTaskData } from '../data/MultiTaskData.js';
import type { Mat } from '../types.js';
import {
  CsvInputError, OVERFLOW, UNDERFLOW, bytesSource, cellText, parseDecimal, scanCsv,
  type ByteSource, type CsvRecord,
} from './tokenizer.js';
import { checkAmbiguousLabels, checkWidth, orderTaskLabels, readLongHeader } from './csvRules.js';

export { CsvInputError, strictNumber, type ByteSource } from './tokenizer.js';
export { checkAmbiguousLabels, checkHeader, checkWidth, orderTaskLabels, readLongHeader } from './csvRules.js';
export { scanMatrixCsv, type MatrixCsv } from './matrix.js';

/**
 * A growable Int32Array (shared with the matrix reader).
 * @example
 * ```ts
 * const l = new IntList(); l.push(3); l.trimmed(); // Int32Array [3]
 * ```
 */
export class IntList {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const n = new Int32Array(this.data.length * 2);
      n.set(this.data);
      this.data = n;
    }
    this.data[this.length++] = v;
  }
  trimmed(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

const scratch = new Float64Array(1);

/** Whether cell c is a missing-response token: empty, NaN, nan or NA. */
function isMissing(r: CsvRecord, c: number): boolean {
  const s = r.start[c]!, n = r.end[c]! - s, b = r.bytes;
  if (n === 0) return true;
  if (n === 2) return b[s] === 78 && b[s + 1] === 65; // NA
  if (n === 3) return (b[s] === 78 && b[s + 1] === 97 && b[s + 2] === 78) || (b[s] === 110 && b[s + 1] === 97 && b[s + 2] === 110);
  return false;
}

/**
 * The number in cell `c` of record `r` (strict decimal; see {@link parseDecimal}).
 * @param file - the file (for messages)
 * @param r - the record
 * @param c - the cell
 * @param name - the column's header name
 * @param allowMissing - whether an empty cell, NaN or NA reads as NaN
 * @returns the value (NaN for a missing cell when `allowMissing`)
 * @throws {@link CsvInputError} naming file, line, column and the column's name
 * @example
 * ```ts
 * scanCsv(src, 'a.csv', (r) => cellNumber('a.csv', r, 0, 'x1', false));
 * ```
 */
export function cellNumber(file: string, r: CsvRecord, c: number, name: string, allowMissing: boolean): number {
  if (allowMissing && isMissing(r, c)) return NaN;
  const code = parseDecimal(r.bytes, r.start[c]!, r.end[c]!, scratch);
  if (code === 0) return scratch[0]!;
  const text = cellText(r, c);
  const shown = text.length > 40 ? `${text.slice(0, 37)}…` : text;
  const finite = allowMissing ? 'a finite number, or an empty cell / NaN for a missing response' : 'a finite number';
  if (code === UNDERFLOW) {
    throw new CsvInputError(file, r.line, c + 1, `got "${shown}", which underflows to 0 in double precision`, `${finite} of magnitude ≥ 5e-324, or 0 written as 0`, name);
  }
  if (code === OVERFLOW) throw new CsvInputError(file, r.line, c + 1, `got "${shown}", which overflows to Infinity`, `${finite} (|x| ≤ 1.8e308)`, name);
  const problem = text === '' ? 'empty cell' : `got "${shown}"`;
  const hint = /^[+-]?0[xX]/.test(text) ? ' written in decimal (no hexadecimal)' : '';
  throw new CsvInputError(file, r.line, c + 1, problem, `${finite}${hint}`, name);
}

/**
 * Options of {@link parseLongCsv} and {@link scanLongCsv}.
 * @example
 * ```ts
 * parseLongCsv(text, { taskColumn: 'school', responseColumn: 'score', file: 'school.csv' });
 * ```
 * @see {@link parseLongCsv}
 */
export interface LongCsvOptions {
  /** Name of the column holding the task labels. @default 'task' */
  taskColumn?: string;
  /** Name of the response column. @default 'y' */
  responseColumn?: string;
  /**
   * Whether the response column must be present and complete (`true`, for fitting) or may be absent
   * or have missing cells read as NaN (`false`, for prediction). @default true
   */
  requireResponse?: boolean;
  /** The file name used in error messages. @default '<csv>' */
  file?: string;
  /** The feature columns, in this order. @default every column but the task and response columns, in file order */
  features?: readonly string[];
}

/**
 * A long-format CSV as read by {@link scanLongCsv}.
 * @example
 * ```ts
 * const { taskLabels, featureNames, tasks } = scanLongCsv(bytesSource(bytes), 'a.csv');
 * ```
 * @see {@link scanLongCsv}
 */
export interface LongCsv {
  /** Task labels, in task order. */
  readonly taskLabels: string[];
  /** Feature names (every column except the task and response columns, in file order). */
  readonly featureNames: string[];
  /** Per-task designs (n_t×d) and responses (length n_t; empty when the response column is absent). */
  readonly tasks: { X: Mat; y: Float64Array }[];
  /** Task index of each data row, in file order. */
  readonly rowTask: Int32Array;
  /** Row within its task of each data row. */
  readonly rowInTask: Int32Array;
  /** 1-based line of each data row. */
  readonly rowLine: Int32Array;
  /** 1-based line of the header. */
  readonly headerLine: number;
  /** 1-based column of the task column. */
  readonly taskColumnIndex: number;
  /** Whether the file has a response column. */
  readonly hasResponse: boolean;
}

/**
 * Reads the long layout from a byte source (two passes; see the module comment for the rules).
 * @param src - the bytes (read twice)
 * @param file - the file name for error messages
 * @param options - column names and whether the response is required
 * @returns labels, feature names, per-task `{ X, y }` and the row index
 * @throws {@link CsvInputError} on an empty file, a missing task or response column, a ragged row,
 *   an empty or ambiguous task label or a malformed number — naming file, line and column
 * @example
 * ```ts
 * scanLongCsv(bytesSource(new TextEncoder().encode('task,y,x1\na,1,2\n')), 'a.csv').taskLabels; // ['a']
 * ```
 * @see {@link parseLongCsv}
 */
export function scanLongCsv(src: ByteSource, file: string, options: Omit<LongCsvOptions, 'file'> = {}): LongCsv {
  const taskColumn = options.taskColumn ?? 'task';
  const responseColumn = options.responseColumn ?? 'y';
  const requireResponse = options.requireResponse ?? true;
  let names: string[] | null = null, headerLine = 0, ti = -1, yi = -1, width = 0;
  let featureCols: Int32Array = new Int32Array(0);
  const index = new Map<string, number>();
  const labels: string[] = [], firstLine: number[] = [], counts: number[] = [];
  const rowTask = new IntList(), rowLine = new IntList();
  // pass 1: header, widths, labels, every number checked; rows counted per task
  scanCsv(src, file, (r) => {
    if (names === null) {
      const h = readLongHeader(file, r, taskColumn, responseColumn, requireResponse, options.features);
      names = h.names; headerLine = r.line; ti = h.taskIndex; yi = h.responseIndex; featureCols = h.featureCols;
      width = names.length;
      return;
    }
    checkWidth(file, r, width, headerLine);
    if (r.end[ti]! === r.start[ti]!) throw new CsvInputError(file, r.line, ti + 1, 'empty task label', 'a task label', taskColumn);
    const label = cellText(r, ti);
    let t = index.get(label);
    if (t === undefined) {
      t = labels.length;
      index.set(label, t);
      labels.push(label);
      firstLine.push(r.line);
      counts.push(0);
    }
    counts[t]!++;
    rowTask.push(t);
    rowLine.push(r.line);
    if (yi >= 0) cellNumber(file, r, yi, responseColumn, !requireResponse);
    for (let k = 0; k < featureCols.length; k++) cellNumber(file, r, featureCols[k]!, names[featureCols[k]!]!, false);
  });
  if (names === null) throw new CsvInputError(file, 1, 1, 'the file is empty', 'a header line followed by data rows');
  const header: string[] = names;
  if (labels.length === 0) throw new CsvInputError(file, headerLine + 1, 0, 'no data rows after the header', 'at least one data row');
  checkAmbiguousLabels(file, labels, firstLine, ti + 1, taskColumn);
  const order = orderTaskLabels(labels);
  const rank = new Int32Array(labels.length); // rank[first-appearance index] = task index
  order.forEach((l, t) => { rank[index.get(l)!] = t; });
  const d = featureCols.length;
  const tasks = order.map((l) => {
    const n = counts[index.get(l)!]!;
    return { X: { rows: n, cols: d, data: new Float64Array(n * d) }, y: new Float64Array(yi >= 0 ? n : 0) };
  });
  const nRows = rowTask.length;
  const rt = rowTask.data, rowInTask = new Int32Array(nRows), fill = new Int32Array(order.length);
  for (let i = 0; i < nRows; i++) rt[i] = rank[rt[i]!]!;
  // pass 2: X_t[row, :] and y_t[row] in place
  let k = -1;
  src.rewind();
  scanCsv(src, file, (r) => {
    if (k++ < 0) return;
    if (k > nRows || r.line !== rowLine.data[k - 1]) throw new CsvInputError(file, r.line, 0, 'the file changed while it was read', 'an unchanging file');
    const t = rt[k - 1]!, row = fill[t]!++;
    rowInTask[k - 1] = row;
    const task = tasks[t]!, x = task.X.data, o = row * d;
    if (yi >= 0) task.y[row] = cellNumber(file, r, yi, responseColumn, !requireResponse);
    for (let j = 0; j < d; j++) x[o + j] = cellNumber(file, r, featureCols[j]!, header[featureCols[j]!]!, false);
  });
  return {
    taskLabels: order, featureNames: Array.from(featureCols, (j) => header[j]!), tasks,
    rowTask: rt.slice(0, nRows), rowInTask, rowLine: rowLine.trimmed(), headerLine, taskColumnIndex: ti + 1, hasResponse: yi >= 0,
  };
}

/**
 * A long CSV read into {@link MultiTaskData}, with the user's labels and names.
 * @example
 * ```ts
 * const { data, taskLabels } = parseLongCsv('task,y,x1\nnorth,1,2\nsouth,3,4\n');
 * ```
 * @see {@link parseLongCsv}
 */
export interface LongCsvData {
  /** Per-task data (task t = `taskLabels[t]`, features in the order of `featureNames`). */
  readonly data: MultiTaskData;
  /** Task labels, in task order (W's columns). */
  readonly taskLabels: string[];
  /** Feature names, in file order (W's rows). */
  readonly featureNames: string[];
}

/**
 * The {@link MultiTaskData} of a long CSV `task,y,x1,…,xd` given as text or bytes (works in a browser;
 * for files see `readLongCsvFile` in `mtlearn/node`). Task labels are text as written; tasks are in
 * numeric order when every label is a number, else in order of first appearance; two labels that are
 * the same number (`1`, `1.0`) are an error. Numbers are strict decimals (no `0x10`, `Infinity`,
 * underflow to 0 or empty cells).
 * @param text - the CSV (a string, or UTF-8 bytes)
 * @param options - column names and the file name for messages
 * @returns the data with its task labels and feature names
 * @throws {@link CsvInputError} naming file:line:column on malformed input
 * @example
 * ```ts
 * import { parseLongCsv, groupLasso } from 'mtlearn';
 * const { data, taskLabels } = parseLongCsv('task,y,x1,x2\nnorth,1,0.5,2\nnorth,2,1,0\nsouth,0,2,1\n');
 * const fit = groupLasso(data, { lambda: 0.1 });
 * ```
 * @see {@link scanLongCsv}
 */
export function parseLongCsv(text: string | Uint8Array, options: Omit<LongCsvOptions, 'requireResponse'> = {}): LongCsvData {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  return longCsvData(scanLongCsv(bytesSource(bytes), options.file ?? '<csv>', { ...options, requireResponse: true }));
}

/**
 * The {@link LongCsvData} of a scanned long CSV read with its response column (the arrays are not copied).
 * @param csv - the result of {@link scanLongCsv} (with `requireResponse`)
 * @returns data, labels and names
 * @throws RangeError when the CSV has no response column
 * @example
 * ```ts
 * longCsvData(scanLongCsv(src, 'a.csv')).data.T;
 * ```
 * @see {@link scanLongCsv}
 */
export function longCsvData(csv: LongCsv): LongCsvData {
  if (!csv.hasResponse) throw new RangeError('longCsvData: the CSV has no response column; expected one read with requireResponse');
  return { data: longCsvMultiTaskData(csv), taskLabels: csv.taskLabels, featureNames: csv.featureNames };
}

/**
 * The {@link MultiTaskData} over the arrays of a scanned long CSV, without copying them (the data
 * object owns them from now on: they must not be modified), with the task labels of the file.
 * @param csv - the result of {@link scanLongCsv} (with responses)
 * @returns the data
 * @throws RangeError when the CSV has no response column
 * @example
 * ```ts
 * longCsvMultiTaskData(scanLongCsv(src, 'a.csv')).taskLabels; // the file's labels
 * ```
 * @see {@link longCsvData}
 */
export function longCsvMultiTaskData(csv: LongCsv): MultiTaskData {
  if (!csv.hasResponse) throw new RangeError('longCsvMultiTaskData: the CSV has no response column; expected one read with requireResponse');
  const d = csv.featureNames.length;
  return MultiTaskData.wrap({
    kind: 'tasks', d, T: csv.tasks.length, tasks: csv.tasks.map((t) => ({ X: t.X.data, y: t.y, n: t.X.rows })), labels: csv.taskLabels,
  });
}
