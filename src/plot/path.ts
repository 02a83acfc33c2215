/**
 * The regularisation path picture: one curve per feature of the row norms ‖wʲ‖₂ against λ, as in
 * the coefficient paths of J. Friedman, T. Hastie & R. Tibshirani, "Regularization paths for
 * generalized linear models via coordinate descent", J. Stat. Softw. 33, 2010 (glmnet), with the
 * number of non-zero rows on a top axis; for low-rank models (trace norm) the singular values of W
 * against λ with the rank on the top axis. The λ axis is logarithmic, limited to the data, and
 * decreasing from left to right (the order in which the path is computed).
 *
 * The input is the result of `path(…)` or the JSON file of `mtlearn path`.
 *
 * @packageDocumentation
 */
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg, asMat, labelsOf, sig3, spreadLabels, SCHEMA, AXIS_FORMAT, TABLEAU10, type PlotMatrix, type PlotOptions } from './render.js';
import { weightSingularValues, RANK_TOLERANCE } from './fitPlots.js';
import { countAxisLayers, lambdaX, paramLabel } from './axes.js';

/**
 * One point of a path: a library {@link PathPoint} (with W) or a point of the `mtlearn path` file
 * (with `rowNorms`).
 * @example
 * ```ts
 * const pt: PathPlotPoint = { lambda: 0.1, rowNorms: [0.5, 0], nonzeroRows: 1 };
 * ```
 * @see {@link PathPlotInput}
 */
export interface PathPlotPoint {
  /** Parameter value. */
  readonly lambda: number;
  /** W (d×T) at this point (library results). */
  readonly W?: PlotMatrix;
  /** ‖wʲ‖₂ per feature (the CLI's file). */
  readonly rowNorms?: readonly number[];
  /** Non-zero rows of W (top axis); counted from the row norms when absent. */
  readonly nonzeroRows?: number;
  /** Rank of W (top axis of low-rank paths), when known. */
  readonly rank?: number | null;
  /** Singular values of W, descending (low-rank paths without W). */
  readonly singularValues?: readonly number[] | null;
}

/**
 * What {@link pathPlot} draws: `path(…)`'s result or the parsed JSON of `mtlearn path`.
 * @example
 * ```ts
 * const p: PathPlotInput = { points: [{ lambda: 1, rowNorms: [0, 0] }, { lambda: 0.1, rowNorms: [0.5, 0] }] };
 * ```
 * @see {@link pathPlot}
 */
export interface PathPlotInput {
  /** Model name (`groupLasso`, `trace-norm`, …): low-rank models draw singular values. */
  readonly model?: string;
  /** Name of the path parameter (axis title; `lambda` is shown as λ). @default 'lambda' */
  readonly paramName?: string | null;
  /** Feature names, length d. @default data.featureNames, else 'x1' … 'xd' */
  readonly featureNames?: readonly string[];
  /** The data description of the CLI's file (its feature names). */
  readonly data?: { readonly featureNames?: readonly string[] };
  /** The points of the path (any order). */
  readonly points: readonly PathPlotPoint[];
  /** A selected parameter value to mark with a vertical rule (e.g. chosen by cross-validation). */
  readonly selected?: number | null;
}

/**
 * Options of {@link pathPlot}.
 * @example
 * ```ts
 * await pathPlot(path(data, groupLasso), { featureNames: names, labels: 8, selected: cv.best as number });
 * ```
 * @see {@link pathPlot}
 */
export interface PathPlotOptions extends PlotOptions {
  /** Feature names (override the input's). @default the input's, else 'x1' … 'xd' */
  featureNames?: readonly string[];
  /** A parameter value to mark (overrides the input's `selected`). @default the input's */
  selected?: number | null;
  /** How many of the largest curves get a colour and a label at their end; the others are grey. @default 10 */
  labels?: number;
  /**
   * What to draw: row norms, the singular values of W, or the rank; `'auto'` draws singular values for
   * low-rank models (model name containing "trace" or "rank") when W or singular values are present,
   * the rank when only ranks are, and row norms otherwise.
   * @default 'auto'
   */
  show?: 'auto' | 'row-norms' | 'singular-values' | 'rank';
}

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function rowNormsOf(W: PlotMatrix): number[] {
  const M = asMat(W, 'W');
  const out: number[] = [];
  for (let j = 0; j < M.rows; j++) {
    let s = 0; // ‖wʲ‖₂² = Σ_t W[j, t]²
    for (let t = 0; t < M.cols; t++) s += M.data[j * M.cols + t]! ** 2;
    out.push(Math.sqrt(s));
  }
  return out;
}

/**
 * Vega-Lite specification of the regularisation path: one line per feature (or singular value), the
 * `labels` largest coloured and named at their right end, the rest grey; log λ axis decreasing to
 * the right; the number of non-zero rows (or the rank) on a top axis; a dashed rule at `selected`.
 * @param input - the path (see {@link PathPlotInput})
 * @param options - title, size, labels, what to draw
 * @returns the specification
 * @throws TypeError when the input is not a path; RangeError when no point has λ > 0, or the curves
 *   do not all have the same length
 * @example
 * ```ts
 * const spec = pathSpec(path(data, groupLasso, { nLambdas: 30 }));
 * ```
 * @see {@link pathPlot}
 */
