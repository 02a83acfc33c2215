/**
 * −∇L(W, b) computed from the raw data with plain loops (independent of the solvers' centred,
 * cached computations): column t is 2 s_t X_tᵀ(y_t − X_t w_t − b_t).
 */
import type { Mat } from '../../src/types.js';
import type { MultiTaskData } from '../../src/data/MultiTaskData.js';
import { lossScaleFactor } from '../../src/datafits/quadratic.js';

/** −∇L(W, b), d×T row-major, from the raw data. */
export function negGradient(data: MultiTaskData, W: Mat, b: Float64Array, lossScale: 'sum' | 'mean' | 'task-mean'): Float64Array {
  const { d, T } = data;
  const V = new Float64Array(d * T);
  for (let t = 0; t < T; t++) {
    const { X, y } = data.task(t);
    const c = 2 * lossScaleFactor(lossScale, y.length, T);
    for (let i = 0; i < y.length; i++) {
      let r = y[i]! - b[t]!;
      for (let j = 0; j < d; j++) r -= X.data[i * d + j]! * W.data[j * T + t]!;
      for (let j = 0; j < d; j++) V[j * T + t]! += c * X.data[i * d + j]! * r;
    }
  }
  return V;
}
