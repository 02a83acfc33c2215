/**
 * A property over every model of the model table: on a few random problems — default options, a
 * forced `maxIter: 1`, and (models that take warm starts) non-finite or huge warm starts — a fit
 * that says `converged` has a finite objective and a finite certificate within tol·scale (the
 * scale the model reports: F(0, b₀) or ‖∇L(0, b₀)‖), and its `status` (where the model reports one)
 * agrees with `converged`. A non-finite warm start may instead be rejected with a TypeError or
 * RangeError that names `warmStart`. Every case runs in a worker thread with a time limit, so a
 * model that hangs fails its case. Cases failing on main for another engineer's model are marked
 * `todo` with the owner's name (issue #13), never loosened. The cases: test/helpers/propertyCase.ts.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { MODEL_TABLE } from '../src/models/table.js';
import { variants } from './helpers/propertyCase.js';

const LIMIT_MS = 60_000;
const caseUrl = new URL('./helpers/propertyCase.js', import.meta.url);

/** Known failures on main, by `${model} / ${variant}`, with the owner who fixes them. */
const KNOWN: Record<string, string> = {};

function runInWorker(model: string, variant: string): Promise<string | null> {
  return new Promise((resolve) => {
    const w = new Worker(caseUrl, { workerData: { model, variant } });
    const timer = setTimeout(() => { void w.terminate(); resolve(`hangs: no result within ${LIMIT_MS / 1000} s (terminated)`); }, LIMIT_MS);
    w.once('message', (m: string | null) => { clearTimeout(timer); void w.terminate(); resolve(m); });
    w.once('error', (e) => { clearTimeout(timer); resolve(`${e.name}: ${e.message}`); });
  });
}

describe('every model of the table: converged ⇒ a finite certificate within tolerance; status agrees', () => {
  for (const row of MODEL_TABLE) {
    for (const v of variants) {
      if (!v.applies(row)) continue;
      const key = `${row.name} / ${v.name}`;
      const todo = KNOWN[key];
      test(key, todo ? { todo } : {}, async () => {
        const failure = await runInWorker(row.name, v.name);
        assert.equal(failure, null);
      });
    }
  }
});
