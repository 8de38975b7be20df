/// <reference types="@webgpu/types" />
// The device state every kernel shares: the buffer pool, the pipeline cache, one open command encoder
// (dispatches are batched and submitted every MAX_BATCH or at a read / synchronize), a uniform arena
// holding every batched dispatch's parameters, and a flag buffer where index kernels report
// out-of-range indices (the host cannot throw from inside a shader; the next read or synchronize does).
import type { DType } from '../../core/dtype.js';
import { DeviceError, DTypeError, IndexError } from '../../core/errors.js';
import { LinAlgError } from '../../core/linalg_errors.js';
import { BufferPool } from './pool.js';

/**
 * A tensor's memory on the GPU: a pooled storage buffer and its element count. Every dtype takes 4 bytes
 * an element (bool is stored as a u32 holding 0 or 1).
 */
export class GpuStorage {
  /** Set by free(); a freed storage must not be used again. */
  freed = false;
  /** The buffer (its byte size is a pool size class, at least 4 * size). */
  constructor(readonly buffer: GPUBuffer, readonly size: number) {}
}

/** Whether a kernel binding is read-only or written. */
export type Access = 'read' | 'write' | 'atomic';

/** A compiled kernel: the pipeline and the binding kinds its layout expects after the uniform. */
export interface Kernel {
  /** The compute pipeline. */
  readonly pipeline: GPUComputePipeline;
  /** Number of vec4<i32> in its uniform block. */
  readonly uniformVec4s: number;
}

/** Threads per workgroup of every 1-D kernel. */
export const WG = 256;
/** Dispatches batched into one command buffer before it is submitted. */
const MAX_BATCH = 128;
/** Bytes of the uniform arena (one slot per batched dispatch, 256-byte aligned). */
const ARENA_BYTES = 65536;
const SLOT_ALIGN = 256;

const MAP_READ = 0x01, COPY_DST = 0x08, UNIFORM = 0x40, STORAGE = 0x80, COPY_SRC = 0x04;

/** Names the dtype's storage, or throws the float64 error. */
export function checkGpuDType(fn: string, dtype: DType): void {
  if (dtype === 'float64') {
    throw new DTypeError(`${fn}(): float64 is not supported on device 'webgpu'; use float32`);
  }
}

/** The shared state of one WebGPU backend. */
export class GpuContext {
  /** Buffer recycling. */
  readonly pool: BufferPool;
  private readonly pipelines = new Map<string, Kernel>();
  private readonly layouts = new Map<string, GPUBindGroupLayout>();
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private batched = 0;
  private readonly arena: GPUBuffer;
  private readonly arenaData = new Int32Array(ARENA_BYTES / 4);
  private arenaUsed = 0;
  /** Four u32: [error kind, bad index, dimension size, dim]; kind 0 = none. */
  readonly errorFlag: GPUBuffer;
  private deviceError: string | null = null;
  /** The device's limit on storage buffers per shader stage. */
  readonly maxStorage: number;
  /** Workgroups per grid dimension (the device limit, or less to exercise the 2-D grid in tests). */
  readonly maxGroups: number;
  /** Commands recorded (dispatches, copies, clears): lets tests see that a batch's work does not grow in commands. */
  commands = 0;

  constructor(readonly device: GPUDevice, maxGroups?: number) {
    this.maxGroups = Math.min(maxGroups ?? Infinity, device.limits.maxComputeWorkgroupsPerDimension);
    this.pool = new BufferPool(device);
    this.arena = device.createBuffer({ size: ARENA_BYTES, usage: UNIFORM | COPY_DST });
    this.errorFlag = device.createBuffer({ size: 16, usage: STORAGE | COPY_SRC | COPY_DST });
    this.maxStorage = device.limits.maxStorageBuffersPerShaderStage;
    device.addEventListener('uncapturederror', (ev) => {
      const e = (ev as GPUUncapturedErrorEvent).error;
      this.deviceError ??= e.message;
    });
    void device.lost.then((info) => {
      this.deviceError ??= `the WebGPU device was lost (${info.reason}): ${info.message}`;
    });
  }

  /** A new storage of `size` elements (contents undefined). */
  alloc(size: number): GpuStorage {
    const bytes = Math.max(size, 1) * 4;
    const max = Math.min(this.device.limits.maxStorageBufferBindingSize, this.device.limits.maxBufferSize);
    if (bytes > max) {
      throw new DeviceError(`webgpu: a tensor of ${size} elements (${bytes} bytes) exceeds this device's storage buffer limit of ${max} bytes`);
    }
    return new GpuStorage(this.pool.acquire(bytes), size);
  }

