/**
 * CSV input for the command line: the long per-task layout (`task,y,x1,…,xd`) and the shared-design
 * layout (`X.csv` n×d plus `Y.csv` n×T), parsed with csv-parse and validated cell by cell.
 *
 * Every malformed input (empty file, ragged row, non-numeric cell, unknown or missing task column,
 * unbalanced quotes) throws a {@link CsvInputError} naming the file, the 1-based line and column,
 * and what was expected, e.g.
 * `school.csv:17:4 (column "x2"): got "abc"; expected a finite number`.
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { MultiTaskData } from '../data/MultiTaskData.js';
import type { Mat } from '../types.js';

/**
 * A malformed CSV input: carries the file, the 1-based line and column (0 when not applicable) and
 * the message `file:line:column (column "name"): problem; expected …`.
 *
 * @example
 * ```ts
 * try { readLongCsv('bad.csv'); } catch (e) { if (e instanceof CsvInputError) console.error(e.message); }
 * ```
 * @see {@link readLongCsv}, {@link readSharedCsv}
 */
export class CsvInputError extends Error {
  /** The file (as given by the caller). */
  readonly file: string;
  /** 1-based line of the problem (0 = the whole file). */
  readonly line: number;
  /** 1-based column of the problem (0 = the whole line or file). */
  readonly column: number;

