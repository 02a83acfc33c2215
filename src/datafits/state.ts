/**
 * The one state layer of the squared loss for full-gradient solvers (FISTA, projected gradient,
 * alternating schemes): a {@link Datafit} over W evaluated from residuals or from Gram statistics.
 *
 * - residual backend: state = R = P(Ỹ − X̃W) (centred, masked), O(Σ_t n_t d T) per evaluation;
 * - Gram backend: state = [G_t w_t]_t (d×T), O(Σ_t d² ) per task per evaluation, with
 *   L(W) = Σ_t s_t (‖ỹ_t‖² − 2 c_tᵀw_t + w_tᵀ G_t w_t).
 * Both give the same values up to rounding.
 *
 * @packageDocumentation
 */
import type { Datafit, DualTerms } from './types.js';
import type { QuadraticLoss } from './quadratic.js';
import { taskNormalEquations } from './normalEquations.js';
import { gemmNN, gemv } from '../linalg/blas.js';

/** Which evaluation of the squared loss a {@link quadraticDatafit} uses. */
export type DatafitBackend = 'auto' | 'residual' | 'gram';

/**
 * Whether `'auto'` picks the Gram form for this loss: when it costs at most half of the residual form
 * per evaluation (d ≤ n/2 for a shared design without missing responses, 2dT ≤ Σ n_t otherwise) and
 * the per-task Gram matrices fit in memory (T·d² ≤ 4e6 doubles).
 * @param loss - the squared loss
 * @returns true for the Gram backend
 * @example
 * ```ts
 * prefersGram(loss); // true for n = 20000, d = 50
 * ```
 * @see {@link quadraticDatafit}
 */
export function prefersGram(loss: QuadraticLoss): boolean {
  const { d, T } = loss;
  if (loss.normalEquations !== null) return true; // statistics: only the Gram form exists
  if (loss.shared && loss.mask === null) return 2 * d <= loss.n;
  return T * d * d <= 4e6 && 2 * d * T <= loss.data.totalSize;
}

/**
 * The squared loss L(W) = Σ_t s_t ‖ỹ_t − X̃_t w_t‖² (intercepts profiled out) as a {@link Datafit}.
 *
 * @param loss - the preprocessed loss ({@link QuadraticLoss})
 * @param backend - `'residual'`, `'gram'` or `'auto'` ({@link prefersGram}) @default 'auto'
 * @returns a datafit (not re-entrant: one per solver)
 * @example
 * ```ts
 * const f = quadraticDatafit(new QuadraticLoss(data, { lossScale: 'mean' }));
 * const res = fista(f, new L1Penalty(0.1), new Float64Array(f.dim), { lipschitz: f.lipschitz() });
 * ```
 * @see {@link Datafit}; A. Beck & M. Teboulle (2009) for the affine-state FISTA it serves
 */
export function quadraticDatafit(loss: QuadraticLoss, backend: DatafitBackend = 'auto'): Datafit & { readonly kind: 'residual' | 'gram'; readonly loss: QuadraticLoss } {
  const useGram = backend === 'gram' || (backend === 'auto' && prefersGram(loss));
  return useGram ? new GramDatafit(loss) : new ResidualDatafit(loss);
}

/** Residual backend: state = R. */
class ResidualDatafit implements Datafit {
  readonly kind = 'residual' as const;
  readonly d: number;
  readonly T: number;
  readonly dim: number;
  readonly stateSize: number;
  constructor(readonly loss: QuadraticLoss) {
    this.d = loss.d;
    this.T = loss.T;
    this.dim = loss.d * loss.T;
    this.stateSize = loss.residualSize;
  }
  computeState(W: Float64Array, R: Float64Array): void {
    this.loss.residual(W, R); // R = P(Ỹ − X̃ W)
  }
  value(_W: Float64Array, R: Float64Array): number {
    return this.loss.valueFromResidual(R); // Σ_t s_t ‖r_t‖²
  }
  gradient(_W: Float64Array, R: Float64Array, G: Float64Array): void {
    this.loss.gradient(R, G); // ∇L = −Xᵀ(2s⊙R)
  }
  lipschitz(): number {
    return this.loss.lipschitz();
  }
  dualTerms(_W: Float64Array, R: Float64Array, V: Float64Array): DualTerms {
    this.loss.correlation(R, V); // V = Xᵀ(2s⊙R)
    const value = this.loss.valueFromResidual(R);
    return { value, innerY: this.loss.innerWithY(R, true), quad: value };
  }
  valueAtZero(): number {
    return this.loss.valueAtZero();
  }
  intercepts(W: Float64Array): Float64Array {
    return this.loss.intercepts(W);
  }
}

