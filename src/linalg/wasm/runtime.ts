/**
 * The WebAssembly SIMD kernel module: loading, its memory, and the allocator of that memory.
 *
 * The kernels (`kernels.wat`, compiled at build time into base64 in `kernels.generated.ts`) are
 * instantiated synchronously at module load with `new WebAssembly.Module` — no `fs`, no `fetch`, so
 * the same code runs in Node and in a browser bundle. The module imports one memory:
 * - **shared** (`SharedArrayBuffer`-backed) where the platform allows it — always in Node, in browsers
 *   only on cross-origin-isolated pages. A shared memory never moves when it grows, so typed-array views
 *   into it stay valid forever: matrices can *live* in it (see `matrix.ts`), and worker threads can run
 *   the same kernels on it (`../parallel.ts`).
 * - **plain** otherwise. Growing a plain memory detaches every view, so nothing lives there: operands
 *   are copied into a scratch region for each call (still much faster than the JavaScript kernels for
 *   level-3 products).
 * Where WebAssembly SIMD is missing altogether, `wasm` is `null` and blas.ts uses its JavaScript kernels.
 *
 * @packageDocumentation
 */
import { KERNELS_PLAIN_BASE64, KERNELS_SHARED_BASE64 } from './kernels.generated.js';

/** The functions exported by kernels.wat (pointers are byte addresses; leading dimensions in elements). */
export interface WasmKernels {
  gemm_nn(m: number, n: number, k: number, kb: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, beta: number, ws: number): void;
  gemm_tn(m: number, n: number, k: number, kb: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, beta: number, sym: number, ws: number): void;
  gemm_tnr(m: number, n: number, k: number, g: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, beta: number, ws: number): void;
  gemm_nt(m: number, n: number, k: number, kb: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, beta: number, sym: number, ws: number): void;
  sym_mirror(n: number, c: number, ldc: number): void;
  transpose(m: number, k: number, a: number, lda: number, b: number, ldb: number): void;
  col_sq(m: number, d: number, a: number, mu: number, out: number): void;
  transpose_sq(m: number, d: number, a: number, mu: number, out: number, b: number, ldb: number): void;
  gather_cols(n: number, d: number, a: number, cols: number, m: number, at: number, mu: number, out: number): void;
  gather_rows(r: number, d: number, a: number, cols: number, m: number, mu: number, out: number): void;
  sse_rows(n: number, d: number, x: number, rows: number, cols: number, S: number, w: number, T: number, b: number, y: number, ldy: number, yrows: number, out: number, xs: number): void;
  rot_rows(n: number, z: number, lo: number, hi: number, cs: number, sn: number): void;
  dot(n: number, x: number, y: number): number;
  axpy(n: number, alpha: number, x: number, y: number): void;
  gemv(m: number, k: number, a: number, lda: number, x: number, y: number, beta: number): void;
  gemv_t(m: number, k: number, a: number, lda: number, x: number, y: number, beta: number): void;
  axpy_rows(m: number, k: number, al: number, x: number, a: number, lda: number): void;
  gemv_rows(m: number, k: number, a: number, lda: number, x: number, y: number): void;
  axpy_gather(k: number, n: number, idx: number, g: number, al: number, c: number, ldc: number): void;
  gl2_sweep_gram(p: number, ws: number, wp: number, lp: number, lambda: number, ridge: number, T: number, c: number, gp: number, s2: number, z: number): number;
  gl2_sweep(p: number, ws: number, wp: number, lp: number, lambda: number, ridge: number, T: number, n: number, x: number, r: number, s2: number, z: number): number;
  axpy_rows_cols(p: number, T: number, n: number, cols: number, al: number, x: number, r: number): void;
}

/** The parts of the WebAssembly JS API used here (declared locally: the project's lib has no DOM types). */
export interface WasmMemoryLike {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}
/** A compiled WebAssembly module (opaque). */
export type WasmModuleLike = object;
/** The global WebAssembly namespace, as far as used here. */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModuleLike;
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemoryLike;
  Instance: new (module: WasmModuleLike, imports: object) => { exports: object };
}
/** The global WebAssembly namespace, or undefined where there is none. */
export const WA: WasmApi | undefined = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** The instantiated kernels with their memory. */
export interface WasmRuntime {
  /** The compiled module (posted to worker threads, which instantiate it on the same memory). */
  readonly module: WasmModuleLike;
  /** The kernels' memory. */
  readonly memory: WasmMemoryLike;
  /** Whether the memory is shared (views stay valid when it grows; threads possible). */
  readonly shared: boolean;
  /** The kernel functions. */
  readonly k: WasmKernels;
}

/**
 * Maximum memory size in 64 KiB pages: 4 GiB, the wasm32 limit (a shared memory reserves it virtually),
 * or `MTLEARN_WASM_MEMORY_MB` (an integer in [16, 4096]; other values are ignored). Allocations beyond it
 * fall back to the ordinary heap (`matrix.ts`), where the kernels copy their operands.
 */
const MAX_PAGES = ((): number => {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const mb = Number(proc?.env?.['MTLEARN_WASM_MEMORY_MB']);
  return Number.isInteger(mb) && mb >= 16 && mb <= 4096 ? Math.min(65536, mb * 16) : 65536;
})();
/** Bytes [0, RESERVED) are never allocated (the kernels' address 0 is never a valid operand). */
const RESERVED = 1024;
/** Every allocation is followed by this many spare bytes: kernels may read up to 4 doubles past B's last column. */
export const PAD_BYTES = 32;

