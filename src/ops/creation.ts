// Creating tensors: from nested arrays or typed arrays, constant fills, ranges and random draws.
import { arrayFor, checkDType, isFloating, type DType, type TypedArray } from '../core/dtype.js';
import { DTypeError, DeviceError, ShapeError, ValueError, fmtValue } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import { MAX_NUMEL, checkNumel, mixedSizesError, numel } from '../core/shape.js';
import {
  Tensor, bind, checkDevice, checkDeviceDType, deviceAvailable, deviceOf, fromHost, full as fullConst, getDefaultDevice, randomP, reserve, type Device,
} from '../primitives/index.js';

/** Options of the creation functions (`tensor`, `zeros`, `randn`, `arange`...). */
export interface CreateOptions {
  /** The element type; creation functions default to float32 (PyTorch's default dtype). */
  dtype?: DType;
  /** Record operations on the new tensor for autograd (a leaf that will receive `.grad`). */
  requiresGrad?: boolean;
  /**
   * The device to make it on: 'cpu' or 'webgpu' (after `await torch.webgpu.init()`). Defaults to
   * `torch.getDefaultDevice()`; the `*Like` functions default to their input's device.
   */
  device?: Device;
}

const CREATE_KEYS = ['dtype', 'requiresGrad', 'device'] as const;

/** The device asked for (checked), else the default device. */
function deviceArg(fn: string, opts: CreateOptions | undefined, fallback: Device = getDefaultDevice()): Device {
  return opts?.device === undefined ? fallback : checkDevice(fn, 'device', opts.device);
}

/** A number, a boolean, or (nested) arrays of them, as `tensor()` takes. */
export type NestedArray = number | boolean | readonly NestedArray[];
/** A typed array `tensor()` reads: float arrays keep their precision, integer arrays become int32. */
export type TensorData = NestedArray | TypedArray | Int8Array | Int16Array | Uint16Array | Uint32Array | Uint8ClampedArray;

function finish(t: Tensor, opts?: CreateOptions): Tensor {
  if (opts?.requiresGrad) t.requiresGrad_(true);
  return t;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
/** PyTorch refuses values that do not fit the integer dtype rather than wrapping them. */
function checkInt32(fn: string, v: number, where: string): void {
  if (!(v >= INT32_MIN && v <= INT32_MAX)) {
    throw new ValueError(`${fn}(): value ${v}${where} cannot be converted to type int32 without overflow (use dtype 'float64' for large integers)`);
  }
}

// Nested arrays deeper than this are either a mistake or cyclic; PyTorch caps tensors at 64 dims too.
const MAX_DIMS = 64;

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    if (shape.length === MAX_DIMS) throw new ValueError(`tensor(): nested arrays deeper than ${MAX_DIMS} levels (or an array that contains itself)`);
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0]!;
  }
  return shape;
}

const at = (path: number[]) => (path.length ? ` at [${path.join(', ')}]` : '');

/** Flattens a rectangular nested array, noting whether it held numbers and booleans; holes and non-numbers are errors. */
function flattenNested(data: NestedArray, shape: number[], out: number[], path: number[], seen: { number: boolean; bool: boolean }): void {
  const depth = path.length;
  if (depth === shape.length) {
    if (typeof data === 'number') seen.number = true;
    else if (typeof data === 'boolean') seen.bool = true;
    else {
      const got = Array.isArray(data) ? 'a sequence' : data === undefined ? 'an empty slot' : `${typeof data} ${fmtValue(data)}`;
      throw new ValueError(`tensor(): expected a number or boolean${at(path)}, got ${got}`);
    }
    out.push(Number(data));
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[depth]) {
    throw new ShapeError(
      `tensor(): expected sequence of length ${shape[depth]} at dim ${depth}${at(path)} (got ${Array.isArray(data) ? data.length : typeof data})`,
    );
  }
  for (let i = 0; i < data.length; i++) {
    if (!(i in data)) throw new ValueError(`tensor(): expected a number or boolean${at([...path, i])}, got an empty slot`);
    path.push(i);
    flattenNested(data[i]!, shape, out, path, seen);
    path.pop();
  }
}

