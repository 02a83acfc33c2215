/**
 * The multi-task data model: per-task designs, or one shared design with a response matrix (the
 * validation of the inputs is in `dataParts.ts`).
 *
 * @packageDocumentation
 */
import type { Mat, MatLike, VecLike } from '../types.js';
import type { MultiTaskStatistics } from './statistics.js';
import { checkStatistics, copyStatistics, rowsNeeded } from './statisticsOf.js';
import { checkLabels, type DataOptions, type WrapParts } from './validate.js';
import { checkPartsMagnitude, gatherRows, observedRows, rowSubsetParts, sharedParts, taskSubsetParts, tasksParts, wrappedParts, type DataParts, type TaskInput, type TaskView } from './dataParts.js';
import { checkLive, disposeData, owning, viewOf } from './dispose.js';
import { groupLong, type LongOptions } from './longFormat.js';

export type { DataOptions, WrapParts } from './validate.js';
export type { LongOptions, LongColumn } from './longFormat.js';

export type { TaskInput, TaskView } from './dataParts.js';

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
  private readonly rows: {
    tasks: readonly TaskView[]; X: Float64Array | null; Y: Float64Array | null; index: Int32Array | null;
    copyX: Float64Array | null; copyY: Float64Array | null;
    /** Per-task row subsets ({@link MultiTaskData.selectTaskRows}): row a of task t is row taskIndex[t][a] of tasks[t].X. */
    taskIndex: readonly Int32Array[] | null; copyTasks: TaskView[] | null;
  };
  /** The sufficient statistics (kind `'statistics'`); `null` for data with rows. */
  readonly statistics: MultiTaskStatistics | null;
  /** Rows of the shared design (kind `'shared'`); 0 for kind `'tasks'`. */
  readonly n: number;
  /** Whether Y has missing (NaN) responses (kind `'shared'` only). */
  readonly hasMissing: boolean;
  /** The user's task labels (length T), or `null` when none were given (tasks are then named by index). */
  readonly taskLabels: readonly string[] | null;

  private constructor(init: DataParts) {
    this.kind = init.kind;
    this.d = init.d;
    this.T = init.T;
    this.taskSizes = init.taskSizes;
    this.rows = { tasks: init.tasks, X: init.X, Y: init.Y, index: init.rows ?? null, copyX: null, copyY: null, taskIndex: init.taskRows ?? null, copyTasks: null };
    this.n = init.n;
    this.hasMissing = init.hasMissing;
    this.taskLabels = init.taskLabels;
    this.statistics = init.statistics ?? null;
    checkPartsMagnitude(init);
  }

  /** Per-task designs and responses (kind `'tasks'`; a row subset's: copies made on first access, see {@link MultiTaskData.taskView}). */
  get tasks(): readonly TaskView[] {
    if (checkLive(this, 'tasks').statistics !== null) throw rowsNeeded('tasks');
    const r = this.rows, idx = r.taskIndex;
    if (idx === null) return r.tasks;
    return (r.copyTasks ??= r.tasks.map((v, t) => ({ X: gatherRows(v.X, idx[t]!, this.d), y: v.y, n: v.n })));
  }

  /**
   * Task t's design as stored (kind `'tasks'`): row a is row `rows[a]` of `X` (`rows` null: X's first
   * n rows), `y[a]` its response; row subsets ({@link MultiTaskData.selectTaskRows}) share their parent's X.
   * @param t - task index
   * @returns `{ X, y, rows, n }` (do not modify)
   * @throws TypeError for data that are not per-task
   * @example
   * ```ts
   * const { X, y, rows, n } = data.taskView(0); // x_a = X[(rows ? rows[a] : a)·d …]
   * ```
   * @see {@link MultiTaskData.selectTaskRows}
   */
  taskView(t: number): { X: Float64Array; y: Float64Array; rows: Int32Array | null; n: number } {
    if (checkLive(this, 'taskView').kind !== 'tasks') throw new TypeError(`data: taskView needs per-task data (kind 'tasks'), got kind '${this.kind}'`);
    const v = this.rows.tasks[t]!;
    return { X: v.X, y: v.y, rows: this.rows.taskIndex?.[t] ?? null, n: v.n };
  }

  /**
   * Rows of each task as data of their own, sharing this object's designs (only the row lists and the
   * responses are copied): the cross-validation folds of per-task data (issue #13).
   * @param rows - per task, row indices in [0, n_t)
   * @returns the row subset, with the same task labels
   * @throws TypeError / RangeError for data that are not per-task, a bad index or a task without rows
   * @example
   * ```ts
   * const train = data.selectTaskRows([Int32Array.from([0, 2]), Int32Array.from([1])]);
   * ```
   * @see {@link MultiTaskData.taskView}
   */
  selectTaskRows(rows: readonly Int32Array[]): MultiTaskData {
    if (this.statistics !== null) throw rowsNeeded('rows');
    return viewOf(this, new MultiTaskData(taskSubsetParts({ ...this.parts(), taskLabels: this.taskLabels }, rows)));
  }

  /**
   * Shared design X, n×d row-major (kind `'shared'`); `null` for kind `'tasks'`. For a row subset
   * ({@link MultiTaskData.selectRows}) this is a copy of its rows made on first access; code that
   * reads large designs uses {@link MultiTaskData.designView} instead.
   */
  get X(): Float64Array | null {
    if (checkLive(this, 'X').statistics !== null) throw rowsNeeded('X');
    const r = this.rows;
    if (r.index === null || r.X === null) return r.X;
    return (r.copyX ??= gatherRows(r.X, r.index, this.d));
  }

  /**
   * The shared design and responses as stored, without a copy: row a of this data's X and Y is row
   * `rows[a]` of `X` and `Y` (`rows` null: X and Y themselves, n×d and n×T). Row subsets
   * ({@link MultiTaskData.selectRows}) share their parent's arrays.
   * @returns `{ X, Y, rows }` (do not modify)
   * @throws TypeError for data that are not a shared design
   * @example
   * ```ts
   * const { X, Y, rows } = data.designView(); // x_a = X[(rows ? rows[a] : a)·d …]
   * ```
   * @see {@link MultiTaskData.selectRows}
   */
  designView(): { X: Float64Array; Y: Float64Array; rows: Int32Array | null } {
    if (checkLive(this, 'designView').statistics !== null) throw rowsNeeded('X');
    if (this.kind !== 'shared') throw new TypeError(`data: designView needs a shared design (kind 'shared'), got kind '${this.kind}'`);
    return { X: this.rows.X!, Y: this.rows.Y!, rows: this.rows.index };
  }

  /**
   * The rows `rows` of shared-design data as data of their own, sharing this object's arrays (no copy
   * of X or Y, only the list of rows). Cross-validation folds are such views (issue #13).
   * @param rows - row indices in [0, n), in the order wanted
   * @returns the row subset, with the same task labels
   * @throws TypeError for data that are not a shared design
   * @throws RangeError on an index out of range, no rows, or a task without an observed response
   * @example
   * ```ts
   * const train = data.selectRows(Int32Array.from([0, 2, 3])); // train.n = 3, X shared
   * ```
   * @see {@link MultiTaskData.designView}
   */
  selectRows(rows: Int32Array): MultiTaskData {
    if (this.statistics !== null) throw rowsNeeded('rows');
    return viewOf(this, new MultiTaskData(rowSubsetParts({ ...this.parts(), taskLabels: this.taskLabels }, rows, this.taskLabels)));
  }

  /**
   * Shared responses Y, n×T row-major, NaN = missing (kind `'shared'`); `null` for kind `'tasks'`.
   * For a row subset, a copy of its rows made on first access (see {@link MultiTaskData.designView}).
   */
  get Y(): Float64Array | null {
    if (checkLive(this, 'Y').statistics !== null) throw rowsNeeded('Y');
    const r = this.rows;
    if (r.index === null || r.Y === null) return r.Y;
    return (r.copyY ??= gatherRows(r.Y, r.index, this.T));
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
    return viewOf(this, new MultiTaskData({ ...this.parts(), taskLabels: checkLabels(labels, this.T) }));
  }

  private parts(): Omit<DataParts, 'taskLabels'> {
    return {
      kind: checkLive(this, 'a view').kind, d: this.d, T: this.T, taskSizes: this.taskSizes, tasks: this.rows.tasks.slice(), X: this.rows.X, Y: this.rows.Y,
      rows: this.rows.index, taskRows: this.rows.taskIndex, n: this.n, hasMissing: this.hasMissing, statistics: this.statistics,
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
    return new MultiTaskData(tasksParts(tasks, options));
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
    return owning(new MultiTaskData(sharedParts(X, Y, options))); // it owns its copies of X and Y
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
    return new MultiTaskData(wrappedParts(parts));
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
    const nt = this.taskSizes[t]!, { X: Xs, Y: Ys, rows } = this.designView();
    const { X, y } = observedRows(Xs, Ys, rows, this.n, d, this.T, t, nt);
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
    const tasks: TaskInput[] = Array.from({ length: this.T }, (_, t) => this.task(t));
    return MultiTaskData.fromTasks(tasks, { labels: this.taskLabels });
  }

  /** Total number of observed responses Σ_t n_t. */
  get totalSize(): number { return this.taskSizes.reduce((s, n) => s + n, 0); }

  /**
   * Frees now the WebAssembly-memory blocks of this data object — its copy of a large X (and Y) and what fits cached with
   * it (the feature-major copy of X, column panels) — not when the GC runs their finalizers, which it does not inside a
   * synchronous loop (`data/dispose.ts`). Then any use of it or of its views (`selectRows`, `selectTaskRows`, `withTaskLabels`)
   * throws an Error; returned fits stay valid. Call it after the last fit, never during one (a progress callback). Idempotent.
   * @example
   * ```ts
   * const data = MultiTaskData.fromShared(X, Y); const fit = groupLasso(data, { lambda: 0.1 }); data.dispose();
   * ```
   * @see {@link MultiTaskData.fromShared}
   */
  dispose(): void { disposeData(this); }
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
  if (data instanceof MultiTaskData) return checkLive(data, 'a fit');
  if (Array.isArray(data)) return MultiTaskData.fromTasks(data);
  throw new TypeError('data: expected a MultiTaskData (fromTasks / fromShared) or an array of { X, y }');
}
