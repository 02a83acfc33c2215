/**
 * The shared design of a multi-task squared loss, centred without a copy.
 *
 * With one design X (n×d, row-major) for all tasks and intercepts profiled out, the solvers work with
 * X̃ = X − 1 x̄ᵀ (x̄ the column means). Holding X̃ beside the data object's X would double the memory of
 * a fit (issue #13: a fit's peak memory beyond the caller's arrays ≤ 1.5× the size of X and Y), so this
 * class keeps only X and forms X̃ a block of rows at a time — the same doubles X[i, j] − x̄_j as a
 * centred copy, so products agree with products on a copy up to the summation order. Each product
 * visits the design once, through a small resident (WebAssembly-memory) buffer of rows.
 *
 * @packageDocumentation
 */
import { gemmNN, gemmTN, gemv, gemvT, kernelBackend, spectralNormSquared, syrkTN } from '../linalg/blas.js';
import { powerIterationNormSquared } from '../linalg/powerIteration.js';
import { allocI32, freeF64, isWasmResident, residentOrHeap, residentScratch } from '../linalg/wasm/matrix.js';
import { wasm, type WasmKernels } from '../linalg/wasm/runtime.js';
import { transposeInto } from '../linalg/mat.js';
import { centredColumnSquares, centredCopy, centredTransposeInto } from './designCopies.js';
import { centreBlockKernel, centreOperands, columnSquaresKernel, gatherColumnsKernel, transposedCheaper, type CentreOperands } from './designKernels.js';
import { TNR_MAX_ENTRIES } from '../linalg/wasm/dispatch.js';

/** Entries of the row-block buffer (rows per block = ⌊BLOCK / d⌋, at least 1). */
const BLOCK = 1 << 15;
/** Entries of a product's row block viewed in a plain resident X (see `productRows`). */
const PRODUCT_BLOCK = 1 << 19;

/**
 * A shared design X (n×d row-major), optionally centred by column means, with the products the
 * solvers need. The arrays are read, never modified.
 *
 * @example
 * ```ts
 * const D = new SharedDesign(n, d, X, means); // X̃ = X − 1 meansᵀ, no copy
 * D.times(W, T, R);          // R = X̃ W   (n×T)
 * D.transposeTimes(R, T, V); // V = X̃ᵀ R  (d×T)
 * ```
 * @see {@link QuadraticLoss}
 */
export class SharedDesign {
  /** Rows n. */
  readonly n: number;
  /** Columns d. */
  readonly d: number;
  /** The design as stored (row-major, not centred): n×d, or the larger design that `rows` index. */
  readonly raw: Float64Array;
  /** Column means subtracted on the fly, or null (X̃ = X). */
  readonly means: Float64Array | null;
  /** Row i of the design is row rows[i] of `raw` (a row subset of a larger stored design), or null. */
  readonly rows: Int32Array | null;
  /** Neither centred nor a row subset: the products run on `raw` directly. */
  private readonly plain: boolean;
  private readonly rowsPerBlock: number;
  private buf: Float64Array | null = null;
  private copy: Float64Array | null = null;
  private gather: Float64Array = new Float64Array(0);
  /** ‖x̃_j‖² once computed or kept (columnSquares, squaresWithNextProduct, keepSquares), or null; asked for with the next product. */
  private squares: Float64Array | null = null; private squaresNext = false;
  private centreOps: CentreOperands | null = null;

  /**
   * @param n - rows
   * @param d - columns
   * @param X - the design, n×d row-major (not copied, not modified)
   * @param means - column means to subtract (length d), or null
   * @param rows - row i of the design is row rows[i] of X (length n; a fold's rows), or null for X's first n rows
   */
  constructor(n: number, d: number, X: Float64Array, means: Float64Array | null, rows: Int32Array | null = null) {
    this.n = n;
    this.d = d;
    this.raw = X;
    this.means = means;
    this.rows = rows;
    this.plain = means === null && rows === null;
    this.rowsPerBlock = Math.max(1, Math.floor(BLOCK / Math.max(1, d)));
  }

  /**
   * Whether a plain design lives on the heap while the kernels run (a small X: n·d < 2^18): `block` then
   * copies its rows into the resident block buffer, so the kernels read them in place.
   */
  private staged(): boolean {
    return this.plain && wasm !== null && wasm.shared && kernelBackend() === 'wasm' && !isWasmResident(this.raw);
  }

