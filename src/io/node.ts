/**
 * `mtlearn/node`: file readers for Node (the root entry `mtlearn` stays free of Node imports and
 * runs in a browser). {@link readLongCsvFile} reads the long CSV layout of the command line
 * (`task,y,x1,…,xd`) straight into typed arrays and returns a {@link MultiTaskData};
 * {@link streamStatistics} reads one of any size as a stream into its sufficient statistics.
 *
 * @packageDocumentation
 */
import { closeSync, readSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import {
  CsvInputError, longCsvData, scanLongCsv, scanMatrixCsv, type LongCsv, type LongCsvData, type LongCsvOptions, type MatrixCsv,
} from './csv.js';
import { openInputFile } from './openFile.js';
import type { ByteSource } from './tokenizer.js';

export {
  CsvInputError, parseLongCsv, orderTaskLabels, type LongCsvData, type LongCsvOptions,
} from './csv.js';
export { streamStatistics, StreamCsvError, type StreamStatisticsOptions } from './statisticsStream.js';

/**
 * An open file as a {@link ByteSource} (read in 64 KiB chunks; `rewind` starts over), and its size.
 * @param file - the path
 * @returns the source, its size in bytes and `close()`
 * @throws {@link CsvInputError} when the file cannot be opened or is a directory
 * @example
 * ```ts
 * const f = fileSource('school.csv'); try { scanLongCsv(f.source, 'school.csv'); } finally { f.close(); }
 * ```
 * @see {@link readLongCsvFile}
 */
export function fileSource(file: string): { source: ByteSource; size: number; close(): void } {
  const { fd, regular, size } = openInputFile(file);
  let pos = 0;
  return {
    size,
    source: {
      read(buf: Uint8Array): number {
        let n: number;
        try {
          n = readSync(fd, buf, 0, buf.length, regular ? pos : null);
        } catch (e) {
          throw new CsvInputError(file, 0, 0, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, 'a readable CSV file');
        }
        pos += n;
        return n;
      },
      rewind(): void {
        if (!regular) throw new CsvInputError(file, 0, 0, 'is not a regular file (it is read twice)', 'a regular CSV file');
        pos = 0;
      },
    },
    close: () => closeSync(fd),
  };
}

function gib(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/**
 * Refuses a file too large for this process before reading it: its numbers take about as much memory
 * as its text (8 bytes per value of ~7–10 characters), and the data and the fit hold up to two more
 * copies; a file larger than the JavaScript heap limit (`node --max-old-space-size`) is refused.
 * @param file - the path (for the message)
 * @param size - its size in bytes (−1: unknown, not checked)
 * @throws {@link CsvInputError} naming the size and the limit
 * @example
 * ```ts
 * checkFileFitsMemory('big.csv', 3e9);
 * ```
 * @see {@link readLongCsvFile}
 */
export function checkFileFitsMemory(file: string, size: number): void {
  if (size < 0) return;
  const limit = getHeapStatistics().heap_size_limit;
  if (size > limit) {
    throw new CsvInputError(
      file, 0, 0, `the file is ${gib(size)}, more than this process's memory limit of ${gib(limit)}`,
      'a smaller file, or a larger limit (node --max-old-space-size=MiB)',
    );
  }
}

/** Runs `read`, turning a failed typed-array allocation into a clean input error. */
function withMemoryCheck<R>(file: string, size: number, read: () => R): R {
  checkFileFitsMemory(file, size);
  try {
    return read();
  } catch (e) {
    if (e instanceof RangeError && /allocation failed|Invalid typed array length|Array buffer/i.test(e.message)) {
      throw new CsvInputError(file, 0, 0, `out of memory while reading ${size >= 0 ? gib(size) : 'the file'} (${e.message})`, 'a file that fits in memory');
    }
    throw e;
  }
}

/**
 * Reads a long CSV file into arrays (see `scanLongCsv`), without building the data object.
 * @param file - the path
 * @param options - column names and whether the response is required
 * @returns the scanned CSV
 * @throws {@link CsvInputError} on unreadable, too large or malformed input
 * @example
 * ```ts
 * readLongCsv('new.csv', { requireResponse: false }).rowTask;
 * ```
 * @see {@link readLongCsvFile}
 */
export function readLongCsv(file: string, options: Omit<LongCsvOptions, 'file'> = {}): LongCsv {
  const f = fileSource(file);
  try {
    return withMemoryCheck(file, f.size, () => scanLongCsv(f.source, file, options));
  } finally {
    f.close();
  }
}

/**
 * Reads a numeric matrix CSV file with a header (see `scanMatrixCsv`).
 * @param file - the path
 * @param allowMissing - whether an empty cell, `NaN` or `NA` is read as NaN
 * @returns names, matrix, line numbers
 * @throws {@link CsvInputError} on unreadable, too large or malformed input
 * @example
 * ```ts
 * readMatrixCsv('X.csv', false).matrix.rows;
 * ```
 * @see {@link readLongCsv}
 */
export function readMatrixCsv(file: string, allowMissing: boolean): MatrixCsv {
  const f = fileSource(file);
  try {
    return withMemoryCheck(file, f.size, () => scanMatrixCsv(f.source, file, allowMissing));
  } finally {
    f.close();
  }
}

/**
 * Reads a long CSV file `task,y,x1,…,xd` (the layout of `mtlearn fit --data`) into a
 * {@link MultiTaskData}: task labels as text (numeric order when every label is a number, else order
 * of first appearance; `1` and `1.0` in one file are an error), every other column a feature, strict
 * decimal numbers. The file is read twice in 64 KiB chunks, so memory is the data plus one line.
 * @param file - the path
 * @param options - the task and response column names
 * @returns the data with its task labels and feature names
 * @throws {@link CsvInputError} naming file:line:column on malformed input, or the size when the file
 *   exceeds the process's memory limit
 * @example
 * ```ts
 * import { readLongCsvFile } from 'mtlearn/node';
 * import { groupLasso } from 'mtlearn';
 * const { data, taskLabels, featureNames } = readLongCsvFile('school.csv');
 * const fit = groupLasso(data, { lambda: 0.1 });
 * ```
 * @see {@link parseLongCsv}
 */
export function readLongCsvFile(file: string, options: Omit<LongCsvOptions, 'file' | 'requireResponse'> = {}): LongCsvData {
  return longCsvData(readLongCsv(file, { ...options, requireResponse: true }));
}
