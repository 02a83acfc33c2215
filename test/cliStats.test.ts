/**
 * `mtlearn stats`, `fit --stats` and `fit --stream` (#15): the fit from streamed statistics equals the
 * fit from the rows; a statistics file whose header does not match is refused; the progress bar is
 * drawn on a terminal only.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserializeStatistics } from '../src/data/statisticsFile.js';
import { longCsv, relErr, runCli } from './helpers/cli.js';

let dir: string, data: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mtlearn-stats-'));
  data = join(dir, 'train.csv');
  longCsv(data, 4, 5, 15, 7);
});
after(() => rmSync(dir, { recursive: true, force: true }));

interface FitJson { W: number[][]; intercepts: number[]; objective: number; certificate: number; converged: boolean; data: { layout: string; n: number; taskLabels: string[]; featureNames: string[] } }
const readFit = (f: string): FitJson => JSON.parse(readFileSync(f, 'utf8')) as FitJson;

function assertSameFit(a: FitJson, b: FitJson, what: string): void {
  assert.ok(a.converged && b.converged, `${what}: both converge`);
  assert.ok(relErr(a.objective, b.objective) < 1e-10, `${what}: objective ${a.objective} vs ${b.objective}`);
  let num = 0, den = 0;
  a.W.forEach((row, j) => row.forEach((v, t) => { num = Math.max(num, Math.abs(v - b.W[j]![t]!)); den = Math.max(den, Math.abs(b.W[j]![t]!)); }));
  assert.ok(num <= 1e-10 * den, `${what}: W differs by ${num / den} (relative)`);
  a.intercepts.forEach((v, t) => assert.ok(Math.abs(v - b.intercepts[t]!) <= 1e-10 * Math.max(1, Math.abs(b.intercepts[t]!)), `${what}: intercept ${t}`));
  assert.deepEqual(a.data.taskLabels, b.data.taskLabels);
  assert.deepEqual(a.data.featureNames, b.data.featureNames);
  assert.equal(a.data.n, b.data.n);
}

describe('mtlearn stats / fit --stats / fit --stream', () => {
  test('stats then fit --stats, and fit --stream, give the fit from the rows (to 1e-10 relative)', async () => {
    const stats = join(dir, 'stats.bin');
    const r = await runCli(['stats', '--data', data, '--out', stats]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^stats: d=5 T=4 n=60 -> /);
    assert.equal(r.stderr, '', 'no bar and nothing else when stderr is not a terminal');
    const s = deserializeStatistics(readFileSync(stats), {}, stats);
    assert.deepEqual(s.taskLabels, ['1', '2', '3', '4']);
    assert.deepEqual(s.featureNames, ['x1', 'x2', 'x3', 'x4', 'x5']);
    const models: string[][] = [
      ['--model', 'group-lasso', '--lambda-ratio', '0.3', '--q', '2', '--tol', '1e-13'],
      ['--model', 'mean-regularized', '--rho', '0.5', '--lambda', '2'],
    ];
    for (const m of models) {
      const outs = ['rows', 'stats', 'stream'].map((k) => join(dir, `${m[1]}-${k}.json`));
      const runs = [
        ['fit', ...m, '--data', data, '--no-timings', '--out', outs[0]!],
        ['fit', ...m, '--stats', stats, '--no-timings', '--out', outs[1]!],
        ['fit', ...m, '--data', data, '--stream', '--no-timings', '--out', outs[2]!],
      ];
      for (const a of runs) {
        const res = await runCli(a);
        assert.equal(res.code, 0, `${a.join(' ')}: ${res.stderr}`);
        assert.doesNotMatch(res.stderr, /\r/, 'no progress bar off a terminal');
      }
      const [rows, fromStats, streamed] = outs.map(readFit) as [FitJson, FitJson, FitJson];
      assertSameFit(fromStats, rows, `${m[1]} --stats`);
      assertSameFit(streamed, rows, `${m[1]} --stream`);
      assertSameFit(streamed, fromStats, `${m[1]} --stream vs --stats`);
      assert.equal(fromStats.data.layout, 'statistics');
    }
  });

  test('--features selects columns, and a statistics file with other features, another version or no header is refused', async () => {
    const stats = join(dir, 'sub.bin');
    assert.equal((await runCli(['stats', '--data', data, '--features', 'x3,x1', '--out', stats])).code, 0);
    const fit = join(dir, 'sub.json');
    const ok = await runCli(['fit', '--model', 'group-lasso', '--lambda', '0.1', '--stats', stats, '--features', 'x3,x1', '--no-timings', '--out', fit]);
    assert.equal(ok.code, 0, ok.stderr);
    const rows = join(dir, 'sub-rows.json');
    assert.equal((await runCli(['fit', '--model', 'group-lasso', '--lambda', '0.1', '--data', data, '--features', 'x3,x1', '--no-timings', '--out', rows])).code, 0);
    assertSameFit(readFit(fit), readFit(rows), '--features');

    const mismatch = await runCli(['fit', '--model', 'group-lasso', '--lambda', '0.1', '--stats', stats, '--features', 'x1,x3', '--out', join(dir, 'x.json')]);
    assert.equal(mismatch.code, 2);
    assert.match(mismatch.stderr, /sub\.bin: feature names differ: file has 2 \(x3, x1\), expected 2 \(x1, x3\); first difference at position 1 \(--features\)/);

    const bytes = readFileSync(stats);
    const text = Buffer.from(bytes).toString('latin1');
    const v9 = join(dir, 'v9.bin');
    writeFileSync(v9, Buffer.from(text.replace('"version":1', '"version":9'), 'latin1'));
    const wrongVersion = await runCli(['fit', '--model', 'group-lasso', '--lambda', '0.1', '--stats', v9, '--out', join(dir, 'x.json')]);
    assert.equal(wrongVersion.code, 2);
    assert.match(wrongVersion.stderr, /v9\.bin: format version 9; this mtlearn reads version 1/);

    const notStats = await runCli(['fit', '--model', 'group-lasso', '--lambda', '0.1', '--stats', data, '--out', join(dir, 'x.json')]);
    assert.equal(notStats.code, 2);
    assert.match(notStats.stderr, /train\.csv: not an mtlearn statistics file/);

    const truncated = join(dir, 'cut.bin');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 8));
    const cut = await runCli(['fit', '--model', 'group-lasso', '--lambda', '0.1', '--stats', truncated, '--out', join(dir, 'x.json')]);
    assert.equal(cut.code, 2);
    assert.match(cut.stderr, /cut\.bin: .* bytes, expected .*truncated or damaged/);

    const missing = await runCli(['fit', '--model', 'group-lasso', '--lambda', '0.1', '--stats', join(dir, 'none.bin'), '--out', join(dir, 'x.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /none\.bin: no such file; expected a statistics file written by `mtlearn stats`/);
  });

  test('wrong combinations, --out = --data, malformed CSV and models that need rows get the CLI\'s errors', async () => {
    const stats = join(dir, 'stats2.bin');
    assert.equal((await runCli(['stats', '--data', data, '--out', stats])).code, 0);
    const same = await runCli(['stats', '--data', data, '--out', data]);
    assert.equal(same.code, 1);
    assert.match(same.stderr, /it is the input --data/);
    const both = await runCli(['fit', '--model', 'group-lasso', '--lambda', '0.1', '--stats', stats, '--data', data, '--out', join(dir, 'x.json')]);
    assert.equal(both.code, 1);
    assert.match(both.stderr, /give either --stats file or --data file/);
    const noData = await runCli(['fit', '--model', 'group-lasso', '--lambda', '0.1', '--stream', '--out', join(dir, 'x.json')]);
    assert.equal(noData.code, 1);
    assert.match(noData.stderr, /--stream needs --data/);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'task,y,x1\na,1,2\nb,0x10,3\n');
    const malformed = await runCli(['stats', '--data', bad, '--out', join(dir, 'bad.bin')]);
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /bad\.csv:3:2 \(column "y"\): got "0x10"/);
    // feature projection (its default Grassmann solver works on the normal equations) fits from statistics too
    const fp = ['fit', '--model', 'feature-projection', '--h', '2', '--lambda', '0.1'];
    assert.equal((await runCli([...fp, '--stats', stats, '--out', join(dir, 'fps.json')])).code, 0);
    assert.equal((await runCli([...fp, '--data', data, '--out', join(dir, 'fpr.json')])).code, 0);
    assertSameFit(readFit(join(dir, 'fps.json')), readFit(join(dir, 'fpr.json')), 'feature-projection');
  });

  test('on a terminal a bar shows bytes read / total, rows per second and time left', async () => {
    const r = await runCli(['stats', '--data', data, '--out', join(dir, 'tty.bin')], true);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\rreading .*train\.csv \[#+\] [\d.]+ MB\/[\d.]+ MB, [\d.e+]+ rows\/s/);
    assert.ok(r.stderr.endsWith('\n'), 'the bar ends its line');
  });
});
