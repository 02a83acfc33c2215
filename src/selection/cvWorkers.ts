/**
 * The worker-thread side of {@link crossValidate} (Node only, imported lazily by `crossValidate` when
 * `workers > 1`, so that the package loads in a browser).
 *
 * - The data are copied once into SharedArrayBuffers (not at all when they already live in one, as a
 *   large data object's X and Y do) and every worker wraps the same memory: K workers share one copy,
 *   and their folds are row subsets of it ({@link MultiTaskData.selectRows}).
 * - Model options and the grid must survive the structured clone unchanged; anything else (a
 *   function, a class instance other than a typed array) is a TypeError before any worker starts.
 * - When a fold throws or a worker dies, every other worker is terminated at once and the promise
 *   rejects with an error of the original type and message (a RangeError stays a RangeError).
 *
 * @packageDocumentation
 */
import type { Worker as NodeWorker } from 'node:worker_threads';
import { MultiTaskData } from '../data/MultiTaskData.js';
import type { MetricName } from './metrics.js';
import type { ModelRow } from '../models/table.js';
import type { GridPoint } from './crossValidate.js';

/** The data as SharedArrayBuffer-backed arrays (sent to workers without copying). */
export interface SharedData {
  /** Layout. */
  readonly kind: 'tasks' | 'shared';
  /** Features d. */
  readonly d: number;
  /** Tasks T. */
  readonly T: number;
  /** Rows of the shared design (0 for per-task data). */
  readonly n: number;
  /** Shared design X (n×d) or null. */
  readonly X: Float64Array | null;
  /** Shared responses Y (n×T, NaN = missing) or null. */
  readonly Y: Float64Array | null;
  /** Per-task X_t (n_t×d) and y_t. */
  readonly tasks: readonly { readonly X: Float64Array; readonly y: Float64Array; readonly n: number }[];
  /** Task labels. */
  readonly labels: readonly string[] | null;
}

/** The message a worker receives. */
export interface CvWorkerRequest {
  /** Data (shared memory). */
  readonly data: SharedData;
  /** Fold assignment. */
  readonly assignment: readonly Int32Array[];
  /** Folds this worker runs. */
  readonly folds: readonly number[];
  /** Table name of the model. */
  readonly model: string;
  /** Module to import before the lookup (user models), or null. */
  readonly module: string | null;
  /** Grid. */
  readonly grid: readonly GridPoint[];
  /** Model options. */
  readonly modelOptions: Readonly<Record<string, unknown>>;
  /** Metric. */
  readonly metric: MetricName;
}

/** An error as sent back by a worker. */
export interface WorkerError {
  /** `error.name` (TypeError, RangeError, …). */
  readonly name: string;
  /** `error.message`. */
  readonly message: string;
  /** The worker's stack, when available. */
  readonly stack: string | null;
}

/** One message a worker sends back: a fold's metric values, or the error that stopped it. */
export type CvWorkerResponse =
  | { readonly ok: true; readonly fold: number; readonly values: Float64Array }
  | { readonly ok: false; readonly error: WorkerError };

function sharedCopy(a: Float64Array): Float64Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const out = new Float64Array(new SharedArrayBuffer(a.length * 8));
  out.set(a);
  return out;
}

/**
 * The data in shared memory: one copy of each array into a SharedArrayBuffer (none when already shared).
 * @param data - the data
 * @returns the shared arrays
 * @example
 * ```ts
 * worker.postMessage({ data: toSharedData(data) }); // no copy per worker
 * ```
 * @see {@link fromSharedData}
 */
export function toSharedData(data: MultiTaskData): SharedData {
  if (data.kind === 'shared') {
    return { kind: 'shared', d: data.d, T: data.T, n: data.n, X: sharedCopy(data.X!), Y: sharedCopy(data.Y!), tasks: [], labels: data.taskLabels };
  }
  return {
    kind: 'tasks', d: data.d, T: data.T, n: 0, X: null, Y: null, labels: data.taskLabels,
    tasks: data.tasks.map((v) => ({ X: sharedCopy(v.X), y: sharedCopy(v.y), n: v.n })),
  };
}

/**
 * The data object over shared arrays (no copy: {@link MultiTaskData.wrap}).
 * @param m - from {@link toSharedData}
 * @returns the data
 * @example
 * ```ts
 * const data = fromSharedData(request.data);
 * ```
 * @see {@link toSharedData}
 */
export function fromSharedData(m: SharedData): MultiTaskData {
  if (m.kind === 'shared') return MultiTaskData.wrap({ kind: 'shared', d: m.d, T: m.T, n: m.n, X: m.X!, Y: m.Y!, labels: m.labels });
  return MultiTaskData.wrap({ kind: 'tasks', d: m.d, T: m.T, tasks: m.tasks, labels: m.labels });
}

