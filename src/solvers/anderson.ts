/**
 * Anderson extrapolation of coordinate-descent iterates (D. G. Anderson, "Iterative procedures for
 * nonlinear integral equations", J. ACM 12, 1965; Q. Bertrand & M. Massias, "Anderson acceleration of
 * coordinate descent", AISTATS 2021): with the last K+1 iterates w_0 … w_K and differences
 * u_k = w_{k+1} − w_k, solve (UᵀU + εI) c = 1, c ← c / Σc, and propose w_e = Σ_k c_k w_{k+1}.
 *
 * @packageDocumentation
 */
import type { BcdDatafit, RowDualTerms } from './bcdDatafit.js';

/** Number of differences K used by {@link AndersonMemory} (its Gram matrix is written out for K = 5). */
export const ANDERSON_K = 5;

/**
 * A ring buffer of the last K+1 values of a vector (the working-set rows of W) and the extrapolation.
 * Buffers are allocated once per size; {@link record} and {@link extrapolate} do not allocate.
 * @example
 * ```ts
 * const mem = new AndersonMemory();
 * mem.begin(p * T);
 * mem.record(x); if (mem.ready()) mem.extrapolate(out);
 * ```
 * @see {@link ANDERSON_K}
 */
export class AndersonMemory {
  private hist = new Float64Array(0);
  private stride = 0;
  private count = 0;
  /** The K+1 slots of `hist` as views (made in {@link begin}, so the sweeps' calls allocate nothing). */
  private views: Float64Array[] = [];
  private readonly M = new Float64Array(ANDERSON_K * ANDERSON_K);
  private readonly c = new Float64Array(ANDERSON_K);

  /** Starts a new sequence of vectors of length `stride` (forgets the old ones). */
  begin(stride: number): void {
    const need = (ANDERSON_K + 1) * stride;
    let fresh = this.views.length === 0 || stride !== this.stride;
    if (this.hist.length < need) { this.hist = new Float64Array(Math.max(need, 2 * this.hist.length)); fresh = true; }
    if (fresh) {
      const views: Float64Array[] = [];
      for (let k = 0; k <= ANDERSON_K; k++) views.push(this.hist.subarray(k * stride, (k + 1) * stride));
      this.views = views;
    }
    this.stride = stride;
    this.count = 0;
  }

  /** The buffer slot to write the next vector into (length `stride`); call {@link commit} after. */
  next(): Float64Array {
    return this.views[this.count % (ANDERSON_K + 1)]!;
  }

  /** Marks the vector written into {@link next} as recorded. */
  commit(): void { this.count++; }

  /** True every K recorded vectors once K+1 are held. */
  ready(): boolean { return this.count >= ANDERSON_K + 1 && this.count % ANDERSON_K === 0; }

  /** The newest recorded vector. */
  newest(): Float64Array { return this.views[this.slot(0)]!; }

  /** The slot index of the vector recorded `age` commits before the newest. */
  private slot(age: number): number {
    const K1 = ANDERSON_K + 1;
    return (((this.count - 1 - age) % K1) + K1) % K1;
  }

