/**
 * #14: every iterative model takes `onProgress` (the solvers' `ProgressInfo` callback), so
 * `mtlearn fit` draws a bar on a terminal. Table-driven: every row of the model table that declares
 * the option must call it.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEL_TABLE } from '../src/models/table.js';
import type { ProgressInfo } from '../src/types.js';
import { baseOptions, problems } from './helpers/propertyCase.js';
import { longCsv, runCli } from './helpers/cli.js';

const ITERATIVE = ['groupLasso', 'traceNorm', 'lowRank', 'aso', 'asoConvex', 'graphRegularized', 'clusteredConvex',
  'clusteredMeanRegularized', 'featureLearning', 'featureProjection', 'featureProjectionLowRank',
  'dirty', 'robustMtfl', 'robustMtl', 'sparseLowRank', 'temporalGroupLasso', 'blockMcp', 'blockScad', 'cappedL1', 'multiLevelLasso'];

describe('onProgress on every iterative model (#14)', () => {
  test('the iterative rows of the model table declare onProgress', () => {
    for (const name of ITERATIVE) {
      const row = MODEL_TABLE.find((r) => r.name === name);
      assert.ok(row !== undefined, name);
      assert.ok(row.optionKeys.includes('onProgress'), `${name} declares onProgress`);
    }
  });

  for (const row of MODEL_TABLE.filter((r) => r.optionKeys.includes('onProgress'))) {
    test(`${row.name}: called at least once, iterations increasing and ≤ maxIter`, () => {
      for (const [pname, data] of problems) {
        const maxIter = 300;
        const o = baseOptions(row, data);
        // clustered-mean counts its alternations over all restarts: the budget is restarts × maxIter
        const budget = row.name === 'clusteredMeanRegularized' ? maxIter * (o['restarts'] as number) : maxIter;
        const seen: ProgressInfo[] = [];
        row.fit(data, { ...o, maxIter, onProgress: (info: ProgressInfo) => { seen.push(info); } });
        assert.ok(seen.length >= 1, `${row.name} (${pname}): never called`);
        for (let k = 0; k < seen.length; k++) {
          const s = seen[k]!;
          assert.equal(s.maxIter, budget, `${row.name} (${pname}): maxIter`);
          assert.ok(Number.isInteger(s.iteration) && s.iteration >= 0 && s.iteration <= budget, `${row.name} (${pname}): iteration ${s.iteration}`);
          if (k > 0) assert.ok(s.iteration > seen[k - 1]!.iteration, `${row.name} (${pname}): iteration ${s.iteration} after ${seen[k - 1]!.iteration}`);
          assert.equal(typeof s.certificate, 'number');
          assert.ok(s.tol >= 0, `${row.name}: tol ${s.tol}`);
        }
      }
    });
  }
});

describe('mtlearn fit draws the solver bar on a terminal only', () => {
  let dir: string, data: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'mtlearn-progress-')); data = join(dir, 'train.csv'); longCsv(data, 4, 5, 15, 3); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('feature-learning and graph-regularized: a bar with the iteration and certificate on a TTY, nothing otherwise', async () => {
    for (const args of [['--model', 'feature-learning', '--gamma', '0.1'], ['--model', 'graph-regularized', '--rho1', '0.1', '--rho2', '0.01']]) {
      const tty = await runCli(['fit', ...args, '--data', data, '--out', join(dir, 'f.json')], true);
      assert.equal(tty.code, 0, tty.stderr);
      assert.match(tty.stderr, new RegExp(`\\r${args[1]} \\[[#-]+\\] iteration \\d+, certificate `), args[1]);
      const plain = await runCli(['fit', ...args, '--data', data, '--out', join(dir, 'f.json')]);
      assert.equal(plain.code, 0);
      assert.doesNotMatch(plain.stderr, /\r|iteration/);
    }
  });
});