/** Whether `v` reaches a worker unchanged by the structured clone (JSON-like values and typed arrays). */
function faithfulClone(v: unknown, seen: Set<unknown>): string | null {
  if (v === null || v === undefined) return null;
  const t = typeof v;
  if (t === 'number' || t === 'string' || t === 'boolean' || t === 'bigint') return null;
  if (t === 'function') return 'a function';
  if (t === 'symbol') return 'a symbol';
  if (ArrayBuffer.isView(v)) return null;
  if (seen.has(v)) return null;
  seen.add(v);
  if (Array.isArray(v)) {
    for (const x of v) { const r = faithfulClone(x, seen); if (r) return r; }
    return null;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    const name = (v as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    return `an instance of ${name} (its methods would be lost)`;
  }
  for (const x of Object.values(v as object)) { const r = faithfulClone(x, seen); if (r) return r; }
  return null;
}

/**
 * Throws a TypeError naming the first option or grid point that cannot be sent to a worker thread.
 * @param modelOptions - the model options
 * @param grid - the grid
 * @returns nothing
 * @throws TypeError `modelOptions.tol: a function cannot be sent to worker threads; …`
 * @example
 * ```ts
 * checkCloneable({ tol: 1e-6 }, [0.1]); // fine
 * ```
 * @see {@link runWorkers}
 */
export function checkCloneable(modelOptions: Readonly<Record<string, unknown>>, grid: readonly GridPoint[]): void {
  const fix = 'cannot be sent to worker threads (structured clone); pass plain numbers, strings, arrays, objects or typed arrays, or use workers: 1';
  for (const [key, v] of Object.entries(modelOptions)) {
    const r = faithfulClone(v, new Set());
    if (r) throw new TypeError(`modelOptions.${key}: ${r} ${fix}`);
  }
  grid.forEach((g, i) => {
    const r = faithfulClone(g, new Set());
    if (r) throw new TypeError(`grid[${i}]: ${r} ${fix}`);
  });
}

const ERROR_TYPES: Readonly<Record<string, new (message: string) => Error>> = {
  Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError,
};

/**
 * Rebuilds a worker's error with its original type (built-in error types) or name.
 * @param e - the error as sent by the worker
 * @returns an Error of the same type, message and name
 * @example
 * ```ts
 * reviveError({ name: 'RangeError', message: 'q: expected ≥ 1', stack: null }) instanceof RangeError; // true
 * ```
 * @see {@link runWorkers}
 */
export function reviveError(e: WorkerError): Error {
  const C = ERROR_TYPES[e.name] ?? Error;
  const err = new C(e.message);
  if (err.name !== e.name) err.name = e.name;
  if (e.stack) err.stack = `${err.name}: ${e.message}\n    (in a crossValidate worker thread)\n${e.stack.split('\n').slice(1).join('\n')}`;
  return err;
}

/**
 * Runs the folds on `workers` worker threads (fold k on worker k mod workers) and returns the
 * metric values of every fold. Every worker is terminated before the promise settles.
 * @param data - the data
 * @param assignment - fold assignment
 * @param K - number of folds
 * @param row - the model's table row
 * @param grid - the resolved grid
 * @param modelOptions - the other model options
 * @param metric - the metric
 * @param workers - number of threads (≤ K are used)
 * @param progress - called after each finished fold, or null
 * @returns per fold, the metric at each grid point
 * @throws TypeError (rejected) when an option cannot be cloned — before any worker starts; otherwise
 *   the first fold's error with its type and message
 * @example
 * ```ts
 * const rows = await runWorkers(data, makeFolds(data, 5, 0), 5, findModel('groupLasso'), [1, 0.1], {}, 'mse', 2, null);
 * ```
 * @see {@link crossValidate}
 */
export async function runWorkers(
  data: MultiTaskData, assignment: readonly Int32Array[], K: number, row: ModelRow, grid: readonly GridPoint[],
  modelOptions: Readonly<Record<string, unknown>>, metric: MetricName, workers: number,
  progress: ((done: number, total: number) => void) | null,
): Promise<Float64Array[]> {
  checkCloneable(modelOptions, grid);
  // a non-literal specifier: bundlers for the browser leave this Node-only import alone
  const specifier = 'node:worker_threads';
  const { Worker } = (await import(specifier)) as typeof import('node:worker_threads');
  const shared = toSharedData(data);
  const url = new URL('./cvWorker.js', import.meta.url);
  const nw = Math.min(workers, K);
  const results: Float64Array[] = new Array<Float64Array>(K);
  return new Promise<Float64Array[]>((resolve, reject) => {
    const live = new Set<NodeWorker>();
    let settled = false, done = 0;
    const stopAll = (): Promise<unknown> => Promise.allSettled([...live].map((w) => w.terminate()));
    const fail = (e: unknown): void => {
      if (settled) return;
      settled = true;
      const err = e instanceof Error ? e : new Error(String(e));
      void stopAll().then(() => reject(err));
    };
    for (let w = 0; w < nw && !settled; w++) {
      const folds: number[] = [];
      for (let k = w; k < K; k += nw) folds.push(k);
      let worker: NodeWorker;
      try {
        worker = new Worker(url);
      } catch (e) {
        fail(e);
        break;
      }
      live.add(worker);
      let remaining = folds.length;
      worker.on('message', (res: CvWorkerResponse) => {
        if (settled) return;
        if (!res.ok) { fail(reviveError(res.error)); return; }
        results[res.fold] = res.values;
        done++;
        remaining--;
        progress?.(done, K);
        if (remaining === 0) {
          live.delete(worker);
          void worker.terminate();
          if (done === K) { settled = true; resolve(results); }
        }
      });
      worker.on('error', (e) => fail(e));
      worker.on('exit', (code) => {
        live.delete(worker);
        if (remaining > 0) fail(new Error(`crossValidate: a worker thread exited (code ${code}) before finishing folds ${folds.join(', ')}`));
      });
      const request: CvWorkerRequest = {
        data: shared, assignment, folds, model: row.name, module: row.module ?? null, grid, modelOptions, metric,
      };
      try {
        worker.postMessage(request);
      } catch (e) {
        fail(e instanceof Error && e.name === 'DataCloneError' ? new TypeError(`modelOptions: cannot be sent to worker threads: ${e.message}; use workers: 1`) : e);
      }
    }
  });
}
