/**
 * The option and argument checks of mtlearn: every validator of the package lives here, so every
 * error says the same thing the same way:
 *
 * `<name>: expected <what>, got <what was received>`
 *
 * where `<name>` is the option or argument (prefixed by the task label when one is involved, e.g.
 * `tasks["north"].X`). Wrong types raise `TypeError`, values out of range or of the wrong shape
 * raise `RangeError`.
 *
 * @packageDocumentation
 */
import type { Mat, MatLike, VecLike } from '../types.js';
import { toMat, toVec } from '../linalg/mat.js';

/** A short, readable rendering of a received value for error messages. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (v instanceof Float64Array) return `a Float64Array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return `an object`;
}

function fmtBound(x: number): string {
  return x === Infinity ? '∞' : x === -Infinity ? '−∞' : String(x);
}

/** Constraints of {@link checkNumber}. */
export interface NumberConstraints {
  /** Smallest allowed value. @default -Infinity */
  min?: number;
  /** Largest allowed value. @default Infinity */
  max?: number;
  /** Exclude `min` itself (x > min). @default false */
  minExclusive?: boolean;
  /** Exclude `max` itself (x < max). @default false */
  maxExclusive?: boolean;
  /** Require an integer. @default false */
  integer?: boolean;
  /** Accept ±Infinity (when inside the bounds). @default false */
  allowInfinity?: boolean;
}

/**
 * Checks that `v` is a number satisfying the constraints (NaN is always rejected) and returns it.
 *
 * @param v - the value
 * @param name - option or argument name, used in the message
 * @param c - bounds, integrality, infinity (see {@link NumberConstraints})
 * @returns v
 * @throws TypeError when `v` is not a number; RangeError when it violates a constraint, e.g.
 *   `lambda: expected a number ≥ 0, got -1`
 * @example
 * ```ts
 * checkNumber(0.1, 'lambda', { min: 0 });             // 0.1
 * checkNumber(3, 'rank', { min: 1, integer: true });   // 3
 * ```
 * @see {@link checkOptional}
 */
export function checkNumber(v: unknown, name: string, c: NumberConstraints = {}): number {
  const what = describeRange(c);
  if (typeof v !== 'number') throw new TypeError(`${name}: expected ${what}, got ${describeValue(v)}`);
  const lo = c.min ?? -Infinity;
  const hi = c.max ?? Infinity;
  const bad =
    Number.isNaN(v) ||
    (!c.allowInfinity && !Number.isFinite(v)) ||
    (c.integer === true && Number.isFinite(v) && !Number.isInteger(v)) ||
    (c.minExclusive ? !(v > lo) : !(v >= lo)) ||
    (c.maxExclusive ? !(v < hi) : !(v <= hi));
  if (bad) throw new RangeError(`${name}: expected ${what}, got ${describeValue(v)}`);
  return v;
}

function describeRange(c: NumberConstraints): string {
  const noun = c.integer ? 'an integer' : c.allowInfinity ? 'a number' : 'a finite number';
  const lo = c.min ?? -Infinity;
  const hi = c.max ?? Infinity;
  if (lo === -Infinity && hi === Infinity) return noun;
  if (hi === Infinity) return `${noun} ${c.minExclusive ? '>' : '≥'} ${fmtBound(lo)}`;
  if (lo === -Infinity) return `${noun} ${c.maxExclusive ? '<' : '≤'} ${fmtBound(hi)}`;
  return `${noun} in ${c.minExclusive ? '(' : '['}${fmtBound(lo)}, ${fmtBound(hi)}${c.maxExclusive ? ')' : ']'}`;
}

/**
 * Returns `dflt` for `undefined`, else the value passed through `check`.
 * @param v - the value or undefined
 * @param dflt - the default
 * @param check - the validator applied to a given value
 * @returns the checked value or the default
 * @example
 * ```ts
 * const tol = checkOptional(o.tol, 1e-6, (v) => checkNumber(v, 'tol', { min: 0, minExclusive: true }));
 * ```
 * @see {@link checkNumber}
 */
export function checkOptional<V>(v: unknown, dflt: V, check: (v: unknown) => V): V {
  return v === undefined ? dflt : check(v);
}

/**
 * Checks a boolean option.
 * @param v - the value (undefined → `dflt`)
 * @param name - option name
 * @param dflt - the default
 * @returns the boolean
 * @throws TypeError `name: expected a boolean, got …`
 * @example
 * ```ts
 * checkBoolean(undefined, 'fitIntercept', true); // true
 * ```
 * @see {@link checkNumber}
 */
