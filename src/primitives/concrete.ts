// Concrete tensors and their storage: the one path between tensors and backends. Kernel calls go
// to the backend of their inputs' storage (never a global), new tensors to the backend of the device
// asked for ('cpu', the default CPU backend, when none is), and host data in or out passes through
// here, so nothing above primitives/ touches a buffer.
import type { DType, TypedArray } from '../core/dtype.js';
import { DeviceError } from '../core/errors.js';
import { contiguousStrides, numel } from '../core/shape.js';
import { backendFor, checkDeviceDType, getBackend, readsSynchronously, type Backend, type Device, type View } from '../backend/index.js';
import { Storage, Tensor } from './value.js';
import type { AbstractValue } from './primitive.js';
import { arrived, arriving, arrivingError, isArriving } from './host_transfer.js';

export function fromBuffer(be: Backend, buf: unknown, shape: number[], dtype: DType): Tensor {
  return Tensor.concrete(shape, dtype, new Storage(buf, be), contiguousStrides(shape), 0);
}

/** The backend that makes new tensors on `device`, refusing a dtype the device cannot hold. */
function maker(device: Device, dtype: DType, fn: string): Backend {
  checkDeviceDType(fn, device, dtype);
  return backendFor(device, fn);
}

/**
 * A tensor of `shape` filled with `value`, on `device` ('cpu' by default: internal constants without a
 * device are CPU values, which combine with any device only when 0-d).
 */
export function full(shape: number[], value: number, dtype: DType, device: Device = 'cpu', fn = 'full'): Tensor {
  const be = maker(device, dtype, fn);
  const t = fromBuffer(be, be.full(dtype, numel(shape), value), shape, dtype);
  if (device !== 'cpu' && numel(shape) === 1) hostValues.set(t, value);
  return t;
}

/** Values of one-element device tensors made from a number (read without waiting for the device). */
const hostValues = new WeakMap<Tensor, number>();

/**
 * The value of a one-element concrete tensor when the host has it without waiting: a CPU tensor's, or
 * a device tensor's that `full` made from a number (compile turns such constants into literals).
 */
export function knownValue(t: Tensor): number | undefined {
  if (numel(t.shape) !== 1 || t._storage === null) return undefined;
  return t._storage.backend.device === 'cpu' ? readHost(t)[0] : hostValues.get(t);
}

/**
 * A 0-d tensor holding `value` as `dtype` (torch.scalar_tensor), on the CPU unless `device` is given.
 * @example torch.scalar(0.5, 'float64')
 */
export function scalar(value: number, dtype: DType, device: Device = 'cpu'): Tensor {
  return full([], value, dtype, device, 'scalar');
}

/** A tensor on `device` (default 'cpu') holding host values (converted to dtype), row-major. */
export function fromHost(data: ArrayLike<number>, shape: number[], dtype: DType, device: Device = 'cpu', fn = 'fromHost'): Tensor {
  const be = maker(device, dtype, fn);
  return fromBuffer(be, be.fromArray(dtype, data), shape, dtype);
}

/**
 * A host copy of a concrete tensor's values, row-major. Only the CPU can be read synchronously: on
 * another device it is a DeviceError naming `fn` and the async call to use instead.
 */
export function readHost(t: Tensor, fn = 'read'): TypedArray {
  const s = t._storage!;
  if (isArriving(s)) throw arrivingError(s, fn);
  const device = s.backend.device;
  if (!readsSynchronously(device)) {
    throw new DeviceError(
      `${fn}(): cannot read a tensor on device '${device}' synchronously (the host must wait for the device); use \`await tensor.data()\` (or itemAsync / tolistAsync), or move it with \`tensor.to('cpu')\` and \`await torch.${device}.synchronize()\``,
    );
  }
  return s.backend.read(t._view());
}

/** The values of a concrete tensor on any device, once the device has computed them. */
export async function readHostAsync(t: Tensor): Promise<TypedArray> {
  const s = t._storage!;
  await arrived(s);
  const be = s.backend;
  const v = t._view();
  return be.readAsync !== undefined ? be.readAsync(v) : be.read(v);
}

/** Whether t's values can be read synchronously now: a concrete tensor on the CPU that is not in flight. */
export function readableNow(t: Tensor): boolean {
  const s = t._storage;
  return s !== null && !isArriving(s) && readsSynchronously(s.backend.device);
}

/**
 * A concrete tensor with x's values on `device` (the kernel of a device move). From the CPU the values
 * are written to the device at once; to the CPU from a device the host reads asynchronously, the
 * result is in flight until the device sends them (host_transfer.ts).
 */
