/**
 * Both cores for large products: a pool of Node worker threads running the WebAssembly kernels on the
 * same shared memory, driven synchronously from the calling thread.
 *
 * ## Design
 * - **Synchronous.** The solvers' API is synchronous, so the calling thread hands each worker a job
 *   through a shared control block (`Atomics.notify`), computes its own share, and waits for the others
 *   with `Atomics.wait` — which Node allows on its main thread. (Browsers forbid `Atomics.wait` on the
 *   main thread, and this module never starts workers outside Node.)
 * - **Bit-identical to one thread.** The OUTPUT is partitioned (rows of C, in multiples of 4), never a
 *   reduction: each entry is computed by one thread in the single-thread kernel's summation order with
 *   the same k-block length. Whether the pool is up, how many threads it has, or where the rows are cut
 *   never changes a bit of the result.
 * - **Lazy and harmless.** The pool starts on the first product above {@link parallelThreshold} (that
 *   product and any until the workers report ready run on one thread). Node's `worker_threads` is
 *   obtained through `process.getBuiltinModule` (no static import, so browser bundles are unaffected).
 *   Workers are `unref()`ed: they never keep the process alive. Only the main thread starts a pool
 *   (workers of e.g. cross-validation run their products single-threaded instead of oversubscribing).
 * - Configure with `MTLEARN_THREADS=<n>` (total threads including the caller; 1 disables) or
 *   {@link setKernelThreads}.
 *
 * @packageDocumentation
 */
import { alloc, free, wasm } from './wasm/runtime.js';
import { F, KIND_NN, KIND_NT, KIND_TN, KIND_TNR, runPart, workspaceBytes } from './wasm/part.js';

/** The gemm variants that can run in parallel ('tnr': TN by the streaming kernel `gemm_tnr`). */
export type GemmKind = 'nn' | 'tn' | 'nt' | 'tnr';

/** Control block layout per worker (Int32 indices); the job fields follow at JOB. */
const SEQ = 0, DONE = 1, STATUS = 2, READY = 3, JOB = 8, SLOT = 32;

interface Pool {
  workers: { terminate(): Promise<number>; unref(): void }[];
  ctl: Int32Array;
  jobs: Uint32Array;
  seq: number;
  wsAt: number[];
  wsBytes: number[];
  broken: boolean;
}

function envThreads(): number | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const v = proc?.env?.['MTLEARN_THREADS'];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

/**
 * The machine's hardware threads, at most 8: `navigator.hardwareConcurrency` where there is one (browsers,
 * Node ≥ 21), else Node's `os.availableParallelism()` (Node 20 has no `navigator`, so threading used to stay
 * off there by default — issue #11), else 1.
 */
function hardwareThreads(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  let n = nav?.hardwareConcurrency;
  if (n === undefined) {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const os = typeof proc?.getBuiltinModule === 'function'
      ? proc.getBuiltinModule('node:os') as { availableParallelism?: () => number } | undefined : undefined;
    n = typeof os?.availableParallelism === 'function' ? os.availableParallelism() : 1;
  }
  return Math.max(1, Math.min(Number.isInteger(n) ? n : 1, 8));
}

let wantThreads = envThreads() ?? hardwareThreads();
let pool: Pool | null = null;
let starting = false;
/** Products below this many flops (2·m·n·k) stay on one thread (measured in bench/kernels.ts). */
let threshold = 1e7;
/** The caller's job fields. */
const mine = new Uint32Array(16);

/**
 * Sets the number of threads large products use (the caller included); 1 turns threading off.
 * Takes effect for the next product (a running pool too small for n is replaced; a larger one is kept
 * and only n − 1 of its workers are used).
 * @param n - total threads, an integer ≥ 1
 * @throws RangeError when n is not an integer ≥ 1
 * @example
 * ```ts
 * setKernelThreads(1); // single-threaded kernels
 * ```
 * @see {@link kernelThreads}
 */
