import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkXml, longCsv, marksOf as marks, runCli as cli } from './helpers/cli.js';

let dir: string, data: string;
const D = 6;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mtlearn-clipath-'));
  data = join(dir, 'train.csv');
  longCsv(data, 3, D, 20, 11);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('mtlearn path', () => {
  test('group-lasso: decreasing λ, W = 0 at λ_max, certificates ≤ tol · F(0), row norms per point', async () => {
    const out = join(dir, 'path.json');
    const r = await cli(['path', '--model', 'group-lasso', '--data', data, '--n-lambdas', '12', '--lambda-min-ratio', '0.01', '--q', '2', '--tol', '1e-8', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /group-lasso path over lambda: 12 points/);
    assert.equal(r.stderr, '');
    const p = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(p.format, 'mtlearn-path');
    assert.equal(p.paramName, 'lambda');
    assert.equal(p.points.length, 12);
    assert.deepEqual(p.data.featureNames, ['x1', 'x2', 'x3', 'x4', 'x5', 'x6']);
    assert.equal(p.points[0].lambda, p.lambdaMax);
    for (let k = 1; k < p.points.length; k++) assert.ok(p.points[k].lambda < p.points[k - 1].lambda, `λ decreasing at ${k}`);
    assert.ok(Math.abs(p.points[11].lambda / p.lambdaMax - 0.01) < 1e-12);
    assert.deepEqual(p.points[0].rowNorms, [0, 0, 0, 0, 0, 0]);
    assert.equal(p.points[0].nonzeroRows, 0);
    const scale = p.points[0].objective; // F(0, b₀), the scale of the group lasso's stopping rule
    for (const pt of p.points) {
      assert.equal(pt.rowNorms.length, D);
      assert.equal(pt.rowNorms.filter((v: number) => v > 0).length, pt.nonzeroRows);
      assert.ok(typeof pt.certificate === 'number' && pt.certificate <= 1e-8 * scale, `certificate ${pt.certificate} at λ = ${pt.lambda}`);
      assert.ok(pt.converged);
      for (const k of ['objective', 'iterations', 'screened', 'time']) assert.equal(typeof pt[k], 'number', k);
      assert.equal(pt.rank, null);
    }
    // the two relevant features enter first, the path ends dense
    assert.ok(p.points[11].nonzeroRows >= 2);
    const firstIn = p.points.find((pt: { nonzeroRows: number }) => pt.nonzeroRows > 0).rowNorms;
    assert.ok(firstIn[0] > 0 || firstIn[1] > 0);
  });

  test('explicit --lambdas; graph-regularized varies rho2 (from the registry); models without λ_max need --lambdas', async () => {
    const out = join(dir, 'g.json');
    let r = await cli(['path', '--model', 'graph-regularized', '--data', data, '--rho1', '0.1', '--n-lambdas', '4', '--no-timings', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const g = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(g.paramName, 'rho2');
    assert.deepEqual(g.points[0].rowNorms, [0, 0, 0, 0, 0, 0]);
    assert.ok(!('time' in g) && !('time' in g.points[0]));
    const text = readFileSync(out, 'utf8');
    r = await cli(['path', '--model', 'graph-regularized', '--data', data, '--rho1', '0.1', '--n-lambdas', '4', '--no-timings', '--out', out]);
    assert.equal(readFileSync(out, 'utf8'), text, 'deterministic output');

    r = await cli(['path', '--model', 'mean-regularized', '--data', data, '--rho', '0.1', '--lambdas', '0.1,1,0.5', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const m = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(m.points.map((x: { lambda: number }) => x.lambda), [1, 0.5, 0.1]);
    assert.equal(m.lambdaMax, null);

    const usage: [string[], RegExp][] = [
      [['--model', 'mean-regularized', '--rho', '0.1'], /model mean-regularized has no λ_max; give the values of lambda with --lambdas/],
      [['--model', 'graph-regularized', '--rho1', '0.1', '--rho2', '1'], /option --rho2 is the path parameter of graph-regularized/],
      [['--model', 'group-lasso', '--h', '2'], /option --h does not apply to model group-lasso/],
      [['--model', 'graph-regularized'], /model graph-regularized needs --rho1/],
      [['--model', 'group-lasso', '--lambdas', '1,x'], /expected a number, got "x"/],
      [['--model', 'group-lasso', '--lambdas', '1,1'], /--lambdas: the value 1 appears twice/],
      [['--model', 'group-lasso', '--lambdas', '1', '--n-lambdas', '3'], /give --lambdas or --n-lambdas/],
      [['--model', 'low-rank', '--rank', '1'], /Allowed choices are group-lasso/],
    ];
    for (const cmd of ['path', 'cv']) {
      r = await cli([cmd, '--help']);
      assert.equal(r.code, 0, cmd);
      assert.match(r.stdout, /graph-regularized \[rho2\] \*/);
    }
    const bad = join(dir, 'never.json');
    for (const [args, re] of usage) {
      r = await cli(['path', '--data', data, ...args, '--out', bad]);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.stderr, re, args.join(' '));
    }
    assert.ok(!existsSync(bad));
  });

  test('progress: nothing off a terminal; one bar step per path point on a terminal; same result', async () => {
    const a = join(dir, 'pa.json'), b = join(dir, 'pb.json');
    const args = ['path', '--model', 'group-lasso', '--data', data, '--n-lambdas', '5', '--no-timings'];
    const plain = await cli([...args, '--out', a]);
    assert.equal(plain.stderr, '');
    const tty = await cli([...args, '--out', b], true);
    assert.equal(tty.code, 0, tty.stderr);
    assert.match(tty.stderr, /^\rgroup-lasso path \[-+\] 0\/5\r.* 1\/5\r.* 2\/5\r.* 3\/5\r.* 4\/5\r.*\[#+\] 5\/5\n$/);
    assert.equal(readFileSync(a, 'utf8'), readFileSync(b, 'utf8'));
  });
});

describe('mtlearn cv', () => {
  test('group-lasso: indices in range, 1-SE at least as regularised, refit usable by predict and objective', async () => {
    const out = join(dir, 'cv.json'), pred = join(dir, 'pred.csv');
    const r = await cli(['cv', '--model', 'group-lasso', '--data', data, '--folds', '4', '--seed', '3', '--n-lambdas', '8', '--one-se', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const c = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(c.format, 'mtlearn-cv');
    const G = c.grid.length;
    assert.equal(G, 8);
    assert.equal(c.grid[0], c.lambdaMax);
    assert.equal(c.mean.length, G);
    assert.equal(c.standardError.length, G);
    assert.equal(c.foldValues.length, 4);
    assert.ok(Number.isInteger(c.bestIndex) && c.bestIndex >= 0 && c.bestIndex < G);
    assert.ok(c.oneStandardErrorIndex <= c.bestIndex);
    assert.ok(c.grid[c.oneStandardErrorIndex] >= c.grid[c.bestIndex]);
    assert.ok(c.mean[c.oneStandardErrorIndex] <= c.mean[c.bestIndex] + c.standardError[c.bestIndex]);
    for (let i = 0; i < G; i++) assert.ok(c.mean[i] >= c.mean[c.bestIndex]);
    assert.equal(c.chosenIndex, c.oneStandardErrorIndex);
    assert.equal(c.refit.format, 'mtlearn-fit');
    assert.equal(c.refit.options.lambda, c.grid[c.chosenIndex]);
    assert.equal(c.refit.extras.cv.rule, 'one-standard-error');

    const obj = await cli(['objective', '--fit', out, '--data', data]);
    assert.equal(obj.code, 0, obj.stderr);
    const v = Number(obj.stdout.trim());
    assert.ok(Math.abs(v - c.refit.objective) <= 1e-10 * Math.max(1, Math.abs(c.refit.objective)), `${v} vs ${c.refit.objective}`);
    const p = await cli(['predict', '--fit', out, '--data', data, '--out', pred]);
    assert.equal(p.code, 0, p.stderr);
    const rows = readFileSync(pred, 'utf8').trim().split('\n');
    assert.equal(rows[0], 'task,y,prediction');
    assert.equal(rows.length, 1 + 60);
  });

  test('explicit --lambdas without λ_max; --workers 2 gives the serial numbers; TTY bar per point', async () => {
    const a = join(dir, 'cva.json'), b = join(dir, 'cvb.json');
    const args = ['cv', '--model', 'mean-regularized', '--form', 'B', '--mu', '0.1', '--data', data, '--lambdas', '0.01,1,0.1', '--folds', '3', '--no-timings'];
    const serial = await cli([...args, '--out', a], true);
    assert.equal(serial.code, 0, serial.stderr);
    assert.match(serial.stderr, /^\rmean-regularized cv \(3 folds × 3 points, refit\) \[-+\] +0\/10\r[\s\S]*10\/10\n$/);
    const c = JSON.parse(readFileSync(a, 'utf8'));
    assert.deepEqual(c.grid, [1, 0.1, 0.01]);
    assert.equal(c.paramName, 'lambda');
    assert.equal(c.refit.state.w0.length, D);
    const par = await cli([...args, '--workers', '2', '--out', b]);
    assert.equal(par.code, 0, par.stderr);
    const c2 = JSON.parse(readFileSync(b, 'utf8'));
    assert.deepEqual(c2.mean, c.mean);
    assert.deepEqual(c2.refit.W, c.refit.W);
    const o = await cli(['objective', '--fit', a, '--data', data]);
    assert.ok(Math.abs(Number(o.stdout) - c.refit.objective) <= 1e-10 * Math.max(1, Math.abs(c.refit.objective)));
    const r = await cli(['cv', '--model', 'mean-regularized', '--rho', '1', '--data', data, '--out', join(dir, 'never.json')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /give the values of lambda with --lambdas/);
  });

  test('malformed input: exit 2 with file:line:column and no output file (path and cv)', async () => {
    const sub = mkdtempSync(join(dir, 'bad-'));
    const bad = join(sub, 'bad.csv');
    writeFileSync(bad, 'task,y,x1,x2\n1,2,3,4\n1,2,oops,4\n2,1,1,1\n');
    for (const cmd of ['path', 'cv']) {
      const r = await cli([cmd, '--model', 'group-lasso', '--data', bad, '--out', join(sub, `${cmd}.json`)]);
      assert.equal(r.code, 2, cmd);
      assert.match(r.stderr, /bad\.csv:3:3 \(column "x1"\): got "oops"; expected a finite number/);
      assert.equal(r.stderr.split('\n').length, 2, 'one line');
    }
    assert.deepEqual(readdirSync(sub), ['bad.csv']);
  });
});

describe('mtlearn plot --kind path|cv', () => {
  test('path: one line per feature and the selected λ; cv: one point and one error bar per grid point', async () => {
    const pathJson = join(dir, 'pp.json'), cvJson = join(dir, 'pc.json');
    assert.equal((await cli(['path', '--model', 'group-lasso', '--data', data, '--n-lambdas', '10', '--out', pathJson])).code, 0);
    assert.equal((await cli(['cv', '--model', 'group-lasso', '--data', data, '--n-lambdas', '7', '--folds', '3', '--out', cvJson])).code, 0);
    const c = JSON.parse(readFileSync(cvJson, 'utf8'));

    const ps = join(dir, 'path.svg');
    let r = await cli(['plot', '--kind', 'path', '--path', pathJson, '--cv', cvJson, '--out', ps]);
    assert.equal(r.code, 0, r.stderr);
    let svg = readFileSync(ps, 'utf8');
    checkXml(svg);
    // grey and coloured curves are layers 0 and 1, the selected λ layer 3; λ is printed with 3 significant digits
    assert.equal(marks(svg, 'line', 'layer_0_marks').length + marks(svg, 'line', 'layer_1_marks').length, D);
    assert.equal(marks(svg, 'rule', 'layer_3_marks').length, 1);
    assert.ok(svg.includes(`selected λ = ${Number(c.grid[c.chosenIndex].toPrecision(3))}`));
    r = await cli(['plot', '--kind', 'path', '--path', pathJson, '--out', ps]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(marks(readFileSync(ps, 'utf8'), 'rule', 'layer_3_marks').length, 0);
    r = await cli(['plot', '--kind', 'path', '--path', pathJson, '--selected', '0.5', '--out', ps]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(readFileSync(ps, 'utf8').includes('selected λ = 0.5'));

    const cs = join(dir, 'cv.svg');
    r = await cli(['plot', '--kind', 'cv', '--cv', cvJson, '--out', cs]);
    assert.equal(r.code, 0, r.stderr);
    svg = readFileSync(cs, 'utf8');
    checkXml(svg);
    assert.equal(marks(svg, 'rule', 'layer_1_marks').length, 7, 'error bars'); // layer 0 is the ±1 SE band
    assert.equal(marks(svg, 'symbol', 'layer_3_marks').length, 7, 'points');
    assert.equal(marks(svg, 'rule', 'layer_4_marks').length, 2, 'min and 1-SE');
    r = await cli(['plot', '--kind', 'cv', '--cv', cvJson, '--out', cs]);
    assert.equal(readFileSync(cs, 'utf8'), svg, 'deterministic');
    // the refit inside a cv JSON draws like a fit
    r = await cli(['plot', '--kind', 'heatmap', '--fit', cvJson, '--out', join(dir, 'h.svg')]);
    assert.equal(r.code, 0, r.stderr);

    const sub = mkdtempSync(join(dir, 'badplot-'));
    const junk = join(sub, 'junk.json');
    writeFileSync(junk, '{"format": "mtlearn-fit"}');
    r = await cli(['plot', '--kind', 'path', '--path', junk, '--out', join(sub, 'x.svg')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /junk\.json: no "format": "mtlearn-path" field/);
    r = await cli(['plot', '--kind', 'cv', '--cv', pathJson, '--out', join(sub, 'x.svg')]);
    assert.equal(r.code, 2);
    r = await cli(['plot', '--kind', 'cv', '--path', pathJson, '--out', join(sub, 'x.svg')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--kind cv needs --cv/);
    assert.deepEqual(readdirSync(sub), ['junk.json']);
  });
});

describe('#14 command-line leftovers', () => {
  test('path uses strong rules only with --strong-rules (the library default is off)', async () => {
    const off = join(dir, 'sr-off.json'), on = join(dir, 'sr-on.json');
    const base = ['path', '--model', 'group-lasso', '--data', data, '--n-lambdas', '12', '--q', '2', '--no-timings'];
    assert.equal((await cli([...base, '--out', off])).code, 0);
    assert.equal((await cli([...base, '--strong-rules', '--out', on])).code, 0);
    const a = JSON.parse(readFileSync(off, 'utf8')), b = JSON.parse(readFileSync(on, 'utf8'));
    assert.equal(a.path.strongRules, false);
    assert.equal(b.path.strongRules, true);
    assert.ok(a.points.every((p: { discarded: number }) => p.discarded === 0), 'nothing discarded by a strong rule by default');
    assert.ok(b.points.some((p: { discarded: number }) => p.discarded > 0), 'the strong rule discards rows when asked');
    // the same solutions either way (the KKT check re-adds wrongly discarded rows)
    a.points.forEach((p: { objective: number }, k: number) => assert.ok(Math.abs(p.objective - b.points[k].objective) <= 1e-6 * Math.abs(p.objective), `point ${k}`));
    const r = await cli([...base, '--no-strong-rules', '--out', join(dir, 'x.json')]);
    assert.equal(r.code, 1, 'the old opt-out flag is gone');
  });

  test('plot --kind cv takes --path for the axis of non-zero rows (a cv file carries no counts)', async () => {
    const pathJson = join(dir, 'ax-path.json'), cvJson = join(dir, 'ax-cv.json');
    assert.equal((await cli(['path', '--model', 'group-lasso', '--data', data, '--n-lambdas', '7', '--no-timings', '--out', pathJson])).code, 0);
    assert.equal((await cli(['cv', '--model', 'group-lasso', '--data', data, '--n-lambdas', '7', '--folds', '3', '--no-timings', '--out', cvJson])).code, 0);
    const p = JSON.parse(readFileSync(pathJson, 'utf8')), c = JSON.parse(readFileSync(cvJson, 'utf8'));
    p.points.forEach((pt: { lambda: number }, k: number) => assert.ok(Math.abs(pt.lambda - c.grid[k]) <= 1e-12 * pt.lambda, 'same grid'));
    const plain = join(dir, 'ax-plain.svg'), withAxis = join(dir, 'ax-axis.svg');
    assert.equal((await cli(['plot', '--kind', 'cv', '--cv', cvJson, '--out', plain])).code, 0);
    const r = await cli(['plot', '--kind', 'cv', '--cv', cvJson, '--path', pathJson, '--out', withAxis]);
    assert.equal(r.code, 0, r.stderr);
    const a = readFileSync(plain, 'utf8'), b = readFileSync(withAxis, 'utf8');
    checkXml(b);
    assert.ok(!a.includes('non-zero rows'));
    assert.ok(b.includes('non-zero rows'), 'the top axis is titled');
    // every count of the path appears as a text mark of the top axis
    for (const pt of p.points as { nonzeroRows: number }[]) assert.ok(new RegExp(`>${pt.nonzeroRows}<`).test(b), `count ${pt.nonzeroRows}`);
    const other = join(dir, 'ax-tn.json');
    assert.equal((await cli(['path', '--model', 'trace-norm', '--data', data, '--n-lambdas', '4', '--out', other])).code, 0);
    const bad = await cli(['plot', '--kind', 'cv', '--cv', cvJson, '--path', other, '--out', join(dir, 'x.svg')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /ax-tn\.json: a path of trace-norm over lambda; expected group-lasso over lambda/);
  });
});

describe('#14 low-rank pictures from the command line', () => {
  test('trace-norm path: the file keeps the singular values, plot --kind path draws them with the rank on top; the singular-value plot of a fit states λ', async () => {
    const pj = join(dir, 'tn-path.json'), ps = join(dir, 'tn-path.svg');
    const r = await cli(['path', '--model', 'trace-norm', '--data', data, '--n-lambdas', '6', '--no-timings', '--out', pj]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /rank 0 -> \d+/);
    const p = JSON.parse(readFileSync(pj, 'utf8'));
    const T = p.data.T as number;
    for (const pt of p.points as { singularValues: number[]; rank: number; rowNorms: number[] }[]) {
      assert.equal(pt.singularValues.length, Math.min(D, T));
      for (let i = 1; i < pt.singularValues.length; i++) assert.ok(pt.singularValues[i]! <= pt.singularValues[i - 1]!, 'descending');
      // ‖W‖_F² two ways: Σσ² = Σ_j ‖w^j‖²
      const s2 = pt.singularValues.reduce((a, v) => a + v * v, 0), r2 = pt.rowNorms.reduce((a, v) => a + v * v, 0);
      assert.ok(Math.abs(s2 - r2) <= 1e-9 * Math.max(1, r2), `${s2} vs ${r2}`);
    }
    const g = await cli(['path', '--model', 'group-lasso', '--data', data, '--n-lambdas', '3', '--no-timings', '--out', join(dir, 'gl3.json')]);
    assert.ok(JSON.parse(readFileSync(join(dir, 'gl3.json'), 'utf8')).points.every((pt: object) => !('singularValues' in pt)), 'row-norm models: no spectrum');
    assert.doesNotMatch(g.stdout, /rank/);
    assert.equal((await cli(['plot', '--kind', 'path', '--path', pj, '--out', ps])).code, 0);
    const svg = readFileSync(ps, 'utf8');
    assert.match(svg, /singular values of W against λ/);
    assert.equal(marks(svg, 'line', 'layer_0_marks').length + marks(svg, 'line', 'layer_1_marks').length, Math.min(D, T));
    const ranks = new Set((p.points as { rank: number }[]).map((x) => String(x.rank)));
    const top = [...svg.matchAll(/aria-label="[^"]*count: (\d+)/g)].map((m) => m[1]!);
    assert.ok(top.length > 0 && top.every((c) => ranks.has(c)), 'the top axis is the rank');

    const fj = join(dir, 'tn-fit.json'), sv = join(dir, 'tn-sv.svg');
    assert.equal((await cli(['fit', '--model', 'trace-norm', '--data', data, '--lambda-ratio', '0.1', '--out', fj])).code, 0);
    const lambda = JSON.parse(readFileSync(fj, 'utf8')).options.lambda as number;
    assert.equal((await cli(['plot', '--fit', fj, '--kind', 'singular-values', '--out', sv])).code, 0);
    assert.ok(readFileSync(sv, 'utf8').includes(`λ = ${Number(lambda.toPrecision(3))}`), 'λ stated');
  });
});