function typedDType(data: ArrayBufferView): DType {
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    throw new DTypeError(`tensor(): ${data.constructor.name} is not supported; convert to an Int32Array or a Float64Array`);
  }
  if (data instanceof DataView || !('length' in data)) throw new DTypeError('tensor(): a DataView is not supported; pass a typed array');
  return 'int32';
}

/**
 * A tensor from nested arrays or a typed array (PyTorch's `torch.tensor`).
 *
 * The dtype rule: JavaScript has one number type, so numbers become float32 (the default dtype, as
 * PyTorch's `torch.Tensor([...])`, TensorFlow.js and jax-js do), booleans become bool, and typed
 * arrays keep their kind: Float64Array gives float64, Float32Array float32, and the integer arrays
 * (Int32Array, Uint8Array and the other 8/16/32-bit arrays) give int32. Ask for integers with
 * `{ dtype: 'int32' }` or an Int32Array; values that do not fit int32 are an error, never wrapped.
 * @example torch.tensor([[1, 2], [3, 4]])                      // float32
 * @example torch.tensor([0, 2, 1], { dtype: 'int32' })          // class indices
 * @example torch.tensor(new Float64Array([0.1, 0.2]), { requiresGrad: true })
 */
export function tensor(data: TensorData, opts?: CreateOptions & { shape?: number[] }): Tensor {
  checkOptions('tensor()', opts, [...CREATE_KEYS, 'shape']);
  let shape: number[];
  let flat: ArrayLike<number>;
  let dtype: DType;
  if (ArrayBuffer.isView(data)) {
    const own = typedDType(data); // refuses BigInt arrays and DataViews whatever the dtype asked
    dtype = opts?.dtype ? checkDType('tensor', 'dtype', opts.dtype) : own;
    flat = data as unknown as ArrayLike<number>;
    if (opts?.shape !== undefined) sizes('tensor', opts.shape);
    shape = opts?.shape ?? [flat.length];
    if (numel(shape) !== flat.length) throw new ShapeError(`tensor(): shape [${shape}] does not hold ${flat.length} values`);
  } else {
    if (opts?.shape !== undefined) throw new ValueError('tensor(): the shape option applies to typed arrays; nested arrays carry their own shape');
    if (typeof data !== 'number' && typeof data !== 'boolean' && !Array.isArray(data)) {
      throw new ValueError(`tensor(): expected a number, a boolean, a (nested) array or a typed array, got ${data === null ? 'null' : typeof data}`);
    }
    shape = inferShape(data);
    const out: number[] = [];
    const seen = { number: false, bool: false };
    flattenNested(data, shape, out, [], seen);
    flat = out;
    dtype = opts?.dtype ? checkDType('tensor', 'dtype', opts.dtype) : seen.number || out.length === 0 ? 'float32' : 'bool';
  }
  return finish(fromHost(convert('tensor', flat, dtype), shape, dtype, deviceArg('tensor', opts), 'tensor'), opts);
}

/** Values as `dtype` stores them: bool is 0/1 of "nonzero", int32 truncates toward zero and refuses overflow. */
function convert(fn: string, flat: ArrayLike<number>, dtype: DType): ArrayLike<number> {
  if (dtype === 'bool') return Uint8Array.from(flat, (v) => (v !== 0 ? 1 : 0));
  if (dtype !== 'int32' || flat instanceof Int32Array) return flat;
  const out = new Int32Array(flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = Math.trunc(flat[i]!);
    checkInt32(fn, v, flat.length > 1 ? ` (element ${i})` : '');
    out[i] = v;
  }
  return out;
}

