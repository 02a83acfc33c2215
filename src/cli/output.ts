/**
 * Writing the `--out` file of a command.
 *
 * - A regular file (or a new path) is written atomically: to a temporary file in the same directory
 *   as the file (for a symlink: as its target), then renamed over it, keeping its permissions; a
 *   failed command leaves the old contents and no temporary file. A read-only file is refused.
 * - Anything else — a FIFO, a character device (`/dev/full`, a terminal), `/dev/stdout`,
 *   `/proc/self/fd/1` — is opened and written through; it is never replaced, and a write error
 *   (ENOSPC on `/dev/full`) is reported with the system's wording.
 * - An output that is the same file (same device and inode, through any path or symlink) as one of
 *   the command's inputs is refused before anything is written.
 *
 * @packageDocumentation
 */
import {
  accessSync, chmodSync, closeSync, constants, fsyncSync, lstatSync, openSync, realpathSync, renameSync, statSync, unlinkSync,
  writeSync, type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { OutputError } from './errors.js';

/**
 * An input of the command that the output must not overwrite.
 * @example
 * ```ts
 * const inputs: CommandInput[] = [{ flag: '--data', file: 'school.csv' }];
 * ```
 * @see {@link writeOutput}
 */
export interface CommandInput {
  /** The option that named it, e.g. `--data`. */
  readonly flag: string;
  /** The path as given. */
  readonly file: string;
}

const SYSTEM_MESSAGES: Readonly<Record<string, string>> = {
  ENOSPC: 'No space left on device',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EROFS: 'Read-only file system',
  EPIPE: 'Broken pipe',
  EDQUOT: 'Disk quota exceeded',
  EIO: 'Input/output error',
};

/** "No space left on device (ENOSPC)" from a system error. */
function systemProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === undefined) return e instanceof Error ? e.message : String(e);
  return `${SYSTEM_MESSAGES[code] ?? code} (${code})`;
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/**
 * Throws when `out` is the same file as one of `inputs` (same device and inode).
 * @param out - the output path
 * @param inputs - the command's input files
 * @throws {@link OutputError} naming both options
 * @example
 * ```ts
 * refuseInputAsOutput('a.csv', [{ flag: '--data', file: './a.csv' }]); // throws
 * ```
 * @see {@link writeOutput}
 */
export function refuseInputAsOutput(out: string, inputs: readonly CommandInput[]): void {
  const so = statOrNull(out);
  if (so === null) return;
  for (const input of inputs) {
    const si = statOrNull(input.file);
    if (si !== null && si.dev === so.dev && si.ino === so.ino && so.isFile()) {
      throw new OutputError(out, `it is the input ${input.flag} ${input.file}; expected a different output file (the input would be overwritten)`);
    }
  }
}

let tmpCounter = 0;

/** Temporary-file-and-rename write of a regular file (or a new one) at `target`. */
function writeAtomic(shown: string, target: string, text: string | Uint8Array, mode: number | null): void {
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${++tmpCounter}.tmp`);
  let fd = -1;
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o666);
    writeAll(fd, text);
    if (mode !== null) chmodSync(tmp, mode & 0o7777);
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    renameSync(tmp, target);
  } catch (e) {
    if (fd >= 0) try { closeSync(fd); } catch { /* already closed */ }
    try { unlinkSync(tmp); } catch { /* never created or already gone */ }
    throw new OutputError(shown, `${systemProblem(e)}; expected a writable file in an existing directory`);
  }
}

/** A word to sleep on (Atomics.wait) while a non-blocking descriptor is full. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes every byte of `text` (UTF-8) or of the bytes to `fd` (short writes continue). The process's
 * own standard output is non-blocking when it is a pipe (Node sets it so), so a full pipe to a slow
 * reader (`--out /dev/stdout | slow`) answers EAGAIN: wait 2 ms and write on, as a blocking write would.
 */
function writeAll(fd: number, text: string | Uint8Array): void {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  for (let off = 0; off < buf.length;) {
    try {
      off += writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(PAUSE, 0, 0, 2);
    }
  }
}

/** Whether writes to `path` must go through the existing object (never an atomic replacement). */
function isSpecialPath(abs: string): boolean {
  return abs.startsWith('/dev/') || abs.startsWith('/proc/');
}

/** The descriptor named by /dev/stdout, /dev/stderr, /dev/fd/N or /proc/self/fd/N, else null. */
function ownDescriptor(abs: string): number | null {
  if (abs === '/dev/stdout') return 1;
  if (abs === '/dev/stderr') return 2;
  const m = /^\/(?:dev\/fd|proc\/self\/fd|proc\/thread-self\/fd)\/(\d+)$/.exec(abs) ?? new RegExp(`^/proc/${process.pid}/fd/(\\d+)$`).exec(abs);
  return m ? Number(m[1]) : null;
}

/**
 * Writes a command's output file (see the module comment for the rules).
 * @param out - the `--out` path as given
 * @param text - the contents (text, written as UTF-8, or bytes)
 * @param inputs - the command's inputs, which `out` must not be
 * @throws {@link OutputError} when the output is an input, a read-only file, in a missing
 *   directory, or a write fails (the message carries the system's wording, e.g. "No space left on device")
 * @example
 * ```ts
 * writeOutput('fit.json', json, [{ flag: '--data', file: 'school.csv' }]);
 * writeOutput('/dev/stdout', csv, []); // written through, not replaced
 * ```
 * @see {@link refuseInputAsOutput}
 */
export function writeOutput(out: string, text: string | Uint8Array, inputs: readonly CommandInput[] = []): void {
  refuseInputAsOutput(out, inputs);
  const abs = resolve(out);
  let link: Stats | null = null;
  try {
    link = lstatSync(abs);
  } catch {
    link = null;
  }
  const st = link === null ? null : statOrNull(abs);
  if (link !== null && link.isDirectory()) throw new OutputError(out, 'Is a directory (EISDIR); expected a file path');
  if (st !== null && st.isDirectory()) throw new OutputError(out, 'Is a directory (EISDIR); expected a file path');
  const regular = link === null || (st !== null && st.isFile());
  if (regular && !isSpecialPath(abs)) {
    // a new path, a regular file, or a symlink to one: replace the file (the link's target) atomically
    const target = link !== null && link.isSymbolicLink() ? (st !== null ? realpathSync(abs) : abs) : abs;
    if (st !== null) {
      if ((st.mode & 0o222) === 0) throw new OutputError(out, 'read-only file (no write permission bits); expected a writable file');
      try {
        accessSync(target, constants.W_OK);
      } catch (e) {
        throw new OutputError(out, `${systemProblem(e)}; expected a writable file`);
      }
    }
    writeAtomic(out, target, text, st !== null ? st.mode : null);
    return;
  }
  // FIFO, device, socket, /dev/stdout, /proc/self/fd/N, or a dangling symlink: write through
  const own = ownDescriptor(abs);
  if (own !== null) {
    // this process's own descriptor (a socket cannot be reopened by path): write to it directly
    try {
      writeAll(own, text);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') return; // the reader went away (`| head`): nothing more to say
      throw new OutputError(out, systemProblem(e));
    }
    return;
  }
  let fd = -1;
  try {
    const truncate = st !== null && st.isFile() ? constants.O_TRUNC : 0;
    fd = openSync(abs, constants.O_WRONLY | truncate | (st === null ? constants.O_CREAT : 0), 0o666);
    writeAll(fd, text);
  } catch (e) {
    throw new OutputError(out, systemProblem(e));
  } finally {
    if (fd >= 0) {
      try { closeSync(fd); } catch { /* reported by the write */ }
    }
  }
}
