/**
 * The λ axis shared by the path and cross-validation pictures, in the style of glmnet's plots
 * (J. Friedman, T. Hastie & R. Tibshirani, "Regularization paths for generalized linear models via
 * coordinate descent", J. Stat. Softw. 33, 2010): log scale limited to the data, λ decreasing from
 * left to right (the path's order: from λ_max, where W = 0, towards less regularisation), labels with
 * three significant digits, and a top axis with the number of non-zero rows (or the rank) at a few
 * grid points.
 *
 * @packageDocumentation
 */
import { AXIS_FORMAT } from './render.js';

/** The display name of a path parameter (`lambda` → `λ`). */
export function paramLabel(name: string): string {
  return name === 'lambda' ? 'λ' : name;
}

/**
 * The x encoding of a λ axis: log scale over [min, max] of the drawn values, decreasing to the right.
 * @param lambdas - the drawn parameter values (all > 0)
 * @param title - axis title
 * @returns the Vega-Lite encoding of x (field `lambda`)
 */
export function lambdaX(lambdas: readonly number[], title: string): Record<string, unknown> {
  let lo = Math.min(...lambdas), hi = Math.max(...lambdas);
  if (lo === hi) { lo /= 1.5; hi *= 1.5; }
  return {
    field: 'lambda', type: 'quantitative', title,
    scale: { type: 'log', domain: [lo, hi], nice: false, reverse: true },
    axis: { format: AXIS_FORMAT, labelOverlap: 'greedy', grid: true, gridOpacity: 0.4 },
  };
}

/**
 * Text marks above the plot at up to `ticks` grid points spread evenly in log λ: the counts of a
 * top axis (glmnet's number of non-zero coefficients), with its title.
 * @param points - λ and the count at each grid point (λ > 0)
 * @param title - what the counts are (e.g. 'non-zero rows')
 * @param ticks - at most this many labels
 * @returns Vega-Lite layers (empty when no point has a count)
 */
export function countAxisLayers(points: readonly { lambda: number; count: number }[], title: string, ticks = 8): unknown[] {
  const pts = points.filter((p) => p.lambda > 0 && Number.isFinite(p.count));
  if (pts.length === 0) return [];
  const logs = pts.map((p) => Math.log(p.lambda));
  const lo = Math.min(...logs), hi = Math.max(...logs);
  const chosen = new Set<number>();
  const n = Math.min(ticks, pts.length);
  for (let k = 0; k < n; k++) {
    const target = n === 1 ? hi : hi - ((hi - lo) * k) / (n - 1);
    let best = 0;
    for (let i = 1; i < pts.length; i++) if (Math.abs(logs[i]! - target) < Math.abs(logs[best]! - target)) best = i;
    chosen.add(best);
  }
  const values = [...chosen].map((i) => ({ lambda: pts[i]!.lambda, count: String(pts[i]!.count) }));
  const mid = Math.exp((lo + hi) / 2);
  return [
    {
      data: { values },
      mark: { type: 'text', baseline: 'bottom', fontSize: 10, color: '#333' },
      encoding: { x: { field: 'lambda', type: 'quantitative' }, y: { value: -4 }, text: { field: 'count', type: 'nominal' } },
    },
    {
      data: { values: [{ lambda: lo === hi ? pts[0]!.lambda : mid, label: title }] },
      mark: { type: 'text', baseline: 'bottom', fontSize: 10, fontStyle: 'italic', color: '#333' },
      encoding: { x: { field: 'lambda', type: 'quantitative' }, y: { value: -18 }, text: { field: 'label', type: 'nominal' } },
    },
  ];
}

export { AXIS_FORMAT };
