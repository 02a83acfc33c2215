/**
 * The row-wise state layer of the squared loss for block coordinate descent: a {@link RowwiseDatafit}
 * keeping either the residuals R = P(Ỹ − X̃W) (a row update costs 2·Σ_t n_t) or, for the working-set
 * rows, C = X̃ᵀỸ − X̃ᵀX̃W (a row update costs |S|·T, Gram columns computed only for working-set features).
 *
 * Per-coordinate Lipschitz constants L_jt = 2 s_t ‖x̃_tj‖² are kept next to the row constants max_t L_jt
 * (issue #11: a row step with max_t L_jt is far too short for tasks whose column scales are smaller).
 *
 * References: M. Massias, A. Gramfort & J. Salmon, "Celer", ICML 2018 (working sets, Gram columns);
 * scikit-learn's `_cd_fast.pyx` (residual updates).
 *
 * @packageDocumentation
 */
import type { DualTerms, RowwiseDatafit } from './types.js';
import type { QuadraticLoss } from './quadratic.js';
import { quadraticDatafit } from './state.js';
import type { RowBackend } from './rowBackend.js';
import { ResidualRows } from './residualRows.js';
import { GramRows } from './gramRows.js';

/**
 * Chooses the row-wise representation by problem shape: Gram when each row update is cheaper with
 * cached Gram entries than with residuals (shared design without missing values and n ≥ d/4; per-task
 * designs with mean n_t ≥ d/2 and T·d² ≤ 2²⁴), residual otherwise.
 * @param loss - the squared loss
 * @returns the representation
 * @example
 * ```ts
 * chooseRowBackend(loss); // 'gram' for n = 20000, d = 500
 * ```
 * @see {@link rowwiseQuadraticDatafit}
 */
export function chooseRowBackend(loss: QuadraticLoss): 'gram' | 'residual' {
  const { d, T } = loss;
  if (loss.X !== null) return !loss.mask && loss.n * 4 >= d ? 'gram' : 'residual';
  const total = loss.offsets[T]!;
  return total / T >= d / 2 && T * d * d <= 1 << 24 ? 'gram' : 'residual';
}

/**
 * The squared loss as a {@link RowwiseDatafit} for block coordinate descent (and, through its Datafit
 * part, for any full-gradient solver). Build one per data object and loss options and reuse it along a
 * regularization path: Gram columns and XᵀY computed by one fit serve the next.
 *
 * @param loss - the preprocessed loss
 * @param kind - `'gram'`, `'residual'` or `'auto'` ({@link chooseRowBackend}) @default 'auto'
 * @returns the row-wise datafit (not re-entrant)
 * @example
 * ```ts
 * const f = rowwiseQuadraticDatafit(new QuadraticLoss(data), 'auto');
 * f.reset(W);
 * const v = new Float64Array(T);
 * f.rowNegGradient(0, v); // v_t = −∂L/∂W_0t
 * ```
 * @see {@link RowwiseDatafit}
 */
export function rowwiseQuadraticDatafit(loss: QuadraticLoss, kind: 'gram' | 'residual' | 'auto' = 'auto'): RowwiseDatafit {
  const k = kind === 'auto' ? chooseRowBackend(loss) : kind;
  return new RowwiseQuadratic(loss, k === 'gram' ? new GramRows(loss) : new ResidualRows(loss));
}

class RowwiseQuadratic implements RowwiseDatafit {
  readonly d: number;
  readonly T: number;
  readonly dim: number;
  readonly kind: 'gram' | 'residual';
  private full: ReturnType<typeof quadraticDatafit> | null = null;
  private readonly pair = new Float64Array(2);
  constructor(readonly loss: QuadraticLoss, private readonly rows: RowBackend) {
    this.d = loss.d;
    this.T = loss.T;
    this.dim = loss.d * loss.T;
    this.kind = rows.kind;
  }
  /** The full-gradient (explicit state) part, built on first use with the same representation. */
  private fullFit(): ReturnType<typeof quadraticDatafit> {
    if (!this.full) this.full = quadraticDatafit(this.loss, this.kind);
    return this.full;
  }
  get stateSize(): number {
    return this.fullFit().stateSize;
  }
  computeState(W: Float64Array, state: Float64Array): void {
    this.fullFit().computeState(W, state);
  }
  value(W: Float64Array, state: Float64Array): number {
    return this.fullFit().value(W, state);
  }
  gradient(W: Float64Array, state: Float64Array, out: Float64Array): void {
    this.fullFit().gradient(W, state, out);
  }
  lipschitz(): number {
    return this.loss.lipschitz();
  }
  dualTerms(W: Float64Array, state: Float64Array, negGrad: Float64Array): DualTerms {
    return this.fullFit().dualTerms(W, state, negGrad);
  }
  valueAtZero(): number {
    return this.loss.valueAtZero();
  }
  intercepts(W: Float64Array): Float64Array {
    return this.loss.intercepts(W);
  }
  reset(W: Float64Array): void {
    this.rows.reset(W);
  }
  prepare(ws: Int32Array, k: number): void {
    this.rows.prepare(ws, k, new Float64Array(0));
  }
  rowNegGradient(j: number, out: Float64Array): void {
    this.rows.corrRow(j, out);
  }
  updateRow(j: number, delta: Float64Array, ws: Int32Array, k: number): void {
    this.rows.update(j, delta, ws, k);
  }
  fullNegGradient(W: Float64Array, V: Float64Array): void {
    this.rows.full(W, V);
  }
  internalDualTerms(W: Float64Array): DualTerms {
    this.rows.lossAndInner(W, this.pair);
    return { value: this.pair[0]!, innerY: this.pair[1]!, quad: this.pair[0]! };
  }
  rowLipschitz(): Float64Array {
    return this.rows.lip;
  }
  coordinateLipschitz(): Float64Array {
    return this.rows.coordLip;
  }
  columnNormMax(): Float64Array {
    return this.rows.colNormMax;
  }
}