function decode(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function instantiate(): WasmRuntime | null {
  if (WA === undefined || typeof WA.Module !== 'function') return null;
  const attempts: [boolean, string][] = [[true, KERNELS_SHARED_BASE64], [false, KERNELS_PLAIN_BASE64]];
  for (const [shared, b64] of attempts) {
    try {
      if (shared && typeof SharedArrayBuffer !== 'function') continue;
      const module = new WA.Module(decode(b64));
      // 16 MiB to start; grown on demand
      const memory = new WA.Memory({ initial: 256, maximum: MAX_PAGES, shared });
      const inst = new WA.Instance(module, { env: { memory } });
      return { module, memory, shared, k: inst.exports as unknown as WasmKernels };
    } catch {
      // SIMD or shared memory unsupported here: try the next variant, then give up (JS kernels)
    }
  }
  return null;
}

/** The kernels, or null where WebAssembly SIMD is unavailable. */
export const wasm: WasmRuntime | null = instantiate();

// ---------------------------------------------------------------------------------------------
// the allocator: first fit over a list of free blocks sorted by address, coalesced on free

let freeStart: number[] = [];
let freeSize: number[] = [];
let top = RESERVED; // first byte never handed out
const sizes = new Map<number, number>(); // live block address → size in bytes
/** Every ArrayBuffer/SharedArrayBuffer the memory has shown (a shared memory gives a new object after growth). */
const buffers = new Set<ArrayBufferLike>();
let heapF64: Float64Array = new Float64Array(0);

/** A Float64Array over the whole memory, refreshed after growth. */
export function heap(): Float64Array {
  const buf = wasm!.memory.buffer;
  if (heapF64.buffer !== buf) {
    heapF64 = new Float64Array(buf);
    if (wasm!.shared) buffers.add(buf);
  }
  return heapF64;
}

/**
 * Whether `x` is a view into the kernels' (shared) memory, so kernels can use it in place.
 * @param x - any typed array
 * @returns true when x.byteOffset is an address in the kernels' memory
 */
export function inWasmMemory(x: ArrayBufferView): boolean {
  return wasm !== null && wasm.shared && (x.buffer === heapF64.buffer || buffers.has(x.buffer));
}

/**
 * Allocates `bytes` bytes (16-byte aligned, followed by {@link PAD_BYTES} spare bytes) in the memory.
 * @param bytes - size in bytes (≥ 0)
 * @returns the byte address of the block
 * @throws RangeError when the memory cannot grow that far
 */
export function alloc(bytes: number): number {
  const need = (Math.ceil(Math.max(bytes, 0) / 16) * 16) + PAD_BYTES;
  for (let i = 0; i < freeStart.length; i++) {
    const s = freeSize[i]!;
    if (s >= need) {
      const at = freeStart[i]!;
      if (s === need) { freeStart.splice(i, 1); freeSize.splice(i, 1); } else { freeStart[i] = at + need; freeSize[i] = s - need; }
      sizes.set(at, need);
      return at;
    }
  }
  // a free block at the very top is extended rather than skipped
  let at = top;
  const last = freeStart.length - 1;
  const topFree = last >= 0 && freeStart[last]! + freeSize[last]! === top;
  if (topFree) at = freeStart[last]!;
  const end = at + need;
  const mem = wasm!.memory;
  if (end > mem.buffer.byteLength) {
    const pages = Math.ceil((end - mem.buffer.byteLength) / 65536);
    const room = MAX_PAGES - mem.buffer.byteLength / 65536;
    const quarter = Math.ceil(mem.buffer.byteLength / 65536 / 4); // grow by ≥ 25 % when there is room
    try {
      if (pages > room) throw new RangeError('over the limit');
      try {
        mem.grow(Math.min(Math.max(pages, quarter), room));
      } catch {
        mem.grow(pages); // the engine may refuse the larger step only
      }
    } catch {
      throw new RangeError(`kernel memory: cannot grow to ${(end / 2 ** 20).toFixed(1)} MiB (limit ${MAX_PAGES / 16} MiB)`);
    }
  }
  if (topFree) { freeStart.pop(); freeSize.pop(); }
  top = Math.max(top, end);
  sizes.set(at, need);
  heap();
  return at;
}

/**
 * {@link alloc} for a zero-filled block: only the part below the highest address ever handed out is
 * cleared (memory above it has never been written since `grow` gave it zeroed), so a fresh large
 * block costs no extra pass over its pages.
 * @param bytes - size in bytes (≥ 0)
 * @returns the byte address of the block, bytes [at, at + bytes) zero
 * @throws RangeError when the memory cannot grow that far
 */
export function allocZeroed(bytes: number): number {
  const clean = top;
  const at = alloc(bytes);
  const dirtyEnd = Math.min(at + bytes, clean);
  if (dirtyEnd > at) new Uint8Array(wasm!.memory.buffer, at, dirtyEnd - at).fill(0);
  return at;
}

/**
 * Returns a block from {@link alloc} to the free list.
 * @param at - its address
 */
export function free(at: number): void {
  const size = sizes.get(at);
  if (size === undefined) return;
  sizes.delete(at);
  // insert sorted, merge with neighbours
  let i = 0;
  while (i < freeStart.length && freeStart[i]! < at) i++;
  freeStart.splice(i, 0, at);
  freeSize.splice(i, 0, size);
  if (i + 1 < freeStart.length && at + size === freeStart[i + 1]) {
    freeSize[i]! += freeSize[i + 1]!;
    freeStart.splice(i + 1, 1); freeSize.splice(i + 1, 1);
  }
  if (i > 0 && freeStart[i - 1]! + freeSize[i - 1]! === at) {
    freeSize[i - 1]! += freeSize[i]!;
    freeStart.splice(i, 1); freeSize.splice(i, 1);
  }
}

/** Bytes currently allocated (live blocks, padding included). */
export function allocatedBytes(): number {
  let s = 0;
  for (const v of sizes.values()) s += v;
  return s;
}

if (wasm !== null) heap();
