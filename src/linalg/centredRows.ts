/**
 * The centred cross product X̃ᵀR of a row-major design with a task-major residual for few tasks
 * (issue #13): the full gradient of coordinate descent without a feature-major copy of X.
 *
 * X̃ = X − 1 μᵀ is centred on the fly (the same doubles x_ij − μ_j as a centred copy), the rows of X may
 * be any list of rows of a larger stored design (a cross-validation fold), and R is task-major (task
 * t's residual contiguous, as coordinate descent keeps it). One pass over each row of X accumulates all
 * d×T outputs: G(j, ·) += x̃_ij r_iᵀ, four rows at a time. Every entry is summed over the rows in the
 * order given, by separate multiply and add, so both backends — the WebAssembly kernel `xtr_rows`
 * (`wasm/kernels.wat`, f64x2 over feature pairs) and the JavaScript loop here — give the naive loop's
 * bits. Call it through `blas.ts` (`centredRowsTN`).
 *
 * @packageDocumentation
 */
import { wasm, inWasmMemory } from './wasm/runtime.js';
import { allocF64, allocI32, freeF64 } from './wasm/matrix.js';

/** The kernel's signature (pointers are byte addresses, ldr in elements). */
interface XtrRowsKernel {
  xtr_rows(m: number, d: number, T: number, rows: number, r: number, ldr: number, mu: number, g: number, ws: number, sq: number): void;
}

/**
 * out (d×T, overwritten) = Σ_a (x_{row a} − μ)(r_a)ᵀ by the JavaScript loop: x_{row a} = X[rows[a]·d …]
 * (rows null: X[a·d …]), r_a = (R[ro + a + ldr·t])_t; rows in the order given, eight per pass.
 * @param m - number of rows
 * @param d - columns of X
 * @param T - tasks (columns of the output)
 * @param X - the stored design, row-major with d columns
 * @param rows - which rows of X, or null for the first m
 * @param R - task-major residuals
 * @param ro - offset of R(0, 0)
 * @param ldr - distance between tasks in R
 * @param mu - the means to subtract (length d)
 * @param out - d×T output
 * @param sq - when given, also sq_j = Σ_a x̃_aj² (the squared column norms, overwritten), rows ascending
 * @example
 * ```ts
 * jsCentredRowsTN(n, d, T, X, null, Rt, 0, n, means, V); // V = X̃ᵀ Rtᵀ
 * ```
 * @see {@link wasmCentredRowsTN}
 */
export function jsCentredRowsTN(
  m: number, d: number, T: number, X: Float64Array, rows: Int32Array | null, R: Float64Array, ro: number, ldr: number,
  mu: Float64Array, out: Float64Array, sq: Float64Array | null = null,
): void {
  out.fill(0, 0, d * T);
  if (sq !== null) sq.fill(0, 0, d);
  const r = new Float64Array(8 * T), o = new Int32Array(8);
  let a = 0;
  for (; a + 8 <= m; a += 8) {
    for (let k = 0; k < 8; k++) o[k] = (rows === null ? a + k : rows[a + k]!) * d;
    const o0 = o[0]!, o1 = o[1]!, o2 = o[2]!, o3 = o[3]!, o4 = o[4]!, o5 = o[5]!, o6 = o[6]!, o7 = o[7]!;
    for (let t = 0; t < T; t++) for (let k = 0; k < 8; k++) r[8 * t + k] = R[ro + a + k + ldr * t]!;
    for (let j = 0; j < d; j++) {
      // out(j, t) = (…((out + x̃_0j r_0t) + x̃_1j r_1t) + …) + x̃_7j r_7t
      const c = mu[j]!, x0 = X[o0 + j]! - c, x1 = X[o1 + j]! - c, x2 = X[o2 + j]! - c, x3 = X[o3 + j]! - c;
      const x4 = X[o4 + j]! - c, x5 = X[o5 + j]! - c, x6 = X[o6 + j]! - c, x7 = X[o7 + j]! - c;
      // sq_j = (…((sq_j + x̃_0j²) + x̃_1j²) + …) + x̃_7j²
      if (sq !== null) sq[j] = sq[j]! + x0 * x0 + x1 * x1 + x2 * x2 + x3 * x3 + x4 * x4 + x5 * x5 + x6 * x6 + x7 * x7;
      const q = j * T;
      for (let t = 0; t < T; t++) {
        const u = 8 * t;
        out[q + t] = out[q + t]! + x0 * r[u]! + x1 * r[u + 1]! + x2 * r[u + 2]! + x3 * r[u + 3]! +
          x4 * r[u + 4]! + x5 * r[u + 5]! + x6 * r[u + 6]! + x7 * r[u + 7]!;
      }
    }
  }
  for (; a < m; a++) {
    const o = (rows === null ? a : rows[a]!) * d;
    for (let t = 0; t < T; t++) r[t] = R[ro + a + ldr * t]!;
    // out(j, t) += x̃_aj r_at
    for (let j = 0; j < d; j++) {
      const x = X[o + j]! - mu[j]!, q = j * T;
      if (sq !== null) sq[j] = sq[j]! + x * x;
      for (let t = 0; t < T; t++) out[q + t] = out[q + t]! + x * r[t]!;
    }
  }
}

