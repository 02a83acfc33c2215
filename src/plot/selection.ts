/**
 * Pictures of model selection: the regularisation path (row norms ‖w^j‖₂ of W against λ, as in
 * the coefficient paths of J. Friedman, T. Hastie & R. Tibshirani, "Regularization paths for
 * generalized linear models via coordinate descent", J. Stat. Softw. 33, 2010) and the
 * cross-validation curve with ±1 standard-error bars and the minimum and one-standard-error choices
 * (T. Hastie, R. Tibshirani & J. Friedman, "The Elements of Statistical Learning", 2nd ed., §7.10).
 * Both use a logarithmic λ axis; grid points with λ ≤ 0 cannot be drawn on it and are left out
 * (the subtitle says how many).
 *
 * The inputs are the JSON files written by `mtlearn path` and `mtlearn cv` (or any object of the
 * same shape), so the pictures can be drawn without refitting.
 *
 * @packageDocumentation
 */
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg, type PlotOptions } from './index.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * What {@link pathPlot} needs: per path point its λ and the row norms ‖w^j‖₂ (d numbers); the
 * output of `mtlearn path` qualifies.
 * @example
 * ```ts
 * const p: PathPlotInput = { points: [{ lambda: 1, rowNorms: [0, 0] }, { lambda: 0.1, rowNorms: [0.5, 0] }] };
 * ```
 * @see {@link pathPlot}
 */
export interface PathPlotInput {
  /** Name of the path parameter (axis title). @default 'lambda' */
  readonly paramName?: string;
  /** Feature names, length d. @default 'x1' … 'xd' */
  readonly featureNames?: readonly string[];
  /** The points of the path (any order). */
  readonly points: readonly { readonly lambda: number; readonly rowNorms: readonly number[] }[];
  /** A selected parameter value to mark with a vertical rule (e.g. chosen by cross-validation). */
  readonly selected?: number | null;
}

/**
 * What {@link cvPlot} needs: the grid and the mean and standard error of the metric per grid
 * point, with the indices of the minimum and one-standard-error choices; the output of
 * `mtlearn cv` qualifies.
 * @example
 * ```ts
 * const c: CvPlotInput = { grid: [1, 0.1], mean: [2, 1], standardError: [0.1, 0.1], bestIndex: 1, oneStandardErrorIndex: 1 };
 * ```
 * @see {@link cvPlot}
 */
export interface CvPlotInput {
  /** Name of the path parameter (axis title). @default 'lambda' */
  readonly paramName?: string;
  /** Metric name (axis title). @default 'cv error' */
  readonly metric?: string;
  /** Parameter values, one per grid point. */
  readonly grid: readonly number[];
  /** Mean of the metric over folds, per grid point. */
  readonly mean: readonly number[];
  /** Standard error of the mean, per grid point. */
  readonly standardError: readonly number[];
  /** Index of the best mean. */
  readonly bestIndex: number;
  /** Index of the one-standard-error choice. */
  readonly oneStandardErrorIndex: number;
}

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * Vega-Lite specification of the regularisation path: ‖w^j‖₂ against λ on a log axis, one line
 * per feature (d line marks, in feature order), a dashed vertical rule at `selected` when given.
 * @param input - the path (see {@link PathPlotInput})
 * @param options - title, size
 * @returns the specification
 * @throws RangeError when the path has no point with λ > 0, or the row norms do not all have d entries
 * @example
 * ```ts
 * const spec = pathSpec(JSON.parse(readFileSync('path.json', 'utf8')));
 * ```
 * @see {@link pathPlot}
 */
