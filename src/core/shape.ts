// Shapes, strides and NumPy broadcasting.
import { IndexError, ShapeError, ValueError, fmtShape, fmtValue } from './errors.js';

export type Shape = number[];

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

/**
 * The most elements one tensor may hold: kernels index with 32-bit integers and the wasm backend's
 * memory is at most 4 GiB, so a larger size is a ValueError rather than a crash or a wrapped index.
 */
export const MAX_NUMEL = 2 ** 31 - 1;

/** A size given as several arguments that are not all numbers (`zeros(2, [3])`, `reshape(x, [2, 3], 1)`). */
export function mixedSizesError(fn: string, args: readonly unknown[]): ValueError {
  return new ValueError(`${fn}(): expected a size as numbers or one array of numbers, got (${args.map((d) => (Array.isArray(d) ? 'array' : typeof d)).join(', ')})`);
}

/** Throws a ValueError naming `fn` when `shape` holds more than MAX_NUMEL elements (or has a larger size). */
export function checkNumel(fn: string, shape: readonly number[]): void {
  // Each size too: an empty tensor may not carry a dim past 32-bit indexing either. (A plain loop: this
  // runs on every dispatch.)
  let n = 1;
  let big = false;
  for (let i = 0; i < shape.length; i++) {
    n *= shape[i]!;
    if (shape[i]! > MAX_NUMEL) big = true;
  }
  if (n > MAX_NUMEL || big) {
    throw new ValueError(`${fn}(): a tensor of shape ${fmtShape(shape)} would hold ${n} elements, more than the ${MAX_NUMEL} torchfn supports`);
  }
}

export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

export function isContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== acc) return false;
    acc *= shape[i]!;
  }
  return true;
}

export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** NumPy broadcasting of any number of shapes; `fn` names the caller in the error. */
export function broadcastShapes(fn: string, ...shapes: (readonly number[])[]): number[] {
  let rank = 0;
  for (const s of shapes) rank = Math.max(rank, s.length);
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    const off = rank - s.length;
    for (let i = 0; i < s.length; i++) {
      const d = s[i]!;
      const o = out[off + i]!;
      if (d === o || d === 1) continue;
      if (o === 1) out[off + i] = d;
      else {
        throw new ShapeError(
          `${fn}(): shapes ${shapes.map(fmtShape).join(' and ')} cannot be broadcast together ` +
            `(the size of dimension ${off + i - rank} is ${o} in one and ${d} in another)`,
        );
      }
    }
  }
  return out;
}

/** Normalizes a possibly negative dim into [0, rank). */
export function normDim(fn: string, dim: number, rank: number, arg = 'dim'): number {
  const r = Math.max(rank, 1);
  if (!Number.isInteger(dim) || dim < -r || dim >= r) {
    throw new IndexError(
      `${fn}(): Dimension out of range (expected '${arg}' to be in range of [${-r}, ${r - 1}], but got ${fmtValue(dim)})`,
    );
  }
  return dim < 0 ? dim + r : dim;
}

/** Normalizes dims (undefined = all) into a sorted unique list. */
export function normDims(fn: string, dims: number | readonly number[] | undefined | null, rank: number): number[] {
  if (dims === undefined || dims === null) return Array.from({ length: rank }, (_, i) => i);
  if (typeof dims !== 'number' && !Array.isArray(dims)) {
    throw new ValueError(`${fn}(): dim must be an integer or an array of integers, got ${typeof dims} ${fmtValue(dims)}`);
  }
  const list = typeof dims === 'number' ? [dims] : [...dims];
  const out = list.map((d) => normDim(fn, d, rank));
  // A 0-d tensor accepts dim 0 or -1, as PyTorch does, and has nothing to reduce over.
  if (rank === 0) return [];
  const set = new Set(out);
  if (set.size !== out.length) throw new ValueErrorDup(fn, list);
  return [...set].sort((a, b) => a - b);
}

class ValueErrorDup extends ShapeError {
  constructor(fn: string, dims: number[]) {
    super(`${fn}(): dim ${dims.join(', ')} appears multiple times in the list of dims`);
  }
}

/** Resolves a -1 in a requested shape, checking the element count. */
export function inferShape(fn: string, from: readonly number[], to: readonly number[]): number[] {
  const n = numel(from);
  let neg = -1;
  let known = 1;
  for (let i = 0; i < to.length; i++) {
    const d = to[i]!;
    if (d === -1) {
      if (neg >= 0) throw new ShapeError(`${fn}(): only one dimension can be inferred, got shape ${fmtShape(to)}`);
      neg = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${fn}(): invalid shape dimension ${d} in ${fmtShape(to)}`);
    } else known *= d;
  }
  const out = [...to];
  if (neg >= 0) {
    if (known === 0 || n % known !== 0) {
      throw new ShapeError(`${fn}(): shape '${fmtShape(to)}' is invalid for input of size ${n}`);
    }
    out[neg] = n / known;
  } else if (known !== n) {
    throw new ShapeError(`${fn}(): shape '${fmtShape(to)}' is invalid for input of size ${n} (input shape ${fmtShape(from)})`);
  }
  return out;
}

/**
 * Strides that let a tensor of (shape, strides) be viewed as newShape without copying, or null when
 * the memory layout does not allow it (PyTorch's view rule).
 */
export function viewStrides(shape: readonly number[], strides: readonly number[], newShape: readonly number[]): number[] | null {
  if (numel(shape) === 0 || shape.length === 0) return contiguousStrides(newShape);
  const out = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  let chunkBase = strides[strides.length - 1]!;
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    tensorNumel *= shape[d]!;
    if (d === 0 || (shape[d - 1] !== 1 && strides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD]!;
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = strides[d - 1]!;
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? out : null;
}
