/**
 * The multi-task data model: per-task designs, or one shared design with a response matrix.
 *
 * @packageDocumentation
 */
import type { Mat, MatLike, VecLike } from '../types.js';
import { toMat, toVec } from '../linalg/mat.js';
import { allocF64 } from '../linalg/wasm/matrix.js';
import type { MultiTaskStatistics } from './statistics.js';
import { checkStatistics, copyStatistics, rowsNeeded } from './statisticsOf.js';
import { checkDataOptions, checkFinite, checkLabels, checkMagnitude, type DataOptions, type WrapParts } from './validate.js';
import { groupLong, type LongOptions } from './longFormat.js';

export type { DataOptions, WrapParts } from './validate.js';
export type { LongOptions, LongColumn } from './longFormat.js';

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

/**
 * Multi-task regression data: T tasks sharing d features.
 *
 * Two layouts (see `docs/objectives.md`, "Notation and data"):
 * - **per-task** ({@link MultiTaskData.fromTasks}): task t has its own X_t (n_t×d) and y_t (n_t);
 * - **shared design** ({@link MultiTaskData.fromShared}): one X (n×d) and a response matrix Y (n×T),
 *   where a NaN in Y marks a missing response; task t then uses only its observed rows (masked loss).
 *
 * The constructor functions copy and validate their inputs; the caller's arrays are never modified.
 * All stored arrays are row-major `Float64Array`s owned by this object: solvers read them and never
 * write to them.
 *
 * @example
 * ```ts
 * const data = MultiTaskData.fromTasks([
 *   { X: [[1, 0], [0, 1], [1, 1]], y: [1, 2, 3] },
 *   { X: [[1, 2], [2, 1]], y: [0, 1] },
 * ]);
 * data.T; // 2
 * data.d; // 2
 * ```
 * @see {@link MultiTaskData.fromTasks}, {@link MultiTaskData.fromShared}
 */
export class MultiTaskData {
  /**
   * `'tasks'` for per-task designs, `'shared'` for one shared design, `'statistics'` for data given by
   * its sufficient statistics ({@link MultiTaskData.fromStatistics}; no rows: `tasks`, `X` and `Y` throw).
   */
  readonly kind: 'tasks' | 'shared' | 'statistics';
  /** Number of features d. */
  readonly d: number;
  /** Number of tasks T. */
  readonly T: number;
  /** n_t, the number of (observed) rows of each task. */
  readonly taskSizes: Int32Array;
  private readonly rows: { tasks: readonly TaskView[]; X: Float64Array | null; Y: Float64Array | null };
  /** The sufficient statistics (kind `'statistics'`); `null` for data with rows. */
  readonly statistics: MultiTaskStatistics | null;
  /** Rows of the shared design (kind `'shared'`); 0 for kind `'tasks'`. */
  readonly n: number;
  /** Whether Y has missing (NaN) responses (kind `'shared'` only). */
  readonly hasMissing: boolean;
  /** The user's task labels (length T), or `null` when none were given (tasks are then named by index). */
  readonly taskLabels: readonly string[] | null;

  private constructor(init: {
    kind: 'tasks' | 'shared' | 'statistics'; d: number; T: number; taskSizes: Int32Array; tasks: TaskView[];
    X: Float64Array | null; Y: Float64Array | null; n: number; hasMissing: boolean; taskLabels: readonly string[] | null;
    statistics?: MultiTaskStatistics | null;
  }) {
    this.kind = init.kind;
    this.d = init.d;
    this.T = init.T;
    this.taskSizes = init.taskSizes;
    this.rows = { tasks: init.tasks, X: init.X, Y: init.Y };
    this.n = init.n;
    this.hasMissing = init.hasMissing;
    this.taskLabels = init.taskLabels;
    this.statistics = init.statistics ?? null;
    if (init.kind === 'shared') {
      checkMagnitude([init.X!], 'X');
      checkMagnitude([init.Y!], 'Y');
    } else if (init.kind === 'tasks') {
      checkMagnitude(init.tasks.map((v) => v.X), 'X');
      checkMagnitude(init.tasks.map((v) => v.y), 'y');
    }
  }