  /**
   * Rows per block of the products that gather or take squares block by block: for a plain resident X,
   * views of up to 1024 rows and 4 MiB (a wide X's products then split across the kernel threads, and each
   * call sweeps its output tile over more rows: 20000×500 XᵀY in blocks of 65 rows ran at 7 GFLOP/s on one
   * thread, of 1048 rows at 9), else the block buffer's rows (2^15/d, in L2 for the gathers).
   */
  private productRows(): number {
    const viewed = this.plain && wasm !== null && kernelBackend() === 'wasm' && isWasmResident(this.raw);
    return viewed ? Math.max(this.rowsPerBlock, Math.min(1024, Math.floor(PRODUCT_BLOCK / Math.max(1, this.d)))) : this.rowsPerBlock;
  }

  /**
   * Rows i0 … i0 + m − 1 of X̃ (m×d row-major, m ≤ rowsPerBlock): a view of X when plain (and resident or
   * without the kernels), else the block buffer.
   */
  private block(i0: number, m: number): Float64Array {
    const d = this.d, X = this.raw, rows = this.rows;
    const staged = this.staged();
    if (this.plain && !staged) return X.subarray(i0 * d, (i0 + m) * d);
    if (this.buf === null) this.buf = residentScratch(this.rowsPerBlock * d); // the rows used are written first
    const B = this.buf, mu = this.means;
    if (staged) { B.set(X.subarray(i0 * d, (i0 + m) * d)); return m * d === B.length ? B : B.subarray(0, m * d); }
    // B = X[rows of i0 : i0+m, :], then B −= 1 x̄ᵀ (the kernels' axpy_rows with α = −1: the same single
    // subtraction per entry; a JavaScript loop over the kernels' memory was 38 % of a 20000×50×5 fit with intercepts)
    if (rows === null) B.set(X.subarray(i0 * d, (i0 + m) * d));
    else for (let a = 0; a < m; a++) B.set(X.subarray(rows[i0 + a]! * d, rows[i0 + a]! * d + d), a * d);
    if (mu !== null && !centreBlockKernel(B, m, d, (this.centreOps ??= centreOperands(mu, this.rowsPerBlock)))) {
      for (let a = 0; a < m; a++) for (let j = 0, p = a * d; j < d; j++) B[p + j] = B[p + j]! - mu[j]!;
    }
    return m * d === B.length ? B : B.subarray(0, m * d);
  }

  /**
   * out = X̃ B: out n×k row-major, B d×k row-major.
   * @param B - d×k
   * @param k - columns of B
   * @param out - n×k output (overwritten)
   */
  times(B: Float64Array, k: number, out: Float64Array): void {
    const { n, d } = this;
    if (this.plain) { gemmNN(n, k, d, this.raw, B, out, 0); return; }
    for (let i0 = 0; i0 < n; i0 += this.rowsPerBlock) {
      const m = Math.min(this.rowsPerBlock, n - i0);
      // out[i0 : i0+m, :] = X̃_block B
      gemmNN(m, k, d, this.block(i0, m), B, out.subarray(i0 * k, (i0 + m) * k), 0);
    }
  }

  /**
   * out[o … o + n) = X̃ v (a vector of length d).
   * @param v - length d
   * @param out - output vector
   * @param o - offset of the result in out
   */
  timesVector(v: Float64Array, out: Float64Array, o: number): void {
    const { n, d } = this;
    if (this.plain) { gemv(n, d, this.raw, 0, v, 0, out, o, 0); return; }
    for (let i0 = 0; i0 < n; i0 += this.rowsPerBlock) {
      const m = Math.min(this.rowsPerBlock, n - i0);
      gemv(m, d, this.block(i0, m), 0, v, 0, out, o + i0, 0);
    }
  }

  /**
   * out = X̃ᵀ r with r = x[o … o + n) (a vector of length n); out has length d.
   * @param x - input vector
   * @param o - offset of r in x
   * @param out - length d output (overwritten)
   */
  transposeTimesVector(x: Float64Array, o: number, out: Float64Array): void {
    const { n, d } = this;
    if (this.plain) { gemvT(n, d, this.raw, 0, x, o, out, 0, 0); return; }
    for (let i0 = 0; i0 < n; i0 += this.rowsPerBlock) {
      const m = Math.min(this.rowsPerBlock, n - i0);
      gemvT(m, d, this.block(i0, m), 0, x, o + i0, out, 0, i0 === 0 ? 0 : 1);
    }
  }

