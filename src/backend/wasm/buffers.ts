// Buffers of the wasm backend: regions of the one WebAssembly memory, recycled by size class.
//
// Memory facts this design follows (measured on our machines): FinalizationRegistry callbacks never
// run inside one synchronous job, so a training loop that never yields gets nothing back from
// finalizers; first-touching fresh memory costs page faults, so regions are reused, not re-made;
// TypedArray.set copies at ~30 GB/s. Hence wasm memory is a cache with a budget: a buffer is either
// resident (a region) or on the host (a JS typed array the garbage collector owns). When a kernel
// needs more than the budget allows, the regions of garbage tensors are taken back first: in Node, a
// full collection and FinalizationRegistry's synchronous cleanupSome (both enabled at run time in a
// fresh V8 context) run the finalizers inside the job. What is still short moves to the host: every
// resident buffer is copied out and the memory starts over; live ones come back when next used.
// dispose() returns a region at once. Small buffers (up to SMALL_BYTES) always live on the host:
// registering a finalizer costs ~1.5 µs here, more than a small kernel; a kernel stages them into
// scratch regions for its call (`settle` copies small outputs back and frees the staging).
import { arrayFor, type DType, type TypedArray } from '../../core/dtype.js';
import { ensureBytes, memory } from './memory.js';

export const ELEM_BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };
/**
 * Buffers up to this size live on the host. TORCHFN_WASM_SMALL_BYTES=0 puts every buffer in wasm
 * memory, so a test run sends even tiny tensors through the generated kernels.
 */
export const SMALL_BYTES = ((): number => {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.TORCHFN_WASM_SMALL_BYTES;
  return env !== undefined && env !== '' && Number.isInteger(Number(env)) && Number(env) >= 0 ? Number(env) : 4096;
})();

export class WasmBuf {
  /** Byte address while resident, -1 on the host. */
  ptr = -1;
  /** Region size (its size class) while resident. */
  cls = 0;
  /** Contents while on the host. */
  host: TypedArray | null = null;
  freed = false;
  constructor(readonly dtype: DType, readonly length: number) {}
  get bytes(): number {
    return this.length * ELEM_BYTES[this.dtype];
  }
  get small(): boolean {
    return this.length * ELEM_BYTES[this.dtype] <= SMALL_BYTES && SMALL_BYTES > 0;
  }
}

/** Small buffers a kernel staged into regions, and which of them it writes. */
const staged: WasmBuf[] = [];
const stagedOut: boolean[] = [];

// Regions start 64-byte aligned (SIMD loads, cache lines); address 0 stays unused.
const BASE = 1024;
let top = BASE;
const freeLists = new Map<number, number[]>();
/** Resident buffers by address. */
const resident = new Map<number, WasmBuf>();
let budget = 256 * 1024 * 1024;
/**
 * The default budget doubles (up to this) when what one kernel needs alive does not fit after a
 * collection.
 */
const AUTO_BUDGET_CAP = 1024 * 1024 * 1024;
let autoBudget = true;
const stats = { collections: 0, evictions: 0, evictedBytes: 0 };

/** Size class: multiples of 64 below 4 KiB, then eighths of a power of two (at most 12.5% slack). */
function sizeClass(bytes: number): number {
  if (bytes <= 4096) return Math.max(64, (bytes + 63) & ~63);
  const step = 2 ** Math.floor(Math.log2(bytes)) / 8;
  return Math.ceil(bytes / step) * step;
}

function take(cls: number, force: boolean): number {
  const list = freeLists.get(cls);
  if (list !== undefined && list.length > 0) return list.pop()!;
  if (!force && top + cls > budget) return -1;
  const p = top;
  top += cls;
  ensureBytes(top);
  return p;
}

/**
 * Runs a full collection and the finalizers of what it found dead, synchronously; null where
 * impossible. Only `gc` and `cleanupSome` come from the fresh context, the registry does not: a
 * collection during Node's teardown posts a cleanup task, which throws (no JavaScript may run then),
 * and Node aborts on an error from a context it has already released but drops one from the main
 * context.
 */
