/**
 * Gram representations of the squared loss for block coordinate descent: C = X̃ᵀỸ − X̃ᵀX̃W kept for the
 * working-set rows, so a row step costs O(|S|·T) once the Gram columns of the working-set features
 * are known (the "precompute" / covariance updates of Friedman, Hastie & Tibshirani, "Regularization
 * paths for generalized linear models via coordinate descent", J. Stat. Softw. 33, 2010).
 *
 * @packageDocumentation
 */
import type { QuadraticLoss } from '../datafits/quadratic.js';
import type { BcdDatafit, RowDualTerms } from './bcdDatafit.js';
import type { GroupL2Sweep } from './bcd.js';
import { dot, gemmTN, kernelBackend } from '../linalg/blas.js';
import { kappaOf, lipschitzFrom } from './bcdKernels.js';
import { allocI32, isWasmResident, residentOrHeap } from '../linalg/wasm/matrix.js';
import { wasm, type WasmKernels } from '../linalg/wasm/runtime.js';
import { wasmGramGroupL2Sweep, type GramSweepOperands } from './groupL2SweepGram.js';
import { GramColumnStore } from './gramColumnStore.js';

/**
 * The dual terms of the squared loss from the row-major Gram state (nonzero rows of W only):
 * ‖r_t‖² = ‖ỹ_t‖² − w_tᵀ(X̃ᵀỸ)_t − w_tᵀc_t and ⟨r_t, ỹ_t⟩ = ‖ỹ_t‖² − w_tᵀ(X̃ᵀỸ)_t, with C = X̃ᵀỸ − X̃ᵀX̃W
 * (entry (j, t) at j·T + t). Rows are read in order, each task's sums over j ascending; `acc` holds
 * the 2T partial sums.
 */
function gramDualTerms(
  W: Float64Array, XtY: Float64Array, C: Float64Array, yy: Float64Array, s: Float64Array, d: number, T: number,
  acc: Float64Array, out: RowDualTerms,
): void {
  // acc[t] = w_tᵀ(X̃ᵀỸ)_t, acc[T + t] = w_tᵀc_t
  acc.fill(0, 0, 2 * T);
  for (let j = 0; j < d; j++) {
    const o = j * T;
    for (let t = 0; t < T; t++) {
      const w = W[o + t]!;
      if (w === 0) continue;
      acc[t]! += w * XtY[o + t]!;
      acc[T + t]! += w * C[o + t]!;
    }
  }
  let f = 0, inner = 0;
  for (let t = 0; t < T; t++) {
    const wxy = acc[t]!, wc = acc[T + t]!;
    f += s[t]! * Math.max(0, yy[t]! - wxy - wc);
    inner += 2 * s[t]! * (yy[t]! - wxy);
  }
  out.value = f;
  out.innerY = inner;
}

/**
 * out_t = Σ_i Y_it² for a row-major n×T matrix (out overwritten). A function of its own, so that the
 * loop runs optimised from the first fits on instead of in each state's once-run constructor.
 */
function columnSquaresInto(Y: Float64Array, n: number, T: number, out: Float64Array): void {
  // out_t = Σ_i Y_it², one task at a time in a local (the same ascending chain as accumulating in out)
  const end = n * T;
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let k = t; k < end; k += T) { const y = Y[k]!; s += y * y; }
    out[t] = s;
  }
}

/**
 * What the two Gram states share: C = X̃ᵀỸ − X̃ᵀX̃W row-major d×T (entry (j, t) at j·T + t), X̃ᵀỸ in the
 * same layout, ‖ỹ_t‖², the coordinate Lipschitz constants, and the cold-path methods read from them (the
 * full gradient, the dual terms, the getters). The hot row methods stay in each state.
 */
abstract class RowMajorGramRows {
  readonly kind = 'gram' as const;
  readonly d: number;
  readonly T: number;
  /** X̃ᵀỸ, d×T (for λ_max and the dual terms). */
  protected readonly XtY: Float64Array;
  protected readonly yy: Float64Array;
  /** The dual terms' 2T partial sums. */
  private readonly dualAcc: Float64Array;
  protected readonly C: Float64Array;
  protected Lc!: Float64Array;
  protected cmax!: Float64Array;
  /**
   * True while every row of C is that of the state's W: after `reset`, as long as the row updates
   * covered all d rows (a working set of every row, as near the end of a dense fit). `fullNegGradient`
   * then reads C as it is instead of recomputing it (2·d·T·|nonzero rows| flops per check).
   */
  protected allRowsCurrent = false;

