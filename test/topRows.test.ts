/** bcd's working-set selection (issue #11): the first p rows of a stable sort by decreasing score. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topRows } from '../src/solvers/topRows.js';
import { mulberry32 } from './helpers/random.js';

test('topRows equals the first p of a stable sort by decreasing score, with ties and infinities', () => {
  const rnd = mulberry32(11);
  for (let trial = 0; trial < 400; trial++) {
    const d = 1 + Math.floor(rnd() * 60);
    const score = new Float64Array(d);
    // few distinct values (many ties), some ∞ (the nonzero rows), some 0
    for (let j = 0; j < d; j++) { const u = rnd(); score[j] = u < 0.2 ? Infinity : u < 0.35 ? 0 : Math.floor(rnd() * 6) / 2; }
    const order = Int32Array.from({ length: d }, (_, j) => j).filter(() => rnd() < 0.8);
    const m = order.length;
    if (m === 0) continue;
    const p = 1 + Math.floor(rnd() * m);
    const want = Array.from(order).sort((a, b) => (score[b] === score[a] ? 0 : score[b]! > score[a]! ? 1 : -1)).slice(0, p).sort((a, b) => a - b);
    const out = new Int32Array(d), work = new Float64Array(d);
    topRows(order, m, score, p, out, work);
    assert.deepEqual(Array.from(out.subarray(0, p)), want, `trial ${trial}: d ${d}, m ${m}, p ${p}`);
  }
});
