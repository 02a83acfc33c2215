/**
 * The residual state of block coordinate descent for a shared design without missing responses,
 * holding only the working set's columns of X̃ (issue #13 item 8: a fit's peak memory beyond the
 * caller's arrays ≤ 1.5× the size of X and Y).
 *
 * Coordinate descent needs each feature's column x̃_j contiguous (the row gradient v = Rᵀx̃_j and the
 * update R −= x̃_j δᵀ run over n entries). Instead of a feature-major copy of the whole design beside
 * the data object's row-major X, a {@link ColumnPanel} holds the columns of the current working set
 * (gathered when the set changes, keeping those already held); the full gradient, XᵀY, the column
 * norms and the residual at a warm start use the row-major design's blocked products. Working sets
 * as in Celer (Massias, Gramfort & Salmon, ICML 2018): the inner sweeps touch only those columns.
 *
 * @packageDocumentation
 */
import type { QuadraticLoss } from '../datafits/quadratic.js';
import type { SharedDesign } from '../datafits/sharedDesign.js';
import type { BcdDatafit, RowDualTerms } from './bcdDatafit.js';
import { axpy, dot, gemmTN, gemv, kernelBackend } from '../linalg/blas.js';
import { jsCentredRowsTN, wasmCentredRowsReady, wasmCentredRowsTN } from '../linalg/centredRows.js';
import { transposeInto } from '../linalg/mat.js';
import { freeF64, isWasmResident, residentOrHeap, residentScratch } from '../linalg/wasm/matrix.js';
import { wasmAxpyRows, wasmGemvRows } from '../linalg/wasm/dispatch.js';
import { kappaOf, lipschitzFrom, taskMajor } from './bcdKernels.js';
import type { GroupL2Sweep } from './bcd.js';
import { wasmResidualGroupL2Sweep } from './groupL2Sweep.js';
import { wasm } from '../linalg/wasm/runtime.js';

/**
 * Shared designs with at least this many entries (64 MB) hold only their working set's columns; smaller
 * ones keep a full feature-major copy (`ResidualRows`): there the copy costs little memory, and its
 * full gradient (gemmNT on columns) runs 1.3–1.8× faster than the row-major product with small T.
 */
export const PANEL_MIN_ENTRIES = 1 << 23;

/**
 * Whether {@link createBcdDatafit}'s residual backend uses {@link SharedResidualRows} for `loss`: a
 * shared design without missing responses of at least {@link PANEL_MIN_ENTRIES} entries.
 * @param loss - the datafit
 * @returns true to hold only the working set's columns
 * @example
 * ```ts
 * useColumnPanel(new QuadraticLoss(MultiTaskData.fromShared(X, Y))); // true for n·d ≥ 2^23
 * ```
 * @see {@link SharedResidualRows}
 */
export function useColumnPanel(loss: QuadraticLoss): boolean {
  return loss.shared && loss.mask === null && loss.n * loss.d >= PANEL_MIN_ENTRIES;
}

/**
 * V_j = −∇_j f(W) for the rows rows[0..k) from the state's row gradients (the other rows of V untouched).
 * @param f - the row-wise state
 * @param rows - the rows
 * @param k - how many
 * @param V - d×T output
 * @param row - work vector of length T
 * @example
 * ```ts
 * listedNegGradients(f, activeList, nAct, V, new Float64Array(T));
 * ```
 * @see {@link BcdDatafit.fullNegGradient}
 */
export function listedNegGradients(f: Pick<BcdDatafit, 'rowNegGradient' | 'T'>, rows: Int32Array, k: number, V: Float64Array, row: Float64Array): void {
  const T = f.T;
  // only the listed rows: v_j = 2 s ⊙ (row gradients)
  for (let a = 0; a < k; a++) {
    const j = rows[a]!;
    f.rowNegGradient(j, row);
    for (let t = 0; t < T; t++) V[j * T + t] = row[t]!;
  }
}