export function pathSpec(input: PathPlotInput, options: PlotOptions = {}): TopLevelSpec {
  if (input === null || typeof input !== 'object' || !Array.isArray(input.points)) {
    throw new TypeError('input: expected { points: [{ lambda, rowNorms }, …] } (the JSON of mtlearn path)');
  }
  const pts = input.points;
  const d = pts.length > 0 && Array.isArray(pts[0]!.rowNorms) ? pts[0]!.rowNorms.length : 0;
  const feats = input.featureNames === undefined ? Array.from({ length: d }, (_, j) => `x${j + 1}`) : [...input.featureNames];
  if (feats.length !== d) throw new RangeError(`featureNames: has ${feats.length} entries, expected ${d} (the length of rowNorms)`);
  const values: { lambda: number; norm: number; feature: string }[] = [];
  let dropped = 0;
  pts.forEach((p, k) => {
    if (!finite(p.lambda)) throw new RangeError(`points[${k}].lambda: expected a finite number, got ${String(p.lambda)}`);
    if (!Array.isArray(p.rowNorms) || p.rowNorms.length !== d || !p.rowNorms.every(finite)) {
      throw new RangeError(`points[${k}].rowNorms: expected ${d} finite numbers (one per feature)`);
    }
    if (p.lambda <= 0) { dropped++; return; }
    for (let j = 0; j < d; j++) values.push({ lambda: p.lambda, norm: p.rowNorms[j]!, feature: feats[j]! });
  });
  if (values.length === 0 && d > 0) throw new RangeError('points: no point with λ > 0; expected a path with positive parameter values (log axis)');
  if (d === 0) throw new RangeError('points: expected at least one point with d ≥ 1 row norms');
  const param = input.paramName ?? 'lambda';
  const layers: unknown[] = [{
    mark: { type: 'line', point: false, strokeWidth: 1.5 },
    encoding: {
      x: { field: 'lambda', type: 'quantitative', title: param, scale: { type: 'log' } },
      y: { field: 'norm', type: 'quantitative', title: '‖wʲ‖₂' },
      color: { field: 'feature', type: 'nominal', sort: feats, title: 'feature', legend: d > 30 ? null : {} },
      detail: { field: 'feature', type: 'nominal' },
      order: { field: 'lambda', type: 'quantitative' },
    },
  }];
  const sel = input.selected;
  if (sel !== undefined && sel !== null) {
    if (!finite(sel) || sel <= 0) throw new RangeError(`selected: expected a finite number > 0, got ${String(sel)}`);
    layers.push({
      data: { values: [{ selected: sel }] },
      mark: { type: 'rule', strokeDash: [4, 3], color: 'black' },
      encoding: { x: { field: 'selected', type: 'quantitative' } },
    });
  }
  const subtitle = [`${d} features, ${pts.length - dropped} points`, sel !== undefined && sel !== null ? `selected ${param} = ${sel}` : '', dropped ? `${dropped} point(s) with ${param} ≤ 0 not shown` : '']
    .filter(Boolean).join('; ');
  return {
    $schema: SCHEMA,
    title: { text: options.title ?? `Regularisation path: row norms against ${param}`, subtitle },
    data: { values },
    width: options.width ?? 400,
    height: options.height ?? 300,
    layer: layers,
  } as TopLevelSpec;
}

/**
 * The regularisation path as SVG: ‖w^j‖₂ against λ (log axis), one line per feature, the selected λ
 * as a dashed rule.
 * @param input - the path (the parsed JSON of `mtlearn path`)
 * @param options - title, size
 * @returns the SVG document
 * @throws RangeError as {@link pathSpec}
 * @example
 * ```ts
 * writeFileSync('path.svg', await pathPlot({ ...JSON.parse(readFileSync('path.json', 'utf8')), selected: 0.05 }));
 * ```
 * @see {@link pathSpec}, {@link cvPlot}
 */
export async function pathPlot(input: PathPlotInput, options: PlotOptions = {}): Promise<string> {
  return renderSvg(pathSpec(input, options));
}

/**
 * Vega-Lite specification of the cross-validation curve: the mean metric per grid point (one point
 * mark each, joined by a line) with ±1 standard-error bars (one rule mark each), λ on a log axis,
 * and dashed vertical rules at the minimum (`min`) and one-standard-error (`1-SE`) choices.
 * @param input - the CV result (see {@link CvPlotInput})
 * @param options - title, size
 * @returns the specification
 * @throws RangeError when the arrays differ in length, an index is out of range, or no λ > 0
 * @example
 * ```ts
 * const spec = cvSpec(JSON.parse(readFileSync('cv.json', 'utf8')));
 * ```
 * @see {@link cvPlot}
 */
