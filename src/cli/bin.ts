#!/usr/bin/env node
/**
 * The `mtlearn` executable (package.json `bin`): before loading the command line it estimates the
 * JavaScript heap the command needs for the files it reads whole (`--data`, `--X`, `--Y`; not a
 * streamed `--data`) from their sizes, and refuses with one clean line and exit status 2 when this
 * process's heap limit (`node --max-old-space-size`) is too small — instead of V8's out-of-memory
 * abort (exit 134) partway through loading or parsing (issue #13). See `io/heapNeed.ts` for the
 * estimate. Then it runs `main.ts`.
 *
 * @packageDocumentation
 */
import { statSync } from 'node:fs';
import { heapNeed, heapNeedMessage } from '../io/heapNeed.js';

/** Exit status of malformed or unusable input (as `errors.ts` EXIT_INPUT, not imported: it loads nothing). */
const EXIT_INPUT = 2;
/** Options whose file is read whole into memory. */
const READ_WHOLE = ['--data', '--X', '--Y'];

/**
 * The files a command line reads whole, and their total size (files that cannot be stat'ed count 0:
 * the command reports them itself).
 * @param argv - the arguments after `node bin.js`
 * @returns the files and their total size in bytes
 * @example
 * ```ts
 * inputFiles(['fit', '--data', 'big.csv', '--out', 'f.json']); // { files: ['big.csv'], bytes: … }
 * ```
 */
export function inputFiles(argv: readonly string[]): { files: string[]; bytes: number } {
  const streamed = argv[0] === 'stats' || argv.includes('--stream');
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!, eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (!READ_WHOLE.includes(name) || (name === '--data' && streamed)) continue;
    const file = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (file !== undefined) files.push(file);
  }
  let bytes = 0;
  for (const f of files) {
    try {
      const s = statSync(f);
      if (s.isFile()) bytes += s.size;
    } catch {
      // missing or unreadable: the command names it
    }
  }
  return { files, bytes };
}

const argv = process.argv.slice(2);
const input = inputFiles(argv);
const h = heapNeed(input.bytes);
if (!h.fits) {
  process.stderr.write(`mtlearn: error: ${heapNeedMessage(h, input.bytes, input.files.length > 0 ? input.files.join(', ') : 'no file')}\n`);
  process.exitCode = EXIT_INPUT;
} else {
  const { runCommandLine } = await import('./main.js');
  await runCommandLine(argv);
}