  /** Per-task designs and responses (kind `'tasks'`); empty for kind `'shared'`. */
  get tasks(): readonly TaskView[] {
    if (this.statistics !== null) throw rowsNeeded('tasks');
    return this.rows.tasks;
  }

  /** Shared design X, n×d row-major (kind `'shared'`); `null` for kind `'tasks'`. */
  get X(): Float64Array | null {
    if (this.statistics !== null) throw rowsNeeded('X');
    return this.rows.X;
  }

  /** Shared responses Y, n×T row-major, NaN = missing (kind `'shared'`); `null` for kind `'tasks'`. */
  get Y(): Float64Array | null {
    if (this.statistics !== null) throw rowsNeeded('Y');
    return this.rows.Y;
  }

  /**
   * Data given by its sufficient statistics (G_t = X_tᵀX_t, X_tᵀy_t, y_tᵀy_t, n_t and column sums; see
   * `docs/objectives.md`, "Sufficient statistics"), validated by {@link checkStatistics}. Models whose
   * solvers need only these (the squared loss through its Gram form) fit from them with the same W,
   * objective and certificate as from the rows; anything that needs rows (residual solvers,
   * cross-validation folds, per-row weights) throws a TypeError saying so.
   * @param stats - the statistics (copied)
   * @returns the data object (kind `'statistics'`), with the statistics' task labels
   * @throws TypeError / RangeError from {@link checkStatistics}
   * @example
   * ```ts
   * const data = MultiTaskData.fromStatistics(statisticsFromRows(sqlRows, features));
   * const fit = groupLasso(data, { lambda: 0.1 });
   * ```
   * @see {@link statisticsOf}, {@link accumulateStatistics}
   */
  static fromStatistics(stats: MultiTaskStatistics): MultiTaskData {
    const s = copyStatistics(checkStatistics(stats));
    const sizes = Int32Array.from(s.n);
    return new MultiTaskData({
      kind: 'statistics', d: s.d, T: s.T, taskSizes: sizes, tasks: [], X: null, Y: null, n: 0, hasMissing: false,
      taskLabels: checkLabels(s.taskLabels, s.T), statistics: s,
    });
  }

  /**
   * How messages name task t: `task "north"` with labels, `task 3` without.
   * @param t - task index
   * @returns the name
   * @example
   * ```ts
   * MultiTaskData.fromTasks(tasks, { labels: ['north', 'south'] }).taskName(1); // 'task "south"'
   * ```
   * @see {@link MultiTaskData.taskLabels}
   */
  taskName(t: number): string {
    const l = this.taskLabels;
    return l !== null && t >= 0 && t < l.length ? `task ${JSON.stringify(l[t])}` : `task ${t}`;
  }

  /**
   * The same data with other task labels (the arrays are shared, not copied).
   * @param labels - T distinct labels, or `null` to drop them
   * @returns a data object over the same arrays
   * @throws RangeError when the count differs from T or a label repeats
   * @example
   * ```ts
   * const named = data.withTaskLabels(['north', 'south']);
   * ```
   * @see {@link MultiTaskData.taskName}
   */
  withTaskLabels(labels: readonly (string | number)[] | null): MultiTaskData {
    return new MultiTaskData({ ...this.parts(), taskLabels: checkLabels(labels, this.T) });
  }

  private parts(): {
    kind: 'tasks' | 'shared' | 'statistics'; d: number; T: number; taskSizes: Int32Array; tasks: TaskView[];
    X: Float64Array | null; Y: Float64Array | null; n: number; hasMissing: boolean; statistics: MultiTaskStatistics | null;
  } {
    return {
      kind: this.kind, d: this.d, T: this.T, taskSizes: this.taskSizes, tasks: this.rows.tasks.slice(), X: this.rows.X, Y: this.rows.Y,
      n: this.n, hasMissing: this.hasMissing, statistics: this.statistics,
    };
  }

