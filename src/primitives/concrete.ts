// Concrete tensors and their storage: the one path between tensors and backends. Kernel calls go
// to the backend of their inputs' storage (never a global), new tensors to the default backend, and
// host data in or out passes through here, so nothing above primitives/ touches a buffer.
import type { DType, TypedArray } from '../core/dtype.js';
import { DeviceError } from '../core/errors.js';
import { contiguousStrides, numel } from '../core/shape.js';
import { getBackend, type Backend, type Device, type View } from '../backend/index.js';
import { Storage, Tensor } from './value.js';
import type { AbstractValue } from './primitive.js';

export function fromBuffer(be: Backend, buf: unknown, shape: number[], dtype: DType): Tensor {
  return Tensor.concrete(shape, dtype, new Storage(buf, be), contiguousStrides(shape), 0);
}

export function full(shape: number[], value: number, dtype: DType): Tensor {
  const be = getBackend();
  return fromBuffer(be, be.full(dtype, numel(shape), value), shape, dtype);
}

/** A 0-d tensor holding `value` as `dtype` (torch.scalar_tensor). @example torch.scalar(0.5, 'float64') */
export function scalar(value: number, dtype: DType): Tensor {
  return full([], value, dtype);
}

/** A tensor on the default backend holding host values (converted to dtype), row-major. */
export function fromHost(data: ArrayLike<number>, shape: number[], dtype: DType): Tensor {
  const be = getBackend();
  return fromBuffer(be, be.fromArray(dtype, data), shape, dtype);
}

/** A host copy of a concrete tensor's values, row-major. */
export function readHost(t: Tensor): TypedArray {
  return t._storage!.backend.read(t._view());
}

/** The device a value's data lives on (a wrapper's is its inner value's). */
export function deviceOf(t: Tensor): Device {
  while (t._storage === null && t._inner !== null) t = t._inner;
  return t._storage?.backend.device ?? getBackend().device;
}

/** A view sharing x's storage with new geometry; remembers its base for in-place autograd. */
export function viewOf(x: Tensor, shape: number[], strides: number[], offset: number): Tensor {
  return Tensor.concrete(shape, x.dtype, x._storage!, strides, offset);
}

/** Releases t's hold on its storage; the memory goes back once no undisposed tensor shares it. */
export function release(t: Tensor): void {
  const s = t._storage;
  if (s === null) return;
  t._storage = null;
  if (--s.holders === 0) s.backend.free(s.buf);
}

/**
 * The backend a kernel over `inputs` runs on, and their views on it. Inputs on another backend of the
 * same device (tensors made before the default changed) are brought over; different devices are
 * PyTorch's error.
 */
function placed(inputs: readonly Tensor[]): [Backend, View[], unknown[]] {
  let be: Backend | null = null;
  for (const x of inputs) {
    const b = x._storage?.backend;
    if (b === undefined) continue;
    if (be === null) be = b;
    else if (b.device !== be.device) {
      throw new DeviceError(`Expected all tensors to be on the same device, but found at least two devices, ${be.device} and ${b.device}!`);
    }
  }
  if (be === null) be = getBackend();
  const copies: unknown[] = [];
  const views = inputs.map((x) => {
    const v = x._view();
    if (x._storage!.backend === be) return v;
    const buf = be!.fromArray(x.dtype, x._storage!.backend.read(v));
    copies.push(buf);
    return { buf, dtype: x.dtype, shape: x.shape, strides: contiguousStrides(x.shape), offset: 0 };
  });
  return [be, views, copies];
}

/** Runs a kernel on the inputs' backend; its result buffer becomes a new contiguous tensor of `av`. */
export function runKernel(inputs: readonly Tensor[], av: AbstractValue, k: (be: Backend, views: View[]) => unknown): Tensor {
  const [be, views, copies] = placed(inputs);
  const out = fromBuffer(be, k(be, views), av.shape, av.dtype);
  for (const c of copies) be.free(c);
  return out;
}

/** Runs a kernel that writes into dst's window of its storage, on the backend of dst and the inputs. */
export function runKernelInto(dst: Tensor, inputs: readonly Tensor[], k: (be: Backend, into: View, views: View[]) => void): void {
  if (dst._storage === null) throw new Error('runKernelInto: the destination has no storage');
  const [be, [d, ...views], copies] = placed([dst, ...inputs]);
  if (be !== dst._storage.backend) throw new Error('runKernelInto: the destination lives on another backend than its inputs');
  k(be, d!, views);
  for (const c of copies) be.free(c);
}

/** Writes src (broadcast to dst's shape, cast to its dtype) into dst's window of its storage. */
export function writeInto(dst: Tensor, src: Tensor): void {
  runKernelInto(dst, [src], (be, d, [s]) => be.copyInto(d, s!));
}

/**
 * Whether the matrix dims of t are laid out column-major (t is a transposed view, as nn.Linear's
 * weight.T), looking through wrappers that keep its shape. Gradient rules use it to produce a
 * gradient in its operand's layout, as PyTorch's mm backward does; false when unknown.
 */
export function isColumnMajor(t: Tensor): boolean {
  const n = t.ndim;
  while (t._storage === null && t._inner !== null && t._inner.ndim === n) t = t._inner;
  if (t._storage === null || n < 2) return false;
  const [r, c] = [t.shape[n - 2]!, t.shape[n - 1]!];
  const [sr, sc] = [t._strides[n - 2]!, t._strides[n - 1]!];
  return r > 1 && c > 1 && sr === 1 && sc === r;
}