/** Gram backend: state S = [G_t w_t]_t (d×T). */
class GramDatafit implements Datafit {
  readonly kind = 'gram' as const;
  readonly d: number;
  readonly T: number;
  readonly dim: number;
  readonly stateSize: number;
  /** The normal equations the state is built from (G_t, C, ‖ỹ_t‖²); read-only for solvers. */
  readonly ne: ReturnType<typeof taskNormalEquations>;
  private readonly wt: Float64Array;
  private readonly gt: Float64Array;
  constructor(readonly loss: QuadraticLoss) {
    this.d = loss.d;
    this.T = loss.T;
    this.dim = loss.d * loss.T;
    this.stateSize = loss.d * loss.T;
    this.ne = taskNormalEquations(loss, Infinity);
    this.wt = new Float64Array(loss.d);
    this.gt = new Float64Array(loss.d);
  }
  computeState(W: Float64Array, S: Float64Array): void {
    const { d, T, ne, wt, gt } = this;
    if (ne.sharedGram) {
      gemmNN(d, T, d, ne.gram(0), W, S, 0); // S = G W
      return;
    }
    for (let t = 0; t < T; t++) {
      // s_t = G_t w_t
      for (let j = 0; j < d; j++) wt[j] = W[j * T + t]!;
      gemv(d, d, ne.gram(t), 0, wt, 0, gt, 0, 0);
      for (let j = 0; j < d; j++) S[j * T + t] = gt[j]!;
    }
  }
  value(W: Float64Array, S: Float64Array): number {
    // Σ_t s_t (‖ỹ_t‖² − 2 c_tᵀw_t + w_tᵀ(G_t w_t))
    const { d, T } = this;
    const { C, yy } = this.ne;
    const sc = this.loss.scales;
    let total = 0;
    for (let t = 0; t < T; t++) {
      let q = yy[t]!;
      for (let j = 0; j < d; j++) {
        const k = j * T + t;
        q += W[k]! * (S[k]! - 2 * C[k]!);
      }
      total += sc[t]! * Math.max(q, 0);
    }
    return total;
  }
  gradient(_W: Float64Array, S: Float64Array, G: Float64Array): void {
    // ∇L = 2 s ⊙ (G W − C)
    const { d, T } = this;
    const C = this.ne.C, sc = this.loss.scales;
    for (let j = 0; j < d; j++) {
      for (let t = 0; t < T; t++) {
        const k = j * T + t;
        G[k] = 2 * sc[t]! * (S[k]! - C[k]!);
      }
    }
  }
  lipschitz(): number {
    return this.loss.lipschitz();
  }
  dualTerms(W: Float64Array, S: Float64Array, V: Float64Array): DualTerms {
    // ⟨2s⊙R, Ỹ⟩ = Σ_t 2 s_t (‖ỹ_t‖² − c_tᵀw_t);  V = 2 s ⊙ (C − G W)
    const { d, T } = this;
    const { C, yy } = this.ne;
    const sc = this.loss.scales;
    let A = 0;
    for (let t = 0; t < T; t++) {
      let q = yy[t]!;
      for (let j = 0; j < d; j++) q -= C[j * T + t]! * W[j * T + t]!;
      A += 2 * sc[t]! * q;
    }
    for (let j = 0; j < d; j++) {
      for (let t = 0; t < T; t++) {
        const k = j * T + t;
        V[k] = 2 * sc[t]! * (C[k]! - S[k]!);
      }
    }
    const value = this.value(W, S);
    return { value, innerY: A, quad: value };
  }
  valueAtZero(): number {
    return this.loss.valueAtZero();
  }
  intercepts(W: Float64Array): Float64Array {
    return this.loss.intercepts(W);
  }
}
