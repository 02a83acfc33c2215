/**
 * Validation and assembly of the arrays behind a {@link MultiTaskData}: the constructor functions'
 * bodies (per-task inputs, a shared design with a possibly incomplete response matrix, and arrays
 * wrapped without a copy), each returning the {@link DataParts} the data object is built from.
 *
 * @packageDocumentation
 */
import type { Mat, MatLike, VecLike } from '../types.js';
import { toMat, toVec } from '../linalg/mat.js';
import { residentOrHeap } from '../linalg/wasm/matrix.js';
import type { MultiTaskStatistics } from './statistics.js';
import { checkDataOptions, checkFinite, checkLabels, checkMagnitude, type DataOptions, type WrapParts } from './validate.js';

/** One task's data as accepted by {@link MultiTaskData.fromTasks}. */
export interface TaskInput {
  /** Design, n_t×d. */
  readonly X: MatLike;
  /** Responses, length n_t. */
  readonly y: VecLike;
}

/** One task's data as stored (row-major copies owned by the data object; never modify them). */
export interface TaskView {
  /** Design, n_t×d, row-major. */
  readonly X: Float64Array;
  /** Responses, length n_t. */
  readonly y: Float64Array;
  /** n_t. */
  readonly n: number;
}

/** What a {@link MultiTaskData} is built from (validated shapes and values). */
export interface DataParts {
  /** Layout. */
  kind: 'tasks' | 'shared' | 'statistics';
  /** Number of features. */
  d: number;
  /** Number of tasks. */
  T: number;
  /** Observed rows per task. */
  taskSizes: Int32Array;
  /** Per-task arrays (kind `'tasks'`). */
  tasks: TaskView[];
  /** Shared design, n×d (kind `'shared'`); with {@link DataParts.rows}, the stored design those rows index. */
  X: Float64Array | null;
  /** The rows of `X` and `Y` this data uses, in order (a row-subset view, {@link rowSubsetParts}), or null/absent for all. */
  rows?: Int32Array | null;
  /**
   * Per-task row subsets (kind `'tasks'`, {@link taskSubsetParts}): row a of task t is row taskRows[t][a]
   * of tasks[t].X (the stored design; tasks[t].y and .n are the subset's own), or null/absent.
   */
  taskRows?: readonly Int32Array[] | null;
  /** Shared responses, n×T, NaN = missing (kind `'shared'`); with {@link DataParts.rows}, the stored responses those rows index. */
  Y: Float64Array | null;
  /** Rows of the shared design. */
  n: number;
  /** Whether Y has a missing response. */
  hasMissing: boolean;
  /** Task labels, or `null`. */
  taskLabels: readonly string[] | null;
  /** Sufficient statistics (kind `'statistics'`). */
  statistics?: MultiTaskStatistics | null;
}

/**
 * Validated parts of per-task data (copies of the inputs): the body of {@link MultiTaskData.fromTasks}.
 * @param tasks - one `{ X, y }` per task
 * @param options - task labels
 * @returns the parts for the data object
 * @throws TypeError / RangeError as documented on {@link MultiTaskData.fromTasks}
 * @example
 * ```ts
 * const parts = tasksParts([{ X: [[1, 2]], y: [3] }], {}); // parts.d = 2
 * ```
 * @see {@link MultiTaskData.fromTasks}
 */
export function tasksParts(tasks: readonly TaskInput[], options: DataOptions): DataParts {
  if (!Array.isArray(tasks)) throw new TypeError('tasks: expected an array of { X, y }, one per task');
  if (tasks.length === 0) throw new RangeError('tasks: expected at least one task, got 0');
  const labels = checkLabels(checkDataOptions(options).labels, tasks.length);
  const name = (t: number): string => (labels ? `task ${JSON.stringify(labels[t])}` : `task ${t}`);
  const views: TaskView[] = [];
  let d = -1;
  for (let t = 0; t < tasks.length; t++) {
    const task = tasks[t] as TaskInput | undefined;
    if (typeof task !== 'object' || task === null || task.X === undefined || task.y === undefined) {
      throw new TypeError(`tasks[${t}]: expected an object { X, y }`);
    }
    const X = toMat(task.X, `tasks[${t}].X`);
    const y = toVec(task.y, `tasks[${t}].y`);
    if (X.rows === 0) throw new RangeError(`tasks[${t}].X: ${name(t)} is empty (0 rows); every task needs at least one row`);
    if (X.cols === 0) throw new RangeError(`tasks[${t}].X: 0 features (columns); expected d ≥ 1`);
    if (d < 0) d = X.cols;
    else if (X.cols !== d) {
      throw new RangeError(`tasks[${t}].X: ${name(t)} has ${X.rows}×${X.cols}, expected ${X.rows}×${d} (d = ${d} features, as ${name(0)})`);
    }
    if (y.length !== X.rows) {
      throw new RangeError(`tasks[${t}].y: ${name(t)} has X ${X.rows}×${X.cols} but y of length ${y.length}; expected length ${X.rows}`);
    }
    checkFinite(X.data, X.rows, X.cols, `tasks[${t}].X (${name(t)})`);
    for (let i = 0; i < y.length; i++) {
      if (!Number.isFinite(y[i]!)) {
        throw new RangeError(`tasks[${t}].y: ${name(t)}, entry ${i} is ${y[i]}; expected finite numbers (per-task data has no missing responses)`);
      }
    }
    views.push({ X: X.data, y, n: X.rows });
  }
  const sizes = Int32Array.from(views, (v) => v.n);
  return {
    kind: 'tasks', d, T: views.length, taskSizes: sizes, tasks: views, X: null, Y: null, n: 0, hasMissing: false, taskLabels: labels,
  };
}