export function checkBoolean(v: unknown, name: string, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new TypeError(`${name}: expected a boolean, got ${describeValue(v)}`);
  return v;
}

/**
 * Checks that `v` is one of a fixed set of values (strings or numbers).
 * @param v - the value (undefined → `dflt`)
 * @param name - option name
 * @param allowed - the accepted values
 * @param dflt - the default
 * @returns v
 * @throws RangeError `name: expected one of 'a', 'b', got …` (suggesting the closest for a string)
 * @example
 * ```ts
 * checkOneOf(o.lossScale, 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'mean');
 * ```
 * @see {@link checkOptionKeys}
 */
export function checkOneOf<A extends string | number>(v: unknown, name: string, allowed: readonly A[], dflt: A): A {
  if (v === undefined) return dflt;
  if ((allowed as readonly unknown[]).includes(v)) return v as A;
  const list = allowed.map((a) => (typeof a === 'string' ? `'${a}'` : String(a))).join(', ');
  const near = typeof v === 'string' ? closest(v, allowed.filter((a): a is A & string => typeof a === 'string')) : null;
  throw new RangeError(`${name}: expected one of ${list}, got ${describeValue(v)}${near ? ` (did you mean '${near}'?)` : ''}`);
}

/**
 * Checks a seed: an integer in [0, 2³²).
 * @param v - the value (undefined → `dflt`)
 * @param name - option name @default 'seed'
 * @param dflt - the default @default 0
 * @returns the seed
 * @throws RangeError for a non-integer or out-of-range seed (never truncated silently)
 * @example
 * ```ts
 * checkSeed(o.seed); // 0 when omitted
 * ```
 * @see {@link checkNumber}
 */
export function checkSeed(v: unknown, name = 'seed', dflt = 0): number {
  if (v === undefined) return dflt;
  return checkNumber(v, name, { min: 0, max: 4294967295, integer: true });
}

/**
 * Checks that `options` is a plain object (or undefined, read as `{}`).
 * @param options - the user's options
 * @param context - what the options are for, e.g. `'groupLasso options'` @default 'options'
 * @param required - names of required keys, listed in the message
 * @returns the options object
 * @throws TypeError when `options` is not an object; RangeError when a required key is missing
 * @example
 * ```ts
 * const o = checkOptionsObject(options, 'traceNorm options', ['lambda']);
 * ```
 * @see {@link checkOptionKeys}
 */
export function checkOptionsObject(options: unknown, context = 'options', required: readonly string[] = []): Record<string, unknown> {
  if (options === undefined && required.length === 0) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    const need = required.length ? ` with ${required.join(', ')}` : '';
    throw new TypeError(`${context}: expected an object${need}, got ${describeValue(options)}`);
  }
  const o = options as Record<string, unknown>;
  for (const k of required) {
    if (o[k] !== undefined) continue;
    // a misspelt required key (`lamda`) is named, so the message says what to fix; numbered siblings
    // (`rho2` beside a missing `rho1`) are other options, not misspellings
    const stem = (w: string): string => w.replace(/\d+$/, '');
    const sibling = (u: string): boolean => /\d$/.test(u) && /\d$/.test(k) && stem(u) === stem(k);
    const typo = Object.keys(o).find((u) => !required.includes(u) && !sibling(u) && closest(u, [k]) === k);
    throw new RangeError(`${context}: the option ${k} is required${typo === undefined ? '' : ` (got '${typo}': did you mean ${k}?)`}`);
  }
  return o;
}

/**
 * Rejects unknown (e.g. misspelt) keys of an options object, naming the closest valid key:
 * `groupLasso options: unknown option 'lamda' (did you mean lambda?)`.
 *
 * @param options - the user's options (undefined passes)
 * @param known - every valid key
 * @param context - what the options are for, used in the message
 * @throws RangeError on the first unknown key
 * @example
 * ```ts
 * checkOptionKeys({ lamda: 0.1 }, ['lambda', 'tol'], 'groupLasso options'); // throws … did you mean lambda?
 * ```
 * @see {@link closest}
 */
export function checkOptionKeys(options: unknown, known: readonly string[], context: string): void {
  if (typeof options !== 'object' || options === null) return;
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const near = closest(key, known);
    const hint = near ? ` (did you mean ${near}?)` : ` (valid options: ${known.join(', ')})`;
    throw new RangeError(`${context}: unknown option '${key}'${hint}`);
  }
}