/**
 * V = −∇f(0) = 2s ⊙ X̃ᵀỸ, from the (cached) X̃ᵀỸ.
 * @param G - X̃ᵀỸ, d×T
 * @param s - the task scales s_t
 * @param d - features
 * @param T - tasks
 * @param V - d×T output
 * @example
 * ```ts
 * negGradientAtZero(loss.xty(), loss.scales, d, T, V);
 * ```
 * @see {@link BcdDatafit.xty}
 */
export function negGradientAtZero(G: Float64Array, s: Float64Array, d: number, T: number, V: Float64Array): void {
  // V = 2s ⊙ X̃ᵀỸ (cached by the loss, shared with λ_max)
  for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) V[j * T + t] = 2 * s[t]! * G[j * T + t]!;
}

/** Designs with at least this many entries keep their columns and residuals in the kernels' memory. */
const RESIDENT_MIN = 1 << 18;
/** Rows at a time below which a full-gradient request for listed rows gathers the missing columns. */
const GATHER_MAX = 64;

/**
 * Columns of a shared design held feature-major (column j contiguous at `src[at(j) …]`): the columns
 * listed by {@link ColumnPanel.hold} stay in place until a later `hold` drops them; any other column
 * is gathered into one spare column on request.
 *
 * @example
 * ```ts
 * const P = new ColumnPanel(loss.design!, true);
 * P.hold(ws, p);
 * const o = P.at(j); dot(n, P.src, o, r, 0); // x̃_jᵀ r
 * ```
 * @see {@link SharedResidualRows}
 */
export class ColumnPanel {
  /** The array `at` indexes (the held columns, or the spare column after a miss). */
  src: Float64Array;
  private data: Float64Array;
  private readonly spare: Float64Array;
  private readonly slotOf: Int32Array;
  private owner: Int32Array;
  private readonly need: Uint8Array;
  private readonly missCols: Int32Array;
  private readonly missAt: Int32Array;
  private readonly one = new Int32Array(1);
  private readonly zero = new Int32Array(1);

  /**
   * @param design - the (centred) shared design, n×d
   * @param resident - allocate in the kernels' memory (so dot / axpy / gemv run in WebAssembly)
   */
  constructor(private readonly design: SharedDesign, private readonly resident: boolean) {
    const { n, d } = design;
    this.data = this.alloc(0);
    this.src = this.data;
    this.spare = this.alloc(n);
    this.slotOf = new Int32Array(d).fill(-1);
    this.owner = new Int32Array(0);
    this.need = new Uint8Array(d);
    this.missCols = new Int32Array(d);
    this.missAt = new Int32Array(d);
  }

  /** Panel storage: every slot is written by a gather before it is read, so a resident block is not cleared first. */
  private alloc(length: number): Float64Array {
    return this.resident ? residentScratch(length) : new Float64Array(length);
  }

  /** Columns the panel has room for. */
  get capacity(): number { return this.owner.length; }

  /**
   * Holds the columns ws[0..p): keeps those already held, drops the others, gathers the missing ones
   * (one pass over the design's rows), growing the panel when needed.
   * @param ws - feature indices
   * @param p - how many
   */
  hold(ws: Int32Array, p: number): void {
    const n = this.design.n, need = this.need, slotOf = this.slotOf;
    for (let a = 0; a < p; a++) need[ws[a]!] = 1;
    let held = 0;
    for (let s = 0; s < this.owner.length; s++) {
      const j = this.owner[s]!;
      if (j < 0) continue;
      if (need[j]) held++;
      else { slotOf[j] = -1; this.owner[s] = -1; }
    }
    let m = 0;
    for (let a = 0; a < p; a++) if (slotOf[ws[a]!]! < 0) this.missCols[m++] = ws[a]!;
    if (held + m > this.owner.length) this.grow(Math.min(this.design.d, Math.max(held + m, 2 * this.owner.length, 16)));
    let s = 0;
    for (let b = 0; b < m; b++) {
      while (this.owner[s]! >= 0) s++;
      const j = this.missCols[b]!;
      this.owner[s] = j;
      slotOf[j] = s;
      this.missAt[b] = s * n;
    }
    // data[slot(c_b)·n + i] = X̃[i, c_b]
    if (m > 0) this.design.columnsInto(this.missCols, m, this.data, this.missAt);
    for (let a = 0; a < p; a++) need[ws[a]!] = 0;
  }