  /** A new storage holding host words (4 bytes an element). */
  fromWords(words: Float32Array | Int32Array | Uint32Array): GpuStorage {
    const s = this.alloc(words.length);
    this.write(s.buffer, words);
    return s;
  }

  /** Returns the storage's buffer to the pool (idempotent). */
  release(s: GpuStorage): void {
    if (s.freed) return;
    s.freed = true;
    this.pool.release(s.buffer);
  }

  private layout(access: readonly Access[]): GPUBindGroupLayout {
    const key = access.join(',');
    let l = this.layouts.get(key);
    if (l === undefined) {
      const entries: GPUBindGroupLayoutEntry[] = [
        { binding: 0, visibility: 4 /* COMPUTE */, buffer: { type: 'uniform' } },
        ...access.map((a, i): GPUBindGroupLayoutEntry => ({
          binding: i + 1,
          visibility: 4,
          buffer: { type: a === 'read' ? 'read-only-storage' : 'storage' },
        })),
      ];
      l = this.device.createBindGroupLayout({ entries });
      this.layouts.set(key, l);
    }
    return l;
  }

  /**
   * The kernel cached under `key`, compiled on first use from `build()`: WGSL whose bindings are the
   * uniform block `U` at 0 (`uniformVec4s` vec4<i32>, read through `P(i)`) and storage buffers at 1...
   * with the given access, and an entry point `main`.
   */
  kernel(key: string, access: readonly Access[], uniformVec4s: number, build: () => string): Kernel {
    let k = this.pipelines.get(key);
    if (k === undefined) {
      const code = uniformHeader(uniformVec4s) + build();
      const module = this.device.createShaderModule({ code, label: key });
      const pipeline = this.device.createComputePipeline({
        label: key,
        layout: this.device.createPipelineLayout({ bindGroupLayouts: [this.layout(access)] }),
        compute: { module, entryPoint: 'main' },
      });
      k = { pipeline, uniformVec4s };
      this.pipelines.set(key, k);
    }
    return k;
  }

  private ensureEncoder(): GPUCommandEncoder {
    return (this.encoder ??= this.device.createCommandEncoder());
  }

  private endPass(): GPUCommandEncoder {
    const enc = this.ensureEncoder();
    if (this.pass !== null) {
      this.pass.end();
      this.pass = null;
    }
    return enc;
  }

