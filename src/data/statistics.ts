/**
 * Sufficient statistics of the squared loss: per-task sums over rows from which every objective,
 * gradient and certificate of the squared-loss models follows (see `docs/objectives.md`,
 * "Sufficient statistics"). They are sums over rows, so shards add: compute them chunk by chunk with
 * {@link accumulateStatistics}, on several machines or in a SQL engine ({@link statisticsSql}), and
 * combine with {@link mergeStatistics}.
 *
 * For task t with design X_t (n_t×d) and responses y_t:
 * - G_t = X_tᵀX_t (d×d), c_t = X_tᵀy_t (d), y_tᵀy_t, n_t,
 * - the column sums 1ᵀX_t (d) and 1ᵀy_t, needed to profile out intercepts.
 * With a shared design and no missing responses one G = XᵀX and one 1ᵀX serve every task
 * (`kind: 'shared'`).
 *
 * @packageDocumentation
 */
import { gemmTN } from '../linalg/blas.js';

/**
 * The sufficient statistics of T tasks sharing d features.
 *
 * Layouts (all row-major):
 * - `G`: kind `'tasks'`: T blocks of d×d, task t's block at offset t·d·d; kind `'shared'`: one d×d block;
 * - `C`: d×T, column t = X_tᵀy_t (entry (j, t) at `j·T + t`);
 * - `xSum`: kind `'tasks'`: T×d (row t = 1ᵀX_t); kind `'shared'`: length d;
 * - `yy`, `ySum`, `n`: length T.
 *
 * @example
 * ```ts
 * const s = createStatistics(3, 2, 'tasks');
 * accumulateStatistics(s, { X: new Float64Array([1, 2, 3]), y: new Float64Array([1]), task: new Int32Array([0]) });
 * s.n; // Float64Array [1, 0]
 * ```
 * @see {@link createStatistics}, {@link statisticsOf}, {@link mergeStatistics}
 */
export interface MultiTaskStatistics {
  /** `'tasks'`: one Gram matrix per task; `'shared'`: one Gram matrix for all tasks (shared design, nothing missing). */
  readonly kind: 'tasks' | 'shared';
  /** Number of features d. */
  readonly d: number;
  /** Number of tasks T. */
  readonly T: number;
  /** Gram matrices X_tᵀX_t (see the layouts above). */
  readonly G: Float64Array;
  /** X_tᵀy_t as the columns of a d×T matrix. */
  readonly C: Float64Array;
  /** y_tᵀy_t per task. */
  readonly yy: Float64Array;
  /** Column sums 1ᵀX_t (see the layouts above). */
  readonly xSum: Float64Array;
  /** 1ᵀy_t per task. */
  readonly ySum: Float64Array;
  /** n_t per task (counts, stored as doubles). */
  readonly n: Float64Array;
  /** Task labels, length T (the user's names; `'0'`, `'1'`, … when none were given). */
  readonly taskLabels: readonly string[];
  /** Feature names, length d (`x1`, …, `xd` when none were given). */
  readonly featureNames: readonly string[];
}

/** Options of {@link createStatistics}. */
export interface CreateStatisticsOptions {
  /** Task labels, length T. @default ['0', '1', …] */
  readonly taskLabels?: readonly string[];
  /** Feature names, length d. @default ['x1', …, 'xd'] */
  readonly featureNames?: readonly string[];
}

function checkDims(d: number, T: number): void {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`d: expected an integer ≥ 1, got ${d}`);
  if (!Number.isInteger(T) || T < 1) throw new RangeError(`T: expected an integer ≥ 1, got ${T}`);
}

function labelsOrDefault(given: readonly string[] | undefined, count: number, name: string, make: (i: number) => string): string[] {
  if (given === undefined) return Array.from({ length: count }, (_, i) => make(i));
  if (!Array.isArray(given) || given.length !== count || given.some((s) => typeof s !== 'string')) {
    throw new TypeError(`${name}: expected ${count} strings, got ${Array.isArray(given) ? `${given.length} entries` : typeof given}`);
  }
  if (new Set(given).size !== given.length) throw new RangeError(`${name}: labels must be distinct`);
  return [...given];
}

