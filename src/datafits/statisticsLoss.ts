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

/**
 * Residuals without rows: from statistics, the residual-shaped vectors of the solvers (R = Ỹ − X̃W,
 * dual points α·2s⊙R, their linear combinations) are held implicitly as r_t = a_t ỹ_t − X̃_t w_t,
 * stored as `[w (d×T row-major), a (T)]` — {@link implicitResidualSize} entries. Every use the squared
 * loss makes of a residual is linear in it or a quadratic form, so it follows from G̃_t, c̃_t and
 * ‖ỹ_t‖²: X̃_tᵀr_t = a_t c̃_t − G̃_t w_t, ỹ_tᵀr_t = a_t‖ỹ_t‖² − c̃_tᵀw_t and
 * ‖r_t‖² = a_t²‖ỹ_t‖² − 2a_t c̃_tᵀw_t + w_tᵀG̃_t w_t. Linear combinations of such vectors (with
 * per-task coefficients) stay exact; entrywise products along rows would not, and no solver of the
 * squared-loss models forms them.
 *
 * @example
 * ```ts
 * const R = new Float64Array(implicitResidualSize(d, T));
 * implicitResidual(W, R, d, T); // r_t = ỹ_t − X̃_t w_t
 * ```
 * @see {@link implicitResidualTerms}
 */
export function implicitResidualSize(d: number, T: number): number {
  return d * T + T;
}

/**
 * R ↔ (w = W, a = 1): the residuals at W.
 * @param W - weights d×T row-major
 * @param R - output, {@link implicitResidualSize} entries
 * @param d - features
 * @param T - tasks
 * @example
 * ```ts
 * implicitResidual(W, R, d, T);
 * ```
 */
export function implicitResidual(W: Float64Array, R: Float64Array, d: number, T: number): void {
  R.set(W.subarray(0, d * T));
  R.fill(1, d * T, d * T + T);
}

/**
 * What the squared loss needs of an implicit residual R: with `V` given, V_t = c_t X̃_tᵀ r_t
 * (c_t = 2 s_t: the correlation −∇L); the return value is Σ_t s_t‖r_t‖² (`'value'`) or
 * Σ_t c_t ỹ_tᵀr_t (`'innerY'`, c_t = 2 s_t when `weighted`, else 1).
 * @param ne - the centred normal equations
 * @param scales - s_t per task
 * @param R - the implicit residual
 * @param what - which scalar to return
 * @param weighted - for `'innerY'`: multiply task t by 2 s_t
 * @param V - output d×T for X̃ᵀ(2s⊙R), or null
 * @param g - work buffer of length d
 * @returns the scalar asked for
 * @example
 * ```ts
 * const loss = implicitResidualTerms(ne, scales, R, 'value', false, V, g); // V = −∇L, loss = L
 * ```
 * @see {@link implicitResidualSize}
 */
export function implicitResidualTerms(
  ne: StatisticsNormalEquations, scales: Float64Array, R: Float64Array, what: 'value' | 'innerY', weighted: boolean,
  V: Float64Array | null, g: Float64Array,
): number {
  const T = scales.length, d = g.length;
  let total = 0;
  for (let t = 0; t < T; t++) {
    const G = ne.gram(t), a = R[d * T + t]!, s = scales[t]!;
    // g = G̃_t w_t ; cw = c̃_tᵀ w_t ; wGw = w_tᵀ G̃_t w_t
    let cw = 0, wGw = 0;
    for (let i = 0; i < d; i++) {
      let gi = 0;
      for (let j = 0; j < d; j++) gi += G[i * d + j]! * R[j * T + t]!;
      g[i] = gi;
      cw += ne.C[i * T + t]! * R[i * T + t]!;
      wGw += R[i * T + t]! * gi;
    }
    // V_t = 2 s_t (a_t c̃_t − G̃_t w_t)
    if (V !== null) for (let i = 0; i < d; i++) V[i * T + t] = 2 * s * (a * ne.C[i * T + t]! - g[i]!);
    const yy = ne.yy[t]!;
    total += what === 'value'
      ? s * Math.max(0, a * a * yy - 2 * a * cw + wGw)
      : (weighted ? 2 * s : 1) * (a * yy - cw);
  }
  return total;
}
