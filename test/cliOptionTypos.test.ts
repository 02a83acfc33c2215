/**
 * #14: a misspelt option is an error that names the misspelling and suggests the right name, in the
 * library (every row of the model table, every option of its base case, including required ones:
 * `groupLasso(data, { lamda: 0.1 })` used to say only "the option lambda is required"; now it also names `lamda`) and on the
 * command line (`--lamda`).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEL_TABLE } from '../src/models/table.js';
import { baseOptions, problems } from './helpers/propertyCase.js';
import { longCsv, runCli } from './helpers/cli.js';

/** The key with its first two letters swapped (`lambda` → `almbda`): edit distance 1 from the key only. */
function typo(key: string): string {
  return key[1]! + key[0]! + key.slice(2);
}

describe('misspelt options name the misspelling and the right option (#14)', () => {
  const data = problems[0]![1];
  for (const row of MODEL_TABLE) {
    test(`${row.name}: each numeric option of its base case, misspelt`, () => {
      const base = baseOptions(row, data);
      const keys = Object.keys(base).filter((k) => k.length >= 3 && typeof base[k] === 'number');
      assert.ok(keys.length >= 1, `${row.name}: a numeric option to misspell`);
      for (const k of keys) {
        const bad: Record<string, unknown> = { ...base, [typo(k)]: base[k] };
        delete bad[k];
        assert.throws(() => row.fit(data, bad), (e: unknown) => {
          assert.ok(e instanceof RangeError, `${row.name} ${typo(k)}: ${String(e)}`);
          assert.ok(e.message.includes(`'${typo(k)}'`) && e.message.includes(`did you mean ${k}?`), `${row.name} ${typo(k)}: ${e.message}`);
          return true;
        });
      }
    });
  }

  test('the message when the required option is the misspelt one', () => {
    const row = MODEL_TABLE.find((r) => r.name === 'groupLasso')!;
    assert.throws(() => row.fit(data, { lamda: 0.1 }), {
      name: 'RangeError', message: "groupLasso options: the option lambda is required (got 'lamda': did you mean lambda?)",
    });
    // a missing option with nothing close to it keeps the short message
    assert.throws(() => row.fit(data, { tol: 1e-6 }), { name: 'RangeError', message: 'groupLasso options: the option lambda is required' });
  });

  test('command line: --lamda and --n-lambda are usage errors suggesting --lambda and --n-lambdas', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtlearn-typo-'));
    try {
      const csv = join(dir, 'train.csv');
      longCsv(csv, 3, 3, 8, 1);
      const fit = await runCli(['fit', '--model', 'group-lasso', '--data', csv, '--lamda', '0.1', '--out', join(dir, 'f.json')]);
      assert.equal(fit.code, 1);
      assert.match(fit.stderr, /unknown option '--lamda'[\s\S]*Did you mean --lambda\?/);
      const cv = await runCli(['cv', '--model', 'group-lasso', '--data', csv, '--n-lambda', '3', '--out', join(dir, 'c.json')]);
      assert.equal(cv.code, 1);
      assert.match(cv.stderr, /unknown option '--n-lambda'[\s\S]*Did you mean --n-lambdas\?/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
