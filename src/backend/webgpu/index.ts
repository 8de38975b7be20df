/// <reference types="@webgpu/types" />
// The WebGPU backend: WGSL compute kernels behind the Backend interface. In the browser it uses
// navigator.gpu; in Node the optional `webgpu` package (Dawn), which is not a dependency of torchfn:
// install it to run on a GPU from Node.
//
// What the layers above need to know:
// - Buffers are opaque (WebGPUBuffer): pooled GPU storage buffers, 4 bytes an element for float32,
//   int32 and bool (a u32 holding 0 / 1). float64 throws DTypeError.
// - Kernels are recorded into one command encoder and submitted every 128 dispatches, or at
//   readAsync / synchronize / flush. `read` throws: values come back through `await readAsync(view)`.
// - Errors the GPU finds (an out-of-range index in gather / scatter / indexSelect / luPermutation, a
//   singular matrix in linalgSolve, an indefinite one in a checked cholesky, a WebGPU validation
//   error) reject the next readAsync or synchronize, whichever tensor it reads.
// - free() returns a buffer to the pool (reused after the next submit); adopt() frees when the owner
//   is garbage collected.
import type { DType, TypedArray } from '../../core/dtype.js';
import { DeviceError } from '../../core/errors.js';
import type { Backend, View } from '../backend.js';
import { checkGpuDType, GpuContext, GpuStorage } from './context.js';
import { hostWords, numel, scalarBits } from './codegen.js';
import { binary, copy, copyInto, fill, isRowMajor, unary, where, type GView } from './elementwise.js';
import { argReduce, cumsum, reduce } from './reduce.js';
import { argsort } from './sort.js';
import { matmul } from './matmul.js';
import { fused } from './fused.js';
import { fusedInto, fusedReduce, withEpilogue } from './fused_kernels.js';
import { concat, gather, indexSelect, pad, scatter } from './index_ops.js';
import { fold, unfold } from './conv.js';
import { linalgSolve, luFactor, luPermutation, slogdet } from './linalg_lu.js';
import { cholesky, triangularSolve } from './linalg_chol.js';
import { qr } from './linalg_qr.js';
import { eigh } from './linalg_eig.js';
import { pinv, svd } from './linalg_svd.js';
import { matrixExp } from './linalg_expm.js';

/**
 * A tensor's memory on device 'webgpu', opaque outside the backend: a pooled GPU storage buffer, 4 bytes
 * per element for every dtype (float32 and int32 as their bits, bool as a u32 holding 0 or 1).
 */
export interface WebGPUBuffer {
  /** Number of elements. */
  readonly size: number;
}

/**
 * The GPUDevice type where `@webgpu/types` (or another declaration of the WebGPU globals) is loaded, and
 * `object` where it is not, so these declarations compile without WebGPU typings.
 */
export type WebGPUDevice = typeof globalThis extends { GPUDevice: { prototype: infer D } } ? D : object;

/** Options of createWebGPUBackend. */
export interface WebGPUBackendOptions {
  /** Use this device instead of requesting one from the default adapter. */
  device?: WebGPUDevice;
  /**
   * Workgroups per grid dimension, below the device's limit (65535): larger launches use a 2-D grid
   * or several dispatches. A testing aid that exercises those paths with small inputs.
   */
  maxWorkgroupsPerDimension?: number;
}

/** The WebGPU backend, with what the backend adds to the interface. */
export interface WebGPUBackend extends Backend<WebGPUBuffer> {
  /** Always 'webgpu'. */
  readonly device: 'webgpu';
  /** The GPUDevice the kernels run on. */
  readonly gpuDevice: WebGPUDevice;
  /** A host copy of the view's elements once the GPU has computed them. */
  readAsync(x: View<WebGPUBuffer>): Promise<TypedArray>;
  /** Resolves once every kernel queued so far has finished; rejects with what a kernel reported. */
  synchronize(): Promise<void>;
  /** Submits the queued kernels now without waiting for them. */
  flush(): void;
  /** Buffer-pool counters: buffers created and buffers reused from the pool. */
  poolStats(): { created: number; reused: number };
  /** Commands recorded so far (dispatches, buffer copies and clears), to count a computation's GPU work. */
  commandCount(): number;
}

// Node's `webgpu` package frees the GPU when the object create() returns is garbage collected, which
// aborts the process while a device is alive: keep it for the life of the process.
let nodeGpu: unknown = null;

async function requestDevice(): Promise<GPUDevice | null> {
  let gpu: GPU | undefined = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (gpu === undefined) {
    if (typeof process === 'undefined' || process.versions?.node === undefined) return null;
    try {
      // Optional: not a dependency of torchfn. A variable specifier keeps bundlers and tsc from resolving it.
      const name = 'webgpu';
      const mod = (await import(name)) as { create: (flags: string[]) => GPU; globals: object };
      Object.assign(globalThis, mod.globals);
      nodeGpu ??= mod.create([]);
      gpu = nodeGpu as GPU;
    } catch {
      return null;
    }
  }
  const adapter = await gpu.requestAdapter();
  if (adapter === null) return null;
  const lim = adapter.limits;
  return adapter.requestDevice({
    requiredLimits: {
      maxStorageBuffersPerShaderStage: lim.maxStorageBuffersPerShaderStage,
      maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize,
      maxBufferSize: lim.maxBufferSize,
    },
  });
}

/**
 * Creates the WebGPU backend on `options.device`, or on a device of the default adapter (navigator.gpu
 * in a browser, the optional `webgpu` package in Node). Resolves to null when no adapter is available.
 * @example const backend = await createWebGPUBackend(); if (backend) { ... }
 */
