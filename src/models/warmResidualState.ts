/**
 * Continuity of a cached residual-form BCD state from one group-lasso fit to the next on the same data
 * object (issue #11). Along a path each fit is warm-started from the previous solution, so the state
 * the previous fit left (R = Ỹ − X̃W and the last full gradient) is already that of the new start:
 * {@link bcd}'s `reset` and its first certificate check would recompute both from the data (the
 * residual over the nonzero rows; X̃ᵀR, 2·n·d·T flops). This wrapper skips that recomputation when the
 * start equals, bit for bit, the W the previous fit returned, and otherwise delegates everything.
 *
 * Results change only by rounding: R then carries the rounding of the previous fits' updates instead of
 * being recomputed; a real reset every {@link MAX_SKIPS} fits bounds that drift.
 *
 * When the previous fit's last check was a reduced one (gap-safe screening had removed rows, so only the
 * rows left were recomputed), the first check of the next fit gets those rows exactly and, for the others,
 * a vector whose dual norm bounds theirs from above ({@link boundStaleRows}) instead of X̃ᵀR (issue #11).
 * The check's duality gap then uses a smaller rescaling α of the same dual point (still feasible), its
 * screening sphere is tested against larger norms, and the working set may take in more rows: each is
 * conservative, and that check never certifies a new λ anyway (the support's gradients sit at λ_prev).
 *
 * @packageDocumentation
 */
import type { BcdDatafit, RowDualTerms } from '../solvers/bcdDatafit.js';
import type { GroupL2Sweep } from '../solvers/bcd.js';
import type { SupportDesign } from '../solvers/tightDual.js';
import { kernelBackend } from '../linalg/blas.js';

/** Consecutive fits that may continue from the state before one recomputes it from the data. */
export const MAX_SKIPS = 16;
/** The largest relative inflation of {@link boundStaleRows}'s bounds that replaces a product. */
export const MAX_INFLATION = 0.02;

/**
 * A {@link BcdDatafit} over another one (a residual-form state whose `reset` is a pure function of W),
 * keeping the state and the last full gradient across fits: see the module comment.
 */
export class WarmResidualState implements BcdDatafit {
  readonly kind: 'residual' | 'gram';
  readonly d: number;
  readonly T: number;
  /** The W the last fit returned (valid while `settled`). */
  private readonly lastW: Float64Array;
  /** −∇f at the state after the last full gradient; valid for the next fit's first check while `vFresh`. */
  private readonly lastV: Float64Array;
  private settled = false;
  private lastFull = false;
  private vFresh = false;
  /** The last full product: Vref = −∇f(Wref) over all rows (valid while `refValid`). */
  private readonly Vref: Float64Array;
  private readonly Wref: Float64Array;
  private refValid = false;
  /** Rows of the last reduced gradient (exact in lastV at the settled W), and their count (−1: none). */
  private readonly lastRows: Int32Array;
  private lastK = -1;
  private vBound = false;
  private skips = 0;
  private backend = '';

  /** @param inner - the state (its `reset` must depend on W only) */
  constructor(private readonly inner: BcdDatafit) {
    this.kind = inner.kind;
    this.d = inner.d;
    this.T = inner.T;
    this.lastW = new Float64Array(inner.d * inner.T);
    this.lastV = new Float64Array(inner.d * inner.T);
    this.Vref = new Float64Array(inner.d * inner.T);
    this.Wref = new Float64Array(inner.d * inner.T);
    this.lastRows = new Int32Array(inner.d);
  }

  /**
   * Records that the internal state is that of W, the W a fit just returned (call only after a fit
   * that ended with finite values).
   * @param W - the returned weights (copied)
   */
  settle(W: Float64Array): void {
    this.lastW.set(W);
    this.settled = true;
  }

  reset(W: Float64Array): void {
    const settled = this.settled;
    this.settled = false;
    this.vFresh = false;
    this.vBound = false;
    if (settled && this.skips < MAX_SKIPS && kernelBackend() === this.backend && sameEntries(W, this.lastW)) {
      // the state is that of W already: keep it, and the previous fit's last full gradient if it was full,
      // else its last reduced one with bounds for the other rows
      this.skips++;
      this.vFresh = this.lastFull;
      this.vBound = !this.lastFull && this.lastK >= 0 && this.refValid;
      return;
    }
    this.skips = 0;
    this.backend = kernelBackend();
    this.lastFull = false;
    this.lastK = -1;
    this.inner.reset(W);
  }

  fullNegGradient(W: Float64Array, V: Float64Array, rows?: Int32Array, k?: number): void {
    if (this.vFresh && rows === undefined) {
      // the state has not moved since lastV was computed (the first check after a kept state)
      this.vFresh = false;
      V.set(this.lastV);
      return;
    }
    this.vFresh = false;
    if (this.vBound && rows === undefined) {
      // the first check after a kept state whose last gradient was reduced: exact rows and bounds
      this.vBound = false;
      if (boundStaleRows(W, this.lastV, this.lastRows, this.lastK, this.Wref, this.Vref, this.inner.columnNormMax(),
        this.inner.dualStrongConcavity(), this.d, this.T, V)) return;
    }
    this.vBound = false;
    this.inner.fullNegGradient(W, V, rows, k);
    this.lastFull = rows === undefined;
    if (this.lastFull) {
      this.lastV.set(V);
      this.Vref.set(V); this.Wref.set(W); this.refValid = true;
      this.lastK = -1;
    } else {
      // rows[0..k) are exact at this W (the others of V may be stale)
      const T = this.T, m = k ?? this.d;
      for (let a = 0; a < m; a++) {
        const j = rows![a]!;
        this.lastRows[a] = j;
        for (let t = 0; t < T; t++) this.lastV[j * T + t] = V[j * T + t]!;
      }
      this.lastK = m;
    }
  }

