// Creating tensors: from nested arrays or typed arrays, constant fills, ranges and random draws.
import { arrayFor, checkDType, type DType, type TypedArray } from '../core/dtype.js';
import { ShapeError, ValueError } from '../core/errors.js';
import { numel } from '../core/shape.js';
import { Tensor, bind, fromHost, full as fullConst, randomP, reserve } from '../primitives/index.js';

export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

export type NestedArray = number | boolean | NestedArray[];

function finish(t: Tensor, opts?: CreateOptions): Tensor {
  if (opts?.requiresGrad) t.requiresGrad_(true);
  return t;
}

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0]!;
  }
  return shape;
}

function flattenNested(data: NestedArray, shape: number[], out: number[], depth: number): void {
  if (depth === shape.length) {
    if (Array.isArray(data)) throw new ShapeError(`tensor(): expected a number at depth ${depth}, got a sequence`);
    out.push(typeof data === 'boolean' ? Number(data) : data);
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[depth]) {
    throw new ShapeError(
      `tensor(): expected sequence of length ${shape[depth]} at dim ${depth} (got ${Array.isArray(data) ? data.length : typeof data})`,
    );
  }
  for (const d of data) flattenNested(d, shape, out, depth + 1);
}

function defaultDType(data: NestedArray | TypedArray): DType {
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint8Array) return 'bool';
  if (data instanceof Float32Array) return 'float32';
  let sawFloat = false;
  let sawNumber = false;
  const walk = (x: NestedArray): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (typeof x === 'number') {
      sawNumber = true;
      if (!Number.isInteger(x)) sawFloat = true;
    }
  };
  walk(data as NestedArray);
  if (sawFloat) return 'float32';
  if (sawNumber) return 'int32';
  const shape = inferShape(data as NestedArray);
  return numel(shape) === 0 ? 'float32' : 'bool';
}

/**
 * A tensor from nested arrays or a typed array (PyTorch's torch.tensor). Integer-valued numbers give
 * int32, any fractional number gives float32, booleans give bool.
 * @example torch.tensor([[1, 2], [3, 4]], { dtype: 'float64', requiresGrad: true })
 */
export function tensor(data: NestedArray | TypedArray, opts?: CreateOptions & { shape?: number[] }): Tensor {
  const dtype = opts?.dtype ? checkDType('tensor', 'dtype', opts.dtype) : defaultDType(data);
  let shape: number[];
  let flat: ArrayLike<number>;
  if (ArrayBuffer.isView(data)) {
    flat = data as TypedArray;
    shape = opts?.shape ?? [flat.length];
    if (numel(shape) !== flat.length) throw new ShapeError(`tensor(): shape [${shape}] does not hold ${flat.length} values`);
  } else {
    shape = inferShape(data);
    const out: number[] = [];
    flattenNested(data, shape, out, 0);
    flat = out;
  }
  const t = fromHost(flat, shape, dtype);
  return finish(t, opts);
}

function sizes(fn: string, shape: number[]): number[] {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new ValueError(`${fn}(): negative or non-integer dimension ${d} in size [${shape.join(', ')}]`);
  }
  return [...shape];
}

/** @example torch.full([2, 3], 7) */
export function full(shape: number[], value: number | boolean, opts?: CreateOptions): Tensor {
  const dtype = opts?.dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32');
  return finish(fullConst(sizes('full', shape), Number(value), dtype), opts);
}
/** @example torch.zeros([2, 3]) */
export const zeros = (shape: number[], opts?: CreateOptions) => full(shape, 0, { dtype: 'float32', ...opts });
/** @example torch.ones([2, 3], { dtype: 'float64' }) */
export const ones = (shape: number[], opts?: CreateOptions) => full(shape, 1, { dtype: 'float32', ...opts });
/** Uninitialized in PyTorch; zero-filled here. */
export const empty = (shape: number[], opts?: CreateOptions) => zeros(shape, opts);

export const zerosLike = (x: Tensor, opts?: CreateOptions) => full(x.shape, 0, { dtype: x.dtype, ...opts });
export const onesLike = (x: Tensor, opts?: CreateOptions) => full(x.shape, 1, { dtype: x.dtype, ...opts });
export const fullLike = (x: Tensor, v: number, opts?: CreateOptions) => full(x.shape, v, { dtype: x.dtype, ...opts });
export const emptyLike = zerosLike;

/**
 * arange(end) or arange(start, end, step), as torch.arange: int32 when all arguments are integers.
 * @example torch.arange(0, 1, 0.25) // [0, 0.25, 0.5, 0.75]
 */
export function arange(start: number, end?: number, step = 1, opts?: CreateOptions): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (step === 0) throw new ValueError('arange(): step must be nonzero');
  const n = Math.max(0, Math.ceil((end - start) / step));
  const dtype = opts?.dtype ?? ([start, end, step].every(Number.isInteger) ? 'int32' : 'float32');
  const buf = arrayFor(dtype, n);
  for (let i = 0; i < n; i++) buf[i] = start + i * step;
  return finish(fromHost(buf, [n], dtype), opts);
}

/** @example torch.linspace(0, 1, 5) */
export function linspace(start: number, end: number, steps: number, opts?: CreateOptions): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new ValueError(`linspace(): number of steps must be non-negative, got ${steps}`);
  const dtype = opts?.dtype ?? 'float32';
  const buf = arrayFor(dtype, steps);
  const h = steps > 1 ? (end - start) / (steps - 1) : 0;
  // Like PyTorch, fill from both ends so the last value is exactly `end`.
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) buf[i] = i < half ? start + h * i : end - h * (steps - 1 - i);
  return finish(fromHost(buf, [steps], dtype), opts);
}

/** @example torch.eye(3) */
export function eye(n: number, m = n, opts?: CreateOptions): Tensor {
  const dtype = opts?.dtype ?? 'float32';
  const buf = arrayFor(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) buf[i * m + i] = 1;
  return finish(fromHost(buf, [n, m], dtype), opts);
}

function draw(kind: 'uniform' | 'normal' | 'randint', shape: number[], dtype: DType, low: number, high: number): Tensor {
  const s = sizes(kind === 'normal' ? 'randn' : kind === 'uniform' ? 'rand' : 'randint', shape);
  const { seed, offset } = reserve(numel(s));
  return bind(randomP, [], { kind, shape: s, dtype, low, high, seed, offset });
}

/** Uniform on [0, 1). @example torch.rand([2, 2]) */
export const rand = (shape: number[], opts?: CreateOptions) => finish(draw('uniform', shape, opts?.dtype ?? 'float32', 0, 1), opts);
/** Standard normal. @example torch.randn([3]) */
export const randn = (shape: number[], opts?: CreateOptions) => finish(draw('normal', shape, opts?.dtype ?? 'float32', 0, 1), opts);
/** Integers in [low, high). @example torch.randint(0, 10, [5]) */
export function randint(low: number, high: number, shape: number[], opts?: CreateOptions): Tensor {
  if (high <= low) throw new ValueError(`randint(): expected low < high, got low=${low}, high=${high}`);
  return finish(draw('randint', shape, opts?.dtype ?? 'int32', low, high), opts);
}
export const randLike = (x: Tensor, opts?: CreateOptions) => rand(x.shape, { dtype: x.dtype, ...opts });
export const randnLike = (x: Tensor, opts?: CreateOptions) => randn(x.shape, { dtype: x.dtype, ...opts });