function collector(): ((r: FinalizationRegistry<{ ptr: number }>) => void) | null {
  type NodeProcess = { getBuiltinModule?: (id: string) => unknown };
  const proc = (globalThis as { process?: NodeProcess }).process;
  try {
    const v8 = proc?.getBuiltinModule?.('node:v8') as { setFlagsFromString(f: string): void } | undefined;
    const vm = proc?.getBuiltinModule?.('node:vm') as { runInNewContext(code: string): unknown } | undefined;
    if (v8 && vm) {
      v8.setFlagsFromString('--harmony-weak-refs-with-cleanup-some');
      v8.setFlagsFromString('--expose-gc');
      const [cleanupSome, gc] = vm.runInNewContext('[FinalizationRegistry.prototype.cleanupSome, gc]') as [unknown, () => void];
      if (typeof cleanupSome === 'function') return (r) => { gc(); cleanupSome.call(r); };
    }
  } catch {
    // Not Node, or a V8 without these flags: finalizers run when the program yields, eviction does the rest.
  }
  return null;
}

const collect = collector();
const registry = new FinalizationRegistry<{ ptr: number }>((token) => {
  if (token.ptr >= 0) releaseRegion(resident.get(token.ptr)!);
});
const tokens = new WeakMap<WasmBuf, { ptr: number }>();

function giveBack(cls: number, ptr: number): void {
  let list = freeLists.get(cls);
  if (list === undefined) freeLists.set(cls, (list = []));
  list.push(ptr);
}

/** Drops b's finalizer registration: its region is leaving it. */
function unregister(b: WasmBuf): void {
  const t = tokens.get(b);
  if (t === undefined) return;
  t.ptr = -1;
  registry.unregister(b);
  tokens.delete(b);
}

function releaseRegion(b: WasmBuf): void {
  resident.delete(b.ptr);
  giveBack(b.cls, b.ptr);
  unregister(b);
  b.ptr = -1;
}

/**
 * The buffer's elements: its host array, or a view of its region (made fresh: a non-shared memory
 * detaches views when it grows).
 */
export function typed(b: WasmBuf): TypedArray {
  if (b.ptr < 0) return b.host!;
  const buf = memory.buffer;
  switch (b.dtype) {
    case 'float32': return new Float32Array(buf, b.ptr, b.length);
    case 'float64': return new Float64Array(buf, b.ptr, b.length);
    case 'int32': return new Int32Array(buf, b.ptr, b.length);
    case 'bool': return new Uint8Array(buf, b.ptr, b.length);
  }
}

function evictAll(): void {
  stats.evictions++;
  for (const b of resident.values()) {
    const host = arrayFor(b.dtype, b.length);
    host.set(typed(b) as never);
    stats.evictedBytes += b.bytes;
    unregister(b);
    b.host = host;
    b.ptr = -1;
  }
  resident.clear();
  freeLists.clear();
  top = BASE;
}

/**
 * Gives b a region and brings its host contents (if any) in: a small buffer is staged for this kernel
 * (`written`: copied back by settle), a larger one becomes resident. False when the budget has no room.
 */
function place(b: WasmBuf, written: boolean, force: boolean): boolean {
  const cls = sizeClass(b.bytes);
  const p = take(cls, force);
  if (p < 0) return false;
  b.ptr = p;
  b.cls = cls;
  if (b.host !== null) typed(b).set(b.host as never);
  if (b.small) {
    b.host ??= arrayFor(b.dtype, b.length);
    staged.push(b);
    stagedOut.push(written);
  } else {
    resident.set(p, b);
    b.host = null;
  }
  return true;
}

/**
 * Makes `inputs` resident (copying host contents in) and gives each of `outs` a region (a new
 * buffer's contents are undefined; an existing one's are brought in, and a small one's are copied
 * back by `settle`). One call per kernel: it may move everything else to the host to make room.
 */