  /**
   * out = X̃ᵀ A (+ out when beta = 1): A n×k row-major, out d×k row-major.
   * @param A - n×k
   * @param k - columns of A
   * @param out - d×k output
   * @param beta - 0 to overwrite out, 1 to add to it
   */
  transposeTimes(A: Float64Array, k: number, out: Float64Array, beta: 0 | 1 = 0): void {
    const { n, d } = this;
    if (this.squaresNext) {
      this.squaresNext = false;
      if (this.transposeTimesWithSquares(A, k, out, beta)) return;
    }
    if (this.plain) { gemmTN(d, k, n, this.raw, A, out, beta); return; }
    for (let i0 = 0; i0 < n; i0 += this.rowsPerBlock) {
      const m = Math.min(this.rowsPerBlock, n - i0);
      // out += X̃_blockᵀ A[i0 : i0+m, :]
      gemmTN(d, k, m, this.block(i0, m), A.subarray(i0 * k, (i0 + m) * k), out, i0 === 0 ? beta : 1);
    }
  }

  /**
   * Asks for the squared column norms ({@link SharedDesign.columnSquares}) in the same pass over X as the
   * next product X̃ᵀA ({@link SharedDesign.transposeTimes}; a Gram state's X̃ᵀỸ), where that product runs
   * in the kernels on a plain design (resident, or staged block by block); otherwise `columnSquares`
   * computes them itself.
   */
  squaresWithNextProduct(): void {
    this.squaresNext = this.squares === null;
  }

  /**
   * X̃ᵀA as {@link SharedDesign.transposeTimes} one block of rows (256 KiB of X) at a time, each block's
   * ‖x̃_j‖² partial sums (`col_sq`) taken while the block is in cache and kept for `columnSquares`.
   * gemm_tnr's entries are one ascending chain over the rows whether or not the product is split by
   * rows, and col_sq's too, so the same bits as the two passes. Plain designs (a heap X staged into the
   * block buffer) with a product small enough for gemm_tnr only (false otherwise, nothing written).
   */
  private transposeTimesWithSquares(A: Float64Array, k: number, out: Float64Array, beta: 0 | 1): boolean {
    const { n, d } = this;
    if (!this.plain || wasm === null || kernelBackend() !== 'wasm' || !(isWasmResident(this.raw) || this.staged()) || d * k > TNR_MAX_ENTRIES) return false;
    const acc = residentOrHeap(d, 0);
    if (!isWasmResident(acc)) return false;
    const wk = wasm.k as WasmKernels;
    // nb blocks of ⌊n/nb⌋ or ⌈n/nb⌉ ≤ productRows() rows: with two or more, each has at least half of
    // rowsPerBlock = 2^15/d rows, so each product (d·k·rows ≥ 2^14) stays above the kernels' size threshold
    const nb = Math.ceil(n / this.productRows()), base = Math.floor(n / nb), extra = n % nb;
    for (let b = 0, i0 = 0; b < nb; b++) {
      const r = base + (b < extra ? 1 : 0);
      const Bk = this.block(i0, r); // X's rows in place, or copied into the resident block buffer
      // out (+)= X_blockᵀ A_block; acc_j += Σ_block x_ij²
      gemmTN(d, k, r, Bk, A.subarray(i0 * k, (i0 + r) * k), out, i0 === 0 ? beta : 1);
      wk.col_sq(r, d, Bk.byteOffset, 0, acc.byteOffset);
      i0 += r;
    }
    this.squares = Float64Array.from(acc);
    freeF64(acc);
    return true;
  }

  /**
   * G = X̃ᵀ X̃ (d×d).
   * @param G - d×d output (overwritten)
   */
  gram(G: Float64Array): void {
    const { n, d } = this;
    if (this.plain) { gemmTN(d, d, n, this.raw, this.raw, G, 0); return; }
    for (let i0 = 0; i0 < n; i0 += this.rowsPerBlock) {
      const m = Math.min(this.rowsPerBlock, n - i0);
      const Bk = this.block(i0, m);
      syrkTN(d, m, Bk, G, i0 === 0 ? 0 : 1); // G (+)= X̃_blockᵀ X̃_block, upper triangle mirrored: half of gemmTN's flops
    }
  }

