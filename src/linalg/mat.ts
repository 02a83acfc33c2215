/**
 * Conversions between {@link Mat} and the other matrix types mtlearn accepts.
 *
 * @packageDocumentation
 */
import { Matrix } from 'ml-matrix';
import type { Mat, MatLike, VecLike } from '../types.js';

/**
 * Allocates a zero matrix.
 * @param rows - number of rows (≥ 0)
 * @param cols - number of columns (≥ 0)
 * @returns a new rows×cols {@link Mat} of zeros
 * @example
 * ```ts
 * const Z = zeros(2, 3); // Z.data.length === 6
 * ```
 * @see {@link toMat}
 */
export function zeros(rows: number, cols: number): Mat {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

function isMat(x: unknown): x is Mat {
  return (
    typeof x === 'object' &&
    x !== null &&
    (x as Mat).data instanceof Float64Array &&
    typeof (x as Mat).rows === 'number' &&
    typeof (x as Mat).cols === 'number'
  );
}

function isMatrixLike(x: unknown): x is { rows: number; columns: number; get(i: number, j: number): number } {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as { get?: unknown }).get === 'function' &&
    typeof (x as { rows?: unknown }).rows === 'number' &&
    typeof (x as { columns?: unknown }).columns === 'number'
  );
}

/**
 * Copies any accepted matrix into a new row-major {@link Mat}. The input is never modified or aliased.
 *
 * @param x - a `number[][]` (array of rows), an ml-matrix `Matrix`, or a {@link Mat}
 * @param name - the argument's name, used in error messages
 * @param alloc - allocates the copy's storage (e.g. in the WebAssembly kernels' memory); zero-filled
 *   arrays of the given length @defaultValue `new Float64Array(length)`
 * @returns a fresh {@link Mat}
 * @throws TypeError when `x` is none of the accepted types, or a `number[][]` is ragged or holds a non-number
 * @example
 * ```ts
 * const A = toMat([[1, 2], [3, 4]]); // { rows: 2, cols: 2, data: Float64Array [1, 2, 3, 4] }
 * ```
 * @see {@link toArray}, {@link toMatrix}
 */
export function toMat(x: MatLike, name = 'matrix', alloc: (length: number) => Float64Array = (length) => new Float64Array(length)): Mat {
  if (isMat(x)) {
    const { rows, cols } = x;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new TypeError(`${name}: rows and cols must be non-negative integers, got ${rows}×${cols}`);
    }
    if (x.data.length !== rows * cols) {
      throw new TypeError(`${name}: data has length ${x.data.length}, expected rows*cols = ${rows}*${cols} = ${rows * cols}`);
    }
    const data = alloc(rows * cols);
    data.set(x.data);
    return { rows, cols, data };
  }
  if (Array.isArray(x)) {
    const rows = x.length;
    const first = x[0] as unknown;
    if (rows > 0 && !Array.isArray(first)) {
      throw new TypeError(`${name}: expected an array of rows (number[][]), got an array whose first element is ${typeof first}`);
    }
    const cols = rows === 0 ? 0 : (first as number[]).length;
    const data = alloc(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = x[i] as unknown;
      if (!Array.isArray(row) || row.length !== cols) {
        throw new TypeError(
          `${name}: row ${i} has ${Array.isArray(row) ? row.length : 'no'} entries, expected ${cols} (same as row 0)`,
        );
      }
      for (let j = 0; j < cols; j++) {
        const v = row[j] as unknown;
        if (typeof v !== 'number') throw new TypeError(`${name}: entry (${i}, ${j}) is ${typeof v}, expected a number`);
        data[i * cols + j] = v;
      }
    }
    return { rows, cols, data };
  }
  if (isMatrixLike(x)) {
    const rows = x.rows;
    const cols = x.columns;
    const data = alloc(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = x.get(i, j);
    return { rows, cols, data };
  }
  throw new TypeError(`${name}: expected number[][], an ml-matrix Matrix or { rows, cols, data: Float64Array }`);
}

/**
 * Copies an accepted vector into a new `Float64Array`.
 * @param x - a `number[]` or `Float64Array`
 * @param name - the argument's name, used in error messages
 * @returns a fresh `Float64Array`
 * @throws TypeError when `x` is not an array of numbers
 * @example
 * ```ts
 * toVec([1, 2, 3]); // Float64Array [1, 2, 3]
 * ```
 * @see {@link toMat}
 */
export function toVec(x: VecLike, name = 'vector'): Float64Array {
  if (x instanceof Float64Array) return Float64Array.from(x);
  if (!Array.isArray(x)) throw new TypeError(`${name}: expected number[] or Float64Array, got ${typeof x}`);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as unknown;
    if (typeof v !== 'number') throw new TypeError(`${name}: entry ${i} is ${typeof v}, expected a number`);
    out[i] = v;
  }
  return out;
}

/**
 * Converts a {@link Mat} to a `number[][]` (array of rows).
 * @param m - the matrix
 * @returns a new array of `m.rows` rows of `m.cols` numbers
 * @example
 * ```ts
 * toArray({ rows: 1, cols: 2, data: new Float64Array([1, 2]) }); // [[1, 2]]
 * ```
 * @see {@link toMat}
 */
export function toArray(m: Mat): number[][] {
  const out: number[][] = new Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols));
  return out;
}

/**
 * Converts a {@link Mat} to an ml-matrix `Matrix` (a copy).
 * @param m - the matrix
 * @returns a new ml-matrix `Matrix` with the same entries
 * @example
 * ```ts
 * toMatrix(fit.W).transpose(); // T×d ml-matrix Matrix
 * ```
 * @see {@link toMat}
 */
export function toMatrix(m: Mat): Matrix {
  const M = new Matrix(m.rows, m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) M.set(i, j, m.data[i * m.cols + j]!);
  return M;
}

/**
 * Transposes a row-major matrix into a new buffer.
 * @param a - source, rows×cols row-major
 * @param rows - rows of `a`
 * @param cols - columns of `a`
 * @param out - destination, cols×rows row-major (length ≥ rows*cols)
 * @returns `out`
 * @example
 * ```ts
 * transposeInto(new Float64Array([1, 2, 3, 4, 5, 6]), 2, 3, new Float64Array(6)); // [1, 4, 2, 5, 3, 6]
 * ```
 * @see {@link toMat}
 */
export function transposeInto(a: Float64Array, rows: number, cols: number, out: Float64Array): Float64Array {
  // out[j, i] = a[i, j], in 32×32 tiles for cache locality
  const B = 32;
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = Math.min(rows, i0 + B);
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = Math.min(cols, j0 + B);
      for (let i = i0; i < i1; i++) {
        const ai = i * cols;
        for (let j = j0; j < j1; j++) out[j * rows + i] = a[ai + j]!;
      }
    }
  }
  return out;
}