  protected constructor(protected readonly loss: QuadraticLoss, C: Float64Array) {
    this.d = loss.d;
    this.T = loss.T;
    this.C = C;
    this.yy = new Float64Array(loss.T);
    this.dualAcc = new Float64Array(2 * loss.T);
    loss.design?.squaresWithNextProduct(); // ‖x̃_j‖² in X̃ᵀỸ's pass over X (when that product is still to come)
    this.XtY = loss.xty(); // cached by the loss, read only
  }

  abstract reset(W: Float64Array): void;

  fullNegGradient(W: Float64Array, V: Float64Array): void {
    if (!this.allRowsCurrent) this.reset(W);
    const { d, T } = this, s = this.loss.scales, C = this.C;
    // V = 2 s ⊙ C
    for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) V[j * T + t] = 2 * s[t]! * C[j * T + t]!;
  }

  internalDualTerms(W: Float64Array, out: RowDualTerms): void {
    gramDualTerms(W, this.XtY, this.C, this.yy, this.loss.scales, this.d, this.T, this.dualAcc, out);
  }

  coordinateLipschitz(): Float64Array { return this.Lc; }
  columnNormMax(): Float64Array { return this.cmax; }
  dualStrongConcavity(): number { return kappaOf(this.loss); }
  xty(): Float64Array { return this.XtY; }
}

/**
 * Shared design without missing responses. C = X̃ᵀỸ − X̃ᵀX̃W is kept row-major (d×T, row i of C
 * contiguous) in the WebAssembly kernels' memory, as are the Gram columns and the working set, so the
 * update after row j moves by δ is C_i −= G_ij δ for the working-set rows i (one `axpy_gather` call,
 * SIMD over the T entries of each row), and the full recomputation C = X̃ᵀỸ − G_S W_S one product.
 */
export class SharedGramRows extends RowMajorGramRows implements BcdDatafit {
  /** The working set given to `prepare` (resident copy for the kernel) and −δ of the row update. */
  private readonly wsIdx: Int32Array;
  private wsRef: Int32Array | null = null;
  private wsK = 0;
  private readonly dneg: Float64Array;
  /** The WebAssembly kernels when C, the Gram columns, the working set and −δ are resident (decided per reset). */
  private wk: WasmKernels | null = null;
  /** The Gram columns: full for the nonzero rows of the last reset, on the covered features for the others. */
  private readonly store: GramColumnStore;
  private Wneg: Float64Array;
  /** The Gram columns of the nonzero rows gathered for `reset`'s product (k×d). */
  private gathered: Float64Array = new Float64Array(0);
  /** The kernels' fused group-L2 sweep (issue #11), built on first use. */
  private wasmSweep: GroupL2Sweep | null = null;
  /** The sweep handed to bcd: `wasmSweep`, marking C stale after a partial working set. */
  private sweep: GroupL2Sweep | null = null;
  /**
   * Change counters for the kernels' sweep: `wsStamp` moves at prepare and reset (working set, Gram
   * columns' places), `wStamp` at reset and updateRow (W changed outside a sweep: C = X̃ᵀỸ − X̃ᵀX̃W holds
   * only if every change of W reaches this state, so the sweep's resident mirror of W is current until then).
   */
  private wsStamp = 0;
  private wStamp = 0;

  constructor(loss: QuadraticLoss) {
    // C resident for the kernels; X̃ᵀỸ (d×T) from the row-major design, centred on the fly (no copy of X)
    super(loss, residentOrHeap(loss.d * loss.T, 0));
    const { d, T } = loss;
    const n = loss.n, Y = loss.Y!;
    this.store = new GramColumnStore(loss.design!);
    this.wsIdx = allocI32(d);
    this.dneg = residentOrHeap(T, 0);
    columnSquaresInto(Y, n, T, this.yy);
    // ‖x̃_j‖²
    const sq = new Float64Array(d);
    loss.design!.columnSquares(sq);
    ({ L: this.Lc, cmax: this.cmax } = lipschitzFrom(loss, (j) => sq[j]!));
    this.Wneg = new Float64Array(0);
  }