export async function createWebGPUBackend(options?: WebGPUBackendOptions): Promise<WebGPUBackend | null> {
  const device = (options?.device as GPUDevice | undefined) ?? (await requestDevice());
  if (device === null || device === undefined) return null;
  return makeBackend(new GpuContext(device, options?.maxWorkgroupsPerDimension));
}

function makeBackend(ctx: GpuContext): WebGPUBackend {
  const registry = new FinalizationRegistry<GpuStorage>((s) => ctx.release(s));
  const V = (x: View<WebGPUBuffer>) => x as GView;
  const S = (b: WebGPUBuffer) => b as GpuStorage;
  const readAsync = async (x: View<WebGPUBuffer>): Promise<TypedArray> => {
    checkGpuDType('data', x.dtype);
    const n = numel(x.shape);
    // A row-major view transfers as it is; a strided one is made contiguous first (one copy kernel).
    const direct = isRowMajor(V(x));
    const c = direct ? null : copy(ctx, V(x), x.dtype);
    let bytes: ArrayBuffer;
    try {
      bytes = await ctx.readBytes(n === 0 ? null : (c ?? S(x.buf)).buffer, c === null ? x.offset * 4 : 0, n * 4);
    } finally {
      if (c !== null) ctx.release(c);
    }
    if (x.dtype === 'float32') return new Float32Array(bytes);
    if (x.dtype === 'int32') return new Int32Array(bytes);
    return Uint8Array.from(new Uint32Array(bytes));
  };
  const backend: Backend<GpuStorage> & Omit<WebGPUBackend, keyof Backend> = {
    name: 'webgpu',
    device: 'webgpu',
    gpuDevice: ctx.device as WebGPUDevice,
    full(dtype: DType, size: number, value: number) {
      checkGpuDType('full', dtype);
      return fill(ctx, size, scalarBits(dtype, value));
    },
    fromArray(dtype: DType, data: ArrayLike<number>) {
      checkGpuDType('fromArray', dtype);
      return ctx.fromWords(hostWords(dtype, data));
    },
    read(): never {
      throw new DeviceError("the values of a 'webgpu' tensor must be read with `await tensor.data()`; a synchronous read (item(), tolist(), toArray()) is not possible on this device");
    },
    free: (buf) => {
      registry.unregister(buf);
      ctx.release(buf);
    },
    adopt: (owner, buf) => registry.register(owner, buf, buf),
    readAsync,
    synchronize: async () => {
      await ctx.readBytes(null, 0, 0);
    },
    flush: () => ctx.flush(),
    poolStats: () => ({ created: ctx.pool.created, reused: ctx.pool.reused }),
    commandCount: () => ctx.commands,
    unary: (op, x, outDtype) => unary(ctx, op, x, outDtype),
    binary: (op, a, b, outShape, outDtype) => binary(ctx, op, a, b, outShape, outDtype),
    where: (c, a, b, outShape, outDtype) => where(ctx, c, a, b, outShape, outDtype),
    reduce: (op, x, axes, outDtype) => reduce(ctx, op, x, axes, outDtype),
    argReduce: (op, x, axis) => argReduce(ctx, op, x, axis),
    argsort: (x, axis, descending) => argsort(ctx, x, axis, descending),
    cumsum: (x, axis, outDtype) => cumsum(ctx, x, axis, outDtype),
    matmul: (a, b, outShape, outDtype, epi) => withEpilogue(ctx, matmul(ctx, a, b, outShape, outDtype), outDtype, epi?.shape ?? outShape, epi),
    fused: (program, inputs, outShape, outDtype) => fused(ctx, program, inputs, outShape, outDtype),
    fusedInto: (program, inputs, into) => fusedInto(ctx, program, inputs, into),
    fusedReduce: (op, prologue, inputs, inShape, axes, epi) => fusedReduce(ctx, op, prologue, inputs, inShape, axes, epi),
    copy: (x, outDtype) => copy(ctx, x, outDtype),
    copyInto: (dst, src) => copyInto(ctx, dst, src),
    gather: (x, dim, index) => gather(ctx, x, dim, index),
    scatter: (x, dim, index, src, accumulate) => scatter(ctx, x, dim, index, src, accumulate),
    indexSelect: (x, dim, index) => indexSelect(ctx, x, dim, index),
    concat: (xs, dim, outShape, outDtype) => concat(ctx, xs, dim, outShape, outDtype),
    pad: (x, pads, value) => pad(ctx, x, pads, value),
    unfold: (x, g) => unfold(ctx, x, g),
    fold: (cols, C, H, W, g) => fold(ctx, cols, C, H, W, g),
    linalgSolve: (a, b, outShape, outDtype) => linalgSolve(ctx, a, b, outShape, outDtype),
    slogdet: (a, outDtype) => slogdet(ctx, a, outDtype),
    cholesky: (a, check, outDtype) => cholesky(ctx, a, check, outDtype),
    triangularSolve: (a, b, outShape, outDtype, upper, unit) => triangularSolve(ctx, a, b, outShape, outDtype, upper, unit),
    qr: (a, complete, outDtype) => qr(ctx, a, complete, outDtype),
    eigh: (a, outDtype) => eigh(ctx, a, outDtype),
    svd: (a, outDtype) => svd(ctx, a, outDtype),
    pinv: (a, rtol, atol, outDtype) => pinv(ctx, a, rtol, atol, outDtype),
    luFactor: (a, outDtype) => luFactor(ctx, a, outDtype),
    luPermutation: (pivots, m) => luPermutation(ctx, pivots, m),
    matrixExp: (a, outDtype) => matrixExp(ctx, a, outDtype),
  };
  return backend as unknown as WebGPUBackend;
}