  /**
   * out ← Σ_k c_k w(age k) with (UᵀU + 1e-10·tr I) c = 1, Σc = 1. Returns false (out untouched) when
   * the system is degenerate. UᵀU is formed in one pass over the K+1 vectors (the 15 entries of the
   * K = 5 Gram matrix in registers), each entry summed over i in ascending order.
   */
  extrapolate(out: Float64Array): boolean {
    const K = ANDERSON_K, M = this.M, c = this.c, n = this.stride, h = this.hist;
    // offsets of w(age 0) … w(age 5)
    const o0 = this.slot(0) * n, o1 = this.slot(1) * n, o2 = this.slot(2) * n, o3 = this.slot(3) * n,
      o4 = this.slot(4) * n, o5 = this.slot(5) * n;
    // M = UᵀU, u_a = w(age a) − w(age a+1): m_ab = Σ_i u_ai u_bi
    let m00 = 0, m01 = 0, m02 = 0, m03 = 0, m04 = 0, m11 = 0, m12 = 0, m13 = 0, m14 = 0;
    let m22 = 0, m23 = 0, m24 = 0, m33 = 0, m34 = 0, m44 = 0;
    for (let i = 0; i < n; i++) {
      const w1 = h[o1 + i]!, w2 = h[o2 + i]!, w3 = h[o3 + i]!, w4 = h[o4 + i]!;
      const u0 = h[o0 + i]! - w1, u1 = w1 - w2, u2 = w2 - w3, u3 = w3 - w4, u4 = w4 - h[o5 + i]!;
      m00 += u0 * u0; m01 += u0 * u1; m02 += u0 * u2; m03 += u0 * u3; m04 += u0 * u4;
      m11 += u1 * u1; m12 += u1 * u2; m13 += u1 * u3; m14 += u1 * u4;
      m22 += u2 * u2; m23 += u2 * u3; m24 += u2 * u4;
      m33 += u3 * u3; m34 += u3 * u4;
      m44 += u4 * u4;
    }
    M[0] = m00; M[1] = M[5] = m01; M[2] = M[10] = m02; M[3] = M[15] = m03; M[4] = M[20] = m04;
    M[6] = m11; M[7] = M[11] = m12; M[8] = M[16] = m13; M[9] = M[21] = m14;
    M[12] = m22; M[13] = M[17] = m23; M[14] = M[22] = m24;
    M[18] = m33; M[19] = M[23] = m34;
    M[24] = m44;
    let tr = 0;
    for (let a = 0; a < K; a++) tr += M[a * K + a]!;
    if (!(tr > 0) || !Number.isFinite(tr)) return false;
    for (let a = 0; a < K; a++) M[a * K + a]! += 1e-10 * tr;
    // M c = 1 by Gaussian elimination with partial pivoting
    c.fill(1);
    for (let col = 0; col < K; col++) {
      let piv = col;
      for (let r = col + 1; r < K; r++) if (Math.abs(M[r * K + col]!) > Math.abs(M[piv * K + col]!)) piv = r;
      if (M[piv * K + col] === 0) return false;
      if (piv !== col) {
        for (let k = 0; k < K; k++) { const x = M[col * K + k]!; M[col * K + k] = M[piv * K + k]!; M[piv * K + k] = x; }
        const x = c[col]!; c[col] = c[piv]!; c[piv] = x;
      }
      for (let r = col + 1; r < K; r++) {
        const f = M[r * K + col]! / M[col * K + col]!;
        for (let k = col; k < K; k++) M[r * K + k]! -= f * M[col * K + k]!;
        c[r]! -= f * c[col]!;
      }
    }
    for (let r = K - 1; r >= 0; r--) {
      let s = c[r]!;
      for (let k = r + 1; k < K; k++) s -= M[r * K + k]! * c[k]!;
      c[r] = s / M[r * K + r]!;
    }
    let cs = 0;
    for (let k = 0; k < K; k++) cs += c[k]!;
    if (!Number.isFinite(cs) || cs === 0) return false;
    // out = Σ_k (c_k / Σc) w(age k), summed over k in ascending order
    const c0 = c[0]! / cs, c1 = c[1]! / cs, c2 = c[2]! / cs, c3 = c[3]! / cs, c4 = c[4]! / cs;
    for (let i = 0; i < n; i++) out[i] = (((0 + c0 * h[o0 + i]!) + c1 * h[o1 + i]!) + c2 * h[o2 + i]!) + c3 * h[o3 + i]! + c4 * h[o4 + i]!;
    return true;
  }
}

