/**
 * The reader of a numeric matrix CSV with a header line (the shared design's `X.csv` and `Y.csv`),
 * straight into a row-major Float64Array, with the strict numbers of the long reader.
 *
 * @packageDocumentation
 */
import { cellText, CsvInputError, scanCsv, type ByteSource } from './tokenizer.js';
import { cellNumber, checkHeader, checkWidth, IntList } from './csv.js';
import type { Mat } from '../types.js';

/**
 * A numeric matrix CSV with a header, read by {@link scanMatrixCsv}.
 * @example
 * ```ts
 * const { names, matrix } = scanMatrixCsv(src, 'X.csv', false);
 * ```
 * @see {@link scanMatrixCsv}
 */
export interface MatrixCsv {
  /** Column names from the header. */
  readonly names: string[];
  /** The values, rows×cols row-major (NaN = missing where allowed). */
  readonly matrix: Mat;
  /** 1-based line of each data row. */
  readonly lines: Int32Array;
  /** 1-based line of the header. */
  readonly headerLine: number;
}

/**
 * Reads a numeric matrix with a header line of column names (two passes).
 * @param src - the bytes (read twice)
 * @param file - the file name for error messages
 * @param allowMissing - whether an empty cell, `NaN` or `NA` is accepted (read as NaN)
 * @returns names, matrix, line numbers
 * @throws {@link CsvInputError} on an empty file, a ragged row or a malformed number
 * @example
 * ```ts
 * scanMatrixCsv(src, 'Y.csv', true).matrix; // n×T, NaN = missing
 * ```
 * @see {@link scanLongCsv}
 */
export function scanMatrixCsv(src: ByteSource, file: string, allowMissing: boolean): MatrixCsv {
  let names: string[] | null = null, headerLine = 0;
  const lines = new IntList();
  scanCsv(src, file, (r) => {
    if (names === null) {
      names = [];
      for (let c = 0; c < r.count; c++) names.push(cellText(r, c));
      headerLine = r.line;
      checkHeader(file, r, names, 'a header line of column names');
      return;
    }
    checkWidth(file, r, names.length, headerLine);
    for (let j = 0; j < r.count; j++) cellNumber(file, r, j, names[j]!, allowMissing);
    lines.push(r.line);
  });
  if (names === null) throw new CsvInputError(file, 1, 1, 'the file is empty', 'a header line followed by data rows');
  const header: string[] = names;
  const n = lines.length, w = header.length;
  if (n === 0) throw new CsvInputError(file, headerLine + 1, 0, 'no data rows after the header', 'at least one data row');
  const data = new Float64Array(n * w);
  let i = -1;
  src.rewind();
  scanCsv(src, file, (r) => {
    if (i++ < 0) return;
    if (i > n || r.count !== w) throw new CsvInputError(file, r.line, 0, 'the file changed while it was read', 'an unchanging file');
    for (let j = 0; j < w; j++) data[(i - 1) * w + j] = cellNumber(file, r, j, header[j]!, allowMissing);
  });
  return { names: header, matrix: { rows: n, cols: w, data }, lines: lines.trimmed(), headerLine };
}