/**
 * Empty statistics (all sums zero), ready for {@link accumulateStatistics}.
 * @param d - number of features
 * @param T - number of tasks
 * @param kind - `'tasks'` (one Gram matrix per task; handles missing responses and long data) or
 *   `'shared'` (one Gram matrix; for a shared design with no missing responses)
 * @param options - task labels and feature names
 * @returns zero statistics
 * @throws RangeError when d or T is not a positive integer
 * @example
 * ```ts
 * const s = createStatistics(28, 139, 'tasks');
 * ```
 * @see {@link accumulateStatistics}
 */
export function createStatistics(d: number, T: number, kind: 'tasks' | 'shared', options: CreateStatisticsOptions = {}): MultiTaskStatistics {
  checkDims(d, T);
  if (kind !== 'tasks' && kind !== 'shared') throw new TypeError(`kind: expected 'tasks' or 'shared', got ${String(kind)}`);
  const blocks = kind === 'tasks' ? T : 1;
  return {
    kind, d, T,
    G: new Float64Array(blocks * d * d),
    C: new Float64Array(d * T),
    yy: new Float64Array(T),
    xSum: new Float64Array(blocks * d),
    ySum: new Float64Array(T),
    n: new Float64Array(T),
    taskLabels: labelsOrDefault(options.taskLabels, T, 'taskLabels', (i) => String(i)),
    featureNames: labelsOrDefault(options.featureNames, d, 'featureNames', (i) => `x${i + 1}`),
  };
}

/**
 * A chunk of rows for {@link accumulateStatistics}: either long rows (each row belongs to one task)
 * or rows of a shared design with a response matrix.
 */
export type StatisticsChunk =
  | {
    /** m×d design rows, row-major. */
    readonly X: Float64Array;
    /** m responses. */
    readonly y: Float64Array;
    /** m task indices in [0, T). */
    readonly task: Int32Array;
  }
  | {
    /** m×d design rows, row-major. */
    readonly X: Float64Array;
    /** m×T responses, row-major; NaN = missing (only for kind `'tasks'`). */
    readonly Y: Float64Array;
  };

function checkFiniteChunk(a: Float64Array, what: string, allowNaN: boolean): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (!Number.isFinite(v) && !(allowNaN && Number.isNaN(v))) {
      throw new RangeError(`${what}: entry ${i} is ${v}; expected finite numbers${allowNaN ? ' or NaN for missing' : ''}`);
    }
  }
}

/**
 * Adds a chunk of rows to `stats` (in place; the chunk is not modified). Rows of one task are
 * gathered and added with one Gram product (G_t += X_sᵀX_s), so chunks of a few thousand rows run at
 * kernel speed.
 * @param stats - the accumulator (from {@link createStatistics}); modified
 * @param chunk - the rows (see {@link StatisticsChunk})
 * @returns `stats`
 * @throws RangeError on a shape mismatch, a task index out of range, a non-finite value, or a missing
 *   response in a `'shared'` accumulator
 * @example
 * ```ts
 * const s = createStatistics(2, 1, 'shared');
 * accumulateStatistics(s, { X: new Float64Array([1, 0, 0, 1]), Y: new Float64Array([3, 4]) });
 * s.C; // Float64Array [3, 4]
 * ```
 * @see {@link mergeStatistics}
 */
