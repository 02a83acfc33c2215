import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crossValidate } from '../src/selection/crossValidate.js';
import { groupLasso } from '../src/models/groupLasso.js';
import { sharedProblem } from './helpers/random.js';

const child = fileURLToPath(new URL('./helpers/cvFailureChild.js', import.meta.url));

/** Runs a failure scenario in a fresh process; it must print the rejection and exit by itself. */
function runChild(scenario: string): { name: string; type: string; message: string; ms: number } {
  const r = spawnSync(process.execPath, [child, scenario], { encoding: 'utf8', timeout: 45_000 });
  assert.equal(r.signal, null, `the process did not exit by itself within 45 s (a worker kept it alive); stderr: ${r.stderr}`);
  assert.equal(r.status, 0, `exit status ${r.status}; stderr: ${r.stderr}`);
  return JSON.parse(r.stdout) as { name: string; type: string; message: string; ms: number };
}

describe('crossValidate worker failures', () => {
  test('an option that cannot be cloned is a TypeError before any worker starts; the process exits', () => {
    const r = runChild('uncloneable');
    assert.equal(r.type, 'TypeError');
    assert.match(r.message, /modelOptions\.tol: a function cannot be sent to worker threads/);
  });

  test('a fold that throws: the sibling (spinning for 120 s) is terminated at once, the RangeError keeps its type', () => {
    const r = runChild('throw');
    assert.equal(r.type, 'RangeError');
    assert.equal(r.message, 'failRows: this fold has 20 training rows');
  });

  test('a worker that exits: the sibling is terminated, the rejection says so', () => {
    const r = runChild('exit');
    assert.equal(r.type, 'Error');
    assert.match(r.message, /a worker thread exited \(code 7\) before finishing folds 0/);
  });

  test('in process: a RangeError in a worker is the serial run\'s RangeError', async () => {
    const { data } = sharedProblem(40, 5, 2, 2, 5);
    const grid = [0.1, 0.01];
    const serial = await crossValidate(data, groupLasso, { folds: 2, grid }, { q: 0.5 }).then(() => null, (e: Error) => e);
    const parallel = await crossValidate(data, groupLasso, { folds: 2, grid, workers: 2 }, { q: 0.5 }).then(() => null, (e: Error) => e);
    assert.ok(serial instanceof RangeError && parallel instanceof RangeError, `${serial} / ${parallel}`);
    assert.equal(parallel.message, serial.message);
  });
});

describe('browser loading', () => {
  test('no module reachable from the root entry imports node:* statically (nor by a literal dynamic import)', () => {
    const root = fileURLToPath(new URL('../src/', import.meta.url));
    const builtin = /^(node:|fs$|path$|os$|url$|worker_threads$|child_process$|stream$|crypto$|util$|module$)/;
    const seen = new Set<string>();
    const offenders: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      const specs = [...text.matchAll(/^\s*(?:import|export)\s(?:[^;'"]*?\sfrom\s*)?['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
      const dynamic = [...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
      for (const sp of [...specs, ...dynamic]) {
        if (builtin.test(sp)) offenders.push(`${file.slice(root.length)} imports ${sp}`);
        else if (sp.startsWith('.') && specs.includes(sp)) visit(join(file, '..', sp));
      }
    };
    visit(join(root, 'index.js'));
    assert.ok(seen.size > 20, `followed ${seen.size} modules`);
    assert.ok(seen.has(join(root, 'selection', 'crossValidate.js')), 'crossValidate is reachable from the root entry');
    assert.deepEqual(offenders, []);
  });
});
