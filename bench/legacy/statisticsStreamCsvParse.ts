/**
 * BASELINE for bench/statistics.ts only: the csv-parse implementation of `streamStatistics` as it was
 * before it moved onto the command line's byte tokenizer (#15). Not part of the package.
 *
 * Streaming statistics of a long CSV (`task,y,x1,…,xd`) in constant memory: csv-parse's streaming
 * mode feeds chunks of rows to a {@link StatisticsBuilder}; memory is O(T·d² + chunk), whatever the
 * number of rows. Node only (reads files).
 *
 * @packageDocumentation
 */
import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { StatisticsBuilder } from '../../src/data/statisticsBuilder.js';
import type { MultiTaskStatistics } from '../../src/data/statistics.js';
import { strictNumber } from '../../src/io/tokenizer.js';

/** Options of {@link streamStatistics}. */
export interface StreamStatisticsOptions {
  /** Name of the task column. @default 'task' */
  readonly taskColumn?: string;
  /** Name of the response column. @default 'y' */
  readonly responseColumn?: string;
  /** Rows gathered before each Gram update. @default 4096 */
  readonly chunkRows?: number;
  /** Called after each chunk with the bytes read so far, the file size (NaN for a stream) and the rows so far. */
  readonly onProgress?: (bytesRead: number, totalBytes: number, rows: number) => void;
  /** The name used in error messages when `input` is a stream. @default '<stream>' */
  readonly name?: string;
}

/** A malformed line of a streamed CSV: `file:line:column (column "name"): problem; expected …`. */
export class StreamCsvError extends Error {
  /**
   * @param file - the file name
   * @param line - 1-based line
   * @param column - 1-based column (0 = whole line)
   * @param problem - what is wrong
   * @param expected - what was expected
   * @param columnName - the column's header name, when known
   */
  constructor(readonly file: string, readonly line: number, readonly column: number, problem: string, expected: string, columnName?: string) {
    super(`${file}:${line}${column > 0 ? `:${column}` : ''}${columnName !== undefined ? ` (column "${columnName}")` : ''}: ${problem}; expected ${expected}`);
    this.name = 'StreamCsvError';
  }
}

function cell(file: string, line: number, j: number, s: string, name: string): number {
  // the same strict grammar as the CLI's reader (no hexadecimal, no Infinity, no under- or overflow)
  const v = strictNumber(s);
  if (v === null) {
    throw new StreamCsvError(file, line, j + 1, s === '' ? 'empty cell' : `got "${s}"`, 'a finite decimal number (no hexadecimal, no underflow to 0)', name);
  }
  return v;
}

/**
 * Reads a long CSV as a stream and returns its sufficient statistics. Tasks are ordered as the CLI
 * orders them (numerically when every label is a number, else by first appearance). Every cell must
 * be a finite decimal number; every row needs a response.
 * @param input - a file path or a readable stream of CSV text
 * @param options - column names, chunk size, progress callback
 * @returns statistics of kind `'tasks'` with the task labels and feature names of the file
 * @throws StreamCsvError naming file, line and column on malformed input; the file system's error
 *   when the file cannot be read
 * @example
 * ```ts
 * const stats = await streamStatistics('big.csv', { onProgress: (b, total) => bar(b / total) });
 * ```
 * @see {@link StatisticsBuilder}, {@link serializeStatistics}
 */
export async function streamStatisticsCsvParse(input: string | Readable, options: StreamStatisticsOptions = {}): Promise<MultiTaskStatistics> {
  const file = typeof input === 'string' ? input : (options.name ?? '<stream>');
  const taskColumn = options.taskColumn ?? 'task';
  const responseColumn = options.responseColumn ?? 'y';
  const chunkRows = options.chunkRows ?? 4096;
  if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new RangeError(`chunkRows: expected an integer ≥ 1, got ${chunkRows}`);
  const total = typeof input === 'string' ? statSync(input).size : NaN;
  const source = typeof input === 'string' ? createReadStream(input) : input;
  const parser = source.pipe(parse({ relax_column_count: true, skip_empty_lines: true, trim: true, info: true, bom: true }));
  let header: string[] | null = null;
  let ti = -1, yi = -1, d = 0;
  let featureCols: Int32Array = new Int32Array(0);
  let builder: StatisticsBuilder | null = null;
  let X = new Float64Array(0), y = new Float64Array(0), task = new Int32Array(0);
  let m = 0;
  const flush = (bytes: number): void => {
    if (m === 0 || builder === null) return;
    builder.add(X.subarray(0, m * d), y.subarray(0, m), task.subarray(0, m));
    m = 0;
    options.onProgress?.(bytes, total, builder.rows);
  };
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number; bytes: number } }>) {
      const cells = rec.record;
      const line = rec.info.lines;
      if (cells.every((c) => c === '')) continue;
      if (header === null) {
        header = cells;
        ti = header.indexOf(taskColumn);
        yi = header.indexOf(responseColumn);
        if (ti < 0) throw new StreamCsvError(file, line, 1, `no task column "${taskColumn}" in the header`, `a header "${taskColumn},${responseColumn},x1,…,xd"`);
        if (yi < 0) throw new StreamCsvError(file, line, 1, `no response column "${responseColumn}" in the header`, `a header "${taskColumn},${responseColumn},x1,…,xd"`);
        const cols: number[] = [];
        header.forEach((_, j) => { if (j !== ti && j !== yi) cols.push(j); });
        d = cols.length;
        if (d === 0) throw new StreamCsvError(file, line, 0, 'no feature column in the header', 'd ≥ 1 features');
        featureCols = Int32Array.from(cols);
        builder = new StatisticsBuilder(d, cols.map((j) => header![j]!));
        X = new Float64Array(chunkRows * d); y = new Float64Array(chunkRows); task = new Int32Array(chunkRows);
        continue;
      }
      if (cells.length !== header.length) {
        throw new StreamCsvError(file, line, Math.min(cells.length, header.length) + 1, `ragged row with ${cells.length} fields`, `${header.length} fields, as in the header`);
      }
      const label = cells[ti]!;
      if (label === '') throw new StreamCsvError(file, line, ti + 1, 'empty task label', 'a task identifier', taskColumn);
      task[m] = builder!.taskIndex(label);
      y[m] = cell(file, line, yi, cells[yi]!, responseColumn);
      for (let k = 0; k < d; k++) X[m * d + k] = cell(file, line, featureCols[k]!, cells[featureCols[k]!]!, header[featureCols[k]!]!);
      if (++m === chunkRows) flush(rec.info.bytes);
    }
  } catch (e) {
    if (e instanceof StreamCsvError || (e as NodeJS.ErrnoException).code === 'ENOENT') throw e;
    const err = e as { lines?: number; column?: number; message?: string };
    if (typeof err.lines === 'number') {
      throw new StreamCsvError(file, err.lines, typeof err.column === 'number' ? err.column + 1 : 0, (err.message ?? String(e)).replace(/ at line \d+.*$/s, ''), 'well-formed CSV (RFC 4180 quoting)');
    }
    throw e;
  }
  if (header === null) throw new StreamCsvError(file, 1, 0, 'the file is empty', 'a header line followed by data rows');
  flush(Number.isFinite(total) ? total : 0);
  if (builder!.rows === 0) throw new StreamCsvError(file, 2, 0, 'no data rows after the header', 'at least one data row');
  return builder!.finish();
}
