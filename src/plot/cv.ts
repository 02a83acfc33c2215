/**
 * The cross-validation curve: the mean metric over folds against λ with a ±1 standard-error band
 * and bars, and the minimum and one-standard-error choices (L. Breiman, J. Friedman, R. Olshen &
 * C. Stone, "Classification and Regression Trees", 1984; T. Hastie, R. Tibshirani & J. Friedman,
 * "The Elements of Statistical Learning", 2nd ed., §7.10), drawn like glmnet's `plot.cv.glmnet`:
 * log λ limited to the grid, decreasing to the right, and the number of non-zero rows on a top axis
 * when it is known.
 *
 * The input is the result of `await crossValidate(…)` or the JSON file of `mtlearn cv`.
 *
 * @packageDocumentation
 */
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg, sig3, SCHEMA, AXIS_FORMAT, type PlotOptions } from './render.js';
import { countAxisLayers, lambdaX, paramLabel } from './axes.js';
import type { PathPlotInput } from './path.js';

/**
 * What {@link cvPlot} draws: `await crossValidate(…)`'s result or the parsed JSON of `mtlearn cv`.
 * @example
 * ```ts
 * const c: CvPlotInput = { grid: [1, 0.1], mean: [2, 1], standardError: [0.1, 0.1], bestIndex: 1, oneStandardErrorIndex: 1 };
 * ```
 * @see {@link cvPlot}
 */
export interface CvPlotInput {
  /** Name of the path parameter (axis title; `lambda` is shown as λ). @default 'lambda' */
  readonly paramName?: string | null;
  /** Metric name (axis title). @default options.metric, else 'cv error' */
  readonly metric?: string;
  /** Parameter values, one per grid point (numbers; option objects need `paramName`). */
  readonly grid: ArrayLike<number | Readonly<Record<string, unknown>>>;
  /** Mean of the metric over folds, per grid point. */
  readonly mean: ArrayLike<number>;
  /** Standard error of the mean, per grid point. */
  readonly standardError: ArrayLike<number>;
  /** Index of the best mean. */
  readonly bestIndex: number;
  /** Index of the one-standard-error choice. */
  readonly oneStandardErrorIndex: number;
  /** Non-zero rows of W per grid point (top axis), when known. */
  readonly nonzeroRows?: ArrayLike<number>;
  /** The resolved options of `crossValidate` (for the metric's name). */
  readonly options?: object;
}

/**
 * Options of {@link cvPlot}.
 * @example
 * ```ts
 * await cvPlot(cv, { path: path(data, groupLasso, { lambdas: cv.grid as number[] }) });
 * ```
 * @see {@link cvPlot}
 */
export interface CvPlotOptions extends PlotOptions {
  /** Name of the parameter on the x axis (required for grids of option objects). @default the input's, else 'lambda' */
  paramName?: string;
  /** A path over the same λ range (any grid): its non-zero row counts make the top axis. @default none */
  path?: PathPlotInput | null;
}

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || ArrayBuffer.isView(v);
}

/**
 * Vega-Lite specification of the cross-validation curve: a ±1 SE band, one SE bar (rule) and one
 * point per grid point joined by a line, dashed vertical rules at the minimum (`min`) and the
 * one-standard-error (`1-SE`) choices, λ on a log axis decreasing to the right.
 * @param input - the CV result (see {@link CvPlotInput})
 * @param options - title, size, parameter name, a path for the top axis
 * @returns the specification
 * @throws TypeError when the input is not a CV result; RangeError when the arrays differ in length,
 *   an index is out of range, or no λ > 0
 * @example
 * ```ts
 * const spec = cvSpec(await crossValidate(data, groupLasso, { folds: 5 }));
 * ```
 * @see {@link cvPlot}
 */
