/**
 * Shared checks of {@link SharedDesign}'s products (issue #11 tests).
 */
import assert from 'node:assert/strict';
import type { SharedDesign } from '../../src/datafits/sharedDesign.js';

/**
 * Asserts that X̃ᵀA with the column squares taken in the same pass (`fused`) equals X̃ᵀA and the squares
 * by another design object over the same data (`other`), bit for bit.
 * @param fused - a fresh design: `squaresWithNextProduct` is called on it
 * @param other - a fresh design over the same X̃
 * @param A - n×k
 * @param k - columns of A
 * @param label - assertion message prefix
 * @returns fused's squares
 */
export function assertFusedSquares(fused: SharedDesign, other: SharedDesign, A: Float64Array, k: number, label: string): Float64Array {
  const d = fused.d;
  const o1 = new Float64Array(d * k), o2 = new Float64Array(d * k), s1 = new Float64Array(d), s2 = new Float64Array(d);
  fused.squaresWithNextProduct();
  fused.transposeTimes(A, k, o1);
  fused.columnSquares(s1);
  other.transposeTimes(A, k, o2);
  other.columnSquares(s2);
  assert.deepEqual(Array.from(o1), Array.from(o2), `X̃ᵀA ${label}`);
  assert.deepEqual(Array.from(s1), Array.from(s2), `squares ${label}`);
  return s1;
}