/**
 * Validated parts of shared-design data (copies of the inputs): the body of {@link MultiTaskData.fromShared}.
 * @param X - design, n×d
 * @param Y - responses, n×T (NaN = missing), or a vector for one task
 * @param options - task labels
 * @returns the parts for the data object
 * @throws RangeError as documented on {@link MultiTaskData.fromShared}
 * @example
 * ```ts
 * const parts = sharedParts([[1, 0], [0, 1]], [[1, NaN], [2, 1]], {}); // parts.taskSizes = [2, 1]
 * ```
 * @see {@link MultiTaskData.fromShared}
 */
export function sharedParts(X: MatLike, Y: MatLike | VecLike, options: DataOptions): DataParts {
  checkDataOptions(options);
  // the data object's copy of a large design lives in the kernels' memory, so the blocked products
  // use it in place instead of a process-lifetime scratch copy (issue #13)
  const Xm = toMat(X, 'X', residentOrHeap);
  let Ym: Mat;
  if (Y instanceof Float64Array || (Array.isArray(Y) && (Y.length === 0 || typeof Y[0] === 'number'))) {
    const v = toVec(Y as VecLike, 'Y');
    Ym = { rows: v.length, cols: 1, data: v };
  } else {
    Ym = toMat(Y as MatLike, 'Y', residentOrHeap); // resident when large: shared with CV workers as it is
  }
  if (Xm.rows === 0) throw new RangeError('X: 0 rows; expected n ≥ 1');
  if (Xm.cols === 0) throw new RangeError('X: 0 features (columns); expected d ≥ 1');
  if (Ym.cols === 0) throw new RangeError('Y: 0 tasks (columns); expected T ≥ 1');
  if (Ym.rows !== Xm.rows) {
    throw new RangeError(`Y: has ${Ym.rows}×${Ym.cols}, expected ${Xm.rows}×${Ym.cols} (same number of rows as X, which is ${Xm.rows}×${Xm.cols})`);
  }
  checkFinite(Xm.data, Xm.rows, Xm.cols, 'X');
  const T = Ym.cols;
  const n = Xm.rows;
  const sizes = new Int32Array(T);
  let hasMissing = false;
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < T; t++) {
      const v = Ym.data[i * T + t]!;
      if (Number.isNaN(v)) hasMissing = true;
      else if (!Number.isFinite(v)) throw new RangeError(`Y: entry (${i}, ${t}) (task ${t}) is ${v}; expected a finite number or NaN for missing`);
      else sizes[t]!++;
    }
  }
  const labels = checkLabels(options.labels, T);
  const name = (t: number): string => (labels ? `task ${JSON.stringify(labels[t])}` : `task ${t}`);
  for (let t = 0; t < T; t++) {
    if (sizes[t] === 0) throw new RangeError(`Y: column ${t} (${name(t)}) has no observed value; every task needs at least one`);
  }
  return { kind: 'shared', d: Xm.cols, T, taskSizes: sizes, tasks: [], X: Xm.data, Y: Ym.data, n, hasMissing, taskLabels: labels };
}

/**
 * Validated parts over existing row-major arrays (no copy): the body of {@link MultiTaskData.wrap}.
 * @param parts - `{ kind: 'shared', d, T, n, X, Y, labels? }` or `{ kind: 'tasks', d, T, tasks, labels? }`
 * @returns the parts for the data object
 * @throws RangeError on a length mismatch or a non-finite value (NaN allowed in a shared Y)
 * @example
 * ```ts
 * const p = wrappedParts({ kind: 'shared', d: 1, T: 1, n: 1, X: new Float64Array([1]), Y: new Float64Array([2]) });
 * ```
 * @see {@link MultiTaskData.wrap}
 */