export function cvSpec(input: CvPlotInput, options: CvPlotOptions = {}): TopLevelSpec {
  if (input === null || typeof input !== 'object' || !isArrayLike(input.grid) || !isArrayLike(input.mean) || !isArrayLike(input.standardError)) {
    throw new TypeError('input: expected { grid, mean, standardError, bestIndex, oneStandardErrorIndex } (the result of crossValidate() or the JSON of mtlearn cv)');
  }
  const G = input.grid.length;
  if (G === 0) throw new RangeError('grid: expected at least one grid point');
  if (input.mean.length !== G || input.standardError.length !== G) {
    throw new RangeError(`mean, standardError: have ${input.mean.length} and ${input.standardError.length} entries, expected ${G} (one per grid point)`);
  }
  for (const [name, idx] of [['bestIndex', input.bestIndex], ['oneStandardErrorIndex', input.oneStandardErrorIndex]] as const) {
    if (!Number.isInteger(idx) || idx < 0 || idx >= G) throw new RangeError(`${name}: expected an integer in [0, ${G - 1}], got ${String(idx)}`);
  }
  const param = options.paramName ?? input.paramName ?? 'lambda';
  const pl = paramLabel(param);
  const grid: number[] = [];
  for (let i = 0; i < G; i++) {
    const g = input.grid[i];
    if (typeof g === 'number') grid.push(g);
    else if (g !== null && typeof g === 'object' && finite((g as Record<string, unknown>)[param])) grid.push((g as Record<string, number>)[param]!);
    else throw new TypeError(`grid[${i}]: expected a number or an object with a numeric ${param}; give options.paramName to choose the parameter on the x axis`);
  }
  const optMetric = input.options ? (input.options as Record<string, unknown>)['metric'] : undefined;
  const metric = input.metric ?? (typeof optMetric === 'string' ? optMetric : 'cv error');
  // the top axis: the input's counts at its grid, or a path's counts at the path's own λ within the drawn range
  // (its grid need not be the CV grid: `path(…, { nLambdas: 50 })` beside a 20-point CV)
  let countPoints: { lambda: number; count: number }[] = [];
  if (input.nonzeroRows !== undefined) {
    if (!isArrayLike(input.nonzeroRows) || input.nonzeroRows.length !== G) throw new RangeError(`nonzeroRows: expected ${G} numbers (one per grid point)`);
    countPoints = grid.map((l, i) => ({ lambda: l, count: Number(input.nonzeroRows![i]) }));
  } else if (options.path) {
    const pp = options.path.points;
    if (!Array.isArray(pp)) throw new TypeError('options.path: expected a path { points } (the result of path() or the JSON of mtlearn path)');
    const positive = grid.filter((l) => l > 0);
    const lo = Math.min(...positive) * (1 - 1e-9), hi = Math.max(...positive) * (1 + 1e-9);
    countPoints = pp.filter((p) => p.lambda >= lo && p.lambda <= hi && finite(p.nonzeroRows)).map((p) => ({ lambda: p.lambda, count: p.nonzeroRows! }));
  }
  const values: { lambda: number; mean: number; lo: number; hi: number; se: number }[] = [];
  let dropped = 0;
  for (let i = 0; i < G; i++) {
    const l = grid[i]!, m = input.mean[i]!, s = input.standardError[i]!;
    if (!finite(l) || !finite(m) || !finite(s)) throw new RangeError(`grid point ${i}: expected finite λ, mean and standard error, got ${l}, ${m}, ${s}`);
    if (l <= 0) { dropped++; continue; }
    values.push({ lambda: l, mean: m, lo: m - s, hi: m + s, se: s });
  }
  if (values.length === 0) throw new RangeError(`grid: no point with ${param} > 0; expected positive parameter values (log axis)`);
  const best = grid[input.bestIndex]!, oneSe = grid[input.oneStandardErrorIndex]!;
  const choices = [{ lambda: best, choice: 'min' }, { lambda: oneSe, choice: '1-SE' }].filter((c) => c.lambda > 0);
  const x = lambdaX(values.map((v) => v.lambda), pl);
  const xs = { field: 'lambda', type: 'quantitative' };
  const y = { field: 'mean', type: 'quantitative', title: `${metric} (mean ± 1 SE over folds)`, scale: { zero: false }, axis: { format: AXIS_FORMAT } };
  const subtitle = [
    `min at ${pl} = ${sig3(best)}, 1-SE at ${pl} = ${sig3(oneSe)}`,
    `${metric} at min ${sig3(input.mean[input.bestIndex]!)}`,
    `log ${pl}, decreasing to the right`,
    dropped ? `${dropped} point(s) with ${pl} ≤ 0 not shown` : '',
  ].filter(Boolean);
  const countLayers = countAxisLayers(countPoints, 'non-zero rows');
  return {
    $schema: SCHEMA,
    title: { text: options.title ?? `Cross-validation: ${metric} against ${pl} (±1 SE)`, subtitle, offset: countLayers.length ? 26 : 8 },
    data: { values },
    width: options.width ?? 420,
    height: options.height ?? 300,
    layer: [
      { mark: { type: 'area', color: '#4c78a8', opacity: 0.18 }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } } },
      { mark: { type: 'rule', color: '#4c78a8' }, encoding: { x: xs, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
      { mark: { type: 'line', color: '#4c78a8' }, encoding: { x: xs, y: { field: 'mean', type: 'quantitative' }, order: { field: 'lambda', type: 'quantitative' } } },
      { mark: { type: 'point', filled: true, color: '#4c78a8', size: 25 }, encoding: { x: xs, y: { field: 'mean', type: 'quantitative' } } },
      {
        data: { values: choices },
        mark: { type: 'rule', strokeDash: [4, 3] },
        encoding: {
          x: xs,
          color: { field: 'choice', type: 'nominal', title: 'choice', scale: { domain: ['min', '1-SE'], range: ['#e45756', '#54a24b'] } },
        },
      },
      ...countLayers,
    ],
  } as TopLevelSpec;
}

/**
 * The cross-validation curve as SVG (see {@link cvSpec}).
 * @param input - `await crossValidate(…)`'s result or the parsed JSON of `mtlearn cv`
 * @param options - title, size, parameter name, a path for the top axis
 * @returns the SVG document
 * @throws as {@link cvSpec}
 * @example
 * ```ts
 * writeFileSync('cv.svg', await cvPlot(await crossValidate(data, groupLasso, { folds: 5 })));
 * ```
 * @see {@link cvSpec}, {@link pathPlot}
 */
export async function cvPlot(input: CvPlotInput, options: CvPlotOptions = {}): Promise<string> {
  return renderSvg(cvSpec(input, options));
}
