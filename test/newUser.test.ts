/**
 * #14 (what a new user trips over): the items of the issue that had no test of their own.
 * - `thinSvd` is importable from the package entry, and every entry README names is in the exports map;
 * - README's table of what each model's path varies lists every model-table row, with its parameter and λ_max;
 * - path points carry `rank` only for models that report one (the group lasso's were `rank: NaN`);
 * - `npm run demo` and the examples run through esbuild (no project-wide compile first) and leave a
 *   checkout clean (their results go to the git-ignored `examples/<name>/output/`).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as mtlearn from '../src/index.js';
import { groupLasso, path, traceNorm, MultiTaskData } from '../src/index.js';
import { MODEL_TABLE } from '../src/models/table.js';
import { mulberry32 } from './helpers/random.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, unknown>; scripts: Record<string, string> };

describe('new-user promises (#14)', () => {
  test('thinSvd from the package entry: A = U diag(s) Vᵀ with orthonormal U, V; README\'s entries are in the exports map', () => {
    const { thinSvd } = mtlearn;
    assert.equal(typeof thinSvd, 'function');
    const A = { rows: 3, cols: 2, data: new Float64Array([3, 0, 0, 4, 0, 0]) };
    const { U, s, V } = thinSvd(A);
    assert.deepEqual(Array.from(s).map((v) => Math.round(v * 1e12) / 1e12), [4, 3]);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 2; j++) {
        let v = 0; // (U diag(s) Vᵀ)_ij
        for (let k = 0; k < 2; k++) v += U.data[i * 2 + k]! * s[k]! * V.data[j * 2 + k]!;
        assert.ok(Math.abs(v - A.data[i * 2 + j]!) < 1e-12, `entry ${i},${j}`);
      }
    }
    const readme = readFileSync('README.md', 'utf8');
    const named = new Set([...readme.matchAll(/from '(mtlearn(?:\/[\w/]+)?)'/g)].map((m) => m[1]!));
    assert.ok(named.has('mtlearn') && named.has('mtlearn/plot') && named.has('mtlearn/node'), [...named].join(', '));
    for (const entry of named) assert.ok(`.${entry.slice('mtlearn'.length)}` in pkg.exports, `${entry} is in package.json exports`);
  });

  test('README\'s table of path parameters: every model once, its parameter and whether it has λ_max as in the model table', () => {
    const readme = readFileSync('README.md', 'utf8');
    const start = readme.indexOf('| model | parameter a path / numeric grid varies | λ_max (default grid) |');
    assert.ok(start >= 0, 'the table');
    const rows = readme.slice(start).split('\n').slice(2);
    const seen = new Map<string, { param: string | null; lambdaMax: boolean }>();
    for (const line of rows) {
      if (!line.startsWith('|')) break;
      const [models, param, lm] = line.split('|').slice(1, 4).map((c) => c.trim());
      const p = param!.startsWith('none') ? null : /^`(\w+)`/.exec(param!)![1]!;
      for (const m of models!.matchAll(/`(\w+)`/g)) {
        assert.ok(!seen.has(m[1]!), `${m[1]} listed twice`);
        seen.set(m[1]!, { param: p, lambdaMax: lm!.startsWith('yes') });
      }
    }
    for (const row of MODEL_TABLE) {
      const r = seen.get(row.name);
      assert.ok(r !== undefined, `${row.name} is in README's table`);
      assert.equal(r.param, row.pathParam, `${row.name}: parameter`);
      assert.equal(r.lambdaMax, row.lambdaMax !== undefined, `${row.name}: λ_max`);
    }
    assert.equal(seen.size, MODEL_TABLE.length, 'no model that the table lacks');
  });

  test('path points: no rank for the group lasso (not NaN), an integer rank for the trace norm', () => {
    const r = mulberry32(5);
    const tasks = [0, 1, 2].map(() => {
      const X = Array.from({ length: 15 }, () => [r(), r(), r(), r()]);
      return { X, y: X.map((x) => x[0]! - 2 * x[1]! + 0.1 * r()) };
    });
    const data = MultiTaskData.fromTasks(tasks);
    for (const p of path(data, groupLasso, { nLambdas: 4 }).points) assert.ok(!('rank' in p) || p.rank === undefined, `rank ${String(p.rank)}`);
    const tn = path(data, traceNorm, { nLambdas: 4 }).points;
    assert.equal(tn[0]!.rank, 0);
    for (const p of tn) assert.ok(Number.isInteger(p.rank) && p.rank! >= 0 && p.rank! <= 3, `rank ${String(p.rank)}`);
  });

  test('demo and examples: run by esbuild (no tsc first), and a run leaves the checkout as it was', (t) => {
    for (const name of ['demo', 'example:seasonal', 'example:scarce', 'example:school']) {
      const script = pkg.scripts[name];
      assert.ok(script !== undefined, name);
      assert.match(script, /^node scripts\/run-ts\.mjs examples\/[\w/]+\.ts$/, `${name}: ${script}`);
    }
    assert.doesNotMatch(readFileSync('scripts/run-ts.mjs', 'utf8'), /\btsc\b|typescript/, 'run-ts bundles; it does not type-check');
    const git = (...a: string[]) => spawnSync('git', a, { encoding: 'utf8' });
    if (!existsSync('.git') || git('status', '--porcelain').status !== 0) return t.skip('not a git checkout');
    const before = git('status', '--porcelain', '--untracked-files=all').stdout;
    for (const entry of ['examples/demo.ts', 'examples/scarce/run.ts']) {
      const run = spawnSync(process.execPath, ['scripts/run-ts.mjs', entry], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(run.status, 0, `${entry}: ${run.stderr}`);
    }
    assert.equal(git('status', '--porcelain', '--untracked-files=all').stdout, before, 'no tracked or untracked file changed');
    assert.equal(git('check-ignore', '-q', 'examples/scarce/output/RESULTS.md').status, 0, 'the results folder is ignored');
  });
});
