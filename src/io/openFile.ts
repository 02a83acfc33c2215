/**
 * Opening an input file for the CSV readers of `mtlearn/node`, with the reader's messages for a
 * missing file or a directory. Node only.
 *
 * @packageDocumentation
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import { CsvInputError } from './tokenizer.js';

/**
 * Opens a file for reading.
 * @param file - the path
 * @returns the descriptor, whether it is a regular file, and its size (−1 when not regular)
 * @throws {@link CsvInputError} when the file cannot be opened or is a directory
 * @example
 * ```ts
 * const { fd, size } = openInputFile('school.csv');
 * ```
 * @see {@link fileSource}
 */
export function openInputFile(file: string): { fd: number; regular: boolean; size: number } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CsvInputError(file, 0, 0, code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(e)})`, 'a readable CSV file');
  }
  const st = fstatSync(fd);
  if (st.isDirectory()) {
    closeSync(fd);
    throw new CsvInputError(file, 0, 0, 'is a directory', 'a readable CSV file');
  }
  return { fd, regular: st.isFile(), size: st.isFile() ? st.size : -1 };
}