export function moveTo(x: Tensor, device: Device, fn = 'to'): Tensor {
  const src = x._storage!.backend;
  const v = x._view();
  if (readsSynchronously(src.device) && !isArriving(x._storage!)) {
    const be = maker(device, x.dtype, fn);
    return fromBuffer(be, be.fromArray(x.dtype, src.read(v)), [...x.shape], x.dtype);
  }
  if (isArriving(x._storage!)) throw arrivingError(x._storage!, fn);
  if (device === src.device) return fromBuffer(src, src.copy(v, x.dtype), [...x.shape], x.dtype);
  if (device !== 'cpu') throw new DeviceError(`${fn}(): cannot move a tensor from '${src.device}' to '${device}' directly; move it to 'cpu' first`);
  return Tensor.concrete([...x.shape], x.dtype, arriving(src, v, x.dtype), contiguousStrides(x.shape), 0);
}

/**
 * Points `dst` at src's data (PyTorch's `param.data = src`): the same tensor object, now viewing src's
 * storage with its geometry; dst's old storage is released. Both must be concrete with equal shapes.
 */
export function replaceData(dst: Tensor, src: Tensor): void {
  const s = src._storage!;
  release(dst);
  dst._storage = s;
  s.holders++;
  dst._strides = src._strides;
  dst._offset = src._offset;
  dst._base = null;
  dst._viewSteps = null;
  dst._viewVersion = s.version;
}

/** The device a value's data lives on (a wrapper's is its inner value's). */
export function deviceOf(t: Tensor): Device {
  while (t._storage === null && t._inner !== null) t = t._inner;
  return t._storage?.backend.device ?? t._device ?? getBackend().device;
}

/**
 * The device a primitive's result lives on, known before it runs: the one its params name (a move,
 * a random draw), else its inputs' (an accelerator over 'cpu', whose 0-d tensors combine with any
 * device); a draw that names none is made on 'cpu'.
 */
export function outputDevice(inputs: readonly Tensor[], params: unknown): Device {
  const named = (params as { device?: Device } | undefined)?.device;
  if (named !== undefined) return named;
  let d: Device | null = null;
  for (const x of inputs) {
    const e = deviceOf(x);
    if (d === null || d === 'cpu') d = e;
  }
  return d ?? 'cpu';
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
 * The backend a kernel over `inputs` runs on, and their views on it. The device is the first one other
 * than 'cpu' among the inputs (PyTorch's common device); a 0-d CPU tensor is copied to it, as PyTorch
 * lets a CPU scalar combine with a CUDA tensor, and any other mix is PyTorch's error. Inputs on another
 * backend of the same device (tensors made before the default changed) are brought over. `device`
 * places a kernel without inputs.
 */
function placed(inputs: readonly Tensor[], device?: Device): [Backend, View[], unknown[]] {
  let be: Backend | null = null;
  for (const x of inputs) {
    const b = x._storage?.backend;
    if (b === undefined) continue;
    if (be === null || (be.device === 'cpu' && b.device !== 'cpu')) be = b;
  }
  if (be === null) be = device === undefined ? getBackend() : backendFor(device);
  for (const x of inputs) {
    const d = x._storage?.backend.device;
    if (d === undefined || d === be.device || (d === 'cpu' && x.ndim === 0)) continue;
    throw new DeviceError(`Expected all tensors to be on the same device, but found at least two devices, ${be.device} and ${d}!`);
  }
  const copies: unknown[] = [];
  const views = inputs.map((x) => {
    const v = x._view();
    if (x._storage!.backend === be) return v;
    checkDeviceDType('to', be!.device, x.dtype);
    const buf = be!.fromArray(x.dtype, readHost(x, 'to'));
    copies.push(buf);
    return { buf, dtype: x.dtype, shape: x.shape, strides: contiguousStrides(x.shape), offset: 0 };
  });
  return [be, views, copies];
}

/** Runs a kernel on the inputs' backend; its result buffer becomes a new contiguous tensor of `av`. */
export function runKernel(inputs: readonly Tensor[], av: AbstractValue, k: (be: Backend, views: View[]) => unknown, device?: Device): Tensor {
  const [be, views, copies] = placed(inputs, device);
  if (be.device !== 'cpu') checkDeviceDType('kernel', be.device, av.dtype);
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
  // The destination's device decides, as PyTorch's copy_: a CPU source is uploaded to the device, but
  // writing device values into CPU memory would need a synchronous read.
  const to = dst._storage!.backend.device;
  const from = src._storage?.backend.device ?? to;
  if (from !== to && !(from === 'cpu' && src.ndim === 0)) {
    if (to === 'cpu') {
      throw new DeviceError(
        `copy_(): cannot write a tensor on device '${from}' into a cpu tensor synchronously; move it with \`src.to('cpu')\` and \`await torch.${from}.synchronize()\` first, or read it with \`await src.data()\``,
      );
    }
    src = moveTo(src, to, 'copy_');
  }
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
