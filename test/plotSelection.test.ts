import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { convergencePlot, convergenceSpec, cvPlot, cvSpec, pathPlot, pathSpec } from '../src/plot/index.js';
import { marksOf as marks } from './helpers/cli.js';

describe('convergencePlot: certificate and objective suboptimality', () => {
  test('two layers on a log axis: the certificate first, then F − min F where positive', async () => {
    const history = [
      { iteration: 0, objective: 3, certificate: 1 }, { iteration: 1, objective: 2.5, certificate: 1e-2 },
      { iteration: 2, objective: 2.25, certificate: Number.NaN }, { iteration: 3, objective: 2.25, certificate: 1e-9 },
    ];
    const svg = await convergencePlot({ W: [[1]], history, certificateKind: 'duality-gap' });
    assert.equal(marks(svg, 'symbol', 'layer_0_layer_1_marks').length, 3, 'certificate points');
    assert.equal(marks(svg, 'symbol', 'layer_1_layer_1_marks').length, 2, 'suboptimality points (the minimum itself is 0)');
    assert.match(svg, />duality-gap</);
    assert.match(svg, />F − min F</);
    assert.equal(await convergencePlot({ W: [[1]], history, certificateKind: 'duality-gap' }), svg);
    // without objectives (or a constant objective) only the certificate is drawn
    const spec = convergenceSpec({ W: [[1]], history: history.map(({ iteration, certificate }) => ({ iteration, certificate })) }) as { layer: unknown[] };
    assert.equal(spec.layer.length, 1);
  });
});

describe('pathPlot and cvPlot', () => {
  const points = [
    { lambda: 2, rowNorms: [0, 0, 0] }, { lambda: 1, rowNorms: [0.5, 0, 0] },
    { lambda: 0.1, rowNorms: [1, 0.3, 0] }, { lambda: 0, rowNorms: [1.2, 0.4, 0.1] },
  ];

  test('pathPlot: one line per feature, λ = 0 left out of the log axis, the selected λ as a rule', async () => {
    const svg = await pathPlot({ points, featureNames: ['a', 'b', 'c'], selected: 0.5, paramName: 'rho2' });
    // grey (never non-zero at λ > 0: c) and coloured curves (a, b) are two layers; 3 lines in all
    assert.equal(marks(svg, 'line', 'layer_0_marks').length + marks(svg, 'line', 'layer_1_marks').length, 3);
    assert.equal(marks(svg, 'rule', 'layer_3_marks').length, 1);
    assert.match(svg, /1 point\(s\) with rho2 ≤ 0 not shown/);
    assert.match(svg, />rho2</);
    assert.equal(await pathPlot({ points, featureNames: ['a', 'b', 'c'], selected: 0.5, paramName: 'rho2' }), svg);
    assert.throws(() => pathSpec({ points, featureNames: ['a'] }), /featureNames: has 1 entries, expected 3/);
    assert.throws(() => pathSpec({ points: [{ lambda: 1, rowNorms: [1, 2] }, { lambda: 0.5, rowNorms: [1] }] }), /points\[1\]\.rowNorms: expected 2 finite numbers/);
    assert.throws(() => pathSpec({ points: [{ lambda: 0, rowNorms: [1] }] }), /no point with λ > 0/);
    assert.throws(() => pathSpec({ points, selected: -1 }), /selected: expected a finite number > 0/);
  });

  test('cvPlot: points and ±SE bars per grid point, the min and 1-SE rules; inconsistent input rejected', async () => {
    const input = { grid: [1, 0.3, 0.1, 0.03], mean: [4, 2, 1.5, 1.6], standardError: [0.5, 0.3, 0.2, 0.2], bestIndex: 2, oneStandardErrorIndex: 1, metric: 'mse' };
    const svg = await cvPlot(input);
    assert.equal(marks(svg, 'rule', 'layer_1_marks').length, 4);
    assert.equal(marks(svg, 'symbol', 'layer_3_marks').length, 4);
    assert.equal(marks(svg, 'rule', 'layer_4_marks').length, 2);
    assert.match(svg, /min at λ = 0\.1, 1-SE at λ = 0\.3/);
    assert.throws(() => cvSpec({ ...input, mean: [1] }), /mean, standardError: have 1 and 4 entries, expected 4/);
    assert.throws(() => cvSpec({ ...input, bestIndex: 4 }), /bestIndex: expected an integer in \[0, 3\]/);
    assert.throws(() => cvSpec({ ...input, grid: [] , mean: [], standardError: [] }), /grid: expected at least one grid point/);
  });
});