  /**
   * @param file - the file name as given
   * @param line - 1-based line (0: whole file)
   * @param column - 1-based column (0: whole line)
   * @param problem - what is wrong (e.g. `got "abc"`)
   * @param expected - what was expected
   * @param columnName - the header name of the column, when known
   * @example
   * ```ts
   * new CsvInputError('a.csv', 3, 2, 'got "x"', 'a finite number', 'y').message;
   * // 'a.csv:3:2 (column "y"): got "x"; expected a finite number'
   * ```
   */
  constructor(file: string, line: number, column: number, problem: string, expected: string, columnName?: string) {
    const where = line > 0 ? `${file}:${line}${column > 0 ? `:${column}` : ''}` : file;
    const name = columnName !== undefined ? ` (column "${columnName}")` : '';
    super(`${where}${name}: ${problem}; expected ${expected}`);
    this.name = 'CsvInputError';
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

/** One parsed CSV row with its 1-based line number. */
interface Row {
  readonly cells: string[];
  readonly line: number;
}

/** Reads and tokenises a file: trims cells, skips blank lines, converts csv-parse errors. */
function readRows(file: string, text?: string): Row[] {
  let src: string;
  if (text !== undefined) src = text;
  else {
    try {
      src = readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new CsvInputError(file, 0, 0, code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(e)})`, 'a readable CSV file');
    }
  }
  if (src.charCodeAt(0) === 0xfeff) src = src.slice(1); // byte-order mark
  let recs: { record: string[]; info: { lines: number } }[];
  try {
    recs = parse(src, { info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof recs;
  } catch (e) {
    const err = e as { lines?: number; column?: number; code?: string; message?: string };
    const msg = (err.message ?? String(e)).replace(/ at line \d+.*$/s, '');
    throw new CsvInputError(file, err.lines ?? 0, typeof err.column === 'number' ? err.column + 1 : 0, msg, 'well-formed CSV (RFC 4180 quoting)');
  }
  const rows: Row[] = [];
  for (const r of recs) {
    // skip lines made only of empty cells (e.g. ",,,")
    if (r.record.every((c) => c === '')) continue;
    rows.push({ cells: r.record, line: r.info.lines });
  }
  if (rows.length === 0) throw new CsvInputError(file, 1, 1, 'the file is empty', 'a header line followed by data rows');
  return rows;
}

function checkHeader(file: string, header: Row, expected: string): void {
  const seen = new Map<string, number>();
  header.cells.forEach((name, j) => {
    if (name === '') throw new CsvInputError(file, header.line, j + 1, 'empty column name in the header', expected);
    const k = seen.get(name);
    if (k !== undefined) {
      throw new CsvInputError(file, header.line, j + 1, `duplicate column name "${name}" (also column ${k + 1})`, 'distinct column names');
    }
    seen.set(name, j);
  });
  // a header made only of numbers is almost certainly a data row: the header is missing
  if (header.cells.every((c) => Number.isFinite(Number(c)))) {
    throw new CsvInputError(file, header.line, 1, `the first line "${header.cells.join(',')}" is all numbers (no header)`, expected);
  }
}

function headerList(header: Row): string {
  const c = header.cells;
  return c.length <= 8 ? c.join(',') : `${c.slice(0, 6).join(',')},…,${c[c.length - 1]}`;
}

function checkWidth(file: string, row: Row, width: number, headerLine: number): void {
  const k = row.cells.length;
  if (k !== width) {
    throw new CsvInputError(
      file, row.line, Math.min(k, width) + 1,
      `ragged row with ${k} field${k === 1 ? '' : 's'}`, `${width} fields, as in the header (line ${headerLine})`,
    );
  }
}

/**
 * Parses one numeric cell.
 * @returns the number, or NaN for a missing cell when `allowMissing`
 */
function cellNumber(file: string, row: Row, j: number, name: string, allowMissing: boolean): number {
  const s = row.cells[j]!;
  if (allowMissing && (s === '' || s === 'NaN' || s === 'nan' || s === 'NA')) return NaN;
  const v = s === '' ? NaN : Number(s);
  if (!Number.isFinite(v)) {
    throw new CsvInputError(
      file, row.line, j + 1, s === '' ? 'empty cell' : `got "${s}"`,
      allowMissing ? 'a finite number, or an empty cell / NaN for a missing response' : 'a finite number', name,
    );
  }
  return v;
}

/**
 * Options of {@link readLongCsv}.
 * @example
 * ```ts
 * readLongCsv('school.csv', { taskColumn: 'school', responseColumn: 'score' });
 * ```
 * @see {@link readLongCsv}
 */
export interface LongCsvOptions {
  /** Name of the column holding the task identifiers. @default 'task' */
  taskColumn?: string;
  /** Name of the response column. @default 'y' */
  responseColumn?: string;
  /**
   * Whether the response column must be present and complete (`true`, for fitting) or may be absent
   * or have missing cells read as NaN (`false`, for prediction; without the column `y` of every task
   * is empty). @default true
   */
  requireResponse?: boolean;
  /** The CSV text; when given, `file` is only used in error messages. @default read from `file` */
  text?: string;
}

/**
 * A long-format CSV, read by {@link readLongCsv}.
 * @example
 * ```ts
 * const { taskLabels, featureNames, tasks } = readLongCsv('school.csv');
 * ```
 * @see {@link readLongCsv}
 */
export interface LongCsv {
  /** Task labels, in task order (see {@link readLongCsv} for the ordering rule). */
  readonly taskLabels: string[];
  /** Feature names (every column except the task and response columns, in file order). */
  readonly featureNames: string[];
  /** Per-task designs (n_t×d) and responses (length n_t; empty when the response column is absent). */
  readonly tasks: { X: Mat; y: Float64Array }[];
  /** For each data row in file order: its task index, its row index within the task and its 1-based line. */
  readonly rowIndex: { task: number; row: number; line: number }[];
  /** 1-based line of the header. */
  readonly headerLine: number;
  /** 1-based column of the task column. */
  readonly taskColumnIndex: number;
  /** Whether the file has a response column. */
  readonly hasResponse: boolean;
}

/**
 * Orders task labels: numeric order when every label is a number (as in the School data, tasks
 * 1…139), otherwise order of first appearance in the file.
 * @param labels - distinct labels in order of first appearance
 * @returns the labels in task order
 * @example
 * ```ts
 * orderTaskLabels(['10', '2', '1']); // ['1', '2', '10']
 * orderTaskLabels(['b', 'a']);       // ['b', 'a']
 * ```
 * @see {@link readLongCsv}
 */
export function orderTaskLabels(labels: readonly string[]): string[] {
  const numeric = labels.every((l) => l !== '' && Number.isFinite(Number(l)));
  if (!numeric) return [...labels];
  // stable: equal numbers written differently ("1" and "1.0") keep their first-appearance order
  return labels.map((l, i) => ({ l, v: Number(l), i })).sort((a, b) => a.v - b.v || a.i - b.i).map((e) => e.l);
}

/**
 * Reads the long per-task layout: a header `task,y,x1,…,xd` (any column order; the task and response
 * columns are found by name, every other column is a feature, in file order), then one row per
 * observation. Tasks are identified by the task column's values (any text, compared after trimming);
 * they are ordered numerically when every label is a number, otherwise by first appearance (see
 * {@link orderTaskLabels}). Blank lines are skipped.
 *
 * @param file - the path (also used in error messages)
 * @param options - column names, whether the response is required, optional text
 * @returns labels, feature names and per-task `{ X, y }`
 * @throws {@link CsvInputError} on an empty or unreadable file, a missing/unknown task or response
 *   column, a ragged row, an empty task label or a non-numeric cell — naming file, line and column
 * @example
 * ```ts
 * const csv = readLongCsv('school.csv');
 * const data = MultiTaskData.fromTasks(csv.tasks); // 139 tasks, 28 features
 * ```
 * @see {@link longCsvToData}, {@link readSharedCsv}
 */
export function readLongCsv(file: string, options: LongCsvOptions = {}): LongCsv {
  const taskColumn = options.taskColumn ?? 'task';
  const responseColumn = options.responseColumn ?? 'y';
  const requireResponse = options.requireResponse ?? true;
  const rows = readRows(file, options.text);
  const header = rows[0]!;
  const layout = `a header "${taskColumn},${responseColumn},x1,…,xd"`;
  checkHeader(file, header, layout);
  const ti = header.cells.indexOf(taskColumn);
  if (ti < 0) {
    throw new CsvInputError(
      file, header.line, 1, `no task column "${taskColumn}" in the header (${headerList(header)})`,
      `${layout} (choose the task column with --task-column)`,
    );
  }
  const yi = header.cells.indexOf(responseColumn);
  if (yi < 0 && requireResponse) {
    throw new CsvInputError(
      file, header.line, 1, `no response column "${responseColumn}" in the header (${headerList(header)})`,
      `${layout} (choose the response column with --response-column)`,
    );
  }
  const featureCols: number[] = [];
  header.cells.forEach((_, j) => { if (j !== ti && j !== yi) featureCols.push(j); });
  if (featureCols.length === 0) throw new CsvInputError(file, header.line, 0, 'no feature column in the header', `${layout} with d ≥ 1 features`);
  if (rows.length === 1) throw new CsvInputError(file, header.line + 1, 0, 'no data rows after the header', 'at least one data row');
  const width = header.cells.length;
  const d = featureCols.length;
  const firstSeen: string[] = [];
  const byLabel = new Map<string, { x: number[]; y: number[] }>();
  const rowLabels: { label: string; row: number; line: number }[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    checkWidth(file, row, width, header.line);
    const label = row.cells[ti]!;
    if (label === '') throw new CsvInputError(file, row.line, ti + 1, 'empty task label', 'a task identifier', taskColumn);
    let e = byLabel.get(label);
    if (!e) {
      byLabel.set(label, (e = { x: [], y: [] }));
      firstSeen.push(label);
    }
    if (yi >= 0) e.y.push(cellNumber(file, row, yi, responseColumn, !requireResponse));
    for (const j of featureCols) e.x.push(cellNumber(file, row, j, header.cells[j]!, false));
    rowLabels.push({ label, row: e.x.length / d - 1, line: row.line });
  }
  const taskLabels = orderTaskLabels(firstSeen);
  const index = new Map(taskLabels.map((l, t) => [l, t] as const));
  const tasks = taskLabels.map((l) => {
    const e = byLabel.get(l)!;
    return { X: { rows: e.x.length / d, cols: d, data: Float64Array.from(e.x) }, y: Float64Array.from(e.y) };
  });
  return {
    taskLabels,
    featureNames: featureCols.map((j) => header.cells[j]!),
    tasks,
    rowIndex: rowLabels.map((r) => ({ task: index.get(r.label)!, row: r.row, line: r.line })),
    headerLine: header.line,
    taskColumnIndex: ti + 1,
    hasResponse: yi >= 0,
  };
}

/**
 * The {@link MultiTaskData} of a long CSV read with the response column.
 * @param csv - the result of {@link readLongCsv}
 * @returns per-task data
 * @throws RangeError when the CSV has no response column
 * @example
 * ```ts
 * const data = longCsvToData(readLongCsv('school.csv'));
 * ```
 * @see {@link readLongCsv}
 */
export function longCsvToData(csv: LongCsv): MultiTaskData {
  if (!csv.hasResponse) throw new RangeError('longCsvToData: the CSV has no response column');
  return MultiTaskData.fromTasks(csv.tasks);
}

/**
 * A numeric matrix CSV with a header, read by {@link readMatrixCsv}.
 * @example
 * ```ts
 * const { names, matrix } = readMatrixCsv('X.csv', false);
 * ```
 * @see {@link readMatrixCsv}
 */
export interface MatrixCsv {
  /** Column names from the header. */
  readonly names: string[];
  /** The values, rows×cols row-major (NaN = missing where allowed). */
  readonly matrix: Mat;
  /** 1-based line of each data row. */
  readonly lines: number[];
  /** 1-based line of the header. */
  readonly headerLine: number;
}

/**
 * Reads a numeric matrix with a header line of column names.
 * @param file - the path (also used in error messages)
 * @param allowMissing - whether an empty cell, `NaN` or `NA` is accepted (read as NaN)
 * @param text - the CSV text (default: read `file`)
 * @returns names, matrix, line numbers
 * @throws {@link CsvInputError} on an empty file, a ragged row or a non-numeric cell
 * @example
 * ```ts
 * readMatrixCsv('Y.csv', true).matrix; // n×T, NaN = missing
 * ```
 * @see {@link readSharedCsv}
 */
export function readMatrixCsv(file: string, allowMissing: boolean, text?: string): MatrixCsv {
  const rows = readRows(file, text);
  const header = rows[0]!;
  checkHeader(file, header, 'a header line of column names');
  if (rows.length === 1) throw new CsvInputError(file, header.line + 1, 0, 'no data rows after the header', 'at least one data row');
  const width = header.cells.length;
  const data = new Float64Array((rows.length - 1) * width);
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    checkWidth(file, row, width, header.line);
    for (let j = 0; j < width; j++) data[(r - 1) * width + j] = cellNumber(file, row, j, header.cells[j]!, allowMissing);
  }
  return { names: header.cells, matrix: { rows: rows.length - 1, cols: width, data }, lines: rows.slice(1).map((r) => r.line), headerLine: header.line };
}

/**
 * A shared-design data set, read by {@link readSharedCsv}.
 * @example
 * ```ts
 * const { data, taskLabels } = readSharedCsv('X.csv', 'Y.csv');
 * ```
 * @see {@link readSharedCsv}
 */
export interface SharedCsv {
  /** Task labels: the header of Y.csv. */
  readonly taskLabels: string[];
  /** Feature names: the header of X.csv. */
  readonly featureNames: string[];
  /** The data (kind `'shared'`, NaN in Y = missing). */
  readonly data: MultiTaskData;
  /** X as read (n×d), in the column order of `featureNames`. */
  readonly X: Mat;
  /** Y as read (n×T, NaN = missing), in the column order of `taskLabels`. */
  readonly Y: Mat;
}

/**
 * Reads shared-design data: `X.csv` (header of feature names, n rows of numbers) and `Y.csv` (header
 * of task names, n rows; an empty cell, `NaN` or `NA` marks a missing response).
 * @param xFile - path of X.csv
 * @param yFile - path of Y.csv
 * @returns labels, names and the shared-design {@link MultiTaskData}
 * @throws {@link CsvInputError} on malformed files, a row-count mismatch, or a task with no observed
 *   response
 * @example
 * ```ts
 * const { data } = readSharedCsv('X.csv', 'Y.csv');
 * data.kind; // 'shared'
 * ```
 * @see {@link readLongCsv}
 */
export function readSharedCsv(xFile: string, yFile: string): SharedCsv {
  const X = readMatrixCsv(xFile, false);
  const Y = readMatrixCsv(yFile, true);
  if (X.matrix.rows !== Y.matrix.rows) {
    const line = Y.matrix.rows > X.matrix.rows ? Y.lines[X.matrix.rows]! : Y.lines[Y.matrix.rows - 1]! + 1;
    throw new CsvInputError(
      yFile, line, 0, `${Y.matrix.rows} data rows`, `${X.matrix.rows} data rows, one per row of ${xFile}`,
    );
  }
  const T = Y.matrix.cols;
  for (let t = 0; t < T; t++) {
    let seen = false;
    for (let i = 0; i < Y.matrix.rows && !seen; i++) seen = !Number.isNaN(Y.matrix.data[i * T + t]!);
    if (!seen) {
      throw new CsvInputError(yFile, 0, t + 1, `task "${Y.names[t]}" has no observed response`, 'at least one number per column', Y.names[t]);
    }
  }
  return { taskLabels: Y.names, featureNames: X.names, data: MultiTaskData.fromShared(X.matrix, Y.matrix), X: X.matrix, Y: Y.matrix };
}
