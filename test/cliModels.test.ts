import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLongCsv } from '../src/cli/csv.js';
import { readGraphCsv } from '../src/cli/graph.js';
import { CLI_MODELS } from '../src/cli/cliModels.js';
import { progressBar } from '../src/cli/progress.js';
import { clusteredMeanRegularized, MultiTaskData } from '../src/index.js';
import { clusterMatrixSpec } from '../src/plot/index.js';
import { lcg, relErr, runCli as cli } from './helpers/cli.js';
import { embeddedPixels } from './helpers/png.js';

/** Long CSV: T tasks in two groups (labels t1..tT), d features. */
function longCsv(path: string, T: number, d: number, nPerTask: number, seed: number): void {
  const r = lcg(seed);
  const lines = [['task', 'y', ...Array.from({ length: d }, (_, j) => `x${j + 1}`)].join(',')];
  for (let t = 1; t <= T; t++) {
    const g = t % 2;
    for (let i = 0; i < nPerTask; i++) {
      const x = Array.from({ length: d }, () => Math.round((r() * 4 - 2) * 1000) / 1000);
      const y = (g ? x[0]! - 2 * x[1]! : -x[0]! + x[2]!) * (1 + 0.05 * t) + 0.3 * t + (r() - 0.5);
      lines.push([`t${t}`, String(Math.round(y * 1000) / 1000), ...x.map(String)].join(','));
    }
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

let dir: string, data: string, X: string, Y: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mtlearn-climodels-'));
  data = join(dir, 'train.csv');
  longCsv(data, 4, 5, 15, 7);
  // shared design with missing responses (the masked loss)
  const r = lcg(3);
  X = join(dir, 'X.csv');
  Y = join(dir, 'Y.csv');
  const xl = ['a,b,c,d'], yl = ['A,B,C'];
  for (let i = 0; i < 20; i++) {
    const x = [r() - 0.5, r() - 0.5, r() - 0.5, r() - 0.5].map((v) => Math.round(v * 1e4) / 1e4);
    xl.push(x.join(','));
    const y = [x[0]! + x[1]!, x[0]! + 0.8 * x[1]! + 0.1 * r(), 2 * x[2]! - x[3]! + 0.1 * r()].map((v) => String(Math.round(v * 1e4) / 1e4));
    if (i < 8) y[1] = ''; // task B observed only on the last 12 rows
    yl.push(y.join(','));
  }
  writeFileSync(X, `${xl.join('\n')}\n`);
  writeFileSync(Y, `${yl.join('\n')}\n`);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Every model with arguments that converge in well under a second on the small CSV. */
const CASES: [string, string[]][] = [
  ['group-lasso', ['--lambda-ratio', '0.2', '--q', '2']],
  ['trace-norm', ['--lambda-ratio', '0.2']],
  ['low-rank', ['--rank', '2']],
  ['mean-regularized', ['--rho', '0.2', '--lambda', '2']],
  ['mean-regularized', ['--form', 'B', '--lambda', '0.05', '--mu', '0.01']],
  ['aso', ['--lambda', '0.3', '--h', '2', '--seed', '1']],
  ['aso-convex', ['--rho1', '0.5', '--rho2', '0.2', '--h', '2']],
  ['graph-regularized', ['--rho1', '0.2', '--rho2', '0.01', '--ridge', '0.001']],
  ['clustered-convex', ['--rho1', '0.5', '--rho2', '0.1', '--k', '2']],
  ['clustered-mean', ['--k', '2', '--lambda', '0.1', '--mu', '0.01', '--restarts', '3', '--seed', '5']],
  ['feature-learning', ['--gamma', '0.05']],
  ['feature-projection', ['--h', '2', '--lambda', '0.05', '--mu', '0.01', '--seed', '2']],
  ['dirty', ['--lambda1', '0.3', '--lambda2', '0.2']],
  ['robust-mtfl', ['--lambda1', '0.3', '--lambda2', '0.5']],
  ['robust-mtl', ['--lambda1', '0.5', '--lambda2', '0.5']],
  ['sparse-low-rank', ['--lambda1', '0.2', '--lambda2', '0.6']],
  ['temporal-group-lasso', ['--lambda1', '0.01', '--lambda2', '0.2', '--lambda3', '0.1']],
  ['block-mcp', ['--lambda-ratio', '0.2', '--gamma', '2.5']],
  ['block-scad', ['--lambda-ratio', '0.2', '--a', '3']],
  ['capped-l1', ['--lambda-ratio', '0.1', '--theta', '0.5']],
  ['multi-level-lasso', ['--lambda1', '0.05', '--lambda2', '0.05']],
  ['fused-group-lasso', ['--lambda1', '0.01', '--lambda2', '0.05', '--lambda3', '0.1']],
];

describe('every CLI model: fit → objective recomputes the reported objective', () => {
  test('the table covers every model', () => {
    const names = new Set(CASES.map((c) => c[0]));
    assert.deepEqual(CLI_MODELS.map((m) => m.name).filter((n) => !names.has(n)), []);
  });

  for (const [i, [model, args]] of CASES.entries()) {
    test(`${model} ${args.join(' ')}`, async () => {
      for (const layout of ['long', 'shared'] as const) {
        const dataArgs = layout === 'long' ? ['--data', data] : ['--X', X, '--Y', Y];
        const out = join(dir, `fit-${i}-${layout}.json`);
        const r = await cli(['fit', '--model', model, ...dataArgs, ...args, '--no-timings', '--out', out]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stderr.replace(/mtlearn: warning: .* did not converge.*\n/, ''), '');
        const f = JSON.parse(readFileSync(out, 'utf8'));
        assert.equal(f.model, model);
        assert.ok(Number.isFinite(f.objective));
        const o = await cli(['objective', '--fit', out, ...dataArgs]);
        assert.equal(o.code, 0, o.stderr);
        const v = Number(o.stdout.trim());
        assert.ok(relErr(v, f.objective) <= 1e-10, `${model} (${layout}): objective ${v} vs reported ${f.objective}`);
      }
    });
  }

  test('the stored state is what the objective needs: removing it is a malformed fit file (exit 2)', async () => {
    const out = join(dir, 'aso.json');
    assert.equal((await cli(['fit', '--model', 'aso', '--data', data, '--lambda', '0.3', '--h', '2', '--out', out])).code, 0);
    const f = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(Object.keys(f.state).sort(), ['Theta', 'U', 'V']);
    delete f.state.Theta;
    writeFileSync(out, JSON.stringify(f));
    const o = await cli(['objective', '--fit', out, '--data', data]);
    assert.equal(o.code, 2);
    assert.match(o.stderr, /aso\.json: state\.Theta: expected 2 rows of 5 finite numbers/);
  });
});

describe('model options', () => {
  test('clustered-mean: per-restart CLI run equals the library call with the same seed and restarts', async () => {
    const out = join(dir, 'cm.json');
    const r = await cli(['fit', '--model', 'clustered-mean', '--data', data, '--k', '2', '--lambda', '0.1', '--restarts', '4', '--seed', '11', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const f = JSON.parse(readFileSync(out, 'utf8'));
    const lib = clusteredMeanRegularized(MultiTaskData.fromTasks(readLongCsv(data).tasks), { k: 2, lambda: 0.1, restarts: 4, seed: 11 });
    assert.deepEqual(f.state.restartObjectives, Array.from(lib.restartObjectives));
    assert.equal(f.state.bestRestart, lib.bestRestart);
    assert.deepEqual(f.state.assignment, Array.from(lib.assignment));
    assert.equal(f.objective, lib.objective);
    assert.equal(f.options.restarts, 4);
    assert.equal(f.options.seed, 11);
    // a negative seed maps to the same restarts as the library's
    const neg = join(dir, 'cm-neg.json');
    assert.equal((await cli(['fit', '--model', 'clustered-mean', '--data', data, '--k', '3', '--lambda', '0.01', '--restarts', '3', '--seed', '-3', '--out', neg])).code, 0);
    const libNeg = clusteredMeanRegularized(MultiTaskData.fromTasks(readLongCsv(data).tasks), { k: 3, lambda: 0.01, restarts: 3, seed: -3 });
    assert.deepEqual(JSON.parse(readFileSync(neg, 'utf8')).state.restartObjectives, Array.from(libNeg.restartObjectives));
    // two tasks groups {t1, t3}, {t2, t4}
    const a = f.state.assignment as number[];
    assert.equal(a[0], a[2]);
    assert.equal(a[1], a[3]);
    assert.notEqual(a[0], a[1]);
  });

  test('graph-regularized: --graph edges.csv by task labels; the default graph is R = I − 11ᵀ/T', async () => {
    const g = join(dir, 'edges.csv');
    writeFileSync(g, 'a,b,weight\nt1,t3,2\nt2,t4,1\n');
    const out = join(dir, 'graph.json');
    const r = await cli(['fit', '--model', 'graph-regularized', '--data', data, '--rho1', '0.5', '--graph', g, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const f = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(f.options.R, { rows: 4, cols: 2, data: [2, 0, 0, 1, -2, 0, 0, -1] });
    const o = await cli(['objective', '--fit', out, '--data', data]);
    assert.ok(relErr(Number(o.stdout), f.objective) <= 1e-10);
    const d0 = join(dir, 'graph0.json');
    assert.equal((await cli(['fit', '--model', 'graph-regularized', '--data', data, '--rho1', '0.5', '--out', d0])).code, 0);
    const R = JSON.parse(readFileSync(d0, 'utf8')).options.R;
    assert.equal(R.rows, 4);
    assert.equal(R.cols, 4);
    assert.equal(R.data[0], 0.75);
    assert.equal(R.data[1], -0.25);

    writeFileSync(g, 'a,b\nt1,t9\n');
    const bad = await cli(['fit', '--model', 'graph-regularized', '--data', data, '--rho1', '0.5', '--graph', g, '--out', out]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /edges\.csv:2:2 \(column "b"\): unknown task "t9"; expected one of the 4 task labels/);
    assert.throws(() => readGraphCsv('g.csv', ['x', 'y'], 'a,b\nx,x\n'), /g\.csv:2:2 \(column "b"\): self-loop x–x; expected two different tasks/);
    assert.throws(() => readGraphCsv('g.csv', ['x', 'y'], 'from,to\nx,y\n'), /g\.csv:1:1: header from,to; expected a header with columns a,b/);
    assert.throws(() => readGraphCsv('g.csv', ['x', 'y'], 'a,b,weight\nx,y,z\n'), /g\.csv:2:3 \(column "weight"\): got "z"; expected a finite number/);
  });

  test('usage errors: options of another model or form (exit 1)', async () => {
    const out = join(dir, 'u.json');
    const cases: [string[], RegExp][] = [
      [['--model', 'group-lasso', '--lambda', '1', '--h', '2'], /option --h does not apply to model group-lasso/],
      [['--model', 'aso', '--lambda', '1'], /model aso needs --h/],
      [['--model', 'mean-regularized', '--form', 'B', '--lambda', '1', '--rho', '1'], /--rho applies to mean-regularized form A only/],
      [['--model', 'mean-regularized', '--lambda', '1'], /form A needs --rho/],
      [['--model', 'mean-regularized', '--rho', '1', '--lambda', '1', '--mu', '1'], /--mu applies to mean-regularized form B only/],
      [['--model', 'clustered-convex', '--rho1', '1', '--rho2', '1'], /needs --k/],
      [['--model', 'feature-learning', '--gamma', '1', '--graph', 'x.csv'], /option --graph does not apply to model feature-learning/],
    ];
    for (const [args, re] of cases) {
      const r = await cli(['fit', ...args, '--data', data, '--out', out]);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.stderr, re, args.join(' '));
    }
  });
});

describe('progress bar', () => {
  test('non-TTY standard error gets nothing; a terminal gets a bar redrawn in place', async () => {
    const out = join(dir, 'p.json');
    const args = ['fit', '--model', 'clustered-mean', '--data', data, '--k', '2', '--lambda', '0.1', '--restarts', '3', '--out', out];
    const plain = await cli(args);
    assert.equal(plain.code, 0);
    assert.equal(plain.stderr, '');
    const tty = await cli(args, true);
    assert.equal(tty.code, 0);
    assert.match(tty.stderr, /^\rclustered-mean restarts \[#+-*\] 1\/3\r.* 2\/3\r.*\[#+\] 3\/3\n$/);
    assert.equal(tty.stdout, plain.stdout);
  });

  test('progressBar: inactive off a terminal, redraws only on change, finish ends the line', () => {
    let s = '';
    const off = progressBar({ write: (t: string) => (s += t) }, 'x', 4);
    off.update(2);
    off.finish();
    assert.equal(off.active, false);
    assert.equal(s, '');
    const on = progressBar({ write: (t: string) => (s += t), isTTY: true, columns: 40 }, 'x', 4);
    on.update(1);
    on.update(1);
    on.update(9);
    on.finish();
    assert.equal(s.split('\r').length, 3);
    assert.match(s, /4\/4\n$/);
    assert.throws(() => progressBar({ write: () => 0 }, 'x', 0), /total: expected a positive integer/);
  });
});

describe('mtlearn plot --kind cluster-matrix', () => {
  test('SVG heatmap of M for clustered-convex and clustered-mean; deterministic; other models refused', async () => {
    for (const [model, args] of CASES.filter(([m]) => m.startsWith('clustered'))) {
      const fit = join(dir, `${model}.json`), svg = join(dir, `${model}.svg`);
      assert.equal((await cli(['fit', '--model', model, '--data', data, ...args, '--out', fit])).code, 0);
      const r = await cli(['plot', '--fit', fit, '--kind', 'cluster-matrix', '--out', svg, '--title', `M of ${model}`]);
      assert.equal(r.code, 0, r.stderr);
      const text = readFileSync(svg, 'utf8');
      assert.match(text, /^<svg/);
      assert.ok(text.includes(`M of ${model}`));
      assert.match(text, /tasks ordered by cluster \(2 clusters\)/);
      const again = join(dir, `${model}-2.svg`);
      await cli(['plot', '--fit', fit, '--kind', 'cluster-matrix', '--out', again, '--title', `M of ${model}`]);
      assert.equal(readFileSync(again, 'utf8'), text);
    }
    const gl = join(dir, 'gl.json');
    await cli(['fit', '--model', 'group-lasso', '--data', data, '--lambda', '0.1', '--out', gl]);
    const r = await cli(['plot', '--fit', gl, '--kind', 'cluster-matrix', '--out', join(dir, 'no.svg')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--kind cluster-matrix needs a clustered model \(clustered-convex, clustered-mean\)/);
  });

  test('clusterMatrixSpec: T² cells ordered by cluster; bad shapes are errors', () => {
    const spec = clusterMatrixSpec({ M: [[0.5, 0, 0.5], [0, 1, 0], [0.5, 0, 0.5]], clusters: [1, 0, 1], taskLabels: ['a', 'b', 'c'] });
    // the cells are one PNG image (one pixel per cell, palette index of (m/max|M| + 1)/2 · 254), axes labelled in cluster order
    const image = (spec as unknown as { layer: { data: { values: { url: string }[] }; encoding: { x: { axis: { labelExpr: string } } } }[] }).layer[0]!;
    const { width, height, px } = embeddedPixels(image.data.values[0]!.url);
    assert.equal(width * height, 9);
    assert.deepEqual([...px.subarray(0, 3)], [254, 127, 127]); // (b, b) = 1, (b, a) = 0, (b, c) = 0
    assert.ok(image.encoding.x.axis.labelExpr.startsWith('["b","a","c"]'));
    assert.throws(() => clusterMatrixSpec({ M: [[1, 2]] }), /M: row 0 has 2 entries, expected 1/);
    assert.throws(() => clusterMatrixSpec({ M: [[1]], clusters: [0, 1] }), /clusters: has 2 entries, expected 1/);
  });
});
