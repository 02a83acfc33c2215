/**
 * Option checks still imported by `asoConvex` (owned by the task-relation family, which is moving
 * onto the core's `util/checks`); everything else that lived here moved to the solver core
 * (`datafits/state`, `datafits/normalEquations`, `linalg/cholesky`, `linalg/orthonormalize`,
 * `util/random`) or to `solvers/spectralTools`. Delete this file once nothing imports it.
 *
 * @packageDocumentation
 */
import type { LossScale } from '../types.js';
export { gradientScaleAtZeroOfLoss as gradientScaleAtZero } from '../solvers/spectralTools.js';

/**
 * Checks that `v` is a number in [lo, hi] (NaN always rejected).
 * @param v - the value
 * @param name - option name for the message
 * @param lo - lower bound (inclusive)
 * @param hi - upper bound (inclusive)
 * @param allowInf - accept ±Infinity when inside the bounds
 * @returns v
 * @throws RangeError naming the option and the expected range
 * @example
 * ```ts
 * checkNumberIn(0.1, 'lambda', 0, Infinity); // 0.1
 * ```
 * @see {@link checkIntegerIn}
 */
export function checkNumberIn(v: unknown, name: string, lo: number, hi: number, allowInf = false): number {
  if (typeof v !== 'number' || Number.isNaN(v) || (!allowInf && !Number.isFinite(v)) || v < lo || v > hi) {
    throw new RangeError(`${name}: expected a number in [${lo}, ${hi === Infinity ? '∞' : hi}], got ${String(v)}`);
  }
  return v;
}

/**
 * Checks that `v` is an integer in [lo, hi].
 * @param v - the value
 * @param name - option name for the message
 * @param lo - lower bound (inclusive)
 * @param hi - upper bound (inclusive)
 * @returns v
 * @throws RangeError naming the option and the expected range
 * @example
 * ```ts
 * checkIntegerIn(3, 'rank', 1, 10); // 3
 * ```
 * @see {@link checkNumberIn}
 */
export function checkIntegerIn(v: unknown, name: string, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new RangeError(`${name}: expected an integer in [${lo}, ${hi === Infinity ? '∞' : hi}], got ${String(v)}`);
  }
  return v;
}

/**
 * Checks a `lossScale` option.
 * @param v - the value (undefined → `'mean'`)
 * @returns the loss scale
 * @throws RangeError for anything but `'sum'`, `'mean'`, `'task-mean'`
 * @example
 * ```ts
 * checkLossScale(undefined); // 'mean'
 * ```
 * @see {@link checkBoolean}
 */
export function checkLossScale(v: unknown): LossScale {
  const s = v ?? 'mean';
  if (s !== 'sum' && s !== 'mean' && s !== 'task-mean') {
    throw new RangeError(`lossScale: expected 'sum', 'mean' or 'task-mean', got ${String(s)}`);
  }
  return s;
}

/**
 * Checks a boolean option.
 * @param v - the value (undefined → `dflt`)
 * @param name - option name
 * @param dflt - default
 * @returns the boolean
 * @throws TypeError when `v` is neither undefined nor a boolean
 * @example
 * ```ts
 * checkBoolean(undefined, 'fitIntercept', true); // true
 * ```
 * @see {@link checkLossScale}
 */
export function checkBoolean(v: unknown, name: string, dflt: boolean): boolean {
  const b = v ?? dflt;
  if (typeof b !== 'boolean') throw new TypeError(`${name}: expected a boolean, got ${typeof b}`);
  return b;
}

/**
 * Checks that `options` is an object.
 * @param options - the user's options
 * @param required - text naming the required fields, for the message
 * @throws TypeError when `options` is not an object
 * @example
 * ```ts
 * checkOptionsObject(opts, '{ lambda }');
 * ```
 * @see {@link checkNumberIn}
 */
export function checkOptionsObject(options: unknown, required: string): void {
  if (typeof options !== 'object' || options === null) throw new TypeError(`options: expected an object with at least ${required}`);
}

