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
 * @packageDocumentation
 */
import type { BcdDatafit, RowDualTerms } from '../solvers/bcdDatafit.js';
import type { GroupL2Sweep } from '../solvers/bcd.js';
import { kernelBackend } from '../linalg/blas.js';

/** Consecutive fits that may continue from the state before one recomputes it from the data. */
export const MAX_SKIPS = 16;

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
  private skips = 0;
  private backend = '';

  /** @param inner - the state (its `reset` must depend on W only) */
  constructor(private readonly inner: BcdDatafit) {
    this.kind = inner.kind;
    this.d = inner.d;
    this.T = inner.T;
    this.lastW = new Float64Array(inner.d * inner.T);
    this.lastV = new Float64Array(inner.d * inner.T);
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
    if (settled && this.skips < MAX_SKIPS && kernelBackend() === this.backend && sameEntries(W, this.lastW)) {
      // the state is that of W already: keep it, and the previous fit's last full gradient if it was full
      this.skips++;
      this.vFresh = this.lastFull;
      return;
    }
    this.skips = 0;
    this.backend = kernelBackend();
    this.lastFull = false;
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
    this.inner.fullNegGradient(W, V, rows, k);
    this.lastFull = rows === undefined;
    if (this.lastFull) this.lastV.set(V);
  }

  prepare(ws: Int32Array, k: number): void { this.inner.prepare(ws, k); }
  rowNegGradient(j: number, out: Float64Array): void { this.inner.rowNegGradient(j, out); }
  updateRow(j: number, delta: Float64Array, ws: Int32Array, k: number): void { this.inner.updateRow(j, delta, ws, k); }
  internalDualTerms(W: Float64Array, out: RowDualTerms): void { this.inner.internalDualTerms(W, out); }
  coordinateLipschitz(): Float64Array { return this.inner.coordinateLipschitz(); }
  columnNormMax(): Float64Array { return this.inner.columnNormMax(); }
  dualStrongConcavity(): number { return this.inner.dualStrongConcavity(); }
  xty(): Float64Array { return this.inner.xty(); }
  groupL2Sweep(): GroupL2Sweep | null { return this.inner.groupL2Sweep?.() ?? null; }
}

/** Whether a and b hold the same numbers (0 and −0 alike: the state's reset skips both). */
function sameEntries(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