  /**
   * Records one dispatch: `params` go to a fresh slot of the uniform arena, `buffers` bind at 1...
   * in order. `groups` is the workgroup count; beyond maxGroups it spreads over y (kernels linearize it).
   */
  dispatch(k: Kernel, access: readonly Access[], buffers: readonly GPUBuffer[], params: ArrayLike<number>, groups: number | readonly [number, number, number]): void {
    const bytes = k.uniformVec4s * 16;
    if (params.length > k.uniformVec4s * 4) throw new Error(`webgpu: ${params.length} parameters exceed the kernel's uniform block`);
    if (this.arenaUsed + bytes > ARENA_BYTES || this.batched >= MAX_BATCH) this.flush();
    const at = this.arenaUsed;
    this.arenaData.fill(0, at / 4, (at + bytes) / 4);
    for (let i = 0; i < params.length; i++) this.arenaData[at / 4 + i] = params[i]!;
    this.arenaUsed = at + Math.ceil(bytes / SLOT_ALIGN) * SLOT_ALIGN;
    const bindGroup = this.device.createBindGroup({
      layout: this.layout(access),
      entries: [
        { binding: 0, resource: { buffer: this.arena, offset: at, size: bytes } },
        ...buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer } })),
      ],
    });
    const enc = this.ensureEncoder();
    this.pass ??= enc.beginComputePass();
    this.pass.setPipeline(k.pipeline);
    this.pass.setBindGroup(0, bindGroup);
    if (typeof groups === 'number') {
      const [x, y] = this.grid(groups);
      this.pass.dispatchWorkgroups(x, y, 1);
    } else {
      this.pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    }
    this.batched++;
    this.commands++;
  }

  /** Workgroup grid for `n` groups: x up to maxGroups, the rest over y. */
  grid(n: number): [number, number] {
    const m = this.maxGroups;
    if (n <= m) return [Math.max(n, 1), 1];
    const y = Math.ceil(n / m);
    if (y > m) throw new DeviceError(`webgpu: ${n} workgroups exceed the dispatch limit of ${m} x ${m}`);
    return [m, y];
  }

  /** Records a buffer-to-buffer copy (byte offsets and size are multiples of 4). */
  copyBuffer(src: GPUBuffer, srcByte: number, dst: GPUBuffer, dstByte: number, bytes: number): void {
    if (bytes === 0) return;
    this.commands++;
    this.endPass().copyBufferToBuffer(src, srcByte, dst, dstByte, bytes);
  }

  /** Records zeroing `bytes` bytes of `buf` from its start. */
  clear(buf: GPUBuffer, bytes: number): void {
    if (bytes === 0) return;
    this.commands++;
    this.endPass().clearBuffer(buf, 0, Math.ceil(bytes / 4) * 4);
  }

  /** Uploads host data into `buf` at once: the write runs before every command recorded after it. */
  write(buf: GPUBuffer, data: ArrayBufferView & { buffer: ArrayBufferLike }): void {
    if (data.byteLength === 0) return;
    this.device.queue.writeBuffer(buf, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
  }

  /** Submits everything recorded so far. */
  flush(): void {
    if (this.encoder === null) return;
    this.endPass();
    if (this.arenaUsed > 0) this.device.queue.writeBuffer(this.arena, 0, this.arenaData.buffer, 0, this.arenaUsed);
    this.device.queue.submit([this.encoder.finish()]);
    this.encoder = null;
    this.arenaUsed = 0;
    this.batched = 0;
    this.pool.settle();
  }

  /**
   * Copies `bytes` bytes of `buf` from `byteOffset` to the host once every queued kernel has run. Also
   * reads the index-error flag, and throws what a kernel or the device reported since the last check.
   */
  async readBytes(buf: GPUBuffer | null, byteOffset: number, bytes: number): Promise<ArrayBuffer> {
    const total = bytes + 16;
    const staging = this.device.createBuffer({ size: Math.ceil(total / 4) * 4, usage: MAP_READ | COPY_DST });
    if (buf !== null) this.copyBuffer(buf, byteOffset, staging, 16, bytes);
    this.copyBuffer(this.errorFlag, 0, staging, 0, 16);
    this.flush();
    try {
      await staging.mapAsync(MAP_READ);
      const all = staging.getMappedRange().slice(0);
      staging.unmap();
      this.checkErrors(new Uint32Array(all, 0, 4));
      return all.slice(16);
    } finally {
      staging.destroy();
    }
  }

  private checkErrors(flag: Uint32Array): void {
    if (this.deviceError !== null) {
      const msg = this.deviceError;
      this.deviceError = null;
      throw new DeviceError(`webgpu: ${msg}`);
    }
    if (flag[0] !== 0) {
      const fn = KERNEL_ERROR_FNS[flag[0]! - 1] ?? 'a kernel';
      const [v1, v2, v3] = [flag[1]! | 0, flag[2]! | 0, flag[3]! | 0];
      this.clear(this.errorFlag, 16);
      this.flush();
      const where = "(reported by a kernel on device 'webgpu')";
      if (fn === 'linalgSolve') {
        throw new LinAlgError(`The diagonal element ${v1} is zero, the solve could not be completed because the input matrix is singular. ${where}`, v1, v2);
      }
      if (fn === 'cholesky') throw new LinAlgError(`the leading minor of order ${v1} is not positive-definite ${where}`, v1, v2);
      if (fn === 'luPermutation') throw new IndexError(`pivots: pivot ${v1} at position ${v3} is out of range [1, ${v2}] ${where}`);
      throw new IndexError(`${fn}(): index ${v1} is out of bounds for dimension ${v3} with size ${v2} ${where}`);
    }
  }
}

/**
 * The kernels that report bad input through the error flag, by 1-based code: out-of-range indices
 * (IndexError) and singular or indefinite matrices (LinAlgError).
 */
export const KERNEL_ERROR_FNS = ['gather', 'scatter', 'scatterAdd', 'indexSelect', 'luPermutation', 'linalgSolve', 'cholesky'] as const;

/**
 * WGSL declaring the error flag `ef` at `binding` and `report(a, b, c)`, which records this kernel's
 * code and three values (the first report wins; the host turns them into the error at the next read).
 */
export function errorReporter(fn: (typeof KERNEL_ERROR_FNS)[number], binding: number): string {
  const code = KERNEL_ERROR_FNS.indexOf(fn) + 1;
  return `@group(0) @binding(${binding}) var<storage, read_write> ef: array<atomic<u32>, 4>;
fn report(a: i32, b: i32, c: i32) {
  if (atomicMax(&ef[0], ${code}u) == 0u) {
    atomicStore(&ef[1], bitcast<u32>(a)); atomicStore(&ef[2], bitcast<u32>(b)); atomicStore(&ef[3], bitcast<u32>(c));
  }
}
`;
}

function uniformHeader(vec4s: number): string {
  return `struct Params { p: array<vec4<i32>, ${vec4s}> }
@group(0) @binding(0) var<uniform> U: Params;
fn P(i: u32) -> i32 { return U.p[i >> 2u][i & 3u]; }
`;
}
