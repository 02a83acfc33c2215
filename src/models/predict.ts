/**
 * Prediction shared by every fitted model.
 *
 * @packageDocumentation
 */
import type { Mat, MatLike } from '../types.js';
import { toMat } from '../linalg/mat.js';

/**
 * Builds the `predict(X, task)` method of a fit: X w_t + b_t for the rows of X.
 * @param W - weights d×T (captured; not copied)
 * @param intercepts - b (length T)
 * @returns the predict function
 * @example
 * ```ts
 * const predict = makePredict(W, b);
 * predict([[1, 2, 3]], 0); // Float64Array [x·w_0 + b_0]
 * ```
 * @see {@link predictTask}
 */
export function makePredict(W: Mat, intercepts: Float64Array): (X: MatLike, task: number) => Float64Array {
  return (X: MatLike, task: number) => predictTask(W, intercepts, X, task);
}

/**
 * Predictions X w_t + b_t of task `task`.
 * @param W - weights d×T
 * @param intercepts - b (length T)
 * @param X - m×d design
 * @param task - task index in [0, T)
 * @returns m predictions
 * @throws RangeError when the task index or the shape of X is wrong
 * @example
 * ```ts
 * predictTask(fit.W, fit.intercepts, Xtest, 2);
 * ```
 * @see {@link makePredict}
 */
export function predictTask(W: Mat, intercepts: Float64Array, X: MatLike, task: number): Float64Array {
  const d = W.rows, T = W.cols;
  if (!Number.isInteger(task) || task < 0 || task >= T) throw new RangeError(`task: expected an integer in [0, ${T}), got ${task}`);
  const A = toMat(X, 'X');
  if (A.cols !== d) throw new RangeError(`X: has ${A.rows}×${A.cols}, expected ${A.rows}×${d} (d = ${d} features)`);
  const out = new Float64Array(A.rows);
  const b = intercepts[task]!;
  for (let i = 0; i < A.rows; i++) {
    let s = b; // x_i · w_task + b_task
    for (let j = 0; j < d; j++) s += A.data[i * d + j]! * W.data[j * T + task]!;
    out[i] = s;
  }
  return out;
}
