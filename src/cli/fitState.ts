/**
 * The fit-file `state` of the command line: the model variables beyond W that an objective needs
 * (Θ, M, w₀/ΔW, P, D, centres, …), stored as JSON-safe arrays of rows, and their readers, which
 * check shapes and raise {@link FitStateError} on a malformed file.
 *
 * @packageDocumentation
 */
import type { LossScale, Mat } from '../types.js';
import type { TaskGraph } from '../models/graphRegularized.js';

/**
 * A fit file whose `state` (the variables beyond W) is missing or malformed.
 * @example
 * ```ts
 * try { m.objective(data, W, b, options, {}); } catch (e) { if (e instanceof FitStateError) console.error(e.message); }
 * ```
 */
export class FitStateError extends Error {
  /**
   * @param problem - what is wrong and what was expected
   * @example
   * ```ts
   * new FitStateError('state.M: expected 3 rows').message;
   * ```
   */
  constructor(problem: string) {
    super(problem);
    this.name = 'FitStateError';
  }
}

/**
 * A number option of a stored fit (`"Infinity"` for ∞).
 * @param options - the stored options
 * @param key - the option
 * @param model - the model (for the message)
 * @returns the number
 * @throws TypeError when it is not a number
 * @example
 * ```ts
 * num({ q: 'Infinity' }, 'q', 'group-lasso'); // Infinity
 * ```
 */
export function num(options: Readonly<Record<string, unknown>>, key: string, model: string): number {
  const v = options[key];
  if (typeof v === 'number') return v;
  if (v === 'Infinity') return Infinity;
  throw new TypeError(`options.${key}: expected a number for model ${model}, got ${JSON.stringify(v)}`);
}

/**
 * The loss scale of stored options.
 * @param options - the stored options
 * @returns the scale
 * @throws TypeError when it is not one of the three
 * @example
 * ```ts
 * lossScaleOf({ lossScale: 'mean' }); // 'mean'
 * ```
 */
export function lossScaleOf(options: Readonly<Record<string, unknown>>): LossScale {
  const v = options['lossScale'];
  if (v === 'sum' || v === 'mean' || v === 'task-mean') return v;
  throw new TypeError(`options.lossScale: expected 'sum', 'mean' or 'task-mean', got ${JSON.stringify(v)}`);
}

/**
 * A Mat as JSON-safe rows.
 * @param m - the matrix
 * @returns its rows
 * @example
 * ```ts
 * rowsOf({ rows: 1, cols: 2, data: Float64Array.of(1, 2) }); // [[1, 2]]
 * ```
 */
export function rowsOf(m: Mat): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/**
 * Reads `state[key]` as a rows×cols matrix stored as rows (cols < 0: any width ≥ 1).
 * @param state - the stored state
 * @param key - the variable
 * @param rows - expected rows
 * @param cols - expected columns (< 0: any)
 * @returns the matrix
 * @throws {@link FitStateError} on a wrong shape or a non-finite entry
 * @example
 * ```ts
 * matOf({ M: [[1, 0], [0, 1]] }, 'M', 2, 2).data; // [1, 0, 0, 1]
 * ```
 */