  private grow(cap: number): void {
    const n = this.design.n, old = this.data;
    const next = this.alloc(cap * n);
    next.set(old);
    const owner = new Int32Array(cap).fill(-1);
    owner.set(this.owner);
    this.owner = owner;
    this.data = next;
    this.src = next;
    freeF64(old);
  }

  /**
   * Where column j is: the offset into {@link ColumnPanel.src} (set by this call).
   * @param j - feature
   * @returns the offset
   */
  at(j: number): number {
    const s = this.slotOf[j]!;
    if (s >= 0) { this.src = this.data; return s * this.design.n; }
    // a column outside the working set (screening, warm starts): one strided pass over X's rows
    this.one[0] = j;
    this.design.columnsInto(this.one, 1, this.spare, this.zero);
    this.src = this.spare;
    return 0;
  }

  /** Whether column j is held. */
  holds(j: number): boolean { return this.slotOf[j]! >= 0; }

  /** The held columns (column j at slot slots[j]·n, −1 = not held) for the fused sweep, which reads them directly. */
  heldColumns(): { data: Float64Array; slots: Int32Array } { return { data: this.data, slots: this.slotOf }; }

  /** Returns the panel's columns to the allocator; the panel must not be used afterwards. */
  release(): void {
    freeF64(this.data);
    freeF64(this.spare);
  }
}

/**
 * {@link BcdDatafit} of the squared loss on a shared design without missing responses, residual form:
 * R = Ỹ − X̃W kept task-major (T×n), the working set's columns in a {@link ColumnPanel}. A row costs
 * 4·n·T flops as with a full feature-major copy (the same kernels, `gemv_rows` and `axpy_rows`, when
 * resident); the memory beyond the data is R, Ỹᵀ and the panel.
 *
 * @example
 * ```ts
 * const f = new SharedResidualRows(loss); // loss.shared && !loss.mask
 * bcd(f, penalty, W0, opts);
 * ```
 * @see {@link useColumnPanel}
 */
export class SharedResidualRows implements BcdDatafit {
  readonly kind = 'residual' as const;
  readonly d: number;
  readonly T: number;
  private readonly n: number;
  private readonly design: SharedDesign;
  private readonly R: Float64Array;
  private readonly Yt: Float64Array;
  private readonly tmp: Float64Array;
  private readonly Lc: Float64Array;
  private readonly cmax: Float64Array;
  private readonly panel: ColumnPanel;
  private readonly vres: Float64Array;
  /** −δ for the resident row update. */
  private readonly dres: Float64Array;
  private readonly wrow: Float64Array;
  /** The centring means x̄ (zeros without intercepts), resident with the design for `centredRowsTN`. */
  private readonly mu: Float64Array;
  /** Whether the row steps call the WebAssembly kernels directly (decided at each reset). */
  private direct = false;
  /** True while the state is that of W = 0 (the full gradient is then 2s ⊙ X̃ᵀỸ, cached). */
  private atZero = false;
  private readonly xtyCache: Float64Array;
  private wsK = 0;
  private wsRef: Int32Array | null = null;
  private sweepRelease: (() => void) | null = null;
  /** A task-major matrix transposed to row-major (n×T, resident) for gemm_tnr, on first use. */
  private aRows: Float64Array | null = null;