export function accumulateStatistics(stats: MultiTaskStatistics, chunk: StatisticsChunk): MultiTaskStatistics {
  const { d, T } = stats;
  const X = chunk.X;
  if (!(X instanceof Float64Array) || X.length % d !== 0) {
    throw new RangeError(`chunk.X: expected a Float64Array of m×${d} entries (row-major), got ${X instanceof Float64Array ? X.length : typeof X}`);
  }
  const m = X.length / d;
  checkFiniteChunk(X, 'chunk.X', false);
  if ('task' in chunk) {
    const { y, task } = chunk;
    if (!(y instanceof Float64Array) || y.length !== m) throw new RangeError(`chunk.y: expected a Float64Array of length ${m}, got ${y instanceof Float64Array ? y.length : typeof y}`);
    if (!(task instanceof Int32Array) || task.length !== m) throw new RangeError(`chunk.task: expected an Int32Array of length ${m}`);
    checkFiniteChunk(y, 'chunk.y', false);
    if (stats.kind === 'shared') throw new RangeError("chunk: long rows (task, y, x) need statistics of kind 'tasks'");
    accumulateLong(stats, m, X, y, task);
    return stats;
  }
  const Y = chunk.Y;
  if (!(Y instanceof Float64Array) || Y.length !== m * T) throw new RangeError(`chunk.Y: expected a Float64Array of ${m}×${T} entries, got ${Y instanceof Float64Array ? Y.length : typeof Y}`);
  checkFiniteChunk(Y, 'chunk.Y', stats.kind === 'tasks');
  if (stats.kind === 'shared') {
    // G += XᵀX, C += XᵀY, 1ᵀX, 1ᵀY, yᵀy per column
    gemmTN(d, d, m, X, X, stats.G, 1);
    gemmTN(d, T, m, X, Y, stats.C, 1);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < d; j++) stats.xSum[j] += X[i * d + j]!;
      for (let t = 0; t < T; t++) { const v = Y[i * T + t]!; stats.ySum[t] += v; stats.yy[t] += v * v; }
    }
    for (let t = 0; t < T; t++) stats.n[t] += m;
    return stats;
  }
  // Shared rows with missing responses: task t gets the rows where Y[i, t] is observed.
  const task = new Int32Array(m);
  const y = new Float64Array(m);
  for (let t = 0; t < T; t++) {
    let r = 0;
    const rows: number[] = [];
    for (let i = 0; i < m; i++) if (!Number.isNaN(Y[i * T + t]!)) { rows.push(i); y[r] = Y[i * T + t]!; task[r++] = t; }
    if (r === 0) continue;
    const Xs = new Float64Array(r * d);
    for (let k = 0; k < r; k++) Xs.set(X.subarray(rows[k]! * d, rows[k]! * d + d), k * d);
    accumulateLong(stats, r, Xs, y.subarray(0, r), task.subarray(0, r));
  }
  return stats;
}

function accumulateLong(stats: MultiTaskStatistics, m: number, X: Float64Array, y: Float64Array, task: Int32Array): void {
  const { d, T } = stats;
  const groups = groupRowsByTask(d, T, m, X, y, task);
  const dd = d * d;
  const c = new Float64Array(d);
  for (let t = 0; t < T; t++) {
    const k = groups.start[t + 1]! - groups.start[t]!;
    if (k === 0) continue;
    const Xt = groups.X.subarray(groups.start[t]! * d, groups.start[t + 1]! * d);
    const yt = groups.y.subarray(groups.start[t]!, groups.start[t + 1]!);
    c.fill(0);
    const sums = addTaskRows(d, k, Xt, yt, stats.G, t * dd, c, stats.xSum, t * d);
    for (let j = 0; j < d; j++) stats.C[j * T + t] += c[j]!;
    stats.ySum[t] += sums.ySum; stats.yy[t] += sums.yy; stats.n[t] += k;
  }
}

/**
 * Rows of a chunk gathered by task (a counting sort): task t's rows are `start[t] .. start[t+1]` of
 * the returned X (row-major) and y.
 * @internal
 */
export function groupRowsByTask(d: number, T: number, m: number, X: Float64Array, y: Float64Array, task: Int32Array): { X: Float64Array; y: Float64Array; start: Int32Array } {
  const start = new Int32Array(T + 1);
  for (let i = 0; i < m; i++) {
    const t = task[i]!;
    if (!(t >= 0 && t < T)) throw new RangeError(`chunk.task: entry ${i} is ${t}; expected a task index in [0, ${T})`);
    start[t + 1]!++;
  }
  for (let t = 0; t < T; t++) start[t + 1] += start[t]!;
  const pos = start.slice(0, T);
  const Xg = new Float64Array(m * d);
  const yg = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const r = pos[task[i]!]!++;
    Xg.set(X.subarray(i * d, i * d + d), r * d);
    yg[r] = y[i]!;
  }
  return { X: Xg, y: yg, start };
}

/**
 * Adds k rows of one task: G[go ..] += XᵀX (d×d), c += Xᵀy, xSum[xo ..] += 1ᵀX; returns 1ᵀy and yᵀy.
 * @internal
 */
