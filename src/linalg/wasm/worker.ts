/**
 * A kernel worker thread (Node only; started by `../parallel.ts`). It instantiates the kernel module
 * on the caller's shared memory, reports ready, then loops: wait for a new job sequence number in its
 * control slot, compute its rows ({@link runPart}), report done (and a failure in STATUS).
 *
 * @packageDocumentation
 */
import { workerData } from 'node:worker_threads';
import { runPart } from './part.js';
import type { WasmApi, WasmKernels, WasmMemoryLike, WasmModuleLike } from './runtime.js';

const WA = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

const SEQ = 0, DONE = 1, STATUS = 2, READY = 3, JOB = 8;
const { module, memory, ctl, slot } = workerData as { module: WasmModuleLike; memory: WasmMemoryLike; ctl: SharedArrayBuffer; slot: number };
const c = new Int32Array(ctl, slot * 4, 32);
const job = new Uint32Array(ctl, (slot + JOB) * 4, 16);
let kernels: WasmKernels | null = null;
try {
  kernels = new WA!.Instance(module, { env: { memory } }).exports as unknown as WasmKernels;
} catch {
  kernels = null;
}
Atomics.store(c, READY, 1);
let seen = 0;
for (;;) {
  Atomics.wait(c, SEQ, seen);
  seen = Atomics.load(c, SEQ);
  let status = 1;
  try {
    if (kernels !== null) { runPart(kernels, job); status = 0; }
  } catch {
    status = 1;
  }
  Atomics.store(c, STATUS, status);
  Atomics.store(c, DONE, seen);
  Atomics.notify(c, DONE);
}
