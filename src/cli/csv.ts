/**
 * CSV input of the command line: the long per-task layout (`task,y,x1,…,xd`, read by
 * `readLongCsv` of `src/io/node.ts`) and the shared-design layout (`X.csv` n×d plus `Y.csv` n×T),
 * both parsed straight into typed arrays by the strict reader of `src/io/`.
 *
 * Every malformed input throws a {@link CsvInputError} naming the file, the 1-based line and column
 * and what was expected, e.g. `school.csv:17:4 (column "x2"): got "abc"; expected a finite number`.
 *
 * @packageDocumentation
 */
import { MultiTaskData } from '../data/MultiTaskData.js';
import type { Mat } from '../types.js';
import { CsvInputError, readMatrixCsv } from '../io/node.js';

export { CsvInputError, orderTaskLabels } from '../io/csv.js';
export { readLongCsv, readMatrixCsv } from '../io/node.js';
export type { LongCsv, MatrixCsv } from '../io/csv.js';

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
 * @see {@link readMatrixCsv}
 */
export function readSharedCsv(xFile: string, yFile: string): SharedCsv {
  const X = readMatrixCsv(xFile, false);
  const Y = readMatrixCsv(yFile, true);
  if (X.matrix.rows !== Y.matrix.rows) {
    const line = Y.matrix.rows > X.matrix.rows ? Y.lines[X.matrix.rows]! : Y.lines[Y.matrix.rows - 1]! + 1;
    throw new CsvInputError(yFile, line, 0, `${Y.matrix.rows} data rows`, `${X.matrix.rows} data rows, one per row of ${xFile}`);
  }
  const T = Y.matrix.cols;
  for (let t = 0; t < T; t++) {
    let seen = false;
    for (let i = 0; i < Y.matrix.rows && !seen; i++) seen = !Number.isNaN(Y.matrix.data[i * T + t]!);
    if (!seen) throw new CsvInputError(yFile, 0, t + 1, `task "${Y.names[t]}" has no observed response`, 'at least one number per column', Y.names[t]);
  }
  // the data object takes the arrays as read (no copy; nothing modifies them afterwards)
  const data = MultiTaskData.wrap({ kind: 'shared', d: X.matrix.cols, T, n: X.matrix.rows, X: X.matrix.data, Y: Y.matrix.data, labels: Y.names });
  return { taskLabels: Y.names, featureNames: X.names, data, X: X.matrix, Y: Y.matrix };
}