export function matOf(state: Readonly<Record<string, unknown>>, key: string, rows: number, cols: number): Mat {
  const v = state[key];
  const what = `state.${key}: expected ${rows} rows of ${cols < 0 ? 'the same number of' : cols} finite numbers`;
  if (!Array.isArray(v) || v.length !== rows) throw new FitStateError(what);
  const c = cols < 0 ? (Array.isArray(v[0]) ? (v[0] as unknown[]).length : 0) : cols;
  if (c < 1) throw new FitStateError(what);
  const data = new Float64Array(rows * c);
  v.forEach((r: unknown, i) => {
    if (!Array.isArray(r) || r.length !== c || !r.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new FitStateError(what);
    for (let j = 0; j < c; j++) data[i * c + j] = r[j] as number;
  });
  return { rows, cols: c, data };
}

/**
 * Reads `state[key]` as a vector of n finite numbers (integers when `integer`).
 * @param state - the stored state
 * @param key - the variable
 * @param n - expected length
 * @param integer - whether the entries must be integers
 * @returns the numbers
 * @throws {@link FitStateError} on a wrong length or entry
 * @example
 * ```ts
 * vecOf({ w0: [1, 2] }, 'w0', 2); // [1, 2]
 * ```
 */
export function vecOf(state: Readonly<Record<string, unknown>>, key: string, n: number, integer = false): number[] {
  const v = state[key];
  if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number' && Number.isFinite(x) && (!integer || Number.isInteger(x)))) {
    throw new FitStateError(`state.${key}: expected an array of ${n} finite ${integer ? 'integers' : 'numbers'}`);
  }
  return v as number[];
}

/**
 * The Mat stored by `jsonSafe` for a library Mat option ({ rows, cols, data: number[] }).
 * @param options - the stored options
 * @param key - the option
 * @param model - the model (for the message)
 * @returns the matrix
 * @throws TypeError on a malformed entry
 * @example
 * ```ts
 * optionMat({ R: { rows: 1, cols: 1, data: [1] } }, 'R', 'graph-regularized');
 * ```
 */
export function optionMat(options: Readonly<Record<string, unknown>>, key: string, model: string): Mat {
  const v = options[key] as { rows?: unknown; cols?: unknown; data?: unknown } | undefined;
  if (typeof v !== 'object' || v === null || !Number.isInteger(v.rows) || !Number.isInteger(v.cols) || !Array.isArray(v.data)
    || v.data.length !== (v.rows as number) * (v.cols as number) || !v.data.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new TypeError(`options.${key}: expected { rows, cols, data } with finite entries for model ${model}`);
  }
  return { rows: v.rows as number, cols: v.cols as number, data: Float64Array.from(v.data as number[]) };
}

/**
 * The normalised cluster-indicator matrix M = E (EᵀE)⁻¹ Eᵀ of an assignment (Zhou, Chen & Ye 2011,
 * Sec. 3): M_st = 1/|g| when tasks s and t are both in cluster g, else 0.
 * @param assignment - cluster of each task
 * @returns M (T×T)
 * @example
 * ```ts
 * indicatorMatrix([0, 0, 1]).data; // [0.5, 0.5, 0, 0.5, 0.5, 0, 0, 0, 1]
 * ```
 */
export function indicatorMatrix(assignment: readonly number[]): Mat {
  const T = assignment.length;
  const size = new Map<number, number>();
  for (const g of assignment) size.set(g, (size.get(g) ?? 0) + 1);
  const data = new Float64Array(T * T);
  for (let s = 0; s < T; s++) for (let t = 0; t < T; t++) if (assignment[s] === assignment[t]) data[s * T + t] = 1 / size.get(assignment[s]!)!;
  return { rows: T, cols: T, data };
}

/**
 * The mean-regularized graph R = I − 11ᵀ/T (T×T), so that ‖W R‖²_F = Σ_t ‖w_t − w̄‖² (the default
 * graph of `graph-regularized`: the complete graph, every pair equally weighted).
 * @param T - number of tasks
 * @returns the graph `{ R }` with R (T×T) = I − 11ᵀ/T
 * @example
 * ```ts
 * taskGraphMatrix(meanGraph(3), 3).data; // [2/3, −1/3, −1/3, −1/3, 2/3, …]
 * ```
 * @see {@link FitStateError}
 */
export function meanGraph(T: number): TaskGraph {
  const data = new Float64Array(T * T);
  for (let s = 0; s < T; s++) for (let t = 0; t < T; t++) data[s * T + t] = (s === t ? 1 : 0) - 1 / T;
  return { R: { rows: T, cols: T, data } };
}