  reset(W: Float64Array): void {
    const { d, T } = this;
    this.wsStamp++; this.wStamp++;
    // features with a nonzero row need their Gram column
    const nz = new Int32Array(d);
    let k = 0;
    for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) if (W[j * T + t] !== 0) { nz[k++] = j; break; }
    const store = this.store;
    store.ensureFull(nz, k);
    this.wk = wasm !== null && kernelBackend() === 'wasm' && isWasmResident(this.C) && isWasmResident(store.cols) &&
      isWasmResident(this.wsIdx) && isWasmResident(this.dneg) ? wasm.k : null;
    // C = X̃ᵀỸ − G_N W_N over the nonzero rows N (one product). The Gram columns are the rows of the
    // slot-major `cols` (m×d), so G_N = colsᵀ when N is exactly slots 0 … k−1 in order; otherwise N's
    // columns are gathered into k×d, unless that copy (k·d) costs more than the product over all m slots
    // saves (2·d·T·(m − k)): then the product runs over every slot, with −W's zero rows in it.
    this.C.set(this.XtY);
    this.allRowsCurrent = true;
    if (k === 0) return;
    const m = store.nSlots, slot = store.slot;
    let inOrder = true;
    for (let a = 0; a < k && inOrder; a++) inOrder = slot[nz[a]!] === a;
    const gather = !inOrder && 2 * T * (m - k) > k;
    const rows = inOrder || gather ? k : m;
    if (this.Wneg.length < rows * T) this.Wneg = residentOrHeap(Math.max(rows * T, 2 * this.Wneg.length), 0);
    const Wn = this.Wneg;
    let G = store.cols;
    if (gather) {
      if (this.gathered.length < k * d) this.gathered = residentOrHeap(Math.max(k * d, 2 * this.gathered.length), 0);
      G = this.gathered;
      for (let a = 0; a < k; a++) G.set(store.cols.subarray(slot[nz[a]!]! * d, slot[nz[a]!]! * d + d), a * d);
    }
    // row a of −W_N: feature nz[a] (in order / gathered) or slotFeature[a] (all slots)
    for (let a = 0; a < rows; a++) {
      const j = rows === m && !inOrder ? store.slotFeature[a]! : nz[a]!;
      for (let t = 0; t < T; t++) Wn[a * T + t] = -W[j * T + t]!;
    }
    gemmTN(d, T, rows, G.subarray(0, rows * d), Wn.subarray(0, rows * T), this.C, 1);
  }

  /**
   * The fused sweep ({@link GroupL2Sweep}) `gl2_sweep_gram` when the row updates run in the kernels (see
   * `reset`), else null: bcd's generic step. With `MTLEARN_KERNELS=js` the state still lives in the
   * kernels' memory, and the JavaScript twin of the sweep (test/helpers/gramSweepTwin.ts) made whole fits 1.07–1.08× slower
   * in CPU time than the generic step (paired runs, 200×50×50 and 2000×50×5 at 0.01·λ_max, loaded
   * machine); over heap arrays it measured no clear gain either.
   */
  groupL2Sweep(): GroupL2Sweep | null {
    if (this.wk === null) return null;
    const run = (this.wasmSweep ??= wasmGramGroupL2Sweep(this.wk, this.operands()).sweep);
    return (this.sweep ??= (ws, p, W, Lrow, lambda, ridge) => {
      // C stays current on every row only when the working set is all of them
      if (p < this.d) this.allRowsCurrent = false;
      return run(ws, p, W, Lrow, lambda, ridge);
    });
  }

  private operands(): GramSweepOperands {
    return {
      d: this.d, T: this.T, C: this.C, cols: () => this.store.cols, slot: this.store.slot, scales: this.loss.scales,
      wsStamp: () => this.wsStamp, wStamp: () => this.wStamp,
    };
  }

  prepare(ws: Int32Array, k: number): void {
    this.store.ensureCovering(ws, k);
    this.wsStamp++;
    this.wsIdx.set(ws.subarray(0, k));
    this.wsRef = ws;
    this.wsK = k;
  }

  rowNegGradient(j: number, out: Float64Array): void {
    // v_t = 2 s_t C_jt
    const T = this.T, s = this.loss.scales, C = this.C, o = j * T;
    for (let t = 0; t < T; t++) out[t] = 2 * s[t]! * C[o + t]!;
  }

  updateRow(j: number, delta: Float64Array, ws: Int32Array, k: number): void {
    // C_i −= G_ij δ for i in the working set (C_i row i of C; G_ij = cols[slot_j·d + i])
    const { d, T } = this, C = this.C, off = this.store.slot[j]! * d, col = this.store.cols, dn = this.dneg;
    this.wStamp++;
    if (k < d) this.allRowsCurrent = false;
    for (let t = 0; t < T; t++) dn[t] = -delta[t]!;
    const wk = this.wk;
    if (wk !== null && ws === this.wsRef && k === this.wsK) {
      wk.axpy_gather(k, T, this.wsIdx.byteOffset, col.byteOffset + 8 * off, dn.byteOffset, C.byteOffset, T);
      return;
    }
    for (let a = 0; a < k; a++) {
      const i = ws[a]!, g = col[off + i]!;
      if (g === 0) continue;
      const o = i * T;
      for (let t = 0; t < T; t++) C[o + t] = C[o + t]! + g * dn[t]!;
    }
  }

}