/**
 * Keeps an extrapolated point of row-sparse iterates on the newest iterate's support: rows (T entries
 * each) that are zero in `newest` are set to zero in `ext`. Near the solution the support is fixed and
 * the extrapolation is unchanged; while rows still enter and leave, a combination of iterates gives the
 * zero rows small values whose penalty makes the point worse than the newest iterate, and it is
 * rejected (measured on 200×2000×5 at 0.01·λ_max: 18 rejections in a row; with this projection the
 * fit takes 394 epochs instead of 502, and never more on the #11 grid).
 * @param ext - the extrapolated point (p·T), modified
 * @param newest - the newest recorded iterate (p·T)
 * @param p - rows
 * @param T - row length
 * @returns nothing
 * @example
 * ```ts
 * if (mem.extrapolate(ext)) keepSupport(ext, mem.newest(), p, T);
 * ```
 * @see {@link AndersonMemory}
 */
export function keepSupport(ext: Float64Array, newest: Float64Array, p: number, T: number): void {
  for (let a = 0; a < p; a++) {
    const o = a * T;
    let zero = true;
    for (let t = 0; t < T; t++) if (newest[o + t] !== 0) { zero = false; break; }
    if (zero) ext.fill(0, o, o + T);
  }
}

/**
 * One Anderson step of `bcd`'s inner sweeps over the working set ws[0..p): records W's rows (the `recorded`-th
 * vector of this sequence) and, at the (K+1)-th and then every K-th, tries the extrapolated point (kept on the
 * newest iterate's support), which is kept only if it lowers f + penalty. The try runs in the datafit's
 * scratch state when it has one ({@link BcdDatafit.tryRows}: nothing to revert on rejection), else by setting
 * the rows and setting them back (the same accepted states, bit for bit).
 * @param mem - the memory of this working set's sequence
 * @param recorded - how many vectors the sequence holds with this one
 * @param f - the datafit state (of W)
 * @param ws - the working set
 * @param p - its size
 * @param W - d×T weights, updated on acceptance
 * @param ext - p·T scratch for the extrapolated point
 * @param dt - scratch for the dual terms
 * @param penaltyOf - penalty + ridge over the listed rows of W, or with their values from a compact x
 * @param setRows - sets the listed rows of W and the state to a compact x
 * @returns nothing
 * @example
 * ```ts
 * if (useAnderson) andersonStep(mem, ++recorded, f, ws, p, W, ext, dt, penaltyOf, setRows);
 * ```
 * @see {@link AndersonMemory}, {@link keepSupport}
 */
export function andersonStep(
  mem: AndersonMemory, recorded: number, f: BcdDatafit, ws: Int32Array, p: number, W: Float64Array, ext: Float64Array,
  dt: RowDualTerms, penaltyOf: (list: Int32Array, p: number, x?: Float64Array | null) => number,
  setRows: (x: Float64Array, p: number, rows: Int32Array) => void,
): void {
  const T = f.T, slot = mem.next();
  for (let a = 0; a < p; a++) for (let t = 0, o = ws[a]! * T; t < T; t++) slot[a * T + t] = W[o + t]!;
  mem.commit();
  // extrapolate at the (K+1)-th recorded sweep, then every K
  if (!(recorded > ANDERSON_K && (recorded - ANDERSON_K - 1) % ANDERSON_K === 0 && mem.extrapolate(ext))) return;
  f.internalDualTerms(W, dt);
  const before = dt.value + penaltyOf(ws, p);
  keepSupport(ext, mem.newest(), p, T);
  if (f.tryRows?.(ws, p, W, ext, dt) === true) {
    // dt: the extrapolated point's, from the scratch state
    if (!(dt.value + penaltyOf(ws, p, ext) < before)) return;
    f.acceptRows!();
    for (let a = 0; a < p; a++) for (let t = 0, o = ws[a]! * T; t < T; t++) W[o + t] = ext[a * T + t]!;
    return;
  }
  setRows(ext, p, ws);
  f.internalDualTerms(W, dt);
  if (!(dt.value + penaltyOf(ws, p) < before)) setRows(mem.newest(), p, ws);
}
