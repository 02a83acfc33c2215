// Every picture drawn from the objects the library itself returns (fits of every model, path(),
// crossValidate(), the clustered models), counting marks in the SVG; matrix pictures are decoded
// (node:zlib, an independent inflater) and checked cell by cell; every SVG stays small and renders
// with resvg (an independent SVG renderer).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Resvg } from '@resvg/resvg-js';
import {
  groupLasso, groupLassoLambdaMax, traceNorm, traceNormLambdaMax, lowRank, aso, asoConvex, meanRegularized, graphRegularized,
  clusteredConvex, clusteredMeanRegularized, featureLearning, featureProjection, featureProjectionLowRank, path, crossValidate,
  type Mat, type HistoryEntry,
} from '../src/index.js';
import {
  heatmapW, convergencePlot, singularValuesPlot, weightSingularValues, pathPlot, cvPlot, clusterMatrixPlot, clusterIndicator,
  forecastPlot, encodeIndexedPng,
} from '../src/plot/index.js';
import { marksOf } from './helpers/cli.js';
import { embeddedPixels } from './helpers/png.js';
import { perTaskProblem, gaussian, mulberry32 } from './helpers/random.js';

const { data, d, T } = perTaskProblem([30, 25, 35, 28], 6, 3, 11, 0.5);

/** Renders with resvg; returns the PNG size in pixels. */
function render(svg: string): { width: number; height: number } {
  const img = new Resvg(svg).render();
  assert.ok(img.width > 50 && img.height > 50, 'resvg rendered a picture');
  return { width: img.width, height: img.height };
}

/** The <text> items of the text-mark group with class `cls`. */
function texts(svg: string, cls: string): string[] {
  const start = svg.indexOf(`<g class="mark-text role-mark ${cls}"`);
  if (start < 0) return [];
  return svg.slice(start, svg.indexOf('</g>', start)).match(/<text [^>]*>[^<]*/g) ?? [];
}

/** All marks of a type, over every layer. */
function allMarks(svg: string, type: string): string[] {
  return marksOf(svg, type, '');
}

describe('pictures of every model\'s fit', () => {
  const lm = groupLassoLambdaMax(data, { q: 2 });
  const fits: [string, { W: Mat; history: readonly HistoryEntry[] }][] = [
    ['groupLasso', groupLasso(data, { lambda: 0.2 * lm })],
    ['traceNorm', traceNorm(data, { lambda: 0.2 * traceNormLambdaMax(data) })],
    ['lowRank', lowRank(data, { rank: 2 })],
    ['aso', aso(data, { lambda: 0.1, h: 2 })],
    ['asoConvex', asoConvex(data, { rho1: 0.5, rho2: 0.1, h: 2 })],
    ['meanRegularized', meanRegularized(data, { form: 'A', rho: 0.1, lambda: 1 })],
    ['graphRegularized', graphRegularized(data, { rho1: 0.1, rho2: 0.01, graph: { edges: [[0, 1], [1, 2], [2, 3]] } })],
    ['clusteredConvex', clusteredConvex(data, { rho1: 0.5, rho2: 0.1, k: 2 })],
    ['clusteredMeanRegularized', clusteredMeanRegularized(data, { k: 2, lambda: 0.5, mu: 0.1 })],
    ['featureLearning', featureLearning(data, { gamma: 0.1 })],
    ['featureProjection', featureProjection(data, { h: 2, lambda: 0.5 })],
    ['featureProjectionLowRank', featureProjectionLowRank(data, { h: 2, lambda: 0.1 })],
  ];
  for (const [name, fit] of fits) {
    test(`${name}: heatmap (one cell per entry), convergence (one point per certified entry), singular values (one point per σ > 0)`, async () => {
      const hm = await heatmapW(fit);
      assert.equal(allMarks(hm, 'rect').length, d * T);
      render(hm);
      const certified = fit.history.filter((h) => Number.isFinite(h.certificate) && h.certificate > 0).length;
      if (certified > 0) {
        const cv = await convergencePlot(fit);
        // the certificate layer (first panel, and the time panel when there is one) has one point per certified entry
        const pts: string[] = [];
        for (const g of cv.matchAll(/<g class="mark-symbol role-mark ([^"]*layer_0_layer_1_marks)"/g)) pts.push(...marksOf(cv, 'symbol', g[1]!));
        assert.ok(pts.length === certified || pts.length === 2 * certified, `${pts.length} points for ${certified} certified entries`);
        render(cv);
      }
      const s = weightSingularValues(fit.W);
      const rank = s.filter((x) => x > 1e-10 * s[0]!).length;
      const sv = await singularValuesPlot(fit);
      assert.equal(allMarks(sv, 'symbol').length, rank);
      assert.match(sv, new RegExp(`rank ${rank} of ${Math.min(d, T)}`));
      render(sv);
    });
  }

  test('traceNorm: the picture states the fit\'s own rank and λ', async () => {
    const lambda = 0.3 * traceNormLambdaMax(data);
    const fit = traceNorm(data, { lambda, tol: 1e-9 });
    const svg = await singularValuesPlot(fit);
    assert.match(svg, new RegExp(`rank ${fit.rank} of`));
    assert.equal(allMarks(svg, 'symbol').length, fit.rank);
    assert.ok(svg.includes(`λ = ${Number(lambda.toPrecision(3))}`));
  });
});

