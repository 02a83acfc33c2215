/**
 * Functions h of the singular values with their prox on them, the penalties of the spectral solvers
 * ({@link spectralProxGrad}, `spectralAdmm`): trace norm, rank constraint, squared trace norm and the
 * ASO spectral penalty.
 *
 * @packageDocumentation
 */

/** A function h of the singular values (descending, non-negative) with its prox on them. */
export interface SpectralPenalty {
  /** h(W) from the k singular values of W (+∞ outside a constraint set). */
  value(s: Float64Array, k: number): number;
  /** s ← the singular values of prox_{step·h} (in place; descending stays descending). */
  proxValues(s: Float64Array, k: number, step: number): void;
  /** Whether h is the indicator of a set (an extrapolated point is then projected before use). */
  readonly isConstraint: boolean;
}

/**
 * The trace norm λ‖W‖_* as a {@link SpectralPenalty}: prox = soft-thresholding σ ↦ (σ − step·λ)₊.
 * @param lambda - λ ≥ 0
 * @returns the penalty
 * @example
 * ```ts
 * const h = traceNormValues(0.1); // h.value(s, k) = 0.1 Σ s_i
 * ```
 * @see {@link spectralProxGrad}; Cai, Candès & Shen, SIAM J. Optim. 20(4), 2010.
 */
export function traceNormValues(lambda: number): SpectralPenalty {
  return new TraceNormValues(lambda);
}

/** {@link traceNormValues} as a class (one call target for the solvers across fits). */
class TraceNormValues implements SpectralPenalty {
  readonly isConstraint = false;
  constructor(private readonly lambda: number) {}
  value(s: Float64Array, k: number): number {
    let t = 0;
    for (let i = 0; i < k; i++) t += s[i]!;
    return this.lambda * t;
  }
  proxValues(s: Float64Array, k: number, step: number): void {
    const tau = step * this.lambda;
    for (let i = 0; i < k; i++) s[i] = Math.max(s[i]! - tau, 0);
  }
}

/**
 * The rank constraint rank(W) ≤ r as a {@link SpectralPenalty}: prox = keep the r largest singular
 * values (Eckart–Young); value 0 when at most r values exceed 1e-10·σ_max, else +∞.
 * @param r - the rank bound
 * @returns the penalty
 * @example
 * ```ts
 * const h = rankConstraintValues(3);
 * ```
 * @see {@link spectralProxGrad}; Eckart & Young, Psychometrika 1, 1936.
 */
export function rankConstraintValues(r: number): SpectralPenalty {
  return {
    isConstraint: true,
    value: (s, k) => {
      const cut = 1e-10 * (k > 0 ? s[0]! : 0);
      let c = 0;
      for (let i = 0; i < k; i++) if (s[i]! > cut) c++;
      return c <= r ? 0 : Infinity;
    },
    proxValues: (s, k) => {
      for (let i = r; i < k; i++) s[i] = 0;
    },
  };
}

/**
 * The squared trace norm γ‖W‖²_* as a {@link SpectralPenalty}. Its prox on the singular values is
 * argmin_x ½‖x − σ‖² + step·γ(Σx)² over x ≥ 0: x = (σ − θ)₊ with θ = 2·step·γ·Σ(σ − θ)₊, the root of
 * a piecewise linear increasing function, found exactly by scanning the sorted σ.
 * @param gamma - γ ≥ 0
 * @returns the penalty
 * @example
 * ```ts
 * const h = squaredTraceNormValues(0.01);
 * ```
 * @see {@link spectralProxGrad}; Argyriou, Evgeniou & Pontil, Machine Learning 73(3), 2008.
 */
export function squaredTraceNormValues(gamma: number): SpectralPenalty {
  return {
    isConstraint: false,
    value: (s, k) => {
      let t = 0;
      for (let i = 0; i < k; i++) t += s[i]!;
      return gamma * t * t;
    },
    proxValues: (s, k, step) => {
      const c = 2 * step * gamma;
      // with the m largest active: θ = c(S_m − mθ) ⇒ θ = c S_m / (1 + c m); valid when σ_{m} > θ ≥ σ_{m+1}
      let Sm = 0, theta = 0;
      for (let mm = 1; mm <= k; mm++) {
        Sm += s[mm - 1]!;
        const th = (c * Sm) / (1 + c * mm);
        const next = mm < k ? s[mm]! : 0;
        theta = th;
        if (th >= next) break;
      }
      for (let i = 0; i < k; i++) s[i] = Math.max(s[i]! - theta, 0);
    },
  };
}

/**
 * The ASO penalty λ Σ_{i>h} σ_i(W)² as a {@link SpectralPenalty}: min over Θ (ΘΘᵀ = I_h) of
 * λ‖(I − ΘᵀΘ)W‖²_F (Ando & Zhang 2005) — non-convex. Its prox keeps the h largest singular values and
 * divides the others by 1 + 2·step·λ (for each assignment of the penalised set the cost is
 * Σ c/(2(1+c))σ_i², smallest when the smallest values are penalised, and the shrunk values stay below
 * the kept ones, so the order is consistent).
 * @param lambda - λ ≥ 0
 * @param h - the dimension of the shared subspace
 * @returns the penalty
 * @example
 * ```ts
 * const pen = asoSpectralValues(0.1, 3);
 * ```
 * @see {@link spectralProxGrad}; Ando & Zhang, J. Mach. Learn. Res. 6, 2005.
 */
export function asoSpectralValues(lambda: number, h: number): SpectralPenalty {
  return {
    isConstraint: false,
    value: (s, k) => {
      let t = 0;
      for (let i = h; i < k; i++) t += s[i]! * s[i]!;
      return lambda * t;
    },
    proxValues: (s, k, step) => {
      const f = 1 / (1 + 2 * step * lambda);
      for (let i = h; i < k; i++) s[i]! *= f;
    },
  };
}