export function addTaskRows(
  d: number, k: number, X: Float64Array, y: Float64Array,
  G: Float64Array, go: number, c: Float64Array, xSum: Float64Array, xo: number,
): { ySum: number; yy: number } {
  // G_t += X_sᵀX_s ; c_t += X_sᵀy_s
  gemmTN(d, d, k, X, X, G.subarray(go, go + d * d), 1);
  gemmTN(d, 1, k, X, y, c, 1);
  let ySum = 0, yy = 0;
  for (let i = 0; i < k; i++) {
    const v = y[i]!;
    ySum += v; yy += v * v;
    for (let j = 0; j < d; j++) xSum[xo + j] += X[i * d + j]!;
  }
  return { ySum, yy };
}

/**
 * The sum of two sets of statistics of the same features and tasks (shards merged by addition).
 * Inputs are not modified. A `'shared'` and a `'tasks'` operand give `'tasks'`.
 * @param a - statistics of one shard
 * @param b - statistics of another shard (same d, T, labels and feature names)
 * @returns new statistics a + b
 * @throws RangeError when the shapes, labels or feature names differ
 * @example
 * ```ts
 * const all = mergeStatistics(statsOfShard1, statsOfShard2);
 * ```
 * @see {@link accumulateStatistics}
 */
export function mergeStatistics(a: MultiTaskStatistics, b: MultiTaskStatistics): MultiTaskStatistics {
  if (a.d !== b.d || a.T !== b.T) throw new RangeError(`mergeStatistics: shapes differ (d = ${a.d}, T = ${a.T} against d = ${b.d}, T = ${b.T})`);
  for (let t = 0; t < a.T; t++) {
    if (a.taskLabels[t] !== b.taskLabels[t]) throw new RangeError(`mergeStatistics: task ${t} is "${a.taskLabels[t]}" in one and "${b.taskLabels[t]}" in the other`);
  }
  for (let j = 0; j < a.d; j++) {
    if (a.featureNames[j] !== b.featureNames[j]) throw new RangeError(`mergeStatistics: feature ${j + 1} is "${a.featureNames[j]}" in one and "${b.featureNames[j]}" in the other`);
  }
  const kind = a.kind === 'shared' && b.kind === 'shared' ? 'shared' : 'tasks';
  const out = createStatistics(a.d, a.T, kind, { taskLabels: a.taskLabels, featureNames: a.featureNames });
  for (const s of [a, b]) {
    addBlocks(out, s);
    for (let i = 0; i < s.C.length; i++) out.C[i] += s.C[i]!;
    for (let t = 0; t < s.T; t++) { out.yy[t] += s.yy[t]!; out.ySum[t] += s.ySum[t]!; out.n[t] += s.n[t]!; }
  }
  return out;
}

/** out's G and xSum += s's (a shared block is added to every task block of a per-task `out`). */
function addBlocks(out: MultiTaskStatistics, s: MultiTaskStatistics): void {
  const dd = out.d * out.d;
  const blocks = out.kind === 'tasks' ? out.T : 1;
  for (let t = 0; t < blocks; t++) {
    const from = s.kind === 'tasks' ? t : 0;
    for (let i = 0; i < dd; i++) out.G[t * dd + i] += s.G[from * dd + i]!;
    for (let j = 0; j < out.d; j++) out.xSum[t * out.d + j] += s.xSum[from * out.d + j]!;
  }
}

/**
 * The statistics as per-task blocks (a `'shared'` object's Gram matrix copied to every task).
 * @param s - statistics of either kind
 * @returns statistics of kind `'tasks'` (`s` itself when it already is)
 * @example
 * ```ts
 * perTask(stats).G.length === stats.T * stats.d * stats.d; // true
 * ```
 * @see {@link MultiTaskStatistics}
 */
export function perTask(s: MultiTaskStatistics): MultiTaskStatistics {
  if (s.kind === 'tasks') return s;
  const out = createStatistics(s.d, s.T, 'tasks', { taskLabels: s.taskLabels, featureNames: s.featureNames });
  return mergeStatistics(out, s);
}
