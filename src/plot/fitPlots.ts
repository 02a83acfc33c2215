/**
 * Pictures of one fit beyond its weights: the convergence history (the certificate — duality gap or
 * fixed-point residual — and the objective suboptimality on a log scale, as in the convergence plots
 * of A. Beck & M. Teboulle, "A fast iterative shrinkage-thresholding algorithm for linear inverse
 * problems", SIAM J. Imaging Sci. 2, 2009) and the spectrum of W (the singular values a trace-norm
 * penalty shrinks: S. Ji & J. Ye, "An accelerated gradient method for trace norm minimization",
 * ICML 2009), on a log scale so small singular values stay visible.
 *
 * @packageDocumentation
 */
import type { TopLevelSpec } from 'vega-lite';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { renderSvg, asMat, sig3, SCHEMA, AXIS_FORMAT, type PlotMatrix, type PlotOptions } from './render.js';
import type { PlotFit } from './heatmap.js';

/**
 * Vega-Lite specification of the convergence plot on a log-scale y axis against the iteration: the
 * certificate (one point per recorded history entry with a positive finite certificate, drawn
 * first) and, when the history records objectives, the objective suboptimality
 * F(W_k) − min_k F(W_k) (relative to the smallest objective in the history; entries where it is
 * zero, such as the minimiser itself, cannot be drawn on the log axis and are left out).
 * @param fit - the fit (its `history`)
 * @param options - title, size
 * @returns the specification
 * @throws RangeError when the history has no positive finite certificate
 * @example
 * ```ts
 * const spec = convergenceSpec(fit);
 * ```
 * @see {@link convergencePlot}
 */
export function convergenceSpec(fit: PlotFit, options: PlotOptions = {}): TopLevelSpec {
  const kind = fit.certificateKind ?? 'certificate';
  const subName = 'F − min F';
  const values: { iteration: number; time: number | null; value: number; series: string }[] = [];
  const history = (fit.history ?? []) as readonly {
    iteration: number; certificate: number | null; objective?: number | null; time?: number | null;
  }[];
  const timeOf = (h: { time?: number | null }): number | null => (typeof h.time === 'number' && Number.isFinite(h.time) ? h.time : null);
  for (const h of history) {
    const c = h.certificate;
    if (typeof c === 'number' && Number.isFinite(c) && c > 0) values.push({ iteration: h.iteration, time: timeOf(h), value: c, series: kind });
  }
  if (values.length === 0) {
    throw new RangeError('history: no entry with a positive finite certificate; expected a fit with a recorded convergence history');
  }
  let fmin = Infinity;
  for (const h of history) if (typeof h.objective === 'number' && Number.isFinite(h.objective)) fmin = Math.min(fmin, h.objective);
  let subCount = 0;
  if (Number.isFinite(fmin)) {
    for (const h of history) {
      const f = h.objective;
      if (typeof f === 'number' && Number.isFinite(f) && f - fmin > 0) {
        values.push({ iteration: h.iteration, time: timeOf(h), value: f - fmin, series: subName });
        subCount++;
      }
    }
  }
  // a second panel against wall-clock time when every point carries one
  const withTime = values.every((v) => v.time !== null);
  const domain = subCount > 0 ? [kind, subName] : [kind];
  const yTitle = subCount > 0 ? `${kind}; objective − min objective (F − min F)` : kind;
  const layer = (series: string, x: 'iteration' | 'time'): unknown => ({
    transform: [{ filter: { field: 'series', equal: series } }],
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: x, type: 'quantitative', title: x === 'iteration' ? 'iteration' : 'time (s)' },
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: { type: 'log' } },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain }, legend: { labelLimit: 400 } },
    },
  });
  const panel = (x: 'iteration' | 'time'): unknown => ({
    width: options.width ?? 400,
    height: options.height ?? 300,
    layer: subCount > 0 ? [layer(kind, x), layer(subName, x)] : [layer(kind, x)],
  });
  const title = options.title ?? (subCount > 0
    ? `Convergence: ${kind} and objective suboptimality per iteration${withTime ? ' and time' : ''}`
    : `Convergence: ${kind} per iteration${withTime ? ' and time' : ''}`);
  const base = { $schema: SCHEMA, title, data: { values } };
  return (withTime ? { ...base, hconcat: [panel('iteration'), panel('time')] } : { ...base, ...(panel('iteration') as object) }) as TopLevelSpec;
}

/**
 * Convergence plot as SVG: the certificate and the objective suboptimality against the iteration (and,
 * when the history records it, against time in a second panel), log scale.
 * @param fit - the fit
 * @param options - title, size
 * @returns the SVG document
 * @throws RangeError when the history has no positive finite certificate
 * @example
 * ```ts
 * writeFileSync('conv.svg', await convergencePlot(fit));
 * ```
 * @see {@link convergenceSpec}
 */
export async function convergencePlot(fit: PlotFit, options: PlotOptions = {}): Promise<string> {
  return renderSvg(convergenceSpec(fit, options));
}

