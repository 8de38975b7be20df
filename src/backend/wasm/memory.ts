// The one WebAssembly.Memory every wasm kernel works on, and instantiation of generated modules
// against it. The memory is shared (a SharedArrayBuffer) wherever that exists, so worker threads can
// work on it and growing it never detaches a view; otherwise (a browser page that is not
// cross-origin isolated) it is a plain one and views are re-made after growth.
import { assemble, type Fn, type ModuleSpec } from './asm.js';
import { DeviceError } from '../../core/errors.js';

const PAGE = 65536;
/** 2 GiB: addresses stay below 2^31, so kernels may compare them as signed i32. */
export const MAX_PAGES = 32768;

export const shared = typeof SharedArrayBuffer !== 'undefined' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;

/** A worker thread of the pool is handed the main thread's memory before it loads any kernel module. */
const injected = (globalThis as { __torchfnWasmMemory?: WebAssembly.Memory }).__torchfnWasmMemory;

export const memory = injected ?? new WebAssembly.Memory(
  shared ? { initial: 256, maximum: MAX_PAGES, shared: true } : { initial: 256, maximum: MAX_PAGES },
);

/** Current byte size of the memory. */
export function memoryBytes(): number {
  return memory.buffer.byteLength;
}

/** Grows the memory to hold at least `bytes`; throws a DeviceError past the 2 GiB limit. */
export function ensureBytes(bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return;
  const pages = Math.ceil((bytes - have) / PAGE);
  const want = Math.max(pages, Math.min(have / PAGE, MAX_PAGES - have / PAGE)); // at least double, when it fits
  try {
    memory.grow(Math.max(pages, want));
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new DeviceError(
      `wasm backend: out of memory allocating ${bytes} bytes (${have} in use; WebAssembly memory is limited to ${MAX_PAGES * PAGE} bytes); free tensors with dispose() or use the 'js' backend`,
    );
  }
}

export type Exports = Record<string, (...args: number[]) => number | void>;

/** Assembles and instantiates a module of generated functions (synchronously: they are small). */
export function instantiate(funcs: ModuleSpec['funcs']): Exports {
  const bytes = assemble({ funcs, shared, maxPages: MAX_PAGES });
  const mod = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  return new WebAssembly.Instance(mod, { env: { mem: memory } }).exports as Exports;
}

/** Assembles and compiles generated functions into a Module; a Module can be posted to worker threads. */
export function compile(funcs: ModuleSpec['funcs']): WebAssembly.Module {
  return new WebAssembly.Module(assemble({ funcs, shared, maxPages: MAX_PAGES }) as Uint8Array<ArrayBuffer>);
}

/** Instantiates a compiled module against the memory. */
export function instantiateModule(mod: WebAssembly.Module): Exports {
  return new WebAssembly.Instance(mod, { env: { mem: memory } }).exports as Exports;
}

/** Whether this engine runs WebAssembly SIMD (a one-function module returning a v128 constant). */
export const simdAvailable = WebAssembly.validate(
  new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11]),
);

export interface Kernel {
  /** The compiled module, for the thread pool. */
  mod: WebAssembly.Module;
  k: (...args: number[]) => void;
}
const kernels = new Map<string, Kernel>();

/** A generated function `k`, built by `build` on first use of `key` (prefix keys with the kernel family). */
export function kernelFor(key: string, build: () => Fn): Kernel {
  let k = kernels.get(key);
  if (k === undefined) {
    const mod = compile([{ name: 'k', fn: build() }]);
    k = { mod, k: instantiateModule(mod).k as (...args: number[]) => void };
    kernels.set(key, k);
  }
  return k;
}