  /** @param loss - a shared-design loss without missing responses */
  constructor(private readonly loss: QuadraticLoss) {
    const { d, T } = loss, n = loss.n;
    if (!loss.shared || loss.mask !== null) throw new TypeError('loss: SharedResidualRows needs a shared design without missing responses');
    this.d = d;
    this.T = T;
    this.n = n;
    this.design = loss.design!;
    const resident = n * d >= RESIDENT_MIN;
    this.panel = new ColumnPanel(this.design, resident);
    // Ỹᵀ (T×n) from the row-major n×T responses
    this.Yt = taskMajor(loss.Y!, n, T);
    this.tmp = new Float64Array(n * T);
    this.mu = residentOrHeap(d, resident ? 0 : undefined);
    if (this.design.means !== null) this.mu.set(this.design.means);
    this.R = residentOrHeap(n * T, resident ? 0 : undefined);
    // X̃ᵀỸ and ‖x̃_j‖² in one pass over the design (both are needed by every fit: λ_max, the first check, L)
    const sq = new Float64Array(d), G = new Float64Array(d * T), known = this.design.hasSquares();
    this.columnsTimes(this.Yt, G, known ? null : sq);
    if (known) this.design.columnSquares(sq); else this.design.keepSquares(sq);
    this.xtyCache = G;
    ({ L: this.Lc, cmax: this.cmax } = lipschitzFrom(loss, (j) => sq[j]!));
    this.vres = residentOrHeap(T, resident ? 0 : undefined);
    this.dres = residentOrHeap(T, resident ? 0 : undefined);
    this.wrow = new Float64Array(T);
  }

  /**
   * out = X̃ᵀ Aᵀ (d×T) for a task-major A (T×n: R or Ỹ), and the squared column norms of X̃ into `sq` when
   * given: one pass over the row-major design, centred on the fly (`xtr_rows`). Without `sq` on a design that
   * is neither centred nor a row subset, Aᵀ is transposed (n×T) and X Aᵀ goes to the streaming gemm_tnr
   * (1.2–1.4× faster than xtr_rows on 20000×500×5, and split across the kernel threads): every entry is
   * one ascending chain of separate multiplies and adds either way, so the same bits.
   */
  private columnsTimes(A: Float64Array, out: Float64Array, sq: Float64Array | null = null): void {
    const D = this.design, { n, d, T } = this, wk = kernelBackend() === 'wasm' ? wasm : null;
    if (sq === null && wk !== null && D.means === null && D.rows === null && isWasmResident(D.raw)) {
      const At = this.aRows ??= residentOrHeap(n * T, 0);
      if (isWasmResident(At) && isWasmResident(A)) {
        // Aᵀ row-major (n×T), then out = Xᵀ Aᵀ
        wk.k.transpose(T, n, A.byteOffset, n, At.byteOffset, T);
        gemmTN(d, T, n, D.raw, At, out, 0);
        return;
      }
    }
    if (wk !== null && wasmCentredRowsReady(D.raw, A, this.mu)) wasmCentredRowsTN(n, d, T, D.raw, D.rows, A, 0, n, this.mu, out, sq);
    else jsCentredRowsTN(n, d, T, D.raw, D.rows, A, 0, n, this.mu, out, sq);
  }

  reset(W: Float64Array): void {
    this.direct = kernelBackend() === 'wasm' && this.n >= 16 && isWasmResident(this.R) && isWasmResident(this.vres) && isWasmResident(this.dres);
    let zero = true;
    for (let k = 0; k < W.length; k++) if (W[k] !== 0) { zero = false; break; }
    this.atZero = zero;
    if (zero) { this.R.set(this.Yt); return; }
    // Rᵀ = (Ỹ − X̃W)ᵀ: one blocked product on the row-major design, then task-major
    this.loss.residual(W, this.tmp);
    transposeInto(this.tmp, this.n, this.T, this.R);
  }

  xty(): Float64Array { return this.xtyCache; }

  prepare(ws: Int32Array, k: number): void { this.panel.hold(ws, k); this.wsK = k; this.wsRef = ws; }