describe('selection pictures from path() and crossValidate()', () => {
  test('pathPlot(path(…)): one curve per feature, labels on the largest, top axis = nonzeroRows, λ axis limited to the grid', async () => {
    const p = path(data, groupLasso, { nLambdas: 15, lambdaMinRatio: 0.01 }, { q: 2 });
    const svg = await pathPlot(p, { labels: 3 });
    const lines = marksOf(svg, 'line', 'layer_0_marks').length + marksOf(svg, 'line', 'layer_1_marks').length;
    assert.equal(lines, d);
    assert.equal(marksOf(svg, 'line', 'layer_1_marks').length, 3, 'three coloured curves');
    const labels = texts(svg, 'layer_2_marks');
    assert.equal(labels.length, 3);
    // the labelled curves are the three largest row norms at the end of the path
    const end = p.points[p.points.length - 1]!.W;
    const norms = Array.from({ length: d }, (_, j) => Math.hypot(...end.data.subarray(j * T, (j + 1) * T)));
    const largest = norms.map((v, j) => [v, j] as const).sort((a, b) => b[0] - a[0]).slice(0, 3).map(([, j]) => `x${j + 1}`);
    assert.deepEqual(labels.map((l) => l.slice(l.lastIndexOf('>') + 1)).sort(), largest.sort());
    // the top axis shows non-zero row counts that the path reports
    const counts = new Set(p.points.map((x) => String(x.nonzeroRows)));
    const top = texts(svg, 'layer_4_marks').map((l) => l.slice(l.lastIndexOf('>') + 1));
    assert.ok(top.length >= 5 && top.every((c) => counts.has(c)), `top axis ${top.join(',')}`);
    assert.match(svg, /log λ, decreasing to the right/);
    render(svg);
  });

  test('pathPlot of a trace-norm path draws the singular values with the rank on top', async () => {
    const p = path(data, traceNorm, { nLambdas: 8, lambdaMinRatio: 0.05 });
    const svg = await pathPlot(p);
    assert.match(svg, /singular values of W against λ/);
    const lines = marksOf(svg, 'line', 'layer_0_marks').length + marksOf(svg, 'line', 'layer_1_marks').length;
    assert.equal(lines, Math.min(d, T));
    const ranks = new Set(p.points.map((x) => String(x.rank)));
    const top = [...svg.matchAll(/aria-label="[^"]*count: (\d+)/g)].map((m) => m[1]!);
    assert.ok(top.length > 0 && top.every((c) => ranks.has(c)));
    render(svg);
  });

  test('cvPlot(await crossValidate(…)): band, SE bars and points per grid point, min and 1-SE rules, top axis from a path', async () => {
    const p = path(data, groupLasso, { nLambdas: 8, lambdaMinRatio: 0.02 });
    const grid = p.points.map((x) => x.lambda);
    const cv = await crossValidate(data, groupLasso, { folds: 3, seed: 1, grid });
    const svg = await cvPlot(cv, { path: p });
    assert.equal(marksOf(svg, 'rule', 'layer_1_marks').length, grid.length);
    assert.equal(marksOf(svg, 'symbol', 'layer_3_marks').length, grid.length);
    assert.equal(marksOf(svg, 'rule', 'layer_4_marks').length, 2);
    assert.ok(svg.includes(`min at λ = ${Number((cv.best as number).toPrecision(3))}`));
    const top = [...svg.matchAll(/aria-label="[^"]*count: (\d+)/g)].map((m) => m[1]!);
    const counts = new Set(p.points.map((x) => String(x.nonzeroRows)));
    assert.ok(top.length > 0 && top.every((c) => counts.has(c)));
    render(svg);
  });

  test('cvPlot with a path on another grid (denser than the CV default): the top axis is the path\'s counts at its own λ', async () => {
    const cv = await crossValidate(data, groupLasso, { folds: 3, seed: 1 }); // 20 points, λ_max to 0.01 λ_max
    const p = path(data, groupLasso, { nLambdas: 31, lambdaMinRatio: 0.005 }); // only the first λ is on the CV grid
    const svg = await cvPlot(cv, { path: p });
    const lo = Math.min(...cv.grid), hi = Math.max(...cv.grid);
    const inside = p.points.filter((x) => x.lambda >= lo * (1 - 1e-9) && x.lambda <= hi * (1 + 1e-9));
    const top = [...svg.matchAll(/aria-label="lambda: ([^;"]+); count: (\d+)/g)];
    assert.equal(top.length, Math.min(8, inside.length), 'up to 8 labels');
    for (const [, l, c] of top) {
      const pt = inside.find((x) => Math.abs(x.lambda - Number(l)) <= 1e-3 * x.lambda);
      assert.ok(pt !== undefined, `label at λ = ${l} is a path point inside the CV range`);
      assert.equal(String(pt.nonzeroRows), c);
    }
    assert.ok(new Set(top.map((m) => m[2])).size >= 3, 'counts from the whole range, not only the shared end point');
  });
});