/**
 * The singular values of W, descending (length min(d, T)), by ml-matrix's SVD.
 * @param W - W (d×T) as a Mat or nested arrays
 * @returns σ_1 ≥ … ≥ σ_min(d,T) ≥ 0
 * @example
 * ```ts
 * weightSingularValues([[3, 0], [0, 4]]); // [4, 3]
 * ```
 * @see {@link singularValuesPlot}
 */
export function weightSingularValues(W: PlotMatrix): number[] {
  const M = asMat(W);
  if (M.rows === 0 || M.cols === 0) return [];
  const A = new Matrix(M.rows, M.cols);
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.cols; j++) A.set(i, j, M.data[i * M.cols + j]!);
  // ml-matrix needs rows ≥ columns for the thin SVD path; transpose (same singular values)
  const B = A.rows >= A.columns ? A : A.transpose();
  const s = new SingularValueDecomposition(B, { computeLeftSingularVectors: false, computeRightSingularVectors: false }).diagonal;
  return s.slice(0, Math.min(M.rows, M.cols)).map((x) => Math.max(0, x)).sort((a, b) => b - a);
}

/** Singular values below this fraction of σ₁ count as zero (rank, and left out of the log axis). */
export const RANK_TOLERANCE = 1e-10;

function optionNumber(options: object | undefined, key: string): number | undefined {
  const v = options === undefined || options === null ? undefined : (options as Record<string, unknown>)[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * Vega-Lite specification of the singular values of W: σ_i against i (points joined by a line) on
 * a log axis; values below 1e-10·σ₁ are zero for the rank and cannot be drawn on the log axis (the
 * subtitle says how many). The subtitle states the rank and the fit's λ (or rank bound / h) when the
 * fit records one.
 * @param fit - the fit (W; optionally `options.lambda`, `options.rank`, `options.h`, `rank`)
 * @param options - title, size
 * @returns the specification (one point per non-zero singular value)
 * @example
 * ```ts
 * const spec = singularValuesSpec(traceNorm(data, { lambda: 0.1 }));
 * ```
 * @see {@link singularValuesPlot}
 */
export function singularValuesSpec(fit: PlotFit, options: PlotOptions = {}): TopLevelSpec {
  if (fit === null || typeof fit !== 'object') throw new TypeError('fit: expected a fit { W, … } (a library fit or a parsed fit file)');
  const s = weightSingularValues(fit.W);
  const tol = (s[0] ?? 0) * RANK_TOLERANCE;
  const values = s.map((sigma, i) => ({ index: i + 1, sigma })).filter((v) => v.sigma > tol && v.sigma > 0);
  const rank = values.length;
  const facts = [`rank ${rank} of ${s.length} (σ > 1e-10·σ₁)`];
  const lambda = optionNumber(fit.options, 'lambda'), bound = optionNumber(fit.options, 'rank'), h = optionNumber(fit.options, 'h');
  if (lambda !== undefined) facts.push(`λ = ${sig3(lambda)}`);
  if (bound !== undefined) facts.push(`rank bound ${bound}`);
  if (h !== undefined) facts.push(`h = ${h}`);
  if (s.length > rank) facts.push(`${s.length - rank} zero value${s.length - rank === 1 ? '' : 's'} not drawn on the log axis`);
  if (rank === 0) throw new RangeError('fit.W: all singular values are zero (W = 0); nothing to draw on a log axis');
  return {
    $schema: SCHEMA,
    title: { text: options.title ?? 'Singular values of W (log scale)', subtitle: facts.length > 2 ? [facts.slice(0, 2).join('; '), facts.slice(2).join('; ')] : facts.join('; ') },
    data: { values },
    width: options.width ?? 400,
    height: options.height ?? 300,
    mark: { type: 'line', point: { filled: true, size: 40 } },
    encoding: {
      x: { field: 'index', type: 'quantitative', title: 'i', scale: { domain: [0.5, rank + 0.5], nice: false, zero: false }, axis: { tickMinStep: 1, format: 'd' } },
      // the log axis limited to the data (a nice domain rounds to whole decades: 135 would run to 1000)
      y: { field: 'sigma', type: 'quantitative', title: 'σᵢ(W)', scale: { type: 'log', domain: [values[rank - 1]!.sigma / 1.25, values[0]!.sigma * 1.25], nice: false }, axis: { format: AXIS_FORMAT } },
    },
  } as TopLevelSpec;
}

/**
 * The singular values of W as SVG (the spectrum a trace-norm or low-rank fit shrinks), log scale,
 * with the rank and λ stated.
 * @param fit - the fit
 * @param options - title, size
 * @returns the SVG document
 * @throws RangeError when W = 0
 * @example
 * ```ts
 * writeFileSync('sv.svg', await singularValuesPlot(fit));
 * ```
 * @see {@link singularValuesSpec}
 */
export async function singularValuesPlot(fit: PlotFit, options: PlotOptions = {}): Promise<string> {
  return renderSvg(singularValuesSpec(fit, options));
}
