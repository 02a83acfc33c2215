/**
 * The per-task normal equations of the (centred, masked) squared loss — the statistics behind the Gram
 * backends of the datafits: for task t, ∇_t L(W) = 2 s_t (G_t w_t − c_t), G_t = X̃_tᵀX̃_t, c_t = X̃_tᵀỹ_t.
 *
 * @packageDocumentation
 */
import type { QuadraticLoss } from './quadratic.js';
import { dot } from '../linalg/blas.js';
import { residentOrHeap } from '../linalg/wasm/matrix.js';
import { SharedDesign } from './sharedDesign.js';

/**
 * The per-task normal equations of the (centred, masked) squared loss: for task t,
 * ∇_t L(W) = 2 s_t (G_t w_t − c_t) with G_t = X̃_tᵀX̃_t (d×d) and c_t = X̃_tᵀỹ_t, X̃_t, ỹ_t the task's
 * observed rows, centred when intercepts are fitted.
 */
export interface TaskNormalEquations {
  /** Returns G_t (d×d row-major). May return a shared or a recomputed buffer: read it before the next call. */
  gram(t: number): Float64Array;
  /** c_t for every task, as a d×T row-major matrix (column t = c_t). */
  readonly C: Float64Array;
  /** Whether every task has the same G (a shared design without missing responses): `gram(t)` is one buffer. */
  readonly sharedGram: boolean;
  /** Whether the Grams are held in memory (false: `gram(t)` recomputes into one scratch buffer). */
  readonly cached: boolean;
  /** ‖ỹ_t‖² for every task (length T). */
  readonly yy: Float64Array;
}

/**
 * Builds the per-task Gram matrices G_t and cross products c_t of the centred data in `loss`.
 * Shared designs without missing responses share one G; per-task Grams are cached when T·d² ≤
 * `cacheBudget` doubles and recomputed on demand otherwise.
 * @param loss - the datafit (its centred designs are read, never written)
 * @param cacheBudget - maximum number of doubles for cached per-task Grams @default 4e6
 * @returns the normal equations
 * @example
 * ```ts
 * const ne = taskNormalEquations(loss);
 * const G0 = ne.gram(0); // X̃_0ᵀX̃_0
 * ```
 * @see {@link QuadraticLoss}, {@link quadraticDatafit}
 */
export function taskNormalEquations(loss: QuadraticLoss, cacheBudget = 4e6): TaskNormalEquations {
  if (loss.normalEquations !== null) return loss.normalEquations; // data given by sufficient statistics
  const { d, T } = loss;
  const C = new Float64Array(d * T);
  const yy = new Float64Array(T);
  const ct = new Float64Array(d);
  if (loss.shared && loss.mask === null) {
    // one shared (globally centred) design: G = XᵀX, C = XᵀY
    const n = loss.n, Y = loss.Y!;
    const G = residentOrHeap(d * d, 1 << 14); // resident (d ≥ 128; the heap if the memory cannot grow): products G·P use it in place
    loss.design!.gram(G); // G = X̃ᵀX̃
    loss.design!.transposeTimes(Y, T, C); // C = X̃ᵀỸ
    for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) yy[t]! += Y[i * T + t]! * Y[i * T + t]!;
    return { gram: () => G, C, sharedGram: true, cached: true, yy };
  }
  // per-task designs X̃_t (n_t×d): materialise them for shared designs with missing responses
  let designs: SharedDesign[];
  let responses: Float64Array[];
  if (!loss.shared) {
    designs = loss.taskDesigns as SharedDesign[];
    responses = loss.ys as Float64Array[];
  } else {
    designs = [];
    responses = [];
    const X = loss.design!.raw, Y = loss.Y!, mask = loss.mask!, n = loss.n; // not centred (mask case)
    for (let t = 0; t < T; t++) {
      const nt = loss.data.taskSizes[t]!;
      const Xt = new Float64Array(nt * d);
      const yt = new Float64Array(nt);
      const mx = loss.xMeans.subarray(t * d, (t + 1) * d); // zeros without intercepts
      let r = 0;
      for (let i = 0; i < n; i++) {
        if (!mask[i * T + t]) continue;
        for (let j = 0; j < d; j++) Xt[r * d + j] = X[i * d + j]! - mx[j]!;
        yt[r++] = Y[i * T + t]!; // Y is already centred per task over the observed rows
      }
      designs.push(new SharedDesign(nt, d, Xt, null));
      responses.push(yt);
    }
  }
  for (let t = 0; t < T; t++) {
    const nt = responses[t]!.length;
    designs[t]!.transposeTimesVector(responses[t]!, 0, ct); // c_t = X̃_tᵀ ỹ_t
    for (let j = 0; j < d; j++) C[j * T + t] = ct[j]!;
    yy[t] = dot(nt, responses[t]!, 0, responses[t]!, 0);
  }
  const cache = T * d * d <= cacheBudget;
  const grams: Float64Array[] = [];
  const scratch = cache ? null : new Float64Array(d * d);
  if (cache) {
    for (let t = 0; t < T; t++) {
      const G = new Float64Array(d * d);
      designs[t]!.gram(G); // G_t = X̃_tᵀ X̃_t
      grams.push(G);
    }
  }
  return {
    gram: (t: number) => {
      if (cache) return grams[t]!;
      designs[t]!.gram(scratch!);
      return scratch!;
    },
    C,
    sharedGram: false,
    cached: cache,
    yy,
  };
}