/**
 * The candidate closest to `word` (case-insensitive edit distance, transpositions counted once), or
 * null when none is within max(2, ⌊len/3⌋) edits.
 * @param word - the misspelt word
 * @param candidates - the valid words
 * @returns the closest candidate or null
 * @example
 * ```ts
 * closest('maxiter', ['maxIter', 'tol']); // 'maxIter'
 * ```
 * @see {@link checkOptionKeys}
 */
export function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const dist = editDistance(w, c.toLowerCase());
    if (dist < bestD) {
      bestD = dist;
      best = c;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return bestD <= limit ? best : null;
}

/** Optimal-string-alignment distance (Levenshtein with adjacent transpositions). */
function editDistance(a: string, b: string): number {
  const m = a.length, n = b.length;
  const D = new Int32Array((m + 1) * (n + 1));
  const W = n + 1;
  for (let i = 0; i <= m; i++) D[i * W] = i;
  for (let j = 0; j <= n; j++) D[j] = j;
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(D[(i - 1) * W + j]! + 1, D[i * W + j - 1]! + 1, D[(i - 1) * W + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, D[(i - 2) * W + j - 2]! + 1);
      D[i * W + j] = v;
    }
  }
  return D[m * W + n]!;
}

/** Expected shape of {@link checkMat}: a number fixes the dimension, `undefined` leaves it free. */
export interface MatShape {
  /** Required number of rows. */
  rows?: number;
  /** Required number of columns. */
  cols?: number;
  /** How to name the expected shape in the message, e.g. `'d×T = 5×3'`. @default `rows×cols` */
  label?: string;
  /** Require every entry to be finite. @default true */
  finite?: boolean;
}

/**
 * Converts any accepted matrix (`number[][]`, ml-matrix `Matrix`, {@link Mat}) into a fresh
 * {@link Mat} and checks its shape and entries. The input is copied, never modified.
 *
 * @param x - the matrix
 * @param name - argument or option name (e.g. `'warmStart'`, `'graph.R'`)
 * @param shape - the expected shape (see {@link MatShape})
 * @returns a new Mat
 * @throws TypeError when `x` is not a matrix; RangeError on a wrong shape or a non-finite entry,
 *   e.g. `warmStart: expected a d×T = 5×3 matrix, got 3×5`
 * @example
 * ```ts
 * const R = checkMat([[1, -1], [-1, 1]], 'graph.R', { rows: T, label: `T×k with T = ${T}` });
 * ```
 * @see {@link checkVec}
 */
export function checkMat(x: unknown, name: string, shape: MatShape = {}): Mat {
  if (x === null || typeof x !== 'object') {
    throw new TypeError(`${name}: expected a matrix (number[][], ml-matrix Matrix or { rows, cols, data: Float64Array }), got ${describeValue(x)}`);
  }
  const M = toMat(x as MatLike, name);
  const want = shape.label ?? `${shape.rows ?? 'any'}×${shape.cols ?? 'any'}`;
  if ((shape.rows !== undefined && M.rows !== shape.rows) || (shape.cols !== undefined && M.cols !== shape.cols)) {
    throw new RangeError(`${name}: expected a ${want} matrix, got ${M.rows}×${M.cols}`);
  }
  if (shape.finite ?? true) {
    const a = M.data;
    for (let k = 0; k < a.length; k++) {
      if (!Number.isFinite(a[k]!)) {
        throw new RangeError(`${name}: expected finite entries, got ${a[k]} at (${Math.floor(k / M.cols)}, ${k % M.cols})`);
      }
    }
  }
  return M;
}

/**
 * Converts any accepted vector (`number[]`, `Float64Array`) into a fresh `Float64Array` and checks
 * its length and entries.
 * @param x - the vector
 * @param name - argument or option name
 * @param length - required length (undefined: any)
 * @param c - constraints on every entry (see {@link NumberConstraints}) @default finite numbers
 * @returns a new Float64Array
 * @throws TypeError when `x` is not a vector; RangeError on a wrong length or a bad entry
 * @example
 * ```ts
 * const w = checkVec([1, 2, 1], 'taskWeights', T, { min: 0 });
 * ```
 * @see {@link checkMat}
 */
export function checkVec(x: unknown, name: string, length?: number, c: NumberConstraints = {}): Float64Array {
  if (!(x instanceof Float64Array) && !Array.isArray(x)) {
    throw new TypeError(`${name}: expected a vector (number[] or Float64Array), got ${describeValue(x)}`);
  }
  const v = toVec(x as VecLike, name);
  if (length !== undefined && v.length !== length) {
    throw new RangeError(`${name}: expected a vector of length ${length}, got length ${v.length}`);
  }
  for (let i = 0; i < v.length; i++) checkNumber(v[i], `${name}[${i}]`, c);
  return v;
}
