// The WebAssembly backend ('wasm' on device 'cpu'): buffers in WebAssembly memory, kernels generated
// as SIMD bytecode at run time. A kernel it does not have runs the reference backend's kernel on
// the same memory (typed arrays over the wasm regions); those are listed in REFERENCE_KERNELS, never
// taken silently.
import { TorchfnError } from '../../core/errors.js';
import { numel } from '../../core/shape.js';
import { type DType, type TypedArray } from '../../core/dtype.js';
import type { Backend, FusedEpilogue, View } from '../backend.js';
import { jsBackend } from '../cpu/index.js';
import { isContiguousView } from '../cpu/strided.js';
import { WasmBuf, acquire, adopt, allocate, free, settle, typed, wrapHost } from './buffers.js';
import { PARTIAL_KERNELS, nativeKernels } from './kernels.js';

export type WView = View<WasmBuf>;

const ref = jsBackend;

function dtypeOfArray(a: TypedArray): DType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  return 'bool';
}

/**
 * A buffer holding a host array's values: the array itself when small, else a resident copy (made
 * resident now, so that its storage's finalizer can return the region).
 */
export function fromHostArray(a: TypedArray): WasmBuf {
  const b = wrapHost(a, dtypeOfArray(a));
  if (!b.small) {
    acquire([b]);
    settle();
  }
  return b;
}

export const hostView = (v: WView): View<TypedArray> => ({ ...v, buf: typed(v.buf) });

const isView = (a: unknown): a is WView => typeof a === 'object' && a !== null && (a as WView).buf instanceof WasmBuf;

type Kernel = keyof Omit<Backend, 'name' | 'device' | 'full' | 'fromArray' | 'read' | 'free' | 'adopt'>;

const isEpilogue = (a: unknown): a is FusedEpilogue<WasmBuf> => typeof a === 'object' && a !== null && 'program' in a && 'inputs' in a;

/** A kernel argument with its views (alone, in a list, or an epilogue's) over typed arrays. */
function hostArg(a: unknown): unknown {
  if (isView(a)) return hostView(a);
  if (Array.isArray(a) && a.length > 0 && isView(a[0])) return (a as WView[]).map(hostView);
  if (isEpilogue(a)) return { program: a.program, inputs: a.inputs.map(hostView) };
  return a;
}

/** The reference kernel `name` run over this backend's buffers as typed arrays (wasm regions or host arrays). */
function viaReference(name: Kernel): (...args: unknown[]) => unknown {
  const k = ref[name] as (...args: unknown[]) => unknown;
  return (...args) => {
    const hostArgs = args.map(hostArg);
    const r = k(...hostArgs);
    return ArrayBuffer.isView(r) ? fromHostArray(r as TypedArray) : r;
  };
}

const KERNELS: readonly Kernel[] = [
  'unary', 'binary', 'where', 'reduce', 'argReduce', 'argsort', 'cumsum', 'matmul', 'copy', 'copyInto',
  'gather', 'scatter', 'indexSelect', 'concat', 'pad', 'unfold', 'fold', 'linalgSolve', 'slogdet',
  'cholesky', 'triangularSolve', 'qr', 'eigh', 'svd', 'pinv', 'luFactor', 'luPermutation', 'matrixExp', 'fused',
  'fusedInto', 'fusedReduce',
];

const fallback = Object.fromEntries(KERNELS.map((k) => [k, viaReference(k)])) as unknown as Backend<WasmBuf>;
const native = nativeKernels(fallback);

/**
 * Kernels (or the cases of one) that run the reference implementation on wasm memory, with why.
 * Each native kernel takes the cases it has and hands the rest to the reference explicitly.
 */
export const REFERENCE_KERNELS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(KERNELS.filter((k) => !(k in native)).map((k) => [k, k === 'argsort' ? 'no wasm kernel: the reference stable sort runs on the wasm memory' : 'no wasm kernel'] as const)),
  ...PARTIAL_KERNELS,
};

/** Whether every element a view reaches lies in its buffer (strides may be negative, as flip's). */
function inBounds(v: WView): boolean {
  let lo = v.offset;
  let hi = v.offset;
  for (let i = 0; i < v.shape.length; i++) {
    if (v.shape[i] === 0) return true;
    const span = (v.shape[i]! - 1) * v.strides[i]!;
    if (span < 0) lo += span;
    else hi += span;
  }
  return lo >= 0 && hi < v.buf.length;
}

function read(v: WView): TypedArray {
  const b = v.buf;
  // Wasm memory has no bounds per buffer: a view past its buffer would read a neighbour's values.
  if (!inBounds(v)) throw new TorchfnError(`read: a view of shape [${v.shape.join(', ')}] at offset ${v.offset} reaches past its buffer of ${b.length} elements`);
  if (b.ptr < 0) return ref.read({ ...v, buf: b.host! });
  if (isContiguousView(v)) {
    const n = numel(v.shape);
    const out = ref.full(v.dtype, n, 0);
    out.set(typed(b).subarray(v.offset, v.offset + n) as never);
    return out;
  }
  return ref.copy(hostView(v), v.dtype);
}

export const wasmBackend: Backend<WasmBuf> = {
  ...fallback,
  ...native,
  name: 'wasm',
  device: 'cpu',
  full: (dtype, size, value) => {
    const b = allocate(dtype, size);
    typed(b).fill(dtype === 'bool' ? (value ? 1 : 0) : value);
    return b;
  },
  fromArray: (dtype, data) => fromHostArray(ref.fromArray(dtype, data)),
  read,
  free,
  adopt,
};
