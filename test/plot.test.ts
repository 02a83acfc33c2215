import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../src/cli/main.js';
import { convergencePlot, heatmapSpec, heatmapW, singularValuesPlot, singularValuesSpec, weightSingularValues } from '../src/plot/index.js';
import { MultiTaskData, groupLasso } from '../src/index.js';
import { checkXml, lcg } from './helpers/cli.js';

/** The marks inside the first `<g class="mark-{type} role-mark …">` group. */
function marks(svg: string, type: string): string[] {
  const start = svg.indexOf(`<g class="mark-${type} role-mark`);
  assert.ok(start >= 0, `no mark-${type} group`);
  const body = svg.slice(svg.indexOf('>', start) + 1, svg.indexOf('</g>', start));
  return body.match(/<path [^>]*>/g) ?? [];
}

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mtlearn-plot-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('plots (Vega-Lite → SVG)', () => {
  const W = [[1, 0, -2], [0, 0, 0], [0.5, 3, 0], [0, -1, 4]]; // d = 4, T = 3, 6 zeros

  test('heatmapW: one rect per entry of Wᵀ, zero entries grey, labels on the axes', async () => {
    const svg = await heatmapW({ W, taskLabels: ['a', 'b', 'c'], featureNames: ['f1', 'f2', 'f3', 'f4'] });
    checkXml(svg);
    const cells = marks(svg, 'rect');
    assert.equal(cells.length, 12);
    assert.equal(cells.filter((c) => c.includes('fill="#9e9e9e"')).length, 6);
    assert.match(svg, /6 of 12 entries exactly zero/);
    assert.match(svg, />f4</);
    // each cell's label names its task, feature and value
    assert.ok(cells.some((c) => c.includes('aria-label="feature: f4; task: c; w: 4"')));
    // deterministic
    assert.equal(await heatmapW({ W, taskLabels: ['a', 'b', 'c'], featureNames: ['f1', 'f2', 'f3', 'f4'] }), svg);
    assert.throws(() => heatmapSpec({ W, taskLabels: ['a'] }), /taskLabels: has 1 entries, expected 3/);
  });

  test('convergencePlot: one point per history entry with a positive certificate, log scale', async () => {
    const history = [
      { iteration: 0, certificate: 1 }, { iteration: 10, certificate: 1e-3 },
      { iteration: 20, certificate: Number.NaN }, { iteration: 30, certificate: 1e-8 },
    ];
    const svg = await convergencePlot({ W, history, certificateKind: 'duality-gap' });
    checkXml(svg);
    assert.equal(marks(svg, 'symbol').length, 3);
    assert.match(svg, />duality-gap</);
    assert.match(svg, />1e-8</); // log axis ticks span the range
    await assert.rejects(convergencePlot({ W, history: [] }), /no entry with a positive finite certificate/);
  });

  test('convergencePlot: a second panel against time when every entry records one', async () => {
    const timed = [
      { iteration: 0, certificate: 1, objective: 3, time: 0 }, { iteration: 10, certificate: 1e-3, objective: 2.5, time: 0.01 },
      { iteration: 20, certificate: 1e-6, objective: 2.4, time: 0.02 },
    ];
    const svg = await convergencePlot({ W, history: timed, certificateKind: 'duality-gap' });
    checkXml(svg);
    assert.match(svg, />time \(s\)</);
    assert.equal((svg.match(/class="mark-symbol role-mark/g) ?? []).length, 4, 'two series in each of the two panels');
    const untimed = await convergencePlot({ W, history: timed.map(({ time: _t, ...h }) => h), certificateKind: 'duality-gap' });
    assert.doesNotMatch(untimed, />time \(s\)</);
  });

  test('singularValuesPlot: one point per non-zero singular value (min(d, T) here), log scale; the singular values are those of W', async () => {
    assert.deepEqual(weightSingularValues([[3, 0], [0, 4], [0, 0]]), [4, 3]);
    const s = weightSingularValues([[1, 2, 3], [2, 4, 6]]); // rank 1, wide
    assert.equal(s.length, 2);
    assert.ok(Math.abs(s[0]! - Math.sqrt(70)) < 1e-12 && s[1]! < 1e-12);
    const svg = await singularValuesPlot({ W });
    checkXml(svg);
    assert.equal(marks(svg, 'symbol').length, 3);
    assert.match(svg, /rank 3 of 3/);
    // the log axis is limited to the data (a nice log domain would round 135 up to 1000)
    const wide = [[135, 0], [0, 2.6]];
    const y = (singularValuesSpec({ W: wide }) as unknown as { encoding: { y: { scale: { domain: [number, number] } } } }).encoding.y.scale.domain;
    assert.ok(y[0] <= 2.6 && y[0] >= 2.6 / 1.5 && y[1] >= 135 && y[1] <= 135 * 1.5, `domain ${y.join(', ')}`);
    const top = Math.max(...[...(await singularValuesPlot({ W: wide })).matchAll(/<text[^>]*>([\d.e+]+)<\/text>/g)].map((m) => Number(m[1])));
    assert.ok(top < 1000, `highest tick ${top}`);
  });

  test('plots accept a library fit directly', async () => {
    const r = lcg(3);
    const tasks = [0, 1].map(() => {
      const X = Array.from({ length: 10 }, () => [r(), r(), r()]);
      return { X, y: X.map((x) => x[0]! - x[1]! + 0.1 * r()) };
    });
    const fit = groupLasso(MultiTaskData.fromTasks(tasks), { lambda: 0.01 });
    assert.equal(marks(await heatmapW(fit), 'rect').length, 6);
    checkXml(await convergencePlot(fit));
  });

  test('mtlearn plot writes valid SVG for every kind; bad input exits 2 with no output', async () => {
    const lines = ['task,y,x1,x2,x3,x4'];
    const r = lcg(9);
    for (let i = 0; i < 12; i++) {
      for (const t of [1, 2, 3]) {
        const x = [r(), r(), r(), r()].map((v) => Math.round(v * 1000) / 1000);
        lines.push([t, (x[0]! * t - x[1]! + 0.1 * r()).toFixed(3), ...x].join(','));
      }
    }
    const data = join(dir, 'd.csv'), fit = join(dir, 'fit.json');
    writeFileSync(data, `${lines.join('\n')}\n`);
    const io = { stdout: { write: () => true }, stderr: { write: () => true } };
    assert.equal(await run(['fit', '--model', 'group-lasso', '--data', data, '--lambda', '0.01', '--out', fit], io), 0);
    const f = JSON.parse(readFileSync(fit, 'utf8'));
    const sv = weightSingularValues(f.W);
    const expected: Record<string, [string, number]> = {
      heatmap: ['rect', 12],
      convergence: ['symbol', f.history.filter((h: { certificate: number | null }) => h.certificate !== null && h.certificate > 0).length],
      'singular-values': ['symbol', sv.filter((x) => x > 1e-10 * sv[0]!).length], // one point per non-zero σ
    };
    for (const [kind, [type, n]] of Object.entries(expected)) {
      const out = join(dir, `${kind}.svg`);
      assert.equal(await run(['plot', '--fit', fit, '--kind', kind, '--out', out], io), 0, kind);
      const svg = readFileSync(out, 'utf8');
      assert.ok(checkXml(svg) > n);
      assert.equal(marks(svg, type).length, n, kind);
    }
    let err = '';
    const io2 = { stdout: { write: () => true }, stderr: { write: (s: string) => (err += s) } };
    const sub = mkdtempSync(join(dir, 'bad-'));
    const bad = join(sub, 'bad.json');
    writeFileSync(bad, '{ not json');
    assert.equal(await run(['plot', '--fit', bad, '--kind', 'heatmap', '--out', join(sub, 'w.svg')], io2), 2);
    assert.match(err, /bad\.json: not valid JSON/);
    assert.deepEqual(readdirSync(sub), ['bad.json']);
    assert.equal(await run(['plot', '--fit', fit, '--kind', 'pie', '--out', join(sub, 'w.svg')], io2), 1);
    assert.ok(!existsSync(join(sub, 'w.svg')));
  });
});
