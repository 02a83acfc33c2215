/**
 * The options of {@link path}: the grid of the path parameter (explicit, or geometric from λ_max) and
 * the screening switches, with their one validator.
 *
 * @packageDocumentation
 */

/** Options of {@link path} (the grid and the screening; the model's own options are separate). */
export interface PathOptions {
  /** Explicit parameter values, strictly decreasing, all ≥ 0. When given, `nLambdas` and `lambdaMinRatio` are ignored. @default null */
  lambdas?: readonly number[] | Float64Array | null;
  /** Number of grid points, geometric from λ_max down to `lambdaMinRatio`·λ_max. @default 100 */
  nLambdas?: number;
  /** Smallest grid value as a fraction of λ_max, in (0, 1]. @default 1e-3 */
  lambdaMinRatio?: number;
  /**
   * Use sequential strong rules when the model has one (group lasso). Off by default: with the
   * solver's own gap-safe screening and working sets they were slower on n ≫ d shared designs and on
   * per-task designs, faster only for d ≫ n (`node build/bench/strongRules.js`).
   * @default false
   */
  strongRules?: boolean;
  /** Warm-start each fit from the previous one (models that take warm starts). @default true */
  warmStart?: boolean;
  /** Called after each grid point with the points done and the total (e.g. a progress bar). @default null */
  progress?: ((done: number, total: number) => void) | null;
}

/** {@link PathOptions} with defaults filled in and the grid resolved. */
export interface ResolvedPathOptions {
  /** The grid actually used (decreasing). */
  lambdas: Float64Array;
  /** Grid size. */
  nLambdas: number;
  /** λ_min / λ_max (NaN for an explicit grid without λ_max). */
  lambdaMinRatio: number;
  /** Whether strong rules ran. */
  strongRules: boolean;
  /** Whether fits were warm-started. */
  warmStart: boolean;
}

const PATH_OPTION_KEYS: readonly string[] = ['lambdas', 'nLambdas', 'lambdaMinRatio', 'strongRules', 'warmStart', 'progress'];

/**
 * Validates the options of {@link path} and resolves the grid (the one `checkOptions` of `path`).
 * @param options - path options
 * @param lambdaMax - λ_max of the problem (NaN if unknown)
 * @returns resolved options
 * @throws TypeError / RangeError naming the offending option and the expected range
 * @example
 * ```ts
 * checkPathOptions({ nLambdas: 10 }, 2).lambdas[0]; // 2
 * ```
 * @see {@link path}
 */
export function checkPathOptions(options: PathOptions, lambdaMax: number): ResolvedPathOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('options: expected an object { lambdas } or { nLambdas, lambdaMinRatio }');
  for (const key of Object.keys(options)) {
    if (!PATH_OPTION_KEYS.includes(key)) {
      const near = PATH_OPTION_KEYS.find((k) => k.toLowerCase().startsWith(key.toLowerCase().slice(0, 4)));
      throw new RangeError(`options: unknown path option '${key}'${near ? ` (did you mean ${near}?)` : ''}; expected ${PATH_OPTION_KEYS.join(', ')}`);
    }
  }
  if (options.progress !== undefined && options.progress !== null && typeof options.progress !== 'function') {
    throw new TypeError(`progress: expected a function (done, total) => void or null, got ${typeof options.progress}`);
  }
  const strongRules = options.strongRules ?? false;
  if (typeof strongRules !== 'boolean') throw new TypeError(`strongRules: expected a boolean, got ${typeof strongRules}`);
  const warmStart = options.warmStart ?? true;
  if (typeof warmStart !== 'boolean') throw new TypeError(`warmStart: expected a boolean, got ${typeof warmStart}`);
  if (options.lambdas !== undefined && options.lambdas !== null) {
    const l = options.lambdas;
    if (!Array.isArray(l) && !(l instanceof Float64Array)) throw new TypeError('lambdas: expected an array of numbers');
    if (l.length === 0) throw new RangeError('lambdas: expected at least one value');
    const lambdas = Float64Array.from(l);
    for (let k = 0; k < lambdas.length; k++) {
      const v = lambdas[k]!;
      if (!Number.isFinite(v) || v < 0) throw new RangeError(`lambdas: entry ${k} is ${v}; expected a finite number ≥ 0`);
      if (k > 0 && !(v < lambdas[k - 1]!)) throw new RangeError(`lambdas: expected strictly decreasing values, entry ${k} (${v}) ≥ entry ${k - 1} (${lambdas[k - 1]})`);
    }
    return { lambdas, nLambdas: lambdas.length, lambdaMinRatio: lambdas[lambdas.length - 1]! / lambdaMax, strongRules, warmStart };
  }
  const nLambdas = options.nLambdas ?? 100;
  if (typeof nLambdas !== 'number' || !Number.isInteger(nLambdas) || nLambdas < 1) {
    throw new RangeError(`nLambdas: expected an integer ≥ 1, got ${String(nLambdas)}`);
  }
  const ratio = options.lambdaMinRatio ?? 1e-3;
  if (typeof ratio !== 'number' || !(ratio > 0 && ratio <= 1)) throw new RangeError(`lambdaMinRatio: expected a number in (0, 1], got ${String(ratio)}`);
  if (!Number.isFinite(lambdaMax) || lambdaMax < 0) {
    throw new RangeError(`lambdas: this model has no λ_max (got ${lambdaMax}); give an explicit grid { lambdas: [...] }`);
  }
  const lambdas = new Float64Array(nLambdas);
  for (let k = 0; k < nLambdas; k++) lambdas[k] = nLambdas === 1 ? lambdaMax : lambdaMax * Math.pow(ratio, k / (nLambdas - 1));
  return { lambdas, nLambdas, lambdaMinRatio: ratio, strongRules, warmStart };
}