describe('cluster matrix from the clustered models', () => {
  test('clusterMatrixPlot(clusteredMeanRegularized(…)): M = E(EᵀE)⁻¹Eᵀ, tasks ordered by cluster, one colour per block, boundaries drawn', async () => {
    const fit = clusteredMeanRegularized(data, { k: 2, lambda: 0.5, mu: 0.1 });
    const svg = await clusterMatrixPlot(fit);
    const { width, height, px } = embeddedPixels(svg);
    assert.equal(width, T);
    assert.equal(height, T);
    const order = Array.from({ length: T }, (_, i) => i).sort((a, b) => fit.assignment[a]! - fit.assignment[b]! || a - b);
    const M = clusterIndicator(fit.assignment);
    for (let i = 0; i < T; i++) {
      for (let j = 0; j < T; j++) {
        const same = fit.assignment[order[i]!] === fit.assignment[order[j]!];
        assert.equal(M.data[order[i]! * T + order[j]!]! > 0, same);
        // off-block cells are the scale's midpoint (0 ↦ index 127 of 255)
        if (!same) assert.equal(px[i * T + j], 127);
        else assert.ok(px[i * T + j]! > 127);
      }
    }
    const k = new Set(fit.assignment).size;
    assert.equal(marksOf(svg, 'rule', 'layer_1_marks').length + marksOf(svg, 'rule', 'layer_2_marks').length, 2 * (k - 1));
    render(svg);
  });

  test('clusterMatrixPlot(clusteredConvex(…)): the pixels follow M in cluster order on a scale centred at 0', async () => {
    const fit = clusteredConvex(data, { rho1: 0.5, rho2: 0.1, k: 2 });
    const svg = await clusterMatrixPlot(fit);
    const { px } = embeddedPixels(svg);
    const order = Array.from({ length: T }, (_, i) => i).sort((a, b) => fit.clusters[a]! - fit.clusters[b]! || a - b);
    let m = 0;
    for (const v of fit.M.data) m = Math.max(m, Math.abs(v));
    for (let i = 0; i < T; i++) {
      for (let j = 0; j < T; j++) {
        const v = fit.M.data[order[i]! * T + order[j]!]!;
        assert.equal(px[i * T + j], Math.round(((v / m + 1) / 2) * 254));
      }
    }
    render(svg);
  });

  test('a 139×139 matrix and a 28×139 heatmap are kilobytes of SVG and render', async () => {
    const g = gaussian(mulberry32(5));
    const assignment = Array.from({ length: 139 }, (_, t) => t % 5);
    const svg = await clusterMatrixPlot({ assignment, taskLabels: assignment.map((_, t) => `school ${t + 1}`) });
    assert.ok(svg.length < 60_000, `${svg.length} bytes`);
    render(svg);
    const W: Mat = { rows: 28, cols: 139, data: Float64Array.from({ length: 28 * 139 }, (_, i) => (i % 28 < 10 ? g() : 0)) };
    const hm = await heatmapW({ W });
    assert.ok(hm.length < 60_000, `${hm.length} bytes`);
    const { width, height, px } = embeddedPixels(hm);
    assert.equal(width, 28);
    assert.equal(height, 139);
    // exact zeros are grey (palette entry 255), the others on the diverging scale
    for (let t = 0; t < 139; t++) for (let j = 0; j < 28; j++) assert.equal(px[t * 28 + j] === 255, W.data[j * 139 + t] === 0);
    render(hm);
  });

  test('encodeIndexedPng: node:zlib inflates it to the given scanlines; bad sizes are named', () => {
    const png = encodeIndexedPng(3, 2, Uint8Array.of(0, 1, 2, 2, 1, 0), [[0, 0, 0], [128, 128, 128], [255, 255, 255]]);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="60" height="60"><image width="60" height="60" href="data:image/png;base64,${Buffer.from(png).toString('base64')}"/></svg>`;
    assert.deepEqual([...embeddedPixels(svg).px], [0, 1, 2, 2, 1, 0]);
    assert.throws(() => encodeIndexedPng(3, 2, new Uint8Array(5), [[0, 0, 0]]), /pixels: has 5 entries, expected width·height = 6/);
    assert.throws(() => encodeIndexedPng(1, 1, Uint8Array.of(3), [[0, 0, 0]]), /index 3 at \(0, 0\) outside the palette/);
  });
});

describe('forecast picture', () => {
  test('x axis over the data range, full legend labels', async () => {
    const x = Array.from({ length: 100 }, (_, i) => 335 + i);
    const long = 'A + B jointly, mean-regularized MTL form B (w_t = w₀ + Δw_t)';
    const svg = await forecastPlot([{ name: 'vendor B (truth; observed from day 400)', x, y: x.map(Math.sin) }, { name: long, x, y: x.map(Math.cos), dashed: true }], { forecastStart: 420 });
    assert.ok(svg.includes(`>${long.replace('&', '&amp;')}<`), 'legend label not truncated');
    const ticks = [...svg.matchAll(/role-axis-label[\s\S]*?<\/g>/g)][0]![0];
    const xs = [...ticks.matchAll(/>(\d+)</g)].map((m) => Number(m[1]));
    assert.ok(xs.length > 3 && Math.min(...xs) >= 335 && Math.max(...xs) <= 434, `x labels ${xs.join(',')}`);
    render(svg);
  });
});
