import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { MultiTaskData, groupLasso } from '../src/index.js';
import { sharedProblem } from './helpers/random.js';

describe('data whose squares leave double precision are rejected at construction, saying by how much', () => {
  const { data } = sharedProblem(20, 3, 2, 2, 5);
  const X = (c: number) => ({ rows: 20, cols: 3, data: Float64Array.from(data.X!, (v) => v * c) });
  const Y = (c: number) => ({ rows: 20, cols: 2, data: Float64Array.from(data.Y!, (v) => v * c) });

  test('entries near 1e154: an overflow error naming X or Y and the factor to divide by', () => {
    assert.throws(() => MultiTaskData.fromShared(X(1e154), Y(1)),
      /^RangeError: X: the data overflow double precision: the sum of squares is about 1e3\d\d, above 1e200 \(largest \|entry\| [\d.]+e\+15\d\); divide X by at least 1e\+\d+/);
    assert.throws(() => MultiTaskData.fromShared(X(1), Y(1e154)), /Y: the data overflow double precision/);
    assert.throws(() => MultiTaskData.fromTasks([{ X: [[1e155]], y: [1] }, { X: [[1]], y: [2] }]), /X: the data overflow/);
    assert.throws(() => MultiTaskData.fromTasks([{ X: [[1]], y: [1e-160] }]), /y: the data underflow double precision.*multiply y by at least/);
  });

  test('the advised factor is enough: the rescaled data are accepted, and the fit at λ·c² equals the unscaled fit', () => {
    let msg = '';
    try { MultiTaskData.fromShared(X(1e154), Y(1e154)); } catch (e) { msg = (e as Error).message; }
    const by = Number(/divide X by at least ([\d.e+]+)/.exec(msg)![1]);
    const ok = MultiTaskData.fromShared(X(1e154 / by), Y(1e154 / by));
    const c = 1e154 / by; // X and Y scaled by c: the loss scales by c², so λ does too for the same W
    const fit = groupLasso(ok, { lambda: 1e-3 * c * c });
    assert.ok(fit.converged && Number.isFinite(fit.certificate));
    const ref = groupLasso(data, { lambda: 1e-3 });
    for (let i = 0; i < ref.W.data.length; i++) assert.ok(Math.abs(fit.W.data[i]! - ref.W.data[i]!) <= 1e-5 * (1 + Math.abs(ref.W.data[i]!)));
  });

  test('large but representable data (1e90) are accepted', () => {
    const big = MultiTaskData.fromShared(X(1e90), Y(1e90));
    assert.equal(big.d, 3);
  });
});