/** Per-task designs: the T Gram matrices X̃_tᵀX̃_t in full, C = X̃ᵀỸ − [G_t w_t]_t row-major d×T. */
export class PerTaskGramRows extends RowMajorGramRows implements BcdDatafit {
  private readonly grams: Float64Array[];

  constructor(loss: QuadraticLoss) {
    super(loss, new Float64Array(loss.d * loss.T));
    const { d, T } = loss;
    const grams: Float64Array[] = [];
    const ne = loss.normalEquations; // data given by sufficient statistics: G̃_t and ‖ỹ_t‖² are given
    for (let t = 0; t < T && ne !== null; t++) {
      grams.push(ne.gram(t));
      this.yy[t] = ne.yy[t]!;
    }
    for (let t = 0; t < T && ne === null; t++) {
      const n = loss.offsets[t + 1]! - loss.offsets[t]!;
      const y = loss.ys[t]!;
      // G_t = X̃_tᵀ X̃_t
      const G = new Float64Array(d * d);
      loss.taskDesigns[t]!.gram(G);
      grams.push(G);
      this.yy[t] = dot(n, y, 0, y, 0);
    }
    this.grams = grams;
    ({ L: this.Lc, cmax: this.cmax } = lipschitzFrom(loss, (j, t) => grams[t]![j * d + j]!));
  }

  reset(W: Float64Array): void {
    // C = X̃ᵀỸ − [G_t w_t]_t (nonzero entries of W)
    const { d, T } = this, C = this.C;
    C.set(this.XtY);
    for (let j = 0; j < d; j++) {
      for (let t = 0; t < T; t++) {
        const w = W[j * T + t]!;
        if (w === 0) continue;
        const G = this.grams[t]!;
        for (let i = 0; i < d; i++) C[i * T + t]! -= G[j * d + i]! * w;
      }
    }
  }

  prepare(): void {}

  rowNegGradient(j: number, out: Float64Array): void {
    // v_t = 2 s_t C_jt
    const T = this.T, s = this.loss.scales, C = this.C;
    for (let t = 0; t < T; t++) out[t] = 2 * s[t]! * C[j * T + t]!;
  }

  updateRow(j: number, delta: Float64Array, ws: Int32Array, k: number): void {
    // C[i, t] −= G_t[i, j] δ_t for i in the working set
    const { d, T } = this, C = this.C;
    for (let t = 0; t < T; t++) {
      const dt = delta[t]!;
      if (dt === 0) continue;
      const G = this.grams[t]!, go = j * d;
      for (let a = 0; a < k; a++) {
        const i = ws[a]!;
        C[i * T + t]! -= G[go + i]! * dt;
      }
    }
  }

}