export function setKernelThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setKernelThreads: n must be an integer ≥ 1, got ${n}`);
  if (pool !== null && pool.workers.length + 1 < n) shutdown(); // a smaller count just uses fewer workers
  wantThreads = n;
}

/**
 * The configured number of threads, and how many are running now (the pool starts lazily).
 * @returns `{ configured, running }`
 * @example
 * ```ts
 * kernelThreads(); // { configured: 2, running: 2 } once a large product has started the pool
 * ```
 * @see {@link setKernelThreads}
 */
export function kernelThreads(): { configured: number; running: number } {
  const ready = pool !== null && !pool.broken && poolReady(pool);
  return { configured: wantThreads, running: ready ? Math.min(pool!.workers.length + 1, wantThreads) : 1 };
}

/**
 * The flop count (2·m·n·k) from which products are split across threads.
 * @param flops - new threshold (optional; omit to read)
 * @returns the threshold in force
 * @example
 * ```ts
 * parallelThreshold(0); // split everything (tests)
 * ```
 * @see {@link setKernelThreads}
 */
export function parallelThreshold(flops?: number): number {
  if (flops !== undefined) {
    if (!(flops >= 0)) throw new RangeError(`parallelThreshold: flops must be ≥ 0, got ${flops}`);
    threshold = flops;
  }
  return threshold;
}

/**
 * Starts the pool now and waits (synchronously, up to `timeoutMs`) until its workers are ready.
 * Benchmarks and tests use it; solvers need not (the pool starts by itself).
 * @param timeoutMs - how long to wait, ms
 * @default timeoutMs 5000
 * @returns the number of threads running
 * @example
 * ```ts
 * startKernelThreads(); // 2 on a two-core machine in Node
 * ```
 * @see {@link kernelThreads}
 */
export function startKernelThreads(timeoutMs = 5000): number {
  start();
  const p = pool;
  if (p === null) return 1;
  const t0 = Date.now();
  for (let w = 0; w < p.workers.length; w++) {
    while (Atomics.load(p.ctl, w * SLOT + READY) === 0 && Date.now() - t0 < timeoutMs) Atomics.wait(p.ctl, w * SLOT + READY, 0, 5);
  }
  return kernelThreads().running;
}

function poolReady(p: Pool): boolean {
  for (let w = 0; w < p.workers.length; w++) if (Atomics.load(p.ctl, w * SLOT + READY) !== 1) return false;
  return true;
}

function shutdown(): void {
  const p = pool;
  pool = null;
  if (p === null) return;
  for (const w of p.workers) void w.terminate();
  for (const at of p.wsAt) if (at !== 0) free(at);
}

function start(): void {
  if (pool !== null || starting || wantThreads <= 1 || wasm === null || !wasm.shared) return;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return;
  starting = true;
  try {
    const wt = proc.getBuiltinModule('node:worker_threads') as typeof import('node:worker_threads') | undefined;
    if (wt === undefined || !wt.isMainThread) return;
    const nw = wantThreads - 1;
    const sab = new SharedArrayBuffer(nw * SLOT * 4);
    const workers = [];
    for (let w = 0; w < nw; w++) {
      const worker = new wt.Worker(new URL('./wasm/worker.js', import.meta.url), {
        workerData: { module: wasm.module, memory: wasm.memory, ctl: sab, slot: w * SLOT },
      });
      worker.unref();
      worker.on('error', () => { if (pool !== null) pool.broken = true; });
      workers.push(worker);
    }
    pool = {
      workers, ctl: new Int32Array(sab), jobs: new Uint32Array(sab), seq: 0,
      wsAt: new Array<number>(nw + 1).fill(0), wsBytes: new Array<number>(nw + 1).fill(0), broken: false,
    };
  } catch {
    pool = null;
  } finally {
    starting = false;
  }
}

function workspace(p: Pool, t: number, bytes: number): number {
  if (p.wsBytes[t]! < bytes) {
    if (p.wsAt[t] !== 0) free(p.wsAt[t]!);
    p.wsAt[t] = alloc(bytes);
    p.wsBytes[t] = bytes;
  }
  return p.wsAt[t]!;
}

/** Row cut points for `parts` threads: equal rows, or equal upper-triangle area when sym; multiples of 4. */
function cuts(m: number, parts: number, sym: boolean): number[] {
  const out = [0];
  for (let t = 1; t < parts; t++) {
    // sym: rows [0, x) of an m×m upper triangle hold about m·x − x²/2 entries; solve for the share t/parts
    const f = t / parts;
    const x = sym ? m * (1 - Math.sqrt(1 - f)) : m * f;
    out.push(Math.min(m, Math.max(out[t - 1]!, Math.round(x / 4) * 4)));
  }
  out.push(m);
  return out;
}

/** Writes one job's fields at view[o …]. */
function fillJob(view: Uint32Array, o: number, job: readonly number[], i0: number, i1: number, ws: number): void {
  for (let f = 0; f < 13; f++) view[o + f] = job[f]!;
  view[o + F.i0] = i0; view[o + F.i1] = i1; view[o + F.ws] = ws;
}

/**
 * Runs C (+)= op(A)·op(B) split by rows of C across the pool, when the pool is ready and the product
 * is large enough; otherwise does nothing and returns false (the caller runs the single-thread kernel).
 * Arguments as the kernels of kernels.wat (byte addresses; leading dimensions in elements).
 * @returns true when the product was computed
 */
export function parallelGemm(kind: GemmKind, m: number, n: number, k: number, kb: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, beta: 0 | 1, sym: 0 | 1): boolean {
  // the streaming TN kernel (a skinny XᵀR, memory-bound) from twice the threshold: its 10-Mflop checks of
  // 2000×500×5 fits ran 8–12 % slower wall-clock, 25 % more CPU, split across two threads (issue #11)
  if (2 * m * n * k < (kind === 'tnr' ? 2 * threshold : threshold) || m < 8 || wantThreads <= 1) return false;
  const p = pool;
  if (p === null) { start(); return false; }
  if (p.broken || !poolReady(p)) return false;
  const nw = Math.min(p.workers.length, wantThreads - 1);
  const cut = cuts(m, nw + 1, sym === 1);
  const wsBytes = workspaceBytes(kind, m, n, kb);
  const kindCode = kind === 'nn' ? KIND_NN : kind === 'tn' ? KIND_TN : kind === 'tnr' ? KIND_TNR : KIND_NT;
  const job = [kindCode, m, n, k, kb, a, lda, b, ldb, c, ldc, beta, sym];
  try {
    for (let w = 0; w <= nw; w++) workspace(p, w, wsBytes); // every thread's workspace before any job starts
  } catch (e) {
    if (e instanceof RangeError) return false; // the kernels' memory is full: one thread, in the caller's scratch
    throw e;
  }
  const seq = ++p.seq;
  for (let w = 0; w < nw; w++) {
    fillJob(p.jobs, w * SLOT + JOB, job, cut[w + 1]!, cut[w + 2]!, workspace(p, w + 1, wsBytes));
    Atomics.store(p.ctl, w * SLOT + SEQ, seq);
    Atomics.notify(p.ctl, w * SLOT + SEQ);
  }
  // the caller's share: rows [cut[0], cut[1])
  fillJob(mine, 0, job, cut[0]!, cut[1]!, workspace(p, 0, wsBytes));
  runPart(wasm!.k, mine);
  for (let w = 0; w < nw; w++) {
    // wait for worker w (it reports failures itself through STATUS, so this always ends)
    const at = w * SLOT + DONE;
    let spins = 0;
    while (Atomics.load(p.ctl, at) !== seq) {
      if (spins++ < 4000) continue;
      Atomics.wait(p.ctl, at, Atomics.load(p.ctl, at), 50);
    }
    if (Atomics.load(p.ctl, w * SLOT + STATUS) !== 0) {
      // worker w threw: recompute its rows here (same order, same bits) and stop using the pool.
      // With beta = 1 its rows may already hold part of the sum, which cannot be undone.
      p.broken = true;
      if (beta === 1) throw new Error('mtlearn kernels: a worker thread failed during an accumulating product');
      fillJob(mine, 0, job, cut[w + 1]!, cut[w + 2]!, workspace(p, 0, wsBytes));
      runPart(wasm!.k, mine);
    }
  }
  return true;
}