  /**
   * Rows a of out (m×d) = (X̃ᵀ x̃_j)ᵀ for j = cols[a], a < m: the Gram columns of the listed features.
   * Computed as G = X̃ᵀ X̃_S (d×m) and transposed when that is cheaper in the kernels' 4-feature panels
   * (m = 10, d = 50: 52·10 instead of 12·50 entries; each entry the same ascending chain over the rows, so
   * the same bits), else as X̃_Sᵀ X̃.
   * @param cols - feature indices
   * @param m - how many of them
   * @param out - m×d output (overwritten)
   */
  gramColumns(cols: Int32Array, m: number, out: Float64Array): void {
    const d = this.d;
    if (wasm !== null && kernelBackend() === 'wasm' && isWasmResident(out) && this.residentBlocks() && transposedCheaper(m, d)) {
      let G: Float64Array | null;
      try { G = residentScratch(d * m); } catch { G = null; } // every entry written by the product
      if (G !== null && isWasmResident(G)) {
        this.gramBlock(null, d, cols, m, G);
        (wasm.k as WasmKernels).transpose(d, m, G.byteOffset, m, out.byteOffset, d); // out = Gᵀ (m×d)
        freeF64(G);
        return;
      }
    }
    this.gramBlock(cols, m, null, d, out);
  }

  /** Whether `block` returns resident rows (the kernels can gather from them). */
  private residentBlocks(): boolean {
    return this.plain ? isWasmResident(this.raw) || this.staged() : true;
  }

  /**
   * out (m×na) = X̃_Fᵀ X̃_A, F = cols[0..m) and A = rows[0..na) (null: all d features, m or na = d): the Gram
   * entries of the listed features at the listed rows only (a working set's block, GramColumnStore), or Gram
   * columns (the same array for both lists: the symmetric X̃_Aᵀ X̃_A by syrk, half the flops). Listed columns are gathered per block of rows, by the kernels' gather_rows when the block is
   * resident (a JavaScript loop over the kernels' memory was 20–24 % of a 20000×50×5 fit; the same copies).
   * @param cols - the features F, or null
   * @param m - how many
   * @param rows - the features A, or null
   * @param na - how many
   * @param out - m×na output (overwritten)
   */
  gramBlock(cols: Int32Array | null, m: number, rows: Int32Array | null, na: number, out: Float64Array): void {
    const { n, d } = this, rb = this.productRows(), resident = this.residentBlocks();
    const nF = cols === null || cols === rows ? 0 : m, nA = rows === null ? 0 : na;
    // gathered columns resident when the blocks are, else on the heap (the JavaScript gather writes faster
    // there); the buffer is kept for the design's next products (an allocation per call cost ~0.05 ms of a 200×50×5 fit)
    if (this.gather.length < rb * (nF + nA) || isWasmResident(this.gather) !== resident) {
      freeF64(this.gather);
      const len = Math.max(rb * (nF + nA), 2 * this.gather.length);
      this.gather = resident ? residentScratch(len) : new Float64Array(len); // every entry used is written first
    }
    const G = this.gather;
    let ci: Int32Array | null = null;
    if (resident && wasm !== null && kernelBackend() === 'wasm' && isWasmResident(G)) {
      try { ci = allocI32(nF + nA); } catch { ci = null; } // the kernels' memory is full
      if (ci !== null && isWasmResident(ci)) { if (cols) ci.set(cols.subarray(0, m)); if (rows) ci.set(rows.subarray(0, na), nF); } else ci = null;
    }
    const gathered = (Bk: Float64Array, r: number, L: Int32Array, cnt: number, at: number): Float64Array => {
      const Z = G.subarray(rb * at, rb * at + r * cnt);
      // Z = X̃_block[:, L] (r×cnt)
      if (ci !== null && isWasmResident(Bk)) (wasm!.k as WasmKernels).gather_rows(r, d, Bk.byteOffset, ci.byteOffset + 4 * at, cnt, 0, Z.byteOffset);
      else for (let a = 0; a < r; a++) for (let b = 0; b < cnt; b++) Z[a * cnt + b] = Bk[a * d + L[b]!]!;
      return Z;
    };
    for (let i0 = 0; i0 < n; i0 += rb) {
      const r = Math.min(rb, n - i0), Bk = this.block(i0, r);
      // out (+)= X̃_block[:, F]ᵀ X̃_block[:, A]
      if (cols !== null && cols === rows) { syrkTN(na, r, gathered(Bk, r, rows, na, nF), out, i0 === 0 ? 0 : 1); continue; } // X̃_Aᵀ X̃_A: half the flops
      const S = cols === null ? Bk : gathered(Bk, r, cols, m, 0), R = rows === null ? Bk : gathered(Bk, r, rows, na, nF);
      gemmTN(m, na, r, S, R, out, i0 === 0 ? 0 : 1);
    }
    if (ci !== null) freeF64(ci);
  }