/** Rows per kernel call (bounds the list of row addresses). */
const CHUNK = 4096;
let addr: Int32Array = new Int32Array(0);
let acc: Float64Array = new Float64Array(0);
let ws: Float64Array = new Float64Array(0);
let sqAcc: Float64Array = new Float64Array(0);

/** Resident scratch of at least `len` entries (the old one freed). */
function grown<A extends Float64Array | Int32Array>(old: A, len: number, make: (n: number) => A): A {
  if (old.length >= len) return old;
  freeF64(old);
  return make(Math.max(len, 2 * old.length));
}

/**
 * Whether {@link wasmCentredRowsTN} can run on these operands: the WebAssembly kernels are loaded and X,
 * R and μ live in their memory.
 * @param X - the stored design
 * @param R - the residuals
 * @param mu - the means
 * @returns true when the kernel can use them in place
 * @example
 * ```ts
 * if (wasmCentredRowsReady(X, R, mu)) wasmCentredRowsTN(…);
 * ```
 */
export function wasmCentredRowsReady(X: Float64Array, R: Float64Array, mu: Float64Array): boolean {
  return wasm !== null && inWasmMemory(X) && inWasmMemory(R) && inWasmMemory(mu);
}

/**
 * {@link jsCentredRowsTN} by the WebAssembly kernel `xtr_rows` (the same bits), X, R and μ resident
 * ({@link wasmCentredRowsReady}); μ must be an allocation of its own (with d odd the kernel reads one
 * double past it and past each row of X, inside the allocations' padding or the next row).
 * @param m - number of rows
 * @param d - columns of X
 * @param T - tasks
 * @param X - the stored design
 * @param rows - which rows of X, or null for the first m
 * @param R - task-major residuals
 * @param ro - offset of R(0, 0)
 * @param ldr - distance between tasks in R
 * @param mu - the means (length d)
 * @param out - d×T output (any array)
 * @param sq - when given, also the squared column norms of X̃ (length d, any array), in the same pass over
 *   X, with the same bits as {@link jsCentredRowsTN}'s and `col_sq`'s
 * @example
 * ```ts
 * wasmCentredRowsTN(n, d, T, X, null, Rt, 0, n, means, V);
 * ```
 * @see {@link jsCentredRowsTN}
 */
export function wasmCentredRowsTN(
  m: number, d: number, T: number, X: Float64Array, rows: Int32Array | null, R: Float64Array, ro: number, ldr: number,
  mu: Float64Array, out: Float64Array, sq: Float64Array | null = null,
): void {
  const k = wasm!.k as unknown as XtrRowsKernel, pairs = (d + 1) >> 1;
  addr = grown(addr, Math.min(m, CHUNK), allocI32);
  acc = grown(acc, 2 * pairs * T, allocF64);
  ws = grown(ws, 8 * T, allocF64);
  acc.fill(0, 0, 2 * pairs * T);
  // the squares by feature pairs: 2·⌈d/2⌉ doubles (the odd lane's garbage lands in the last one)
  if (sq !== null) { sqAcc = grown(sqAcc, 2 * pairs, allocF64); sqAcc.fill(0, 0, 2 * pairs); }
  const sqb = sq === null ? 0 : sqAcc.byteOffset;
  const xb = X.byteOffset, d8 = 8 * d;
  for (let a0 = 0; a0 < m; a0 += CHUNK) {
    const c = Math.min(CHUNK, m - a0);
    // addr[a] = the byte address of row a0 + a of X
    for (let a = 0; a < c; a++) addr[a] = xb + d8 * (rows === null ? a0 + a : rows[a0 + a]!);
    k.xtr_rows(c, d, T, addr.byteOffset, R.byteOffset + 8 * (ro + a0), ldr, mu.byteOffset, acc.byteOffset, ws.byteOffset, sqb);
  }
  if (sq !== null) sq.set(sqAcc.subarray(0, d));
  // out(j, t) = G(j, t), stored by feature pairs: G at 2T·⌊j/2⌋ + 2t + (j mod 2)
  for (let j = 0; j < d; j++) {
    const p = 2 * T * (j >> 1) + (j & 1);
    for (let t = 0; t < T; t++) out[j * T + t] = acc[p + 2 * t]!;
  }
}