  /**
   * Per-task data: task t has its own design X_t (n_t×d) and responses y_t; n_t may differ.
   *
   * @param tasks - one `{ X, y }` per task; X as `number[][]`, ml-matrix `Matrix` or {@link Mat}
   * @param options - task labels ({@link DataOptions})
   * @returns the validated data (copies of the inputs)
   * @throws TypeError when `tasks` is not a non-empty array or an entry is malformed
   * @throws RangeError on a shape mismatch (naming the task and both shapes), an empty task, zero
   *   features, or a non-finite value in X or y
   * @example
   * ```ts
   * const data = MultiTaskData.fromTasks([{ X: [[1, 2]], y: [3] }, { X: [[0, 1], [1, 0]], y: [1, 2] }]);
   * ```
   * @see {@link MultiTaskData.fromShared}
   */
  static fromTasks(tasks: readonly TaskInput[], options: DataOptions = {}): MultiTaskData {
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
    return new MultiTaskData({
      kind: 'tasks', d, T: views.length, taskSizes: sizes, tasks: views, X: null, Y: null, n: 0, hasMissing: false, taskLabels: labels,
    });
  }

  /**
   * Shared-design data (multi-response regression Y = XB + E): every task uses the same X.
   * A NaN in Y marks a missing response; task t uses only the rows where Y[i, t] is observed.
   *
   * @param X - design, n×d
   * @param Y - responses, n×T (NaN = missing); a vector (`number[]`) is taken as one task (n×1)
   * @param options - task labels ({@link DataOptions})
   * @returns the validated data (copies of the inputs)
   * @throws RangeError on a shape mismatch, zero rows/features/tasks, a non-finite X, ±Inf in Y, or
   *   a column of Y with no observed value
   * @example
   * ```ts
   * const data = MultiTaskData.fromShared([[1, 0], [0, 1], [1, 1]], [[1, NaN], [2, 1], [3, 0]]);
   * data.taskSizes; // Int32Array [3, 2]
   * ```
   * @see {@link MultiTaskData.fromTasks}
   */
  static fromShared(X: MatLike, Y: MatLike | VecLike, options: DataOptions = {}): MultiTaskData {
    checkDataOptions(options);
    const Xm = toMat(X, 'X', residentCopy);
    let Ym: Mat;
    if (Y instanceof Float64Array || (Array.isArray(Y) && (Y.length === 0 || typeof Y[0] === 'number'))) {
      const v = toVec(Y as VecLike, 'Y');
      Ym = { rows: v.length, cols: 1, data: v };
    } else {
      Ym = toMat(Y as MatLike, 'Y');
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
    return new MultiTaskData({ kind: 'shared', d: Xm.cols, T, taskSizes: sizes, tasks: [], X: Xm.data, Y: Ym.data, n, hasMissing, taskLabels: labels });
  }

  /**
   * Per-task data from rows in the long layout (one row per observation: task label, response,
   * features), as the command line's CSV `task,y,x1,…,xd`. Tasks are ordered ascending when every
   * label is a number, else by first appearance; the labels become {@link MultiTaskData.taskLabels}.
   * @param rows - rows of objects or of arrays
   * @param options - `{ task, y, features? }`: property names (objects) or column indices (arrays)
   * @returns per-task data with task labels
   * @throws TypeError / RangeError naming the row, the column and the task on a bad value
   * @example
   * ```ts
   * const data = MultiTaskData.fromLong(
   *   [{ school: 'north', score: 3, hours: 2 }, { school: 'south', score: 1, hours: 0 }, { school: 'north', score: 4, hours: 3 }],
   *   { task: 'school', y: 'score', features: ['hours'] },
   * );
   * data.taskLabels; // ['north', 'south']
   * ```
   * @see {@link MultiTaskData.fromTasks}
   */
  static fromLong(rows: readonly unknown[], options: LongOptions): MultiTaskData {
    const g = groupLong(rows, options);
    return MultiTaskData.wrap({ kind: 'tasks', d: g.d, T: g.labels.length, tasks: g.tasks, labels: g.labels });
  }

  /**
   * Data over existing row-major arrays, without copying them (for arrays in shared memory, e.g.
   * cross-validation workers over SharedArrayBuffers). Shapes and values are validated as by
   * {@link MultiTaskData.fromTasks} / {@link MultiTaskData.fromShared}; the arrays must not be
   * modified afterwards (fits cache statistics per data object).
   * @param parts - `{ kind: 'shared', d, T, n, X, Y, labels? }` or `{ kind: 'tasks', d, T, tasks, labels? }`
   * @returns the data object over those arrays
   * @throws RangeError on a length mismatch or a non-finite value (NaN allowed in a shared Y)
   * @example
   * ```ts
   * const X = new Float64Array(new SharedArrayBuffer(8 * n * d)); // … filled
   * const data = MultiTaskData.wrap({ kind: 'shared', d, T, n, X, Y });
   * ```
   * @see {@link MultiTaskData.fromShared}
   */
  static wrap(parts: WrapParts): MultiTaskData {
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
      return new MultiTaskData({ kind: 'shared', d, T, taskSizes: sizes, tasks: [], X, Y, n, hasMissing, taskLabels: labels });
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
    return new MultiTaskData({ kind: 'tasks', d, T, taskSizes: sizes, tasks: views, X: null, Y: null, n: 0, hasMissing: false, taskLabels: labels });
  }

  /**
   * Task t's observed data as a per-task design (copies): for shared data, the rows of X where
   * Y[·, t] is observed.
   * @param t - task index in [0, T)
   * @returns `{ X, y }` with X an n_t×d {@link Mat}
   * @throws RangeError when t is out of range
   * @example
   * ```ts
   * const { X, y } = data.task(0);
   * ```
   * @see {@link MultiTaskData.toTasks}
   */
  task(t: number): { X: Mat; y: Float64Array } {
    if (!Number.isInteger(t) || t < 0 || t >= this.T) throw new RangeError(`task: expected an integer in [0, ${this.T}), got ${t}`);
    const d = this.d;
    if (this.kind === 'tasks') {
      const v = this.tasks[t]!;
      return { X: { rows: v.n, cols: d, data: Float64Array.from(v.X) }, y: Float64Array.from(v.y) };
    }
    const nt = this.taskSizes[t]!;
    const X = new Float64Array(nt * d);
    const y = new Float64Array(nt);
    const Xs = this.X!, Ys = this.Y!, T = this.T;
    let r = 0;
    for (let i = 0; i < this.n; i++) {
      const v = Ys[i * T + t]!;
      if (Number.isNaN(v)) continue;
      X.set(Xs.subarray(i * d, (i + 1) * d), r * d);
      y[r++] = v;
    }
    return { X: { rows: nt, cols: d, data: X }, y };
  }

  /**
   * The same data in the per-task layout (shared designs are split into the observed rows of each task).
   * @returns per-task data with identical objective values
   * @example
   * ```ts
   * const perTask = MultiTaskData.fromShared(X, Y).toTasks();
   * ```
   * @see {@link MultiTaskData.task}
   */
  toTasks(): MultiTaskData {
    if (this.kind === 'tasks') return this;
    const tasks: TaskInput[] = [];
    for (let t = 0; t < this.T; t++) {
      const { X, y } = this.task(t);
      tasks.push({ X, y });
    }
    return MultiTaskData.fromTasks(tasks, { labels: this.taskLabels });
  }

  /** Total number of observed responses Σ_t n_t. */
  get totalSize(): number {
    let s = 0;
    for (let t = 0; t < this.T; t++) s += this.taskSizes[t]!;
    return s;
  }
}

/**
 * Accepts either a {@link MultiTaskData} or per-task inputs and returns a {@link MultiTaskData}.
 * @param data - data object or an array of `{ X, y }`
 * @returns the data object
 * @throws TypeError when `data` is neither
 * @example
 * ```ts
 * const d = asData([{ X: [[1]], y: [1] }]);
 * ```
 * @see {@link MultiTaskData}
 */
export function asData(data: MultiTaskData | readonly TaskInput[]): MultiTaskData {
  if (data instanceof MultiTaskData) return data;
  if (Array.isArray(data)) return MultiTaskData.fromTasks(data);
  throw new TypeError('data: expected a MultiTaskData (fromTasks / fromShared) or an array of { X, y }');
}

/**
 * Storage for a data object's copy of a large shared design: in the WebAssembly kernels' memory, so
 * the blocked products use it in place instead of copying it into scratch memory for every call
 * (which held a second copy of X for the life of the process; issue #13). Small arrays, and any array
 * when that memory cannot grow, stay on the ordinary heap.
 */
function residentCopy(length: number): Float64Array {
  if (length < 1 << 18) return new Float64Array(length);
  try {
    return allocF64(length);
  } catch {
    return new Float64Array(length);
  }
}
