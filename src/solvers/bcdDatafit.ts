/**
 * The row-wise state of the squared loss for block coordinate descent over the rows of W: what
 * {@link bcd} needs of a datafit (row negative gradients, row updates, per-coordinate Lipschitz
 * constants), in two representations.
 *
 * - **residual**: R = Ỹ − X̃W is kept *task-major* (task t's residual contiguous), so the row
 *   gradient v_t = 2 s_t x̃_tjᵀ r_t is T dot products of length n_t and the update r_t −= δ_t x̃_tj
 *   T axpys; a row costs 4·Σ_t n_t flops.
 * - **gram**: C = X̃ᵀỸ − X̃ᵀX̃W is kept for the working-set rows; a row costs 2·|S|·T once the Gram
 *   columns X̃ᵀx̃_j of the working-set features are computed (one blocked product per growth).
 *
 * {@link chooseBackend} picks by a cost model (one Gram column costs 2nd flops, about as much as d/(2T)
 * residual row steps), see there.
 *
 * @packageDocumentation
 */
import type { QuadraticLoss } from '../datafits/quadratic.js';
import type { RowwiseDatafit } from '../datafits/types.js';
import type { GroupL2Sweep } from './bcd.js';
import type { SupportDesign } from './tightDual.js';
import { axpy, dot, gemmNT, gemmTN, gemv, kernelBackend } from '../linalg/blas.js';
import { wasm, type WasmKernels } from '../linalg/wasm/runtime.js';
import { kappaOf, lipschitzFrom, sharedColumnSquares, sharedColumns, taskMajor } from './bcdKernels.js';
import { RowTry } from './rowTry.js';
import { transposeInto } from '../linalg/mat.js';
import { freeF64, isWasmResident, residentOrHeap } from '../linalg/wasm/matrix.js';
import { PerTaskGramRows, SharedGramRows } from './bcdGram.js';
import { SharedResidualRows, useColumnPanel } from './sharedResidualRows.js';
import { onReleaseScratch } from '../data/scratch.js';
import { residualGroupL2Sweep, wasmResidualGroupL2Sweep } from './groupL2Sweep.js';

/** The dual-objective terms of the squared loss at the current state (see `groupLassoGap`). */
export interface RowDualTerms {
  /** f(W) = Σ_t s_t ‖r_t‖². */
  value: number;
  /** Σ_t 2 s_t ⟨r_t, ỹ_t⟩. */
  innerY: number;
}

/**
 * What {@link bcd} needs of a datafit: the core's {@link RowwiseDatafit} contract, plus restricted full
 * gradients, the dual's strong concavity (gap-safe screening) and the cached X̃ᵀỸ (λ_max).
 */
export interface BcdDatafit extends RowwiseDatafit {
  /**
   * V ← −∇f(W) for all rows, or at least for rows[0..k) when given (the others may be left stale);
   * W must be the W of the internal state.
   */
  fullNegGradient(W: Float64Array, V: Float64Array, rows?: Int32Array, k?: number): void;
  /** κ = min_t 1/(2 s_t), the strong concavity of the dual (gap-safe sphere radius √(2 gap/κ)). */
  dualStrongConcavity(): number;
  /** X̃ᵀỸ (d×T, unscaled, cached): −∇f(0) column t is 2 s_t times column t (λ_max, the first check). */
  xty(): Float64Array;
  /**
   * Optional: a fused epoch of group-L2 row steps over this state ({@link GroupL2Sweep}), or null when
   * this state has none at the moment (asked after `reset`, once per working set).
   */
  groupL2Sweep?(): GroupL2Sweep | null;
  /**
   * Optional (Anderson's tries): `out` ← the dual terms of the state with the rows ws[0..p) of W replaced by x
   * (p·T, compact), computed in scratch, the state unchanged; false when this state cannot (nothing computed).
   * {@link BcdDatafit.acceptRows} then makes that state current (the caller sets W's rows to x).
   */
  tryRows?(ws: Int32Array, p: number, W: Float64Array, x: Float64Array, out: RowDualTerms): boolean;
  /** Makes the state of the last successful {@link BcdDatafit.tryRows} the current one. */
  acceptRows?(): void;
  /** Optional: a shared design's feature-major X̃ (no missing responses), for `tightDual.ts`'s support-tight dual point. */
  supportDesign?(): SupportDesign | null;
}

