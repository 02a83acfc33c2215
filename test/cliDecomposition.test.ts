// The decomposition models (dirty, robust-mtfl, robust-mtl, sparse-low-rank) and the temporal group
// lasso on the command line: the fit equals the library call, the fit file keeps P and Q, `objective`
// recomputes the fit's objective from the file, `predict` uses W = P + Q, bad parameters are named.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLongCsv } from '../src/cli/csv.js';
import { MultiTaskData } from '../src/data/MultiTaskData.js';
import { dirty } from '../src/models/dirty.js';
import { robustMtfl } from '../src/models/robustMtfl.js';
import { robustMtl } from '../src/models/robustMtl.js';
import { sparseLowRank } from '../src/models/sparseLowRank.js';
import { temporalGroupLasso } from '../src/models/temporalGroupLasso.js';
import { fusedGroupLasso } from '../src/models/fusedGroupLasso.js';
import { longCsv, relErr, runCli as cli } from './helpers/cli.js';

let dir: string, data: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mtlearn-clidecomp-'));
  data = join(dir, 'train.csv');
  longCsv(data, 4, 5, 14, 21);
});
after(() => rmSync(dir, { recursive: true, force: true }));

type Lib = (d: MultiTaskData, o: Record<string, number>) => { W: { data: Float64Array }; P?: { data: Float64Array }; Q?: { data: Float64Array }; objective: number; intercepts: Float64Array };
const CASES: [string, string[], Lib, Record<string, number>][] = [
  ['dirty', ['--lambda1', '0.3', '--lambda2', '0.2'], dirty as unknown as Lib, { lambda1: 0.3, lambda2: 0.2 }],
  ['dirty', ['--lambda1', '0.3', '--lambda2', '0.2', '--q', '2'], dirty as unknown as Lib, { lambda1: 0.3, lambda2: 0.2, q: 2 }],
  ['robust-mtfl', ['--lambda1', '0.3', '--lambda2', '0.5'], robustMtfl as unknown as Lib, { lambda1: 0.3, lambda2: 0.5 }],
  ['robust-mtl', ['--lambda1', '0.5', '--lambda2', '0.5'], robustMtl as unknown as Lib, { lambda1: 0.5, lambda2: 0.5 }],
  ['sparse-low-rank', ['--lambda1', '0.2', '--lambda2', '0.6', '--tol', '1e-8'], sparseLowRank as unknown as Lib, { lambda1: 0.2, lambda2: 0.6, tol: 1e-8 }],
  ['sparse-low-rank', ['--lambda1', '0.2', '--tau', '1.5'], sparseLowRank as unknown as Lib, { lambda1: 0.2, tau: 1.5 }],
  ['temporal-group-lasso', ['--lambda1', '0.01', '--lambda2', '0.2', '--lambda3', '0.1'], temporalGroupLasso as unknown as Lib, { lambda1: 0.01, lambda2: 0.2, lambda3: 0.1 }],
  ['fused-group-lasso', ['--lambda1', '0.01', '--lambda2', '0.05', '--lambda3', '0.1'], fusedGroupLasso as unknown as Lib, { lambda1: 0.01, lambda2: 0.05, lambda3: 0.1 }],
];

const rows = (a: Float64Array, T: number): number[][] => Array.from({ length: a.length / T }, (_, j) => Array.from(a.subarray(j * T, (j + 1) * T), (x) => x + 0)); // JSON has no −0