export function pathSpec(input: PathPlotInput, options: PathPlotOptions = {}): TopLevelSpec {
  if (input === null || typeof input !== 'object' || !Array.isArray(input.points)) {
    throw new TypeError('input: expected a path { points: [{ lambda, W | rowNorms }, …] } (the result of path() or the JSON of mtlearn path)');
  }
  const pts = input.points;
  if (pts.length === 0) throw new RangeError('points: expected at least one path point');
  const lowRankModel = /trace|rank/i.test(input.model ?? '');
  let show = options.show ?? 'auto';
  if (!['auto', 'row-norms', 'singular-values', 'rank'].includes(show)) throw new RangeError(`options.show: expected 'auto', 'row-norms', 'singular-values' or 'rank', got ${String(show)}`);
  const hasSpectrum = pts.every((p) => p.W !== undefined || Array.isArray(p.singularValues));
  if (show === 'auto') show = lowRankModel ? (hasSpectrum ? 'singular-values' : pts.every((p) => finite(p.rank)) ? 'rank' : 'row-norms') : 'row-norms';
  const param = input.paramName ?? 'lambda';
  const pl = paramLabel(param);

  // curves[k][c]: value of curve c at point k; counts[k]: the top axis
  const curves: number[][] = [];
  const counts: number[] = [];
  pts.forEach((p, k) => {
    if (p === null || typeof p !== 'object' || !finite(p.lambda)) throw new RangeError(`points[${k}].lambda: expected a finite number, got ${String(p?.lambda)}`);
    let v: number[];
    if (show === 'singular-values') {
      v = Array.isArray(p.singularValues) ? [...p.singularValues] : p.W !== undefined ? weightSingularValues(p.W) : [];
      if (v.length === 0) throw new RangeError(`points[${k}]: expected W or singularValues to draw singular values`);
      const tol = (v[0] ?? 0) * RANK_TOLERANCE;
      counts.push(finite(p.rank) ? p.rank : v.filter((s) => s > tol && s > 0).length);
    } else if (show === 'rank') {
      if (!finite(p.rank)) throw new RangeError(`points[${k}].rank: expected a finite number to draw the rank`);
      v = [p.rank];
      counts.push(p.rank);
    } else {
      const given = p.rowNorms;
      if (given !== undefined && given !== null) {
        if (!Array.isArray(given) || !given.every(finite)) throw new RangeError(`points[${k}].rowNorms: expected ${curves[0]?.length ?? 'd'} finite numbers (one per feature)`);
        v = [...given];
      } else if (p.W !== undefined) v = rowNormsOf(p.W);
      else throw new RangeError(`points[${k}]: expected W (a library path) or rowNorms (a path file)`);
      counts.push(finite(p.nonzeroRows) ? p.nonzeroRows : v.filter((x) => x > 0).length);
    }
    if (k > 0 && v.length !== curves[0]!.length) {
      throw new RangeError(`points[${k}].${show === 'row-norms' ? 'rowNorms' : 'singularValues'}: expected ${curves[0]!.length} finite numbers (as points[0]), got ${v.length}`);
    }
    curves.push(v);
  });
  const nc = curves[0]!.length;
  if (nc === 0) throw new RangeError('points: expected at least one point with d ≥ 1 row norms');
  const names = show === 'row-norms'
    ? labelsOf(options.featureNames ?? input.featureNames ?? input.data?.featureNames, nc, 'x', 'featureNames')
    : show === 'rank' ? ['rank'] : Array.from({ length: nc }, (_, i) => `σ${i + 1}`);
  const keep = pts.map((p) => p.lambda > 0);
  const dropped = keep.filter((x) => !x).length;
  const lambdas = pts.map((p) => p.lambda).filter((l) => l > 0);
  if (lambdas.length === 0) throw new RangeError(`points: no point with λ > 0 (${param}); expected a path with positive parameter values (log axis)`);
  const sel = options.selected !== undefined ? options.selected : input.selected;
  if (sel !== undefined && sel !== null && (!finite(sel) || sel <= 0)) throw new RangeError(`selected: expected a finite number > 0, got ${String(sel)}`);

  // the curves to colour: the `labels` largest by their maximum over the path (non-zero ones only)
  const peak = Array.from({ length: nc }, (_, c) => Math.max(...curves.map((v, k) => (keep[k] ? v[c]! : 0))));
  const nLabels = options.labels ?? 10;
  if (!Number.isInteger(nLabels) || nLabels < 0) throw new RangeError(`options.labels: expected an integer ≥ 0, got ${String(nLabels)}`);
  const top = peak.map((m, c) => ({ m, c })).filter((x) => x.m > 0).sort((a, b) => b.m - a.m || a.c - b.c).slice(0, Math.min(nLabels, TABLEAU10.length)).map((x) => x.c);
  const isTop = new Set(top);
  const width = options.width ?? 420, height = options.height ?? 300;
  let ymax = Math.max(...peak);
  if (!(ymax > 0)) ymax = 1;
  ymax *= 1.04;
  const rows: { lambda: number; value: number; curve: string }[] = [];
  const greyRows: typeof rows = [];
  curves.forEach((v, k) => {
    if (!keep[k]) return;
    for (let c = 0; c < nc; c++) (isTop.has(c) ? rows : greyRows).push({ lambda: pts[k]!.lambda, value: v[c]!, curve: names[c]! });
  });
  const topNames = top.map((c) => names[c]!);
  // labels at the right end (the smallest λ), spread apart so they do not overlap
  const kEnd = pts.findIndex((p) => p.lambda === Math.min(...lambdas));
  const want = top.map((c) => height * (1 - curves[kEnd]![c]! / ymax));
  const at = spreadLabels(want, 11, height);
  const labelRows = top.map((c, i) => ({ lambda: pts[kEnd]!.lambda, value: ymax * (1 - at[i]! / height), curve: names[c]! }));

  const x = lambdaX(lambdas, pl);
  const yTitle = show === 'row-norms' ? '‖wʲ‖₂ (row norm of W)' : show === 'rank' ? 'rank of W' : 'σᵢ(W)';
  const y = { field: 'value', type: 'quantitative', title: yTitle, scale: { domain: [0, ymax], nice: false }, axis: { format: AXIS_FORMAT } };
  const color = { field: 'curve', type: 'nominal', legend: null, scale: { domain: topNames.length ? topNames : ['-'], range: TABLEAU10 } };
  const lineMark = { type: 'line', strokeWidth: 1.6, interpolate: show === 'rank' ? 'step-after' : 'linear' };
  // fixed layers (possibly empty): 0 grey curves, 1 coloured curves, 2 their labels, 3 the selected λ, 4–5 the top axis
  const layers: unknown[] = [
    { data: { values: greyRows }, mark: { ...lineMark, color: '#bdbdbd', strokeWidth: 1 }, encoding: { x, y, detail: { field: 'curve', type: 'nominal' }, order: { field: 'lambda', type: 'quantitative' } } },
    { data: { values: rows }, mark: lineMark, encoding: { x, y, color, detail: { field: 'curve', type: 'nominal' }, order: { field: 'lambda', type: 'quantitative' } } },
    {
      data: { values: labelRows }, mark: { type: 'text', align: 'left', dx: 5, fontSize: 10, baseline: 'middle' },
      encoding: { x: { field: 'lambda', type: 'quantitative' }, y: { field: 'value', type: 'quantitative' }, text: { field: 'curve', type: 'nominal' }, color },
    },
    { data: { values: sel !== undefined && sel !== null ? [{ lambda: sel }] : [] }, mark: { type: 'rule', strokeDash: [4, 3], color: 'black' }, encoding: { x: { field: 'lambda', type: 'quantitative' } } },
  ];
  layers.push(...countAxisLayers(pts.map((p, k) => ({ lambda: p.lambda, count: counts[k]! })), show === 'row-norms' ? 'non-zero rows' : 'rank'));
  const what = show === 'row-norms' ? `${nc} features` : show === 'rank' ? 'rank' : `${nc} singular values`;
  const subtitle = [
    `${what}, ${lambdas.length} points; log ${pl}, decreasing to the right`,
    show !== 'rank' && nc > top.length ? `the ${top.length} largest labelled, ${nc - top.length} others grey` : '',
    sel !== undefined && sel !== null ? `selected ${pl} = ${sig3(sel)} (dashed)` : '',
    dropped ? `${dropped} point(s) with ${pl} ≤ 0 not shown` : '',
  ].filter(Boolean);
  const text = options.title ?? (show === 'row-norms' ? `Regularisation path: row norms against ${pl}`
    : show === 'rank' ? `Regularisation path: rank of W against ${pl}` : `Regularisation path: singular values of W against ${pl}`);
  return {
    $schema: SCHEMA,
    title: { text, subtitle, offset: 26 },
    width, height,
    layer: layers,
  } as TopLevelSpec;
}

/**
 * The regularisation path as SVG (see {@link pathSpec}).
 * @param input - `path(…)`'s result or the parsed JSON of `mtlearn path`
 * @param options - title, size, labels, what to draw, a selected λ
 * @returns the SVG document
 * @throws as {@link pathSpec}
 * @example
 * ```ts
 * writeFileSync('path.svg', await pathPlot(path(data, groupLasso), { featureNames: names }));
 * ```
 * @see {@link pathSpec}, {@link cvPlot}
 */
export async function pathPlot(input: PathPlotInput, options: PathPlotOptions = {}): Promise<string> {
  return renderSvg(pathSpec(input, options));
}