export function acquire(inputs: readonly WasmBuf[], outs: readonly WasmBuf[] = []): void {
  // Within the budget; else after collecting garbage; else (the default budget) after doubling it,
  // up to its cap; else after moving everything to the host, growing the memory if need be.
  let collected = collect === null;
  let force = false;
  for (;;) {
    let ok = true;
    for (const b of inputs) {
      if (b.freed) throw new Error('wasm backend: a kernel read a buffer that was freed');
      if (b.ptr < 0 && !place(b, false, force)) {
        ok = false;
        break;
      }
    }
    if (ok) {
      for (const b of outs) {
        if (b.ptr >= 0) {
          // Also an input (read and written in place): a small one must still be copied back.
          const i = staged.indexOf(b);
          if (i >= 0) stagedOut[i] = true;
        } else if (!place(b, true, force)) {
          ok = false;
          break;
        }
      }
    }
    if (ok) return;
    settle();
    if (!collected) {
      collected = true;
      stats.collections++;
      collect!(registry);
      continue;
    }
    if (autoBudget && budget < AUTO_BUDGET_CAP) {
      budget = Math.min(AUTO_BUDGET_CAP, budget * 2);
      continue;
    }
    evictAll();
    force = true;
  }
}

/** Ends a kernel call: small outputs go back to their host arrays, staging regions are freed. */
export function settle(): void {
  for (let i = 0; i < staged.length; i++) {
    const b = staged[i]!;
    if (stagedOut[i]) b.host!.set(typed(b) as never);
    giveBack(b.cls, b.ptr);
    b.ptr = -1;
  }
  staged.length = 0;
  stagedOut.length = 0;
}

/** A new buffer, zero-filled when small (on the host), contents undefined otherwise. */
export function allocate(dtype: DType, length: number): WasmBuf {
  const b = new WasmBuf(dtype, length);
  if (b.small) b.host = arrayFor(dtype, length);
  else acquire([], [b]);
  return b;
}

/** A buffer over an existing host array (no copy); a kernel that reads it brings it into wasm memory. */
export function wrapHost(a: TypedArray, dtype: DType): WasmBuf {
  const b = new WasmBuf(dtype, a.length);
  b.host = a;
  return b;
}

/** Ties a resident region to `owner`: once owner is collected (and this job has ended), it is reused. */
export function adopt(owner: object, b: WasmBuf): void {
  if (b.ptr < 0 || tokens.has(b)) return;
  const t = { ptr: b.ptr };
  tokens.set(b, t);
  registry.register(owner, t, b);
}

export function free(b: WasmBuf): void {
  if (b.freed) return;
  b.freed = true;
  if (b.ptr >= 0) releaseRegion(b);
  b.host = null;
}

/** Figures for tests and the soak script (torch.backends.wasm.memoryStats()). */
export function memoryStats(): {
  /** Buffers that hold a region of wasm memory now. */
  residentBuffers: number;
  /** Bytes of wasm memory allocated to regions (the high-water mark of the region allocator). */
  usedBytes: number;
  /** The size of the WebAssembly memory. */
  memoryBytes: number;
  /** The budget in force (see setMemoryBudget). */
  budget: number;
  /** Garbage collections forced because the budget was reached. */
  collections: number;
  /** Times every buffer was moved to host memory because a collection did not free enough. */
  evictions: number;
  /** Bytes copied to host memory by those evictions. */
  evictedBytes: number;
} {
  return { residentBuffers: resident.size, usedBytes: top - BASE, memoryBytes: memory.buffer.byteLength, budget, ...stats };
}

/**
 * Bytes of wasm memory buffers may occupy before garbage is collected and, failing that, buffers move
 * to the host (the memory grows past it only for one kernel that needs more). By default it starts
 * at 256 MiB and doubles, up to 1 GiB, when live tensors alone fill it (a larger budget costs first
 * touches of fresh memory; eviction costs copies); a budget set here stays fixed.
 */
export function setMemoryBudget(bytes: number): void {
  if (!(bytes >= 1 << 20)) throw new RangeError(`setMemoryBudget(): budget must be at least 1 MiB, got ${bytes}`);
  budget = bytes;
  autoBudget = false;
}
