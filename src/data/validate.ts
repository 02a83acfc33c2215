/**
 * Validation helpers of {@link MultiTaskData} (labels, options, finiteness).
 *
 * @packageDocumentation
 */

/** The arrays {@link MultiTaskData.wrap} uses as they are. */
export type WrapParts =
  | { readonly kind: 'shared'; readonly d: number; readonly T: number; readonly n: number; readonly X: Float64Array; readonly Y: Float64Array; readonly labels?: readonly string[] | null }
  | {
    readonly kind: 'tasks'; readonly d: number; readonly T: number;
    readonly tasks: readonly { readonly X: Float64Array; readonly y: Float64Array; readonly n: number }[]; readonly labels?: readonly string[] | null;
  };

/** Options common to the constructors of {@link MultiTaskData}. */
export interface DataOptions {
  /** Task labels (one per task, distinct), used in messages and kept by folds and subsets. @default null (tasks named by index) */
  labels?: readonly (string | number)[] | null;
}

/**
 * Validates task labels: T distinct strings or numbers (kept as strings).
 * @param labels - the labels or null/undefined
 * @param T - the number of tasks
 * @returns the frozen labels, or null
 * @throws TypeError / RangeError naming `labels`
 * @example
 * ```ts
 * checkLabels(['a', 2], 2); // ['a', '2']
 * ```
 * @see {@link DataOptions}
 */
export function checkLabels(labels: readonly (string | number)[] | null | undefined, T: number): readonly string[] | null {
  if (labels === undefined || labels === null) return null;
  if (!Array.isArray(labels)) throw new TypeError(`labels: expected an array of ${T} task labels (strings or numbers) or null`);
  if (labels.length !== T) throw new RangeError(`labels: expected ${T} labels (one per task), got ${labels.length}`);
  const out = labels.map((l, t) => {
    if (typeof l !== 'string' && typeof l !== 'number') throw new TypeError(`labels: entry ${t} is ${typeof l}; expected a string or a number`);
    return String(l);
  });
  const seen = new Set<string>();
  for (const l of out) {
    if (seen.has(l)) throw new RangeError(`labels: the label ${JSON.stringify(l)} appears twice; expected distinct task labels`);
    seen.add(l);
  }
  return Object.freeze(out);
}

/**
 * Validates the options of the data constructors (only `labels`).
 * @param options - the options
 * @returns the same object
 * @throws TypeError / RangeError on a non-object or an unknown key
 * @example
 * ```ts
 * checkDataOptions({ labels: null });
 * ```
 * @see {@link DataOptions}
 */
export function checkDataOptions(options: DataOptions): DataOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('options: expected an object { labels }');
  for (const key of Object.keys(options)) {
    if (key !== 'labels') throw new RangeError(`options: unknown data option '${key}'${key.toLowerCase().startsWith('label') ? ' (did you mean labels?)' : ''}; expected labels`);
  }
  return options;
}

/**
 * Throws a RangeError naming the first non-finite entry of a row-major matrix.
 * @param data - the entries
 * @param rows - rows
 * @param cols - columns
 * @param what - the matrix's name for the message
 * @returns nothing
 * @throws RangeError `X: entry (2, 1) is NaN; expected finite numbers (5×3 matrix)`
 * @example
 * ```ts
 * checkFinite(new Float64Array([1, NaN]), 1, 2, 'X'); // throws
 * ```
 * @see {@link checkMagnitude}
 */
export function checkFinite(data: Float64Array, rows: number, cols: number, what: string): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) {
      const r = Math.floor(i / cols);
      const c = i - r * cols;
      throw new RangeError(`${what}: entry (${r}, ${c}) is ${v}; expected finite numbers (${rows}×${cols} matrix)`);
    }
  }
}


/** log10 of the largest and smallest sums of squares the solvers can form without overflow/underflow. */
const LOG10_MAX_SQUARES = 200, LOG10_MIN_SQUARES = -200;

/**
 * Rejects data whose sum of squares Σ x² (over all tasks; NaN = missing is skipped) leaves double
 * precision with room to spare (outside [1e-200, 1e200]): the losses, Gram entries and Lipschitz
 * constants of every model are of that size, so such data would give overflowed or underflowed
 * internals and misleading errors. The message says by how much and how to rescale. (A global scale
 * of X and Y is harmless to rescale: the squared loss is homogeneous, though penalties scale
 * differently, so the caller picks λ for the rescaled data.)
 * @param parts - the arrays of one matrix (X, or Y / the y_t)
 * @param what - its name for the message, e.g. `'X'`
 * @returns nothing
 * @throws RangeError `X: the data overflow double precision: Σ x² ≈ 1e+310 exceeds 1e300 (largest |entry| 1e+154); divide X by at least 1e+5`
 * @example
 * ```ts
 * checkMagnitude([new Float64Array([1e105, 1])], 'X'); // throws
 * ```
 * @see {@link checkFinite}
 */
export function checkMagnitude(parts: readonly Float64Array[], what: string): void {
  let max = 0;
  for (const a of parts) for (let i = 0; i < a.length; i++) { const v = Math.abs(a[i]!); if (v > max) max = v; }
  if (max === 0 || Number.isNaN(max)) return;
  // Σ x² = max² · Σ (x / max)², summed scaled so that the sum itself cannot overflow
  let s = 0;
  for (const a of parts) for (let i = 0; i < a.length; i++) { const v = a[i]!; if (v === v) { const z = v / max; s += z * z; } }
  const log10 = 2 * Math.log10(max) + Math.log10(s);
  if (log10 > LOG10_MAX_SQUARES) {
    const by = Math.pow(10, Math.ceil((log10 - LOG10_MAX_SQUARES) / 2 + 2));
    throw new RangeError(
      `${what}: the data overflow double precision: the sum of squares is about 1e${Math.round(log10)}, above 1e${LOG10_MAX_SQUARES} ` +
      `(largest |entry| ${max.toExponential(2)}); divide ${what} by at least ${by.toExponential(0)} (the loss scales by the square of a common factor of X and Y: scale λ alike)`,
    );
  }
  if (log10 < LOG10_MIN_SQUARES) {
    const by = Math.pow(10, Math.ceil((LOG10_MIN_SQUARES - log10) / 2 + 2));
    throw new RangeError(
      `${what}: the data underflow double precision: the sum of squares is about 1e${Math.round(log10)}, below 1e${LOG10_MIN_SQUARES} ` +
      `(largest |entry| ${max.toExponential(2)}); multiply ${what} by at least ${by.toExponential(0)} (the loss scales by the square of a common factor of X and Y: scale λ alike)`,
    );
  }
}