  prepare(ws: Int32Array, k: number): void { this.inner.prepare(ws, k); }
  rowNegGradient(j: number, out: Float64Array): void { this.inner.rowNegGradient(j, out); }
  updateRow(j: number, delta: Float64Array, ws: Int32Array, k: number): void { this.inner.updateRow(j, delta, ws, k); }
  internalDualTerms(W: Float64Array, out: RowDualTerms): void { this.inner.internalDualTerms(W, out); }
  tryRows(ws: Int32Array, p: number, W: Float64Array, x: Float64Array, out: RowDualTerms): boolean { return this.inner.tryRows?.(ws, p, W, x, out) ?? false; }
  acceptRows(): void { this.inner.acceptRows!(); }
  coordinateLipschitz(): Float64Array { return this.inner.coordinateLipschitz(); }
  columnNormMax(): Float64Array { return this.inner.columnNormMax(); }
  dualStrongConcavity(): number { return this.inner.dualStrongConcavity(); }
  xty(): Float64Array { return this.inner.xty(); }
  groupL2Sweep(): GroupL2Sweep | null { return this.inner.groupL2Sweep?.() ?? null; }
  supportDesign(): SupportDesign | null { return this.inner.supportDesign?.() ?? null; }
}

/** Whether a and b hold the same numbers (0 and −0 alike: the state's reset skips both). */
function sameEntries(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * V for the first check of a fit whose state is kept from the last one: rows[0..k) from `exact` (−∇f at
 * W, computed by the last fit's final, reduced check), every other row j from the last full product
 * V_ref = −∇f(W_ref), inflated so that its dual norm (any ℓ_{q*}) bounds that of −∇_j f(W) from above:
 *   |Δv_jt| = 2s_t |x̃_tjᵀ X̃_t Δw_t| ≤ (c_j/κ) Σ_i c_i |Δw_it|,  Δ = W − W_ref, c_j = max_t ‖x̃_tj‖, κ = 1/(2 max_t s_t),
 *   so ‖Δv_j‖₂ ≤ b_j = c_j B, B = (1/κ) (Σ_t (Σ_i c_i |Δw_it|)²)^{1/2}; with ‖v‖_{q*} ∈ [‖v‖₂/√T, √T‖v‖₂],
 *   v_j ← v_ref,j (1 + T b_j/‖v_ref,j‖₂) (v_ref,j = 0: b_j √T in its first entry), plus 1e-12 for rounding.
 * Only when the bounds are tight, T·max_j c_j·B ≤ {@link MAX_INFLATION}·max_j ‖v_ref,j‖₂ (else V is not written):
 * looser ones put rows into the working set that the product would leave out (measured on 200×2000×5:
 * 2057 epochs instead of 1604 without the test).
 * @param W - the current weights d×T
 * @param exact - −∇f(W) on the listed rows (d×T)
 * @param rows - the rows exact in `exact`
 * @param k - how many
 * @param Wref - the weights of the last full product
 * @param Vref - −∇f(Wref), d×T
 * @param cmax - c_j = max_t ‖x̃_tj‖
 * @param kappa - κ = 1/(2 max_t s_t)
 * @param d - rows of W
 * @param T - tasks
 * @param V - output d×T
 * @returns whether V was written (false: the bounds are too loose)
 * @example
 * ```ts
 * if (!boundStaleRows(W, lastV, rows, k, Wref, Vref, f.columnNormMax(), f.dualStrongConcavity(), d, T, V);
 * ```
 * @see {@link WarmResidualState}
 */
export function boundStaleRows(
  W: Float64Array, exact: Float64Array, rows: Int32Array, k: number, Wref: Float64Array, Vref: Float64Array,
  cmax: Float64Array, kappa: number, d: number, T: number, V: Float64Array,
): boolean {
  // B = (1/κ)·‖(Σ_i c_i |Δw_it|)_t‖₂
  let B2 = 0;
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += cmax[i]! * Math.abs(W[i * T + t]! - Wref[i * T + t]!);
    B2 += s * s;
  }
  const B = Math.sqrt(B2) / kappa, rootT = Math.sqrt(T);
  let cm = 0, vm = 0;
  for (let j = 0; j < d; j++) {
    cm = Math.max(cm, cmax[j]!);
    let z = 0;
    for (let t = 0; t < T; t++) z += Vref[j * T + t]! * Vref[j * T + t]!;
    vm = Math.max(vm, z);
  }
  if (!(T * cm * B <= MAX_INFLATION * Math.sqrt(vm))) return false;
  for (let j = 0; j < d; j++) {
    const o = j * T, b = cmax[j]! * B;
    let nr = 0;
    for (let t = 0; t < T; t++) nr += Vref[o + t]! * Vref[o + t]!;
    nr = Math.sqrt(nr);
    if (nr > 0) {
      const f = 1 + (T * b) / nr + 1e-12;
      for (let t = 0; t < T; t++) V[o + t] = f * Vref[o + t]!;
    } else {
      V.fill(0, o, o + T);
      V[o] = rootT * b * (1 + 1e-12);
    }
  }
  for (let a = 0; a < k; a++) {
    const o = rows[a]! * T;
    for (let t = 0; t < T; t++) V[o + t] = exact[o + t]!;
  }
  return true;
}