export function wrappedParts(parts: WrapParts): DataParts {
  const labels = checkLabels(parts.labels, parts.T);
  if (parts.kind === 'shared') {
    const { d, T, n, X, Y } = parts;
    if (X.length !== n * d) throw new RangeError(`X: has ${X.length} entries, expected n·d = ${n}·${d}`);
    if (Y.length !== n * T) throw new RangeError(`Y: has ${Y.length} entries, expected n·T = ${n}·${T}`);
    checkFinite(X, n, d, 'X');
    const sizes = new Int32Array(T);
    let hasMissing = false;
    for (let i = 0; i < n * T; i++) {
      const v = Y[i]!;
      if (Number.isNaN(v)) hasMissing = true;
      else if (!Number.isFinite(v)) throw new RangeError(`Y: entry ${i} is ${v}; expected a finite number or NaN for missing`);
      else sizes[i % T]!++;
    }
    return { kind: 'shared', d, T, taskSizes: sizes, tasks: [], X, Y, n, hasMissing, taskLabels: labels };
  }
  const { d, T, tasks } = parts;
  if (tasks.length !== T) throw new RangeError(`tasks: expected ${T} tasks, got ${tasks.length}`);
  const views: TaskView[] = tasks.map((v, t) => {
    if (v.X.length !== v.n * d || v.y.length !== v.n) throw new RangeError(`tasks[${t}]: expected X of ${v.n}·${d} and y of ${v.n} entries`);
    checkFinite(v.X, v.n, d, `tasks[${t}].X`);
    checkFinite(v.y, v.n, 1, `tasks[${t}].y`);
    return { X: v.X, y: v.y, n: v.n };
  });
  const sizes = Int32Array.from(views, (v) => v.n);
  return { kind: 'tasks', d, T, taskSizes: sizes, tasks: views, X: null, Y: null, n: 0, hasMissing: false, taskLabels: labels };
}

/**
 * Parts of the rows `rows` of shared-design data without copying them: X and Y stay the parent's
 * stored arrays and the parts list the rows they use (composed with the parent's own row list). The
 * body of {@link MultiTaskData.selectRows}, used by cross-validation folds so that every fold and
 * worker reads one copy of the data (issue #13).
 * @param parent - parts of shared-design data
 * @param rows - row indices into the parent, each in [0, n) (any order; repeats allowed)
 * @param labels - the task labels to keep
 * @returns the parts of the row subset
 * @throws TypeError when the parent is not a shared design or `rows` is not an Int32Array
 * @throws RangeError on an index out of range, no rows, or a task left without an observed response
 * @example
 * ```ts
 * const p = rowSubsetParts(sharedParts([[1], [2], [3]], [4, 5, 6], {}), Int32Array.from([0, 2]), null); // p.n = 2
 * ```
 * @see {@link MultiTaskData.selectRows}
 */
export function rowSubsetParts(parent: DataParts, rows: Int32Array, labels: readonly string[] | null): DataParts {
  if (parent.kind !== 'shared') throw new TypeError(`rows: selectRows needs shared-design data (kind 'shared'), got kind '${parent.kind}'`);
  if (!(rows instanceof Int32Array)) throw new TypeError('rows: expected an Int32Array of row indices');
  const { d, T, n: N } = parent;
  const n = rows.length;
  if (n === 0) throw new RangeError('rows: expected at least one row, got 0');
  const base = parent.rows ?? null, Y0 = parent.Y!;
  const index = new Int32Array(n);
  const sizes = new Int32Array(T);
  let hasMissing = false;
  for (let a = 0; a < n; a++) {
    const i = rows[a]!;
    if (i < 0 || i >= N) throw new RangeError(`rows: entry ${a} is ${i}; expected a row index in [0, ${N})`);
    const b = (index[a] = base === null ? i : base[i]!);
    for (let t = 0; t < T; t++) {
      const v = Y0[b * T + t]!;
      if (Number.isNaN(v)) hasMissing = true;
      else sizes[t]!++;
    }
  }
  for (let t = 0; t < T; t++) {
    if (sizes[t] === 0) throw new RangeError(`rows: task ${labels ? JSON.stringify(labels[t]) : t} has no observed response in the selected rows; every task needs at least one`);
  }
  return { kind: 'shared', d, T, taskSizes: sizes, tasks: [], X: parent.X, rows: index, Y: Y0, n, hasMissing, taskLabels: labels };
}

/**
 * Parts of per-task row subsets without copying the designs: each task keeps its stored X_t and lists
 * the rows it uses (composed with the parent's own lists); the responses are gathered (n_t values). The
 * body of {@link MultiTaskData.selectTaskRows}, used by cross-validation folds of per-task data (issue #13).
 * @param parent - parts of per-task data
 * @param rows - per task, row indices into the parent's task (any order; repeats allowed)
 * @returns the parts of the row subset
 * @throws TypeError when the parent is not per-task or `rows` is not one Int32Array per task
 * @throws RangeError on an index out of range or a task left without rows
 * @example
 * ```ts
 * const p = taskSubsetParts(tasksParts([{ X: [[1], [2]], y: [3, 4] }], {}), [Int32Array.from([1])]); // p.taskSizes = [1]
 * ```
 * @see {@link MultiTaskData.selectTaskRows}
 */
