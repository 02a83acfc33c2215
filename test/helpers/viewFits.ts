// Shared check of the row-subset view tests (foldViews, foldViewsTasks): a group-lasso fit on a view
// equals the fit on an explicit copy of its rows bit for bit with intercepts, and to rounding without.
import assert from 'node:assert/strict';
import type { MultiTaskData } from '../../src/data/MultiTaskData.js';
import { groupLasso, groupLassoLambdaMax } from '../../src/models/groupLasso.js';

/**
 * Fits both at 0.05·λ_max (of the copy) and compares them.
 * @param view - the view
 * @param copy - a copy of its rows
 */
export function assertViewFitsLikeCopy(view: MultiTaskData, copy: MultiTaskData): void {
  const lambda = 0.05 * groupLassoLambdaMax(copy);
  const fv = groupLasso(view, { lambda }), fc = groupLasso(copy, { lambda });
  assert.ok(fc.converged);
  assert.deepEqual(fv.W.data, fc.W.data);
  assert.deepEqual(fv.intercepts, fc.intercepts);
  assert.equal(fv.objective, fc.objective);
  const gv = groupLasso(view, { lambda, fitIntercept: false }), gc = groupLasso(copy, { lambda, fitIntercept: false });
  assert.ok(gv.converged && gc.converged);
  let diff = 0, scale = 0;
  for (let k = 0; k < gv.W.data.length; k++) { diff = Math.max(diff, Math.abs(gv.W.data[k]! - gc.W.data[k]!)); scale = Math.max(scale, Math.abs(gc.W.data[k]!)); }
  assert.ok(diff <= 1e-6 * scale, `W differs by ${diff} (scale ${scale})`);
}