describe('decomposition and temporal models on the command line', () => {
  for (const [i, [model, args, lib, opts]] of CASES.entries()) {
    test(`${model} ${args.join(' ')}: fit = library call; objective and predict from the fit file`, async () => {
      const out = join(dir, `fit-${i}.json`);
      const r = await cli(['fit', '--model', model, '--data', data, ...args, '--no-timings', '--out', out]);
      assert.equal(r.code, 0, r.stderr);
      const f = JSON.parse(readFileSync(out, 'utf8'));
      const csv = readLongCsv(data);
      const D = MultiTaskData.fromTasks(csv.tasks);
      const want = lib(D, opts);
      assert.deepEqual(f.W, rows(want.W.data, 4));
      assert.equal(f.objective, want.objective);
      if (want.P !== undefined) {
        assert.deepEqual(f.state.P, rows(want.P.data, 4));
        assert.deepEqual(f.state.Q, rows(want.Q!.data, 4));
      }
      const o = await cli(['objective', '--fit', out, '--data', data]);
      assert.equal(o.code, 0, o.stderr);
      assert.ok(relErr(Number(o.stdout.trim()), f.objective) <= 1e-10, `${o.stdout} vs ${f.objective}`);
      // predict on one new row of task "3": x·w_t + b_t with W = P + Q
      const nd = join(dir, `new-${i}.csv`);
      writeFileSync(nd, 'task,x1,x2,x3,x4,x5\n3,1,-2,0.5,0,3\n');
      const p = await cli(['predict', '--fit', out, '--data', nd]);
      assert.equal(p.code, 0, p.stderr);
      const t = csv.taskLabels.indexOf('3');
      const x = [1, -2, 0.5, 0, 3];
      const expected = want.intercepts[t]! + x.reduce((s, v, j) => s + v * want.W.data[j * 4 + t]!, 0);
      assert.ok(relErr(Number(p.stdout.trimEnd().split('\n')[1]!.split(',').at(-1)), expected) <= 1e-12);
      if (want.P !== undefined) {
        // the objective needs P and Q, not W alone: a fit file without them is malformed (exit 2)
        delete f.state.Q;
        writeFileSync(out, JSON.stringify(f));
        const bad = await cli(['objective', '--fit', out, '--data', data]);
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /state\.Q: expected 5 rows of 4 finite numbers/);
      }
    });
  }

  test('bad parameters get named errors', async () => {
    const out = join(dir, 'bad.json');
    const usage: [string[], RegExp][] = [
      [['--model', 'dirty', '--lambda1', '0.1'], /model dirty needs --lambda2/],
      [['--model', 'robust-mtl', '--lambda2', '0.1'], /model robust-mtl needs --lambda1/],
      [['--model', 'temporal-group-lasso', '--lambda1', '0.1'], /model temporal-group-lasso needs --lambda3/],
      [['--model', 'robust-mtfl', '--lambda1', '0.1', '--lambda2', '0.1', '--q', '2'], /option --q does not apply to model robust-mtfl/],
      [['--model', 'dirty', '--lambda1', '0.1', '--lambda2', '0.1', '--lambda3', '1'], /option --lambda3 does not apply to model dirty/],
      [['--model', 'group-lasso', '--lambda', '0.1', '--lambda1', '1'], /option --lambda1 does not apply to model group-lasso/],
      [['--model', 'sparse-low-rank', '--lambda1', '0.1', '--lambda2', '1', '--tau', '1'], /needs exactly one of --lambda2 \(penalised form\) and --tau/],
      [['--model', 'sparse-low-rank', '--lambda1', '0.1'], /needs exactly one of --lambda2/],
      [['--model', 'dirty', '--lambda1', '0.1', '--lambda2', '1', '--tau', '1'], /option --tau does not apply to model dirty/],
    ];
    for (const [args, re] of usage) {
      const r = await cli(['fit', ...args, '--data', data, '--out', out]);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.stderr, re, args.join(' '));
    }
    const range: [string[], RegExp][] = [
      [['--model', 'dirty', '--lambda1', '-1', '--lambda2', '0.1'], /lambda1: expected a finite number ≥ 0, got -1/],
      [['--model', 'dirty', '--lambda1', '1', '--lambda2', '0.1', '--q', '0.5'], /q: expected .*≥ 1.*got 0\.5/],
      [['--model', 'temporal-group-lasso', '--lambda2', '-2', '--lambda3', '0.1'], /lambda2: expected a finite number ≥ 0, got -2/],
      [['--model', 'sparse-low-rank', '--lambda1', '0.1', '--tau', '-1'], /tau: expected a finite number ≥ 0, got -1/],
    ];
    for (const [args, re] of range) {
      const r = await cli(['fit', ...args, '--data', data, '--out', out]);
      assert.notEqual(r.code, 0, args.join(' '));
      assert.match(r.stderr, re, args.join(' '));
    }
  });
});