/**
 * Chooses the BCD state representation by cost. Residual row steps cost 4·n·T flops each; a Gram
 * column costs 2·n·d once, after which a row step costs 2·|S|·T. With about E = 16 sweeps over a
 * working set, the Gram form pays off when 2nd < E·4nT, i.e. d < 32·T (shared design without missing
 * responses), and when n ≥ d: with fewer rows than features the support can reach n rows and a Gram
 * row step 2·|S|·T then costs as much as a residual one (measured, 200×500×50: the residual form
 * 0.70–0.78× the Gram form's time at 0.5, 0.1, 0.01·λ_max; 400×500×50 0.87–1.02×; 600×500×50 at
 * 0.01·λ_max 1.15×, issue #11). Per-task designs: Gram when mean n_t ≥ d/2 and the T Gram matrices
 * are small.
 * @param loss - the datafit
 * @returns the backend kind
 * @example
 * ```ts
 * chooseBackend(loss); // 'gram' for n = 20000, d = 500, T = 50; 'residual' for T = 5
 * ```
 * @see {@link createBcdDatafit}
 */
export function chooseBackend(loss: QuadraticLoss): 'gram' | 'residual' {
  const { d, T } = loss;
  if (loss.normalEquations !== null) return 'gram'; // sufficient statistics: only the Gram form exists
  if (loss.shared) return !loss.mask && loss.n >= d && d <= 32 * T ? 'gram' : 'residual';
  const total = loss.offsets[T]!;
  return total / T >= d / 2 && T * d * d <= 1 << 24 ? 'gram' : 'residual';
}

/**
 * Builds the row-wise state of `loss` for {@link bcd}; reusable across fits on the same loss (a path:
 * the Gram columns and XᵀY computed by one fit serve the next).
 * @param loss - the datafit
 * @param kind - `'gram'`, `'residual'` or `'auto'` ({@link chooseBackend}) @default 'auto'
 * @returns the state
 * @example
 * ```ts
 * const f = createBcdDatafit(loss);
 * bcd(f, penalty, W0, opts);
 * ```
 * @see {@link chooseBackend}
 */
export function createBcdDatafit(loss: QuadraticLoss, kind: 'gram' | 'residual' | 'auto' = 'auto'): BcdDatafit {
  const k = kind === 'auto' ? chooseBackend(loss) : kind;
  if (k === 'residual') {
    // a large shared design without missing responses holds only its working set's columns (issue #13)
    if (useColumnPanel(loss)) { const f = new SharedResidualRows(loss); onReleaseScratch(loss.data, () => f.release()); return f; }
    const f = new ResidualRows(loss);
    // a fold's feature-major copy of X goes back to the allocator when the fold ends, not at GC (issue #13)
    if (loss.shared) { const cols = sharedColumns(loss); onReleaseScratch(loss.data, () => { freeF64(cols); loss.design!.releaseBuffers(); }); }
    return f;
  }
  return loss.shared ? new SharedGramRows(loss) : new PerTaskGramRows(loss);
}

/** Residual representation, task-major: r_t at [off_t, off_t + n_t). */
class ResidualRows implements BcdDatafit {
  readonly kind = 'residual' as const;
  readonly d: number;
  readonly T: number;
  private readonly R: Float64Array;
  /** Task-major responses (shared design) or the per-task ones. */
  private readonly Yt: Float64Array;
  /** Column-major designs: feature j of task t at cols[t][j·n_t ..) (shared: one entry). */
  private readonly cols: Float64Array[];
  private readonly off: Int32Array;
  private readonly Lc: Float64Array;
  private readonly cmax: Float64Array;
  /** Shared design with missing responses: task-major mask and centring means. */
  private readonly maskT: Uint8Array | null;
  private readonly tmp: Float64Array;
  private readonly wrow: Float64Array;
  private readonly vres: Float64Array;
  /** −δ for the resident row update (T entries, in the kernels' memory with R). */
  private readonly dres: Float64Array;
  /**
   * The WebAssembly kernels when this fit's row steps call them directly (shared design without a mask,
   * columns, R, v and δ all resident, WebAssembly backend): decided once per fit in `reset`, so the row
   * steps pay no per-call residency checks; null = the JavaScript kernels of `blas.ts`.
   */
  private wk: WasmKernels | null = null;
  /** X̃ᵀR (d×T, resident) for the full gradient by `gemv_rows`, allocated on first use. */
  private vfull: Float64Array | null = null;
  /** A task-major matrix transposed to row-major (n×T, resident) for the full products, on first use. */
  private aRows: Float64Array | null = null;
  /** True while the state is that of W = 0 (the full gradient is then 2s ⊙ X̃ᵀỸ, cached). */
  private atZero = false;
  private xtyCache: Float64Array | null = null;
  private sweep: GroupL2Sweep | null = null;
  /** Anderson's tries in a scratch residual (WebAssembly row steps only), on first use. */
  private rowTry: RowTry | null = null;