  /**
   * The fused group-L2 sweep ({@link GroupL2Sweep}) over the working set's held columns, when the row
   * steps run in the kernels (asked by bcd after each `prepare`: the panel may have moved its columns).
   */
  groupL2Sweep(): GroupL2Sweep | null {
    if (!this.direct || wasm === null) return null;
    const { data, slots } = this.panel.heldColumns();
    if (!isWasmResident(data)) return null;
    for (let a = 0; a < this.wsK; a++) if (slots[this.wsRef![a]!]! < 0) return null;
    this.sweepRelease?.();
    const { sweep, release } = wasmResidualGroupL2Sweep(wasm.k, this.n, this.T, data, this.R, this.loss.scales, slots);
    this.sweepRelease = release;
    return (ws, p, W, Lrow, lambda, ridge) => { this.atZero = false; return sweep(ws, p, W, Lrow, lambda, ridge); };
  }

  rowNegGradient(j: number, out: Float64Array): void {
    // v = 2 s ⊙ (R x̃_j): one gemv of the task-major residuals with the column
    const T = this.T, n = this.n, s = this.loss.scales, v = this.vres, o = this.panel.at(j), X = this.panel.src;
    if (this.direct && isWasmResident(X)) wasmGemvRows(T, n, this.R, 0, n, X, o, v, 0);
    else gemv(T, n, this.R, 0, X, o, v, 0, 0);
    for (let t = 0; t < T; t++) out[t] = 2 * s[t]! * v[t]!;
  }

  updateRow(j: number, delta: Float64Array): void {
    this.atZero = false;
    // r_t −= δ_t x̃_j (task-major R): Rᵀ += (−δ) x̃_jᵀ
    const T = this.T, n = this.n, R = this.R, o = this.panel.at(j), X = this.panel.src;
    if (this.direct && isWasmResident(X)) {
      const dr = this.dres;
      for (let t = 0; t < T; t++) dr[t] = -delta[t]!;
      wasmAxpyRows(T, n, dr, X, o, R, 0, n);
      return;
    }
    for (let t = 0; t < T; t++) if (delta[t] !== 0) axpy(n, -delta[t]!, X, o, R, t * n);
  }

  fullNegGradient(_W: Float64Array, V: Float64Array, rows?: Int32Array, k = this.d): void {
    const { d, T } = this, s = this.loss.scales;
    if (rows && 2 * k < d && !this.atZero) {
      let missing = 0;
      for (let a = 0; a < k; a++) if (!this.panel.holds(rows[a]!)) missing++;
      if (missing <= GATHER_MAX) { listedNegGradients(this, rows, k, V, this.wrow); return; }
    }
    if (this.atZero) { negGradientAtZero(this.xty(), s, d, T, V); return; }
    // V = X̃ᵀR diag(2s): one pass over the row-major design, centred on the fly
    this.columnsTimes(this.R, V);
    for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) V[j * T + t]! *= 2 * s[t]!;
  }

  internalDualTerms(_W: Float64Array, out: RowDualTerms): void {
    // f = Σ_t s_t ‖r_t‖²,  innerY = Σ_t 2 s_t ⟨r_t, ỹ_t⟩
    const n = this.n;
    let f = 0, a = 0;
    for (let t = 0; t < this.T; t++) {
      const s = this.loss.scales[t]!;
      f += s * dot(n, this.R, t * n, this.R, t * n);
      a += 2 * s * dot(n, this.R, t * n, this.Yt, t * n);
    }
    out.value = f;
    out.innerY = a;
  }

  coordinateLipschitz(): Float64Array { return this.Lc; }
  columnNormMax(): Float64Array { return this.cmax; }
  dualStrongConcavity(): number { return kappaOf(this.loss); }

  /** Returns the state's work arrays (panel, residuals, the design's row-block buffer) to the allocator; the state must not be used afterwards. */
  release(): void {
    this.sweepRelease?.();
    this.sweepRelease = null;
    this.panel.release();
    for (const a of [this.R, this.Yt, this.mu, this.vres, this.dres]) freeF64(a);
    if (this.aRows !== null) freeF64(this.aRows);
    this.design.releaseBuffers();
  }
}
