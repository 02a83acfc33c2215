/**
 * Command-line details of #14 and #13: `--lambda-ratio` in (0, 1], one `--seed` for fit and cv (the
 * old `--model-seed` a deprecated alias), the loss scale in every summary, library errors in the
 * user's task labels and file, and thinned convergence histories.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { thinHistory } from '../src/cli/commands/plot.js';
import { relabelMessage } from '../src/cli/labels.js';
import { CLI_MODELS } from '../src/cli/cliModels.js';
import { FIT_CODECS } from '../src/cli/fitCodecs.js';
import { MODEL_TABLE } from '../src/models/table.js';
import { readLongCsvFile } from '../src/io/node.js';
import { checkXml, lcg, longCsv, runCli } from './helpers/cli.js';

let dir: string, data: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mtlearn-cmd-'));
  data = join(dir, 'train.csv');
  longCsv(data, 3, 4, 12, 3);
});
after(() => rmSync(dir, { recursive: true, force: true }));
const data0 = (): string => data;

describe('the one model table', () => {
  test('the CLI models are the table rows with a command-line name, with their summaries, entry points and λ_max', () => {
    const rows = MODEL_TABLE.filter((r) => r.cliName !== null);
    assert.deepEqual(CLI_MODELS.map((m) => m.name), rows.map((r) => r.cliName));
    const { data } = readLongCsvFile(data0());
    for (const m of CLI_MODELS) {
      assert.ok(FIT_CODECS[m.row.name] !== undefined, m.name);
      assert.equal(m.summary, m.row.summary);
      assert.ok(m.params.every((p) => p === 'lambdaRatio' || m.row.optionKeys.includes(p)), `${m.name}: every flag is an option of the row`);
      if (m.lambdaMax) assert.equal(m.lambdaMax(data, {}), m.row.lambdaMax!(data, m.row.name === 'meanRegularized' ? { form: 'A' } : {}));
    }
    assert.deepEqual(CLI_MODELS.filter((m) => m.lambdaMax).map((m) => m.name), ['group-lasso', 'trace-norm', 'block-mcp', 'block-scad', 'capped-l1']);
  });
});

describe('options', () => {
  test('--lambda-ratio outside (0, 1] is a usage error; inside, λ = ratio · λ_max', async () => {
    for (const bad of ['2', '0', '-0.5', '1.0000001', 'inf']) {
      const r = await runCli(['fit', '--model', 'group-lasso', '--data', data, '--lambda-ratio', bad, '--out', join(dir, 'x.json')]);
      assert.equal(r.code, 1, bad);
      assert.match(r.stderr, /--lambda-ratio <number>' argument .* is invalid\. expected a number in \(0, 1\]/, bad);
    }
    const out = join(dir, 'ratio.json');
    const r = await runCli(['fit', '--model', 'group-lasso', '--data', data, '--lambda-ratio', '1', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const f = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(f.options.lambda, f.extras.lambdaMax);
    assert.ok(f.W.every((row: number[]) => row.every((v) => v === 0)), 'W = 0 at λ_max');
  });

  test('cv: --seed seeds the folds and the model as in fit; --model-seed is a deprecated alias', async () => {
    const args = (extra: string[], out: string): string[] => ['cv', '--model', 'clustered-mean', '--data', data, '--k', '2', '--restarts', '2',
      '--folds', '3', '--lambdas', '0.5,0.05', '--no-timings', ...extra, '--out', out];
    const a = join(dir, 'cv-a.json'), b = join(dir, 'cv-b.json'), c = join(dir, 'cv-c.json');
    const ra = await runCli(args(['--seed', '4'], a));
    assert.equal(ra.code, 0, ra.stderr);
    const rb = await runCli(args(['--seed', '4', '--model-seed', '4'], b));
    assert.equal(rb.code, 0, rb.stderr);
    assert.match(rb.stderr, /warning: --model-seed is deprecated/);
    assert.equal(readFileSync(a, 'utf8'), readFileSync(b, 'utf8'));
    const cvA = JSON.parse(readFileSync(a, 'utf8'));
    assert.equal(cvA.cv.seed, 4);
    assert.equal(cvA.refit.options.seed, 4, 'the model got --seed');
    const fit = join(dir, 'fit-seed.json');
    const rf = await runCli(['fit', '--model', 'clustered-mean', '--data', data, '--k', '2', '--restarts', '2', '--lambda', String(cvA.chosen), '--seed', '4', '--no-timings', '--out', fit]);
    assert.equal(rf.code, 0, rf.stderr);
    assert.deepEqual(JSON.parse(readFileSync(fit, 'utf8')).W, cvA.refit.W, 'the refit is fit with the same --seed');
    const rc = await runCli(args(['--seed', '4', '--model-seed', '9'], c));
    assert.equal(rc.code, 0, rc.stderr);
    assert.equal(JSON.parse(readFileSync(c, 'utf8')).refit.options.seed, 9);
    // a model without a seed: --seed seeds the folds only
    const g = await runCli(['cv', '--model', 'group-lasso', '--data', data, '--folds', '3', '--n-lambdas', '3', '--seed', '2', '--out', join(dir, 'cv-g.json')]);
    assert.equal(g.code, 0, g.stderr);
  });
});

describe('summaries and errors', () => {
  test('every summary states the loss scale of its objective', async () => {
    const fp = await runCli(['fit', '--model', 'feature-projection', '--data', data, '--h', '2', '--lambda', '0.1', '--out', join(dir, 'fp.json')]);
    assert.equal(fp.code, 0, fp.stderr);
    assert.match(fp.stdout, /objective=[-\d.e]+ \(loss scale task-mean: \(1\/T\)Σ_t \(1\/n_t\)Σ_i \(y − xᵀw_t − b_t\)²\)/);
    const gl = await runCli(['fit', '--model', 'group-lasso', '--data', data, '--lambda', '0.1', '--loss-scale', 'sum', '--out', join(dir, 'gl.json')]);
    assert.match(gl.stdout, /objective=[-\d.e]+ \(loss scale sum: \(1\/2\)Σ_t Σ_i/);
    const ob = await runCli(['objective', '--fit', join(dir, 'fp.json'), '--data', data]);
    assert.equal(ob.code, 0, ob.stderr);
    assert.match(ob.stdout, /^[-\d.e]+\n$/, 'the value alone on standard output');
    assert.match(ob.stderr, /loss scale task-mean/);
    const p = await runCli(['path', '--model', 'group-lasso', '--data', data, '--n-lambdas', '3', '--out', join(dir, 'p.json')]);
    assert.match(p.stdout, /objectives with loss scale mean: Σ_t \(1\/\(2n_t\)\)Σ_i/);
    const cv = await runCli(['cv', '--model', 'group-lasso', '--data', data, '--folds', '3', '--n-lambdas', '3', '--out', join(dir, 'c.json')]);
    assert.match(cv.stdout, /objective=[-\d.e]+ \(loss scale mean/);
  });

  test('library errors name the data file and the user\'s task label, not an internal index', async () => {
    const small = join(dir, 'labels.csv');
    const r = lcg(1);
    const rows = ['task,y,x1,x2'];
    for (let i = 0; i < 10; i++) rows.push(`north,${r()},${r()},${r()}`);
    for (let i = 0; i < 2; i++) rows.push(`south,${r()},${r()},${r()}`);
    writeFileSync(small, `${rows.join('\n')}\n`);
    const cv = await runCli(['cv', '--model', 'group-lasso', '--data', small, '--folds', '5', '--n-lambdas', '3', '--out', join(dir, 'l.json')]);
    assert.equal(cv.code, 1);
    assert.match(cv.stderr, /^mtlearn: error: .*labels\.csv: folds: task "south" has 2 observed responses/);
    assert.doesNotMatch(cv.stderr, /task 1\b/);
    assert.equal(relabelMessage('tasks[1].X: task 1 has 3×2', ['a', 'b']), 'tasks["b"].X: task "b" has 3×2');
    assert.equal(relabelMessage('task 7 is out of range', ['a']), 'task 7 is out of range', 'no label, no change');
  });
});

describe('long convergence histories', () => {
  test('thinHistory keeps first, last and the extremes of every run; a 200000-entry history plots from ≤ 4000 points', async () => {
    const n = 200000;
    const r = lcg(7);
    const history = Array.from({ length: n }, (_, i) => ({ iteration: i, objective: 1 + 1 / (i + 1) + 1e-9 * r(), certificate: (1 + 0.5 * Math.sin(i / 50)) / (i + 1) }));
    history[123456]!.certificate = 1e-12; // a spike down the picture must show
    history[98765]!.certificate = 10;     // and one up
    const kept = thinHistory(history);
    assert.ok(kept.length <= 4000 && kept.length > 1000, `${kept.length}`);
    assert.equal(kept[0], history[0]);
    assert.equal(kept[kept.length - 1], history[n - 1]);
    assert.ok(kept.includes(history[123456]!) && kept.includes(history[98765]!), 'extremes kept');
    for (let i = 1; i < kept.length; i++) assert.ok(kept[i]!.iteration > kept[i - 1]!.iteration, 'in order');
    assert.equal(thinHistory(history.slice(0, 100)).length, 100, 'short histories untouched');
    // the plot command on a fit file with that history
    const fit = join(dir, 'long.json');
    const base = await runCli(['fit', '--model', 'group-lasso', '--data', data, '--lambda', '0.05', '--out', fit]);
    assert.equal(base.code, 0, base.stderr);
    const f = JSON.parse(readFileSync(fit, 'utf8'));
    f.history = history.map((h) => ({ iteration: h.iteration, objective: h.objective, certificate: h.certificate }));
    writeFileSync(fit, JSON.stringify(f));
    const svg = join(dir, 'long.svg');
    const p = await runCli(['plot', '--fit', fit, '--kind', 'convergence', '--out', svg]);
    assert.equal(p.code, 0, p.stderr);
    const text = readFileSync(svg, 'utf8');
    checkXml(text);
    const points = (text.match(/<path [^>]*transform="translate\(/g) ?? []).length;
    assert.ok(points <= 2 * 4000, `${points} point marks`);
    assert.ok(text.length < 4e6, `${text.length} bytes`);
  });
});