  constructor(private readonly loss: QuadraticLoss) {
    const { d, T } = loss;
    this.d = d;
    this.T = T;
    this.cols = !loss.shared ? loss.columnMajor() : [sharedColumns(loss)];
    this.off = new Int32Array(T + 1);
    if (!loss.shared) {
      this.off.set(loss.offsets);
      this.Yt = new Float64Array(loss.residualSize);
      for (let t = 0; t < T; t++) this.Yt.set(loss.ys[t]!, loss.offsets[t]!);
      this.maskT = null;
      this.tmp = new Float64Array(0);
      const cols = this.cols;
      ({ L: this.Lc, cmax: this.cmax } = lipschitzFrom(loss, (j, t) => {
        const n = loss.offsets[t + 1]! - loss.offsets[t]!;
        return dot(n, cols[t]!, j * n, cols[t]!, j * n);
      }));
    } else {
      const n = loss.n;
      for (let t = 0; t <= T; t++) this.off[t] = t * n;
      // Ỹᵀ (T×n) from the row-major n×T responses
      this.Yt = taskMajor(loss.Y!, n, T);
      this.tmp = new Float64Array(n * T);
      const Xc = this.cols[0]!;
      if (loss.mask) {
        this.maskT = new Uint8Array(n * T);
        for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) this.maskT[t * n + i] = loss.mask[i * T + t]!;
        // L_jt = 2 s_t Σ_i m_it (x_ij − m_tj)²
        const m = loss.xMeans, c = loss.fitIntercept;
        ({ L: this.Lc, cmax: this.cmax } = lipschitzFrom(loss, (j, t) => {
          let s = 0;
          const mj = c ? m[t * d + j]! : 0, mk = this.maskT!, base = j * n;
          for (let i = 0; i < n; i++) if (mk[t * n + i]) s += (Xc[base + i]! - mj) ** 2;
          return s;
        }));
      } else {
        this.maskT = null;
        // ‖x̃_j‖², made in the same pass as the feature-major copy
        const sq = sharedColumnSquares(loss);
        ({ L: this.Lc, cmax: this.cmax } = lipschitzFrom(loss, (j) => sq[j]!));
      }
    }
    // with the design's columns in the kernels' memory, R lives there too, so the row updates (dot, axpy)
    // run in the WebAssembly kernels whatever the size of R
    const resident = loss.shared && isWasmResident(this.cols[0]!);
    this.R = !loss.shared ? new Float64Array(loss.residualSize) : residentOrHeap(loss.residualSize, resident ? 0 : undefined);
    this.wrow = new Float64Array(T);
    this.vres = residentOrHeap(T, resident ? 0 : undefined);
    this.dres = residentOrHeap(T, resident ? 0 : undefined);
  }

  /** Decides (at each reset) whether the row steps call the WebAssembly kernels directly. */
  private chooseKernels(): WasmKernels | null {
    const loss = this.loss;
    return (this.wk = wasm !== null && loss.shared && !this.maskT && loss.n >= 16 && kernelBackend() === 'wasm' &&
      isWasmResident(this.cols[0]!) && isWasmResident(this.R) && isWasmResident(this.Yt) && isWasmResident(this.vres) &&
      isWasmResident(this.dres) ? wasm.k : null);
  }

  /**
   * out = X̃ᵀ Aᵀ (d×T) for a task-major A (T×n: R or Ỹ) of a shared design. With T ≤ 8, row j is
   * A x̃_j by `gemv_rows` (one pass over each column for all T tasks; skinny T fills no gemm tiles).
   */
  private columnsTimes(A: Float64Array, out: Float64Array, wk: WasmKernels | null): void {
    const { d, T } = this, n = this.loss.n;
    if (wk === null || T > 8) { gemmNT(d, T, n, this.cols[0]!, A, out, 0); return; }
    const D = this.loss.design!;
    const At = D.means === null && D.rows === null && isWasmResident(D.raw) ? (this.aRows ??= residentOrHeap(n * T, 0)) : null;
    if (At !== null && isWasmResident(At)) { // (not when the kernels' memory was full)
      // X̃ = X: Aᵀ row-major (n×T) by the kernels' transpose, then XᵀAᵀ by the streaming XᵀY kernel on the
      // stored design (gemm_tnr; 1.4× faster than the gemv_rows loop below on 2000×500×5, issue #11)
      wk.transpose(T, n, A.byteOffset, n, At.byteOffset, T);
      gemmTN(d, T, n, D.raw, At, out, 0);
      return;
    }
    const Vr = this.vfull ?? (this.vfull = residentOrHeap(d * T, 0)), xb = this.cols[0]!.byteOffset;
    for (let j = 0; j < d; j++) wk.gemv_rows(T, n, A.byteOffset, n, xb + 8 * j * n, Vr.byteOffset + 8 * j * T);
    out.set(Vr.subarray(0, d * T));
  }

  reset(W: Float64Array): void {
    const loss = this.loss;
    this.chooseKernels();
    let zero = true;
    for (let k = 0; k < W.length; k++) if (W[k] !== 0) { zero = false; break; }
    this.atZero = zero;
    if (zero) { this.R.set(this.Yt); return; }
    if (!loss.shared) { loss.residual(W, this.R); return; }
    if (!this.maskT) {
      // Rᵀ = Ỹᵀ − Σ_{j: w^j ≠ 0} w^j x̃_jᵀ  (task-major, nonzero rows only)
      const R = this.R, T = this.T, n = loss.n, Xc = this.cols[0]!;
      R.set(this.Yt);
      for (let j = 0; j < this.d; j++) {
        let nz = false;
        for (let t = 0; t < T; t++) { const w = W[j * T + t]!; this.wrow[t] = w; if (w !== 0) nz = true; }
        if (nz) for (let t = 0; t < T; t++) if (this.wrow[t] !== 0) axpy(n, -this.wrow[t]!, Xc, j * n, R, t * n);
      }
      return;
    }
    // masked: R = (P(Ỹ − X̃W) centred)ᵀ, task-major
    loss.residual(W, this.tmp);
    transposeInto(this.tmp, loss.n, this.T, this.R);
  }

  groupL2Sweep(): GroupL2Sweep | null {
    if (!this.loss.shared || this.maskT) return null;
    if (this.sweep === null) {
      const { n, scales } = this.loss, X = this.cols[0]!;
      // the kernels' sweep when the row steps run there (see chooseKernels), else the JavaScript one
      const run = this.wk !== null ? wasmResidualGroupL2Sweep(this.wk, n, this.T, X, this.R, scales).sweep
        : residualGroupL2Sweep(n, this.T, X, this.R, scales);
      this.sweep = (ws, p, W, Lrow, lambda, ridge) => { this.atZero = false; return run(ws, p, W, Lrow, lambda, ridge); };
    }
    return this.sweep;
  }

  xty(): Float64Array {
    if (this.xtyCache) return this.xtyCache;
    if (!this.loss.shared) return (this.xtyCache = this.loss.xty());
    // X̃ᵀỸ from the feature-major design and the task-major responses
    const out = new Float64Array(this.d * this.T);
    this.columnsTimes(this.Yt, out, this.chooseKernels());
    return (this.xtyCache = out);
  }

  prepare(): void {}

  supportDesign(): SupportDesign | null { return this.loss.shared && !this.maskT ? { X: this.cols[0]!, n: this.loss.n, scales: this.loss.scales } : null; }

  rowNegGradient(j: number, out: Float64Array): void {
    // v_t = 2 s_t x̃_tjᵀ r_t
    const T = this.T, s = this.loss.scales, R = this.R, off = this.off;
    if (this.loss.shared) {
      // v = 2 s ⊙ (Rᵀᵀ x̃_j): one gemv of the task-major residuals with the feature-major column
      const n = this.loss.n, v = this.vres, wk = this.wk;
      if (wk !== null) wk.gemv_rows(T, n, R.byteOffset, n, this.cols[0]!.byteOffset + 8 * j * n, v.byteOffset);
      else gemv(T, n, R, 0, this.cols[0]!, j * n, v, 0, 0);
      for (let t = 0; t < T; t++) out[t] = 2 * s[t]! * v[t]!;
      return;
    }
    for (let t = 0; t < T; t++) {
      const o = off[t]!, n = off[t + 1]! - o;
      out[t] = 2 * s[t]! * dot(n, this.cols[t]!, j * n, R, o);
    }
  }

  updateRow(j: number, delta: Float64Array): void {
    const T = this.T, R = this.R, off = this.off, loss = this.loss, shared = loss.shared;
    this.atZero = false;
    const mk = this.maskT;
    if (shared && !mk) {
      // r_t −= δ_t x̃_j (task-major R): Rᵀ += (−δ) x̃_jᵀ, one kernel call when resident
      const n = loss.n, X = this.cols[0]!, wk = this.wk;
      if (wk !== null) {
        const dr = this.dres;
        for (let t = 0; t < T; t++) dr[t] = -delta[t]!;
        wk.axpy_rows(T, n, dr.byteOffset, X.byteOffset + 8 * j * n, R.byteOffset, n);
        return;
      }
      for (let t = 0; t < T; t++) if (delta[t] !== 0) axpy(n, -delta[t]!, X, j * n, R, t * n);
      return;
    }
    for (let t = 0; t < T; t++) {
      const dt = delta[t]!;
      if (dt === 0) continue;
      const o = off[t]!, n = off[t + 1]! - o, X = this.cols[shared ? 0 : t]!;
      if (!mk) {
        // r_t −= δ_t x̃_tj
        axpy(n, -dt, X, j * n, R, o);
        continue;
      }
      // masked: r_it −= δ_t (x_ij − m_tj) on observed rows (m = per-task means when centring)
      const mj = loss.fitIntercept ? loss.xMeans[t * this.d + j]! : 0, base = j * n;
      for (let i = 0; i < n; i++) if (mk[o + i]) R[o + i]! -= dt * (X[base + i]! - mj);
    }
  }

  fullNegGradient(_W: Float64Array, V: Float64Array, rows?: Int32Array, k = this.d): void {
    const { d, T } = this, s = this.loss.scales, loss = this.loss;
    if (rows && 2 * k < d && !this.atZero) {
      // only the listed rows: v_j = 2 s ⊙ (row gradients)
      for (let a = 0; a < k; a++) {
        const j = rows[a]!;
        this.rowNegGradient(j, this.wrow);
        for (let t = 0; t < T; t++) V[j * T + t] = this.wrow[t]!;
      }
      return;
    }
    if (this.atZero) {
      // V = 2s ⊙ X̃ᵀỸ (cached by the loss, shared with λ_max)
      const G = this.xty();
      for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) V[j * T + t] = 2 * s[t]! * G[j * T + t]!;
      return;
    }
    if (!loss.shared) {
      for (let t = 0; t < T; t++) {
        const o = this.off[t]!, n = this.off[t + 1]! - o, X = this.cols[t]!;
        for (let j = 0; j < d; j++) V[j * T + t] = 2 * s[t]! * dot(n, X, j * n, this.R, o);
      }
      return;
    }
    // V = X̃ᵀR diag(2s): X̃ feature-major (d×n), R task-major (T×n)
    this.columnsTimes(this.R, V, this.wk);
    for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) V[j * T + t]! *= 2 * s[t]!;
  }

  internalDualTerms(_W: Float64Array, out: RowDualTerms): void { dualTermsOf(this.R, this.Yt, this.off, this.T, this.loss.scales, out); }

  tryRows(ws: Int32Array, p: number, W: Float64Array, x: Float64Array, out: RowDualTerms): boolean {
    if (this.wk === null) return false;
    const rt = this.rowTry ??= new RowTry(this.wk, this.loss.n, this.T, this.cols[0]!, this.R);
    if (!rt.apply(ws, p, W, x, null)) return false;
    dualTermsOf(rt.scratch, this.Yt, this.off, this.T, this.loss.scales, out);
    return true;
  }

  acceptRows(): void { this.rowTry!.accept(); this.atZero = false; }

  coordinateLipschitz(): Float64Array { return this.Lc; }
  columnNormMax(): Float64Array { return this.cmax; }
  dualStrongConcavity(): number { return kappaOf(this.loss); }
}

/** f = Σ_t s_t ‖r_t‖², innerY = Σ_t 2 s_t ⟨r_t, ỹ_t⟩ of task-major residuals R (task t at [off_t, off_t+1)). */
function dualTermsOf(R: Float64Array, Yt: Float64Array, off: Int32Array, T: number, scales: Float64Array, out: RowDualTerms): void {
  let f = 0, a = 0;
  for (let t = 0; t < T; t++) {
    const o = off[t]!, n = off[t + 1]! - o, s = scales[t]!;
    f += s * dot(n, R, o, R, o);
    a += 2 * s * dot(n, R, o, Yt, o);
  }
  out.value = f;
  out.innerY = a;
}
