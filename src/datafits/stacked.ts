/**
 * A datafit over stacked blocks x = [W_1; …; W_B] (each d×T) that sees only their sum W = Σ_b W_b:
 * g(x) = f(Σ_b W_b). This is how the decomposition models (W = P + Q; Jalali et al. 2010, Gong et al.
 * 2012, Chen et al. 2011/2012) reuse the squared loss: the state of x is the state of W (affine), the
 * gradient with respect to every block is ∇f(W), and the Lipschitz constant is B·L_f.
 *
 * @packageDocumentation
 */
import type { Datafit, DualTerms } from './types.js';

/**
 * g(x) = f(Σ_b x_b) for x = [x_1; …; x_B], x_b ∈ ℝ^{d×T}.
 *
 * @param f - the datafit of W
 * @param blocks - B ≥ 1
 * @returns a datafit of dimension B·d·T (its `dualTerms` writes −∇f(W) into every block)
 * @example
 * ```ts
 * const g = stackedDatafit(quadraticDatafit(loss), 2); // x = [P; Q]
 * ```
 * @see {@link BlockNormSumPenalty}
 */
export function stackedDatafit(f: Datafit, blocks: number): Datafit {
  const n = f.dim;
  const W = new Float64Array(n);
  const sum = (x: Float64Array): Float64Array => {
    // W = Σ_b x_b
    W.set(x.subarray(0, n));
    for (let b = 1; b < blocks; b++) {
      const o = b * n;
      for (let i = 0; i < n; i++) W[i]! += x[o + i]!;
    }
    return W;
  };
  const spread = (out: Float64Array): void => {
    for (let b = 1; b < blocks; b++) out.copyWithin(b * n, 0, n);
  };
  return {
    d: f.d,
    T: f.T,
    dim: blocks * n,
    stateSize: f.stateSize,
    computeState: (x, s) => f.computeState(sum(x), s),
    value: (x, s) => f.value(sum(x), s),
    gradient: (x, s, out) => {
      f.gradient(sum(x), s, out); // ∂g/∂x_b = ∇f(W) for every block
      spread(out);
    },
    lipschitz: () => blocks * f.lipschitz(),
    dualTerms: (x, s, negGrad): DualTerms => {
      const t = f.dualTerms(sum(x), s, negGrad);
      spread(negGrad);
      return t;
    },
    valueAtZero: () => f.valueAtZero(),
    intercepts: (x) => f.intercepts(Float64Array.from(sum(x))),
  };
}