export function cvSpec(input: CvPlotInput, options: PlotOptions = {}): TopLevelSpec {
  if (input === null || typeof input !== 'object' || !Array.isArray(input.grid) || !Array.isArray(input.mean) || !Array.isArray(input.standardError)) {
    throw new TypeError('input: expected { grid, mean, standardError, bestIndex, oneStandardErrorIndex } (the JSON of mtlearn cv)');
  }
  const G = input.grid.length;
  if (G === 0) throw new RangeError('grid: expected at least one grid point');
  if (input.mean.length !== G || input.standardError.length !== G) {
    throw new RangeError(`mean, standardError: have ${input.mean.length} and ${input.standardError.length} entries, expected ${G} (one per grid point)`);
  }
  for (const [name, idx] of [['bestIndex', input.bestIndex], ['oneStandardErrorIndex', input.oneStandardErrorIndex]] as const) {
    if (!Number.isInteger(idx) || idx < 0 || idx >= G) throw new RangeError(`${name}: expected an integer in [0, ${G - 1}], got ${String(idx)}`);
  }
  const values: { lambda: number; mean: number; lo: number; hi: number; se: number }[] = [];
  let dropped = 0;
  for (let i = 0; i < G; i++) {
    const l = input.grid[i]!, m = input.mean[i]!, s = input.standardError[i]!;
    if (!finite(l) || !finite(m) || !finite(s)) throw new RangeError(`grid point ${i}: expected finite λ, mean and standard error, got ${l}, ${m}, ${s}`);
    if (l <= 0) { dropped++; continue; }
    values.push({ lambda: l, mean: m, lo: m - s, hi: m + s, se: s });
  }
  if (values.length === 0) throw new RangeError('grid: no point with λ > 0; expected positive parameter values (log axis)');
  const param = input.paramName ?? 'lambda';
  const metric = input.metric ?? 'cv error';
  const best = input.grid[input.bestIndex]!, oneSe = input.grid[input.oneStandardErrorIndex]!;
  const choices = [{ lambda: best, choice: 'min' }, { lambda: oneSe, choice: '1-SE' }].filter((c) => c.lambda > 0);
  const x = { field: 'lambda', type: 'quantitative', title: param, scale: { type: 'log' } };
  const subtitle = [
    `min at ${param} = ${best}, 1-SE at ${param} = ${oneSe}`,
    dropped ? `${dropped} point(s) with ${param} ≤ 0 not shown` : '',
  ].filter(Boolean).join('; ');
  return {
    $schema: SCHEMA,
    title: { text: options.title ?? `Cross-validation: ${metric} against ${param} (±1 SE)`, subtitle },
    data: { values },
    width: options.width ?? 400,
    height: options.height ?? 300,
    layer: [
      {
        mark: { type: 'rule', color: '#4c78a8' },
        encoding: { x, y: { field: 'lo', type: 'quantitative', title: `${metric} (mean ± SE)`, scale: { zero: false } }, y2: { field: 'hi' } },
      },
      { mark: { type: 'line', color: '#4c78a8' }, encoding: { x, y: { field: 'mean', type: 'quantitative' }, order: { field: 'lambda', type: 'quantitative' } } },
      { mark: { type: 'point', filled: true, color: '#4c78a8' }, encoding: { x, y: { field: 'mean', type: 'quantitative' } } },
      {
        data: { values: choices },
        mark: { type: 'rule', strokeDash: [4, 3] },
        encoding: {
          x: { field: 'lambda', type: 'quantitative' },
          color: { field: 'choice', type: 'nominal', title: 'choice', scale: { domain: ['min', '1-SE'], range: ['#e45756', '#54a24b'] } },
        },
      },
    ],
  } as TopLevelSpec;
}

/**
 * The cross-validation curve as SVG: mean metric against λ (log axis) with ±1 SE error bars, the
 * minimum and one-standard-error choices as dashed rules.
 * @param input - the CV result (the parsed JSON of `mtlearn cv`)
 * @param options - title, size
 * @returns the SVG document
 * @throws RangeError as {@link cvSpec}
 * @example
 * ```ts
 * writeFileSync('cv.svg', await cvPlot(JSON.parse(readFileSync('cv.json', 'utf8'))));
 * ```
 * @see {@link cvSpec}, {@link pathPlot}
 */
export async function cvPlot(input: CvPlotInput, options: PlotOptions = {}): Promise<string> {
  return renderSvg(cvSpec(input, options));
}
