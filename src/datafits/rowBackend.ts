/**
 * The internal contract of the row-wise state layers ({@link ResidualRows}, {@link GramRows}).
 *
 * @packageDocumentation
 */

/** The internal row backend (see the module documentation). */
export interface RowBackend {
  readonly kind: 'gram' | 'residual';
  reset(W: Float64Array): void;
  prepare(ws: Int32Array, k: number, W: Float64Array): void;
  corrRow(j: number, out: Float64Array): void;
  update(j: number, delta: Float64Array, ws: Int32Array, k: number): void;
  full(W: Float64Array, V: Float64Array): void;
  lossAndInner(W: Float64Array, out: Float64Array): void;
  readonly lip: Float64Array;
  readonly coordLip: Float64Array;
  readonly colNormMax: Float64Array;
}