function sizes(fn: string, shape: readonly number[]): number[] {
  if (!Array.isArray(shape)) throw new ValueError(`${fn}(): size must be an array of non-negative integers, got ${typeof shape}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new ValueError(`${fn}(): negative or non-integer dimension ${d} in size [${shape.join(', ')}]`);
  }
  checkNumel(fn, shape);
  return [...shape];
}

/** A size given PyTorch's two ways, `zeros(2, 3)` or `zeros([2, 3])`, with an optional trailing options object. */
export type SizeArgs = [size: readonly number[], opts?: CreateOptions] | number[] | [...sizes: number[], opts: CreateOptions];

function sizeArgs(fn: string, args: readonly unknown[]): [number[], CreateOptions | undefined] {
  const last = args[args.length - 1];
  const hasOpts = last !== undefined && typeof last === 'object' && !Array.isArray(last);
  const opts = hasOpts ? (last as CreateOptions) : undefined;
  checkOptions(`${fn}()`, opts, CREATE_KEYS);
  const rest = hasOpts ? args.slice(0, -1) : args;
  if (rest.length === 1 && Array.isArray(rest[0])) return [sizes(fn, rest[0] as number[]), opts];
  if (rest.some((d) => typeof d !== 'number')) throw mixedSizesError(fn, rest);
  return [sizes(fn, rest as number[]), opts];
}

function fillValue(fn: string, value: number | boolean, dtype: DType): number {
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new ValueError(`${fn}(): fill value must be a number or boolean, got ${typeof value}`);
  return convert(fn, [Number(value)], dtype)[0]!;
}

/** A tensor of `value`; float32 unless `value` is a boolean or a dtype is given. @example torch.full([2, 3], 7) */
export function full(shape: readonly number[], value: number | boolean, opts?: CreateOptions): Tensor {
  checkOptions('full()', opts, CREATE_KEYS);
  const dtype = opts?.dtype ? checkDType('full', 'dtype', opts.dtype) : typeof value === 'boolean' ? 'bool' : 'float32';
  return finish(fullConst(sizes('full', shape), fillValue('full', value, dtype), dtype, deviceArg('full', opts), 'full'), opts);
}

function filled(fn: string, value: number, args: readonly unknown[]): Tensor {
  const [shape, opts] = sizeArgs(fn, args);
  const dtype = opts?.dtype ? checkDType(fn, 'dtype', opts.dtype) : 'float32';
  return finish(fullConst(shape, value, dtype, deviceArg(fn, opts), fn), opts);
}
/** Zeros. @example torch.zeros([2, 3]) ; torch.zeros(2, 3, { dtype: 'float64' }) */
export const zeros = (...args: SizeArgs): Tensor => filled('zeros', 0, args);
/** Ones. @example torch.ones([2, 3], { dtype: 'float64' }) */
export const ones = (...args: SizeArgs): Tensor => filled('ones', 1, args);
/** Uninitialized in PyTorch; zero-filled here. @example torch.empty(2, 3) */
export const empty = (...args: SizeArgs): Tensor => filled('empty', 0, args);

function like(fn: string, x: Tensor, value: number, opts?: CreateOptions): Tensor {
  if (!(x instanceof Tensor)) throw new DTypeError(`${fn}(): argument 'input' must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  checkOptions(`${fn}()`, opts, CREATE_KEYS);
  const dtype = opts?.dtype ? checkDType(fn, 'dtype', opts.dtype) : x.dtype;
  return finish(fullConst([...x.shape], fillValue(fn, value, dtype), dtype, deviceArg(fn, opts, deviceOf(x)), fn), opts);
}
/** Zeros with x's shape, dtype and device. @example torch.zerosLike(x) */
export const zerosLike = (x: Tensor, opts?: CreateOptions) => like('zerosLike', x, 0, opts);
/** Ones with x's shape, dtype and device. */
export const onesLike = (x: Tensor, opts?: CreateOptions) => like('onesLike', x, 1, opts);
/** `v` with x's shape, dtype and device. */
export const fullLike = (x: Tensor, v: number, opts?: CreateOptions) => like('fullLike', x, v, opts);
/** Zeros with x's shape, dtype and device (PyTorch leaves them uninitialized). */
export const emptyLike = (x: Tensor, opts?: CreateOptions) => like('emptyLike', x, 0, opts);

function finite(fn: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${fn}(): ${name} must be a finite number, got ${String(v)}`);
  return v;
}

/** Splits PyTorch's positional numbers from a trailing options object: `f(a, b, { dtype })`. */
function numbersThenOptions(fn: string, args: readonly unknown[], max: number): [number[], CreateOptions | undefined] {
  const last = args[args.length - 1];
  const opts = last !== null && typeof last === 'object' ? (last as CreateOptions) : undefined;
  checkOptions(`${fn}()`, opts, CREATE_KEYS);
  const nums = (opts ? args.slice(0, -1) : args).filter((a) => a !== undefined);
  if (nums.length === 0 || nums.length > max || nums.some((a) => typeof a !== 'number')) {
    throw new ValueError(`${fn}(): expected 1 to ${max} numbers and an optional options object, got (${args.map((a) => typeof a).join(', ')})`);
  }
  return [nums as number[], opts];
}

/**
 * arange(end), arange(start, end) or arange(start, end, step), each with an optional options object,
 * as torch.arange: int32 when all arguments are integers, else float32.
 * @example torch.arange(5) ; torch.arange(0, 1, 0.25) // [0, 0.25, 0.5, 0.75] ; torch.arange(6, { dtype: 'float32' })
 */
export function arange(end: number, opts?: CreateOptions): Tensor;
export function arange(start: number, end: number, opts?: CreateOptions): Tensor;
export function arange(start: number, end: number, step: number, opts?: CreateOptions): Tensor;
export function arange(...args: (number | CreateOptions | undefined)[]): Tensor {
  const [nums, opts] = numbersThenOptions('arange', args, 3);
  let [start, end, step = 1] = nums.map((v, i) => finite('arange', ['start', 'end', 'step'][i]!, v)) as [number, number?, number?];
  if (end === undefined) [start, end] = [0, start];
  if (step === 0) throw new ValueError('arange(): step must be nonzero');
  if ((end - start) / step < 0) throw new ValueError(`arange(): upper bound and larger bound inconsistent with step sign (start=${start}, end=${end}, step=${step})`);
  const n = Math.ceil((end - start) / step);
  if (n > MAX_NUMEL) throw new ValueError(`arange(): start=${start}, end=${end}, step=${step} would make ${n} values, more than the ${MAX_NUMEL} torchfn supports`);
  const dtype = opts?.dtype ? checkDType('arange', 'dtype', opts.dtype) : [start, end, step].every(Number.isInteger) ? 'int32' : 'float32';
  if (dtype === 'int32') [start, end].forEach((v) => checkInt32('arange', v, ''));
  const buf = arrayFor(dtype, n);
  for (let i = 0; i < n; i++) buf[i] = start + i * step;
  return finish(fromHost(buf, [n], dtype, deviceArg('arange', opts), 'arange'), opts);
}

/** `steps` evenly spaced values from start to end inclusive. @example torch.linspace(0, 1, 5) */
export function linspace(start: number, end: number, steps: number, opts?: CreateOptions): Tensor {
  checkOptions('linspace()', opts, CREATE_KEYS);
  finite('linspace', 'start', start);
  finite('linspace', 'end', end);
  if (!Number.isInteger(steps) || steps < 0) throw new ValueError(`linspace(): number of steps must be non-negative, got ${steps}`);
  checkNumel('linspace', [steps]);
  const dtype = opts?.dtype ? checkDType('linspace', 'dtype', opts.dtype) : 'float32';
  const buf = arrayFor(dtype, steps);
  const h = steps > 1 ? (end - start) / (steps - 1) : 0;
  // Like PyTorch, fill from both ends so the last value is exactly `end`.
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) buf[i] = i < half ? start + h * i : end - h * (steps - 1 - i);
  return finish(fromHost(buf, [steps], dtype, deviceArg('linspace', opts), 'linspace'), opts);
}

/** The n×m identity (m defaults to n). @example torch.eye(3) ; torch.eye(2, { dtype: 'float64' }) */
export function eye(n: number, opts?: CreateOptions): Tensor;
export function eye(n: number, m: number, opts?: CreateOptions): Tensor;
export function eye(...args: (number | CreateOptions | undefined)[]): Tensor {
  const [nums, opts] = numbersThenOptions('eye', args, 2);
  const [n, m = n] = sizes('eye', nums) as [number, number?];
  checkNumel('eye', [n, m]);
  const dtype = opts?.dtype ? checkDType('eye', 'dtype', opts.dtype) : 'float32';
  const buf = arrayFor(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) buf[i * m + i] = 1;
  return finish(fromHost(buf, [n, m], dtype, deviceArg('eye', opts), 'eye'), opts);
}

function draw(kind: 'uniform' | 'normal' | 'randint', shape: readonly number[], dtype: DType, low: number, high: number, opts: CreateOptions | undefined): Tensor {
  const fn = kind === 'normal' ? 'randn' : kind === 'uniform' ? 'rand' : 'randint';
  const s = sizes(fn, shape);
  const device = deviceArg(fn, opts);
  checkDeviceDType(fn, device, dtype);
  if (!deviceAvailable(device)) throw new DeviceError(`${fn}(): device '${device}' is not available: call (and await) torch.${device}.init() first, and check that it returned true`);
  const { seed, offset } = reserve(numel(s));
  // Draws are made on the host and written to the device: the same seed gives the same values everywhere.
  const params = { kind, shape: s, dtype, low, high, seed, offset };
  return bind(randomP, [], device === 'cpu' ? params : { ...params, device });
}

/** Uniform on [0, 1). @example torch.rand([2, 2]) ; torch.rand(2, 2) */
export function rand(...args: SizeArgs): Tensor {
  const [shape, opts] = sizeArgs('rand', args);
  return finish(draw('uniform', shape, floatDType('rand', opts), 0, 1, opts), opts);
}
/** Standard normal. @example torch.randn([3]) ; torch.randn(3, 4) */
export function randn(...args: SizeArgs): Tensor {
  const [shape, opts] = sizeArgs('randn', args);
  return finish(draw('normal', shape, floatDType('randn', opts), 0, 1, opts), opts);
}
/** rand and randn draw floats only, as in PyTorch (an int32 draw would be all zeros, or rounded). */
function floatDType(fn: string, opts?: CreateOptions): DType {
  const dtype = opts?.dtype ? checkDType(fn, 'dtype', opts.dtype) : 'float32';
  if (!isFloating(dtype)) throw new DTypeError(`${fn}(): expected a floating point dtype ('float32' or 'float64'), got ${dtype}`);
  return dtype;
}
/**
 * Integers in [low, high) (int32 unless a dtype is given); `randint(high, size)` starts at 0.
 * @example torch.randint(0, 10, [5]) ; torch.randint(10, [5])
 */
export function randint(high: number, shape: readonly number[], opts?: CreateOptions): Tensor;
export function randint(low: number, high: number, shape: readonly number[], opts?: CreateOptions): Tensor;
export function randint(a: number, b: number | readonly number[], c?: readonly number[] | CreateOptions, d?: CreateOptions): Tensor {
  const [low, high, shape, opts] = Array.isArray(b) ? [0, a, b, c as CreateOptions | undefined] : [a, b as number, c as number[], d];
  checkOptions('randint()', opts, CREATE_KEYS);
  if (!Number.isInteger(low) || !Number.isInteger(high)) throw new ValueError(`randint(): low and high must be integers, got low=${low}, high=${high}`);
  if (high <= low) throw new ValueError(`randint(): expected low < high, got low=${low}, high=${high}`);
  const dtype = opts?.dtype ? checkDType('randint', 'dtype', opts.dtype) : 'int32';
  if (dtype === 'int32') [low, high - 1].forEach((v) => checkInt32('randint', v, ''));
  return finish(draw('randint', shape, dtype, low, high, opts), opts);
}
/** Uniform on [0, 1) with x's shape, dtype and device. */
export const randLike = (x: Tensor, opts?: CreateOptions) => rand(x.shape, { dtype: x.dtype, device: deviceOf(x), ...opts });
/** Standard normal with x's shape, dtype and device. */
export const randnLike = (x: Tensor, opts?: CreateOptions) => randn(x.shape, { dtype: x.dtype, device: deviceOf(x), ...opts });
