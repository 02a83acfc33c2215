/**
 * The factory of the row norms ‖·‖_q, q ∈ [1, ∞].
 *
 * @packageDocumentation
 */
import { L1Norm } from './l1.js';
import { L2Norm } from './l2.js';
import { LinfNorm } from './linf.js';
import { LqNorm } from './lq.js';
import type { RowNorm } from './types.js';

/**
 * Creates the row norm ‖·‖_q for q ∈ [1, ∞]: {@link L1Norm} for q = 1, {@link L2Norm} for q = 2,
 * {@link LinfNorm} for q = ∞ (exactly these values), and {@link LqNorm} for any other q in (1, ∞).
 *
 * @param q - exponent of the norm, 1 ≤ q ≤ ∞ (`Infinity` for the max norm)
 * @param maxLength - the largest row length n (the number of tasks T) the norm will be applied to;
 *   any work buffer is allocated once with this length
 * @returns a {@link RowNorm} (not re-entrant: use one per solver)
 * @throws RangeError `q: expected a number in [1, ∞], got …` if q is NaN or outside [1, ∞]
 * @example
 * ```ts
 * const nrm = rowNorm(Infinity, 5); // L1/L∞
 * const row = new Float64Array([3, -1, 0.5, 0, 2]);
 * nrm.prox(row, 0, 5, 1, row, 0); // in place
 * ```
 * @see J. Liu, J. Ye (2010), "Efficient L1/Lq norm regularization" (general q);
 *   B. Turlach, W. Venables, S. Wright (2005) and A. Quattoni et al. (2009) (q = ∞);
 *   J. Duchi et al. (2008) (the ℓ1-ball projection behind q = ∞)
 */
export function rowNorm(q: number, maxLength: number): RowNorm {
  if (typeof q !== 'number' || !(q >= 1)) {
    throw new RangeError(`q: expected a number in [1, ∞], got ${String(q)}`);
  }
  if (!(Number.isInteger(maxLength) && maxLength >= 0)) {
    throw new RangeError(`maxLength: expected a non-negative integer, got ${String(maxLength)}`);
  }
  if (q === 1) return new L1Norm();
  if (q === 2) return new L2Norm();
  if (q === Infinity) return new LinfNorm(maxLength);
  return new LqNorm(q, maxLength);
}