export function taskSubsetParts(parent: DataParts, rows: readonly Int32Array[]): DataParts {
  if (parent.kind !== 'tasks') throw new TypeError(`rows: selectTaskRows needs per-task data (kind 'tasks'), got kind '${parent.kind}'`);
  const T = parent.T, name = (t: number): string => (parent.taskLabels ? `task ${JSON.stringify(parent.taskLabels[t])}` : `task ${t}`);
  if (!Array.isArray(rows) || rows.length !== T || !rows.every((r) => r instanceof Int32Array)) {
    throw new TypeError(`rows: expected ${T} Int32Arrays of row indices, one per task`);
  }
  const base = parent.taskRows ?? null, tasks: TaskView[] = [], index: Int32Array[] = [];
  for (let t = 0; t < T; t++) {
    const v = parent.tasks[t]!, r = rows[t]!, m = r.length, idx = new Int32Array(m), y = new Float64Array(m);
    if (m === 0) throw new RangeError(`rows: ${name(t)} has no selected row; every task needs at least one`);
    for (let a = 0; a < m; a++) {
      const i = r[a]!;
      if (!(i >= 0 && i < v.n)) throw new RangeError(`rows: ${name(t)}, entry ${a} is ${i}; expected a row index in [0, ${v.n})`);
      idx[a] = base === null ? i : base[t]![i]!;
      y[a] = v.y[i]!;
    }
    tasks.push({ X: v.X, y, n: m });
    index.push(idx);
  }
  return { ...parent, tasks, taskRows: index, taskSizes: Int32Array.from(index, (r) => r.length) };
}

/**
 * C[a, :] = A[rows[a], :] (A with `cols` columns, row-major): the copy of a row subset.
 * @param A - the stored matrix
 * @param rows - the rows
 * @param cols - columns of A
 * @returns the gathered rows
 * @example
 * ```ts
 * gatherRows(new Float64Array([1, 2, 3, 4]), Int32Array.from([1]), 2); // [3, 4]
 * ```
 */
export function gatherRows(A: Float64Array, rows: Int32Array, cols: number): Float64Array {
  const C = new Float64Array(rows.length * cols);
  for (let a = 0; a < rows.length; a++) C.set(A.subarray(rows[a]! * cols, rows[a]! * cols + cols), a * cols);
  return C;
}

/**
 * Task t's observed rows of a shared design, copied: the rows b = rows[i] (rows null: b = i) of X with
 * Y[b, t] not NaN, in order, and their responses.
 * @param X - the stored design (n_stored×d)
 * @param Y - the stored responses (n_stored×T, NaN = missing)
 * @param rows - the row subset, or null
 * @param n - rows of the data (of the subset)
 * @param d - features
 * @param T - tasks
 * @param t - the task
 * @param nt - its number of observed rows
 * @returns `{ X: n_t×d, y: n_t }`
 * @example
 * ```ts
 * observedRows(X, Y, null, n, d, T, 0, data.taskSizes[0]);
 * ```
 * @see {@link gatherRows}
 */
export function observedRows(
  X: Float64Array, Y: Float64Array, rows: Int32Array | null, n: number, d: number, T: number, t: number, nt: number,
): { X: Float64Array; y: Float64Array } {
  const Xt = new Float64Array(nt * d), y = new Float64Array(nt);
  let r = 0;
  for (let i = 0; i < n; i++) {
    const b = rows === null ? i : rows[i]!, v = Y[b * T + t]!;
    if (Number.isNaN(v)) continue;
    Xt.set(X.subarray(b * d, b * d + d), r * d);
    y[r++] = v;
  }
  return { X: Xt, y };
}

/**
 * Checks the magnitude of the values behind new data parts (see `checkMagnitude`); a row subset's
 * arrays were checked with its parent and are skipped.
 * @param init - the parts a data object is built from
 * @throws RangeError from `checkMagnitude`
 * @example
 * ```ts
 * checkPartsMagnitude(sharedParts(X, Y, {}));
 * ```
 * @see {@link sharedParts}
 */
export function checkPartsMagnitude(init: DataParts): void {
  if (init.kind === 'shared') {
    if (!init.rows) {
      checkMagnitude([init.X!], 'X');
      checkMagnitude([init.Y!], 'Y');
    }
  } else if (init.kind === 'tasks' && !init.taskRows) {
    checkMagnitude(init.tasks.map((v) => v.X), 'X');
    checkMagnitude(init.tasks.map((v) => v.y), 'y');
  }
}
