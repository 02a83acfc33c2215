/**
 * The squared loss from sufficient statistics: its value at (W, b), and the centred normal equations
 * (G̃_t, c̃_t, ‖ỹ_t‖²) that the Gram backends of the solvers use in place of the rows.
 *
 * Centring (profiled intercepts) works on sums: with x̄_t = 1ᵀX_t/n_t and ȳ_t = 1ᵀy_t/n_t,
 * G̃_t = G_t − n_t x̄_t x̄_tᵀ, c̃_t = c_t − n_t x̄_t ȳ_t, ‖ỹ_t‖² = y_tᵀy_t − n_t ȳ_t².
 *
 * @packageDocumentation
 */
import type { MultiTaskStatistics } from '../data/statistics.js';

/** The centred (or raw, without intercepts) normal equations of statistics. */
export interface StatisticsNormalEquations {
  /** G̃_t (d×d row-major); one shared buffer when `sharedGram`. */
  gram(t: number): Float64Array;
  /** c̃_t for every task as the columns of a d×T row-major matrix. */
  readonly C: Float64Array;
  /** Whether every task has the same G̃. */
  readonly sharedGram: boolean;
  /** Always true: statistics are held in memory. */
  readonly cached: boolean;
  /** ‖ỹ_t‖² per task. */
  readonly yy: Float64Array;
  /** x̄_t per task, T×d row-major (zeros without intercepts). */
  readonly xMeans: Float64Array;
  /** ȳ_t per task (zeros without intercepts). */
  readonly yMeans: Float64Array;
}

/**
 * The normal equations of statistics, centred when intercepts are fitted.
 * @param s - the statistics (not modified)
 * @param fitIntercept - centre (profile out per-task intercepts)
 * @returns G̃_t, c̃_t, ‖ỹ_t‖² and the means
 * @example
 * ```ts
 * const ne = statisticsNormalEquations(stats, true);
 * ne.gram(0); // X̃_0ᵀX̃_0
 * ```
 * @see {@link statisticsLossValue}
 */
export function statisticsNormalEquations(s: MultiTaskStatistics, fitIntercept: boolean): StatisticsNormalEquations {
  const { d, T } = s;
  const dd = d * d;
  const shared = s.kind === 'shared';
  const blocks = shared ? 1 : T;
  const G = s.G.slice();
  const C = s.C.slice();
  const yy = s.yy.slice();
  const xMeans = new Float64Array(T * d);
  const yMeans = new Float64Array(T);
  if (fitIntercept) {
    for (let t = 0; t < T; t++) {
      const n = s.n[t]!;
      const xo = (shared ? 0 : t) * d;
      yMeans[t] = s.ySum[t]! / n;
      for (let j = 0; j < d; j++) xMeans[t * d + j] = s.xSum[xo + j]! / n;
      // c̃_t = c_t − n x̄_t ȳ_t ; ‖ỹ_t‖² = yᵀy − n ȳ²
      for (let j = 0; j < d; j++) C[j * T + t] -= n * xMeans[t * d + j]! * yMeans[t]!;
      yy[t] = Math.max(0, yy[t]! - n * yMeans[t]! * yMeans[t]!);
    }
    for (let b = 0; b < blocks; b++) {
      // G̃ = G − n x̄ x̄ᵀ
      const n = s.n[b]!;
      const m = xMeans.subarray(b * d, b * d + d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) G[b * dd + i * d + j] -= n * m[i]! * m[j]!;
    }
  }
  const views = Array.from({ length: blocks }, (_, b) => G.subarray(b * dd, (b + 1) * dd));
  return { gram: (t: number) => views[shared ? 0 : t]!, C, sharedGram: shared, cached: true, yy, xMeans, yMeans };
}

/**
 * Σ_t s_t ‖y_t − X_t w_t − b_t 1‖² from the statistics:
 * s_t (yᵀy − 2wᵀc − 2b·1ᵀy + wᵀGw + 2b·wᵀ(1ᵀX)ᵀ + n b²).
 * @param s - the statistics
 * @param W - weights d×T row-major
 * @param scales - s_t per task
 * @param intercepts - b (length T); zeros when omitted
 * @returns the loss
 * @example
 * ```ts
 * statisticsLossValue(stats, fit.W.data, scales, fit.intercepts);
 * ```
 * @see {@link statisticsNormalEquations}
 */
export function statisticsLossValue(s: MultiTaskStatistics, W: Float64Array, scales: Float64Array, intercepts?: Float64Array): number {
  const { d, T } = s;
  const dd = d * d;
  const w = new Float64Array(d);
  let total = 0;
  for (let t = 0; t < T; t++) {
    const go = (s.kind === 'shared' ? 0 : t) * dd;
    const xo = (s.kind === 'shared' ? 0 : t) * d;
    const b = intercepts ? intercepts[t]! : 0;
    for (let j = 0; j < d; j++) w[j] = W[j * T + t]!;
    let wGw = 0, wc = 0, wx = 0;
    for (let i = 0; i < d; i++) {
      const wi = w[i]!;
      if (wi === 0) continue;
      let gi = 0;
      for (let j = 0; j < d; j++) gi += s.G[go + i * d + j]! * w[j]!;
      wGw += wi * gi;
      wc += wi * s.C[i * T + t]!;
      wx += wi * s.xSum[xo + i]!;
    }
    const q = s.yy[t]! - 2 * wc - 2 * b * s.ySum[t]! + wGw + 2 * b * wx + s.n[t]! * b * b;
    total += scales[t]! * Math.max(0, q);
  }
  return total;
}