  /**
   * Columns of X̃ written contiguously: out[at[b] + i] = X̃[i, cols[b]] for b < m (the working-set
   * columns of coordinate descent), in one pass over the design's rows, 8 rows at a time.
   * @param cols - feature indices
   * @param m - how many of them
   * @param out - output array
   * @param at - where column b starts in out
   */
  columnsInto(cols: Int32Array, m: number, out: Float64Array, at: Int32Array): void {
    const { n, d } = this, X = this.raw, rows = this.rows, mu = this.means;
    if (rows === null && m > 0 && gatherColumnsKernel(n, d, X, cols, m, at, mu, out)) return;
    const o = new Int32Array(8);
    for (let i0 = 0; i0 < n; i0 += 8) {
      const r = Math.min(8, n - i0);
      for (let a = 0; a < r; a++) o[a] = (rows === null ? i0 + a : rows[i0 + a]!) * d;
      for (let b = 0; b < m; b++) {
        // out[at_b + i] = X[i, c_b] − x̄_{c_b}
        const j = cols[b]!, c = mu === null ? 0 : mu[j]!, p = at[b]! + i0;
        for (let a = 0; a < r; a++) out[p + a] = X[o[a]! + j]! - c;
      }
    }
  }

  /**
   * out_j = ‖x̃_j‖² (squared column norms).
   * @param out - length d (overwritten)
   */
  columnSquares(out: Float64Array): void {
    const { n, d } = this, X = this.raw, rows = this.rows, mu = this.means;
    this.squaresNext = false;
    if (this.squares !== null) { out.set(this.squares); return; } // kept from a pass that took them
    out.fill(0);
    if (!(rows === null && columnSquaresKernel(n, d, X, mu, out))) centredColumnSquares(n, d, X, rows, mu, out);
    this.squares = Float64Array.from(out);
  }

  /** Whether {@link SharedDesign.columnSquares} has its values already (no pass over X). */
  hasSquares(): boolean { return this.squares !== null; }

  /**
   * Keeps ‖x̃_j‖² that another pass over X took (`transpose_sq`, `xtr_rows`: ascending chains over the rows,
   * the same bits as `columnSquares`' own) for {@link SharedDesign.columnSquares}: one cache per design.
   * @param sq - length d (copied)
   */
  keepSquares(sq: Float64Array): void { this.squares ??= Float64Array.from(sq.subarray(0, this.d)); }

  /**
   * X̃ᵀ written into `out` (d×n row-major: feature j contiguous at j·n).
   * @param out - length n·d
   * @returns out
   */
  transposeInto(out: Float64Array): Float64Array {
    if (this.plain) return transposeInto(this.raw, this.n, this.d, out);
    return centredTransposeInto(this.n, this.d, this.raw, this.rows, this.means, out);
  }

  /**
   * X̃ as an n×d row-major array: X itself when plain, else a (centred) copy of its rows made once (for code
   * that needs random access to X̃'s rows; it costs the memory this class otherwise saves).
   * @returns X̃ (do not modify)
   */
  materialise(): Float64Array {
    if (this.plain) return this.raw;
    return (this.copy ??= centredCopy(this.n, this.d, this.raw, this.rows, this.means));
  }

  /**
   * Returns the row-block and gather buffers and the centring operands to the kernels' allocator now (a fold's
   * end, issue #13); later products allocate them again.
   */
  releaseBuffers(): void {
    if (this.buf !== null) freeF64(this.buf);
    freeF64(this.gather);
    this.gather = new Float64Array(0);
    if (this.centreOps) { freeF64(this.centreOps.alpha); freeF64(this.centreOps.mu); this.centreOps = null; }
    this.buf = null;
  }

  /**
   * An estimate of σ_max(X̃)² by power iteration on X̃ᵀX̃ (`linalg/powerIteration`, with the products
   * above).
   * @param maxIter - iteration cap @defaultValue 100
   * @param tol - relative change that stops it @defaultValue 1e-6
   * @returns the estimate
   */
  spectralNormSquared(maxIter = 100, tol = 1e-6): number {
    const { n, d } = this;
    if (this.plain) return spectralNormSquared(n, d, this.raw, maxIter, tol);
    return powerIterationNormSquared(n, d, (v, u) => this.times(v, 1, u), (u, v) => this.transposeTimes(u, 1, v), maxIter, tol);
  }
}
