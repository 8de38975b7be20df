// Shapes and views (reshape, permute, expand, slicing, select...), joining and splitting, and
// gather/scatter. Views share storage with their base, as in PyTorch.
import { INT_HINT } from '../core/dtype.js';
import { DTypeError, IndexError, ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { broadcastShapes, checkNumel, inferShape, isContiguous, mixedSizesError, normDim, viewStrides } from '../core/shape.js';
import { Tensor, bind, deviceOf, lax, padP } from '../primitives/index.js';
import { checkTensor } from './scalars.js';

/** A tensor shape: the size of each dim. */
type Shape = number[];

function shapeArg(args: (number | number[])[], fn: string): number[] {
  if (args.length > 1 && args.some(Array.isArray)) throw mixedSizesError(fn, args);
  const shape = args.length === 1 && Array.isArray(args[0]) ? [...args[0]] : (args as number[]);
  for (const d of shape) {
    if (!Number.isInteger(d)) throw new ValueError(`${fn}(): sizes must be integers, got ${String(d)} in [${shape.join(', ')}]`);
  }
  return shape;
}

/** PyTorch refuses to index into, narrow or split a 0-d tensor: it has no dim to do it along. */
function needDims(fn: string, x: Tensor): void {
  if (x.ndim === 0) throw new IndexError(`${fn}() cannot be applied to a 0-dim tensor.`);
}

function integerArg(fn: string, name: string, v: number): void {
  if (!Number.isInteger(v)) throw new ValueError(`${fn}(): ${name} must be an integer, got ${String(v)}`);
}

/**
 * x's data in a new shape (one size may be -1, inferred): a view when the strides allow, else a copy.
 * @example torch.reshape(x, 2, -1) ; x.reshape([2, -1])
 */
export function reshape(x: Tensor, ...shape: (number | number[])[]): Tensor {
  checkTensor('reshape', 'input', x);
  return lax.reshape(x, inferShape('reshape', x.shape, shapeArg(shape, 'reshape')));
}

/** Like reshape, but never copies: errors when the strides do not allow a view. */
export function view(x: Tensor, ...shape: (number | number[])[]): Tensor {
  checkTensor('view', 'input', x);
  const target = inferShape('view', x.shape, shapeArg(shape, 'view'));
  if (x._storage && !viewStrides(x.shape, x._strides, target)) {
    throw new ShapeError(
      `view(): view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead. (input shape ${fmtShape(x.shape)}, requested ${fmtShape(target)})`,
    );
  }
  return lax.reshape(x, target);
}

/**
 * Merges dims startDim..endDim (defaults 0 and -1: all) into one; a 0-d tensor becomes [1].
 * @example torch.flatten(x, 1)
 */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  checkTensor('flatten', 'input', x);
  if (x.ndim === 0) return lax.reshape(x, [1]);
  const s = normDim('flatten', startDim, x.ndim, 'start_dim');
  const e = normDim('flatten', endDim, x.ndim, 'end_dim');
  if (s > e) throw new ValueError(`flatten(): start_dim (${startDim}) cannot come after end_dim (${endDim})`);
  const mid = x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return lax.reshape(x, [...x.shape.slice(0, s), mid, ...x.shape.slice(e + 1)]);
}

/** Splits `dim` into `sizes` (one may be -1). @example torch.unflatten(x, 1, [2, -1]) */
export function unflatten(x: Tensor, dim: number, sizes: number[]): Tensor {
  checkTensor('unflatten', 'input', x);
  const d = normDim('unflatten', dim, x.ndim);
  const inner = inferShape('unflatten', [x.shape[d]!], sizes);
  return lax.reshape(x, [...x.shape.slice(0, d), ...inner, ...x.shape.slice(d + 1)]);
}

/** Removes size-1 dims: all of them, or those of `dim` that have size 1. @example torch.squeeze(x, 0) */
export function squeeze(x: Tensor, dim?: number | number[]): Tensor {
  checkTensor('squeeze', 'input', x);
  const dims = dim === undefined ? x.shape.map((_, i) => i) : (Array.isArray(dim) ? dim : [dim]).map((d) => normDim('squeeze', d, x.ndim));
  return lax.reshape(x, x.shape.filter((s, i) => !(s === 1 && dims.includes(i))));
}

/**
 * Inserts a size-1 dim at `dim` (negative counts from the end of the result).
 * @example torch.unsqueeze(x, -1)
 */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  checkTensor('unsqueeze', 'input', x);
  const d = normDim('unsqueeze', dim, x.ndim + 1);
  const shape = [...x.shape];
  shape.splice(d, 0, 1);
  return lax.reshape(x, shape);
}

/** A view with the dims reordered as `dims` (torch.permute). @example x.permute(2, 0, 1) */
export function permute(x: Tensor, ...dims: (number | number[])[]): Tensor {
  checkTensor('permute', 'input', x);
  const perm = shapeArg(dims, 'permute').map((d) => normDim('permute', d, x.ndim));
  if (perm.length !== x.ndim) {
    throw new ShapeError(`permute(): number of dims don't match in permute: got [${perm.join(', ')}] for a tensor of shape ${fmtShape(x.shape)}`);
  }
  if (new Set(perm).size !== perm.length) throw new ShapeError(`permute(): duplicate dims are not allowed: got [${perm.join(', ')}]`);
  return lax.permute(x, perm);
}

/** A view with dims `dim0` and `dim1` swapped. @example torch.transpose(x, 0, 1) */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  checkTensor('transpose', 'input', x);
  if (x.ndim === 0) return x;
  const a = normDim('transpose', dim0, x.ndim);
  const b = normDim('transpose', dim1, x.ndim);
  const perm = x.shape.map((_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return lax.permute(x, perm);
}

/** 2-D transpose (x.t(), x.T for <= 2 dims). */
export function t(x: Tensor): Tensor {
  checkTensor('t', 'input', x);
  if (x.ndim > 2) throw new ShapeError(`t(): expects a tensor with <= 2 dimensions, but self is ${x.ndim}D`);
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}

/** A view with the last two dims swapped (PyTorch's `x.mT`), for batches of matrices. */
export function mT(x: Tensor): Tensor {
  checkTensor('mT', 'input', x);
  if (x.ndim < 2) throw new ShapeError(`mT: tensor.mT is only supported on matrices or batches of matrices. Got ${x.ndim}-D tensor.`);
  return transpose(x, -2, -1);
}

/**
 * A view with dims `source` moved to positions `destination`, the other dims keeping their order.
 * @example torch.movedim(x, 0, -1)
 */
export function movedim(x: Tensor, source: number | number[], destination: number | number[]): Tensor {
  checkTensor('movedim', 'input', x);
  const src = (Array.isArray(source) ? source : [source]).map((d) => normDim('movedim', d, x.ndim));
  const dst = (Array.isArray(destination) ? destination : [destination]).map((d) => normDim('movedim', d, x.ndim));
  if (src.length !== dst.length) throw new ValueError(`movedim(): Invalid source or destination dims: source (${src}) and destination (${dst}) must have the same number of elements`);
  for (const [name, ds] of [['source', src], ['destination', dst]] as const) {
    if (new Set(ds).size !== ds.length) throw new ValueError(`movedim(): repeated dim in ${name} (${ds.join(', ')})`);
  }
  const perm = new Array<number>(x.ndim).fill(-1);
  dst.forEach((d, i) => (perm[d] = src[i]!));
  const rest = x.shape.map((_, i) => i).filter((i) => !src.includes(i));
  let k = 0;
  for (let i = 0; i < perm.length; i++) if (perm[i] === -1) perm[i] = rest[k++]!;
  return lax.permute(x, perm);
}

/**
 * A broadcast view with size-1 dims repeated to `sizes`, without copying; -1 keeps a size and new
 * leading dims may be added (torch.Tensor.expand).
 * @example x.expand(3, -1)
 */
export function expand(x: Tensor, ...sizes: (number | number[])[]): Tensor {
  checkTensor('expand', 'input', x);
  const target = shapeArg(sizes, 'expand');
  const off = target.length - x.ndim;
  if (off < 0) {
    throw new ShapeError(`expand(): the number of sizes provided (${target.length}) must be greater or equal to the number of dimensions in the tensor (${x.ndim})`);
  }
  const shape = target.map((d, i) => (d === -1 ? (i < off ? -1 : x.shape[i - off]!) : d));
  if (shape.some((d) => d < 0)) throw new ShapeError(`expand(): -1 is not allowed in a leading, non-existing dimension: ${fmtShape(target)}`);
  return lax.broadcastTo(x, shape);
}
/** `expand(x, other.shape)` (expand_as). */
export const expandAs = (x: Tensor, other: Tensor) => expand(x, other.shape);
/**
 * A broadcast view of x with `shape` (torch.broadcast_to).
 * @example torch.broadcastTo(torch.tensor([1, 2]), [3, 2])
 */
export const broadcastTo = (x: Tensor, shape: number[]) => expand(x, shape);
/**
 * The tensors broadcast to their common shape, as views (torch.broadcast_tensors).
 * @example const [a, b] = torch.broadcastTensors(x, y)
 */
export function broadcastTensors(...xs: Tensor[]): Tensor[] {
  xs.forEach((x, i) => checkTensor('broadcastTensors', `tensors[${i}]`, x));
  const shape = broadcastShapes('broadcastTensors', ...xs.map((x) => x.shape));
  return xs.map((x) => lax.broadcastTo(x, shape));
}

/** x itself when it is contiguous (row-major), else a contiguous copy. */
export const contiguous = (x: Tensor): Tensor => (checkTensor('contiguous', 'input', x)._storage && isContiguous(x.shape, x._strides) ? x : lax.copyOf(x));
/** A copy of x with its own storage; gradients flow back to x (torch.clone). */
export const clone = (x: Tensor): Tensor => lax.copyOf(checkTensor('clone', 'input', x));

/** A view of x[start:end:step] along dim (negative and out-of-range bounds clamp, as Python slicing). */
export function sliceDim(x: Tensor, dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
  checkTensor('sliceDim', 'input', x);
  needDims('slice', x);
  const d = normDim('slice', dim, x.ndim);
  for (const [name, v] of [['start', start], ['stop', end], ['step', step]] as const) {
    if (v !== null && v !== undefined) integerArg('slice', name, v);
  }
  if (step <= 0) throw new ValueError(`slice(): step must be greater than zero, got ${step}`);
  const n = x.shape[d]!;
  const clampIdx = (i: number | null | undefined, dflt: number) => {
    if (i === null || i === undefined) return dflt;
    if (i < 0) i += n;
    return Math.min(Math.max(i, 0), n);
  };
  const s = clampIdx(start, 0);
  const e = Math.max(s, clampIdx(end, n));
  if (s === 0 && e === n && step === 1) return x;
  return lax.slice(x, { dim: d, start: s, end: e, step });
}

/**
 * A view of `length` elements along `dim` from `start` (negative start counts from the end).
 * @example torch.narrow(x, 1, 0, 2)
 */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  checkTensor('narrow', 'input', x);
  needDims('narrow', x);
  integerArg('narrow', 'start', start);
  integerArg('narrow', 'length', length);
  const d = normDim('narrow', dim, x.ndim);
  const n = x.shape[d]!;
  const s = start < 0 ? start + n : start;
  if (s < 0 || length < 0 || s + length > n) {
    throw new IndexError(`narrow(): start (${start}) + length (${length}) exceeds dimension size (${n}) of dim ${dim} of a tensor of shape ${fmtShape(x.shape)}`);
  }
  return lax.slice(x, { dim: d, start: s, end: s + length, step: 1 });
}

/** x[..., index, ...] along dim: a view with that dim removed. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  checkTensor('select', 'input', x);
  needDims('select', x);
  const d = normDim('select', dim, x.ndim);
  const n = x.shape[d]!;
  if (!Number.isInteger(index) || index < -n || index >= n) {
    throw new IndexError(`select(): index ${index} is out of bounds for dimension ${d} with size ${n}`);
  }
  const i = index < 0 ? index + n : index;
  const s = lax.slice(x, { dim: d, start: i, end: i + 1, step: 1 });
  return lax.reshape(s, x.shape.filter((_, k) => k !== d));
}

/**
 * Concatenates tensors along an existing `dim` (default 0); floating dtypes win over int32 and bool
 * (torch.cat).
 * @example torch.cat([a, b], 1)
 */
export function cat(xs: Tensor[], dim = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new ValueError('cat(): expected a non-empty list of Tensors');
  xs.forEach((x, i) => {
    checkTensor('cat', `tensors[${i}]`, x);
    if (x.ndim === 0) throw new ShapeError(`cat(): zero-dimensional tensor (at position ${i}) cannot be concatenated`);
  });
  const d = normDim('cat', dim, xs[0]!.ndim);
  const dtype = xs.reduce((acc, x) => (x.dtype === 'float64' || acc === 'float64' ? 'float64' : x.dtype === 'float32' || acc === 'float32' ? 'float32' : acc), xs[0]!.dtype);
  const cast = xs.map((x) => lax.cast(x, dtype));
  return cast.length === 1 ? lax.copyOf(cast[0]!) : lax.concat(cast, d);
}
/** Alias of cat (torch.concat). */
export const concat = cat;

/**
 * Stacks equally shaped tensors along a new `dim` (default 0).
 * @example torch.stack([a, b]) // [2, ...a.shape]
 */
export function stack(xs: Tensor[], dim = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new ValueError('stack(): expected a non-empty list of Tensors');
  xs.forEach((x, i) => checkTensor('stack', `tensors[${i}]`, x));
  const first = xs[0]!;
  xs.forEach((x, i) => {
    if (x.shape.length !== first.shape.length || x.shape.some((s, k) => s !== first.shape[k])) {
      throw new ShapeError(`stack(): stack expects each tensor to be equal size, but got ${fmtShape(first.shape)} at entry 0 and ${fmtShape(x.shape)} at entry ${i}`);
    }
  });
  const d = normDim('stack', dim, first.ndim + 1);
  return cat(xs.map((x) => unsqueeze(x, d)), d);
}

/** split(x, size) into chunks of `size`, or split(x, [sizes]) into those sizes. */
export function split(x: Tensor, sizeOrSections: number | number[], dim = 0): Tensor[] {
  checkTensor('split', 'input', x);
  needDims('split', x);
  if (typeof sizeOrSections !== 'number' && !Array.isArray(sizeOrSections)) {
    throw new ValueError(`split(): split_size_or_sections must be an integer or an array of integers, got ${sizeOrSections === null ? 'null' : typeof sizeOrSections}`);
  }
  for (const s of typeof sizeOrSections === 'number' ? [sizeOrSections] : sizeOrSections) {
    if (!Number.isInteger(s) || s < 0) throw new ValueError(`split(): split sizes must be non-negative integers, got ${String(s)}`);
  }
  const d = normDim('split', dim, x.ndim);
  const n = x.shape[d]!;
  let sizes: number[];
  if (typeof sizeOrSections === 'number') {
    if (sizeOrSections <= 0) throw new ValueError(`split(): split_size must be positive, got ${sizeOrSections}`);
    sizes = [];
    for (let s = 0; s < n; s += sizeOrSections) sizes.push(Math.min(sizeOrSections, n - s));
    if (n === 0) sizes = [0];
  } else {
    sizes = sizeOrSections;
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== n) throw new ShapeError(`split(): split_with_sizes expects split_sizes to sum exactly to ${n} (input tensor's size at dimension ${d}), but got split_sizes=[${sizes.join(', ')}]`);
  }
  let start = 0;
  return sizes.map((s) => {
    const r = lax.slice(x, { dim: d, start, end: start + s, step: 1 });
    start += s;
    return r;
  });
}

/**
 * Splits along `dim` (default 0) into at most `chunks` pieces of ceil(size / chunks) (the last may be
 * smaller).
 * @example torch.chunk(x, 3, 1)
 */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  checkTensor('chunk', 'input', x);
  needDims('chunk', x);
  const d = normDim('chunk', dim, x.ndim);
  if (!Number.isInteger(chunks) || chunks <= 0) throw new ValueError(`chunk(): chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  return split(x, Math.max(1, Math.ceil(x.shape[d]! / chunks)), d);
}

/**
 * The slices along `dim` (default 0), each a view with that dim removed (torch.unbind).
 * @example const [a, b] = torch.unbind(pair)
 */
export const unbind = (x: Tensor, dim = 0): Tensor[] => {
  checkTensor('unbind', 'input', x);
  needDims('unbind', x);
  const d = normDim('unbind', dim, x.ndim);
  return Array.from({ length: x.shape[d]! }, (_, i) => select(x, d, i));
};

/** A copy with the elements reversed along `dims` (torch.flip). @example torch.flip(x, [0, 1]) */
export function flip(x: Tensor, dims: number | number[]): Tensor {
  checkTensor('flip', 'input', x);
  const ds = (Array.isArray(dims) ? dims : [dims]).map((d) => normDim('flip', d, x.ndim));
  return ds.length ? lax.flip(x, ds) : lax.copyOf(x);
}

/**
 * Shifts elements along `dims` by `shifts`, wrapping around; over the flattened tensor when dims is
 * omitted (torch.roll).
 * @example torch.roll(x, 1, 0)
 */
export function roll(x: Tensor, shifts: number | number[], dims?: number | number[]): Tensor {
  checkTensor('roll', 'input', x);
  if (dims === undefined) {
    const flat = flatten(x);
    return lax.reshape(roll(flat, shifts, 0), x.shape);
  }
  const ss = Array.isArray(shifts) ? shifts : [shifts];
  const ds = Array.isArray(dims) ? dims : [dims];
  ss.forEach((s) => integerArg('roll', 'shifts', s));
  if (ss.length !== ds.length) throw new ValueError(`roll(): shifts and dimensions must align. shifts: ${ss.length}, dims: ${ds.length}`);
  let r = x;
  ss.forEach((s, i) => {
    const d = normDim('roll', ds[i]!, x.ndim);
    const n = x.shape[d]!;
    if (n === 0) return;
    const k = ((s % n) + n) % n;
    if (k === 0) return;
    const [a, b] = split(r, [n - k, k], d);
    r = lax.concat([b!, a!], d);
  });
  return r;
}

/** How pad fills: a constant value, or by reflecting, replicating or wrapping around the edges. */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/**
 * torch.nn.functional.pad: pads lists [left, right] for the last dim, then the one before, ...
 * Negative pads crop.
 * @example torch.pad(x, [1, 1, 2, 0])
 */
export function pad(x: Tensor, pads: number[], mode: PadMode = 'constant', value = 0): Tensor {
  checkTensor('pad', 'input', x);
  if (!Array.isArray(pads)) throw new ValueError(`pad(): pad must be an array of integers, got ${typeof pads}`);
  for (const p of pads) if (!Number.isInteger(p)) throw new ValueError(`pad(): pad entries must be integers, got ${String(p)} in [${pads.join(', ')}]`);
  if (!['constant', 'reflect', 'replicate', 'circular'].includes(mode)) {
    throw new ValueError(`pad(): mode must be 'constant', 'reflect', 'replicate' or 'circular', got ${String(mode)}`);
  }
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new ValueError(`pad(): value must be a number, got ${typeof value}`);
  if (pads.length % 2 !== 0 || pads.length / 2 > x.ndim) {
    throw new ValueError(`pad(): Padding length must be divisible by 2 and at most twice the number of dims (${x.ndim}), got ${pads.length}`);
  }
  const per: [number, number][] = x.shape.map(() => [0, 0]);
  for (let i = 0; i < pads.length / 2; i++) per[x.ndim - 1 - i] = [pads[2 * i]!, pads[2 * i + 1]!];
  const outShape = x.shape.map((n, d) => n + per[d]![0] + per[d]![1]);
  per.forEach(([b, a], d) => {
    const n = x.shape[d]!;
    if (outShape[d]! < 0) throw new ShapeError(`pad(): the padded size of dim ${d} would be negative (${n} padded by (${b}, ${a})) for input ${fmtShape(x.shape)}`);
    if (mode !== 'constant' && (b > 0 || a > 0)) {
      if (n === 0) throw new ShapeError(`pad(): ${mode} padding needs a non-empty dim ${d}, input ${fmtShape(x.shape)}`);
      if (mode === 'circular' && (b > n || a > n)) throw new ValueError(`pad(): circular padding (${b}, ${a}) must be at most the input size ${n} of dim ${d}`);
    }
  });
  checkNumel('pad', outShape);
  let r = x;
  per.forEach(([b, a], d) => {
    if (b < 0 || a < 0) r = sliceDim(r, d, Math.max(0, -b), r.shape[d]! - Math.max(0, -a));
  });
  const pos = per.map(([b, a]) => [Math.max(0, b), Math.max(0, a)] as [number, number]);
  if (pos.every(([b, a]) => b === 0 && a === 0)) return r;
  if (mode === 'constant') return bind(padP, [r], { pads: pos, value });
  pos.forEach(([b, a], d) => {
    if (b === 0 && a === 0) return;
    const n = r.shape[d]!;
    const idx: number[] = [];
    for (let i = -b; i < n + a; i++) {
      if (mode === 'replicate') idx.push(Math.min(Math.max(i, 0), n - 1));
      else if (mode === 'circular') idx.push(((i % n) + n) % n);
      else {
        if (b >= n || a >= n) throw new ValueError(`pad(): reflect padding (${b}, ${a}) must be smaller than the input size ${n} of dim ${d}`);
        idx.push(i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);
      }
    }
    r = lax.indexSelect(r, lax.int32Tensor(idx, deviceOf(r)), d);
  });
  return r;
}

/**
 * Values of x along `dim` at the int32 positions `index` (same number of dims as x): for dim 0,
 * `out[i][j] = x[index[i][j]][j]` (torch.gather).
 * @example torch.gather(logp, 1, target.unsqueeze(1))
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  checkTensor('gather', 'input', x);
  checkTensor('gather', 'index', index);
  return lax.gather(x, index, normDim('gather', dim, x.ndim));
}
/**
 * A copy of x with `src` (a tensor or a number) written at the int32 positions `index` along `dim`
 * (torch.scatter).
 * @example torch.scatter(torch.zeros([3]), 0, torch.tensor([2]), 1)
 */
export function scatter(x: Tensor, dim: number, index: Tensor, src: Tensor | number): Tensor {
  checkTensor('scatter', 'input', x);
  checkTensor('scatter', 'index', index);
  const s = typeof src === 'number' ? lax.broadcastTo(lax.scalarLike(x, src), index.shape) : checkSameDtype(x, checkTensor('scatter', 'src', src));
  return lax.scatter(x, index, s, normDim('scatter', dim, x.ndim), false);
}
/**
 * A copy of x with `src` added at the int32 positions `index` along `dim`, summing repeats
 * (torch.scatter_add).
 */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  checkTensor('scatterAdd', 'input', x);
  checkTensor('scatterAdd', 'index', index);
  checkTensor('scatterAdd', 'src', src);
  return lax.scatter(x, index, checkSameDtype(x, src), normDim('scatterAdd', dim, x.ndim), true);
}
/** PyTorch's scatter family does not promote: src must have x's dtype (its message names scatter() for all). */
function checkSameDtype(x: Tensor, src: Tensor): Tensor {
  if (src.dtype !== x.dtype) throw new DTypeError('scatter(): Expected self.dtype to be equal to src.dtype');
  return src;
}
/**
 * The entries of x at the int32 `index` (1-D or 0-d) along `dim`, as a copy (torch.index_select).
 * @example torch.indexSelect(x, 0, torch.tensor([0, 2]))
 */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  checkTensor('indexSelect', 'input', x);
  checkTensor('indexSelect', 'index', index);
  if (index.dtype !== 'int32') throw new DTypeError(`indexSelect(): Expected dtype int32 for index, got ${index.dtype}${INT_HINT}`);
  return lax.indexSelect(x, index.ndim === 0 ? lax.reshape(index, [1]) : index, normDim('indexSelect', dim, x.ndim));
}

/** Repeats the tensor along each dim (torch.Tensor.repeat). */
export function repeat(x: Tensor, ...reps: (number | number[])[]): Tensor {
  checkTensor('repeat', 'input', x);
  const r = shapeArg(reps, 'repeat');
  if (r.some((d) => d < 0)) throw new ValueError(`repeat(): Trying to create tensor with negative dimension: [${r.join(', ')}]`);
  if (r.length < x.ndim) throw new ValueError(`repeat(): Number of dimensions of repeat dims (${r.length}) can not be smaller than number of dimensions of tensor (${x.ndim})`);
  const base = lax.reshape(x, [...new Array<number>(r.length - x.ndim).fill(1), ...x.shape]);
  const inter: number[] = [];
  const target: number[] = [];
  base.shape.forEach((d, i) => {
    inter.push(1, d);
    target.push(r[i]!, d);
  });
  const e = lax.broadcastTo(lax.reshape(base, inter), target);
  return lax.reshape(lax.copyOf(e), base.shape.map((d, i) => d * r[i]!));
}

function triMask(x: Tensor, diagonal: number, upper: boolean): Tensor {
  integerArg(upper ? 'triu' : 'tril', 'diagonal', diagonal);
  const [n, m] = x.shape.slice(-2) as [number, number];
  const rows = lax.reshape(lax.int32Tensor(Array.from({ length: n }, (_, i) => i), deviceOf(x)), [n, 1]);
  const cols = lax.reshape(lax.int32Tensor(Array.from({ length: m }, (_, i) => i), deviceOf(x)), [1, m]);
  const diff = lax.sub(cols, rows);
  return upper ? lax.ge(diff, lax.scalarLike(diff, diagonal)) : lax.le(diff, lax.scalarLike(diff, diagonal));
}
/**
 * The upper triangle of the last two dims: elements on and above `diagonal` (default 0; > 0 above the
 * main one), zeros elsewhere.
 * @example torch.triu(torch.ones([3, 3]), 1)
 */
export const triu = (x: Tensor, diagonal = 0) => lax.where(triMask(checkTensor('triu', 'input', x), diagonal, true), x, lax.zerosLike(x));
/**
 * The lower triangle of the last two dims: elements on and below `diagonal` (default 0), zeros
 * elsewhere.
 * @example torch.tril(torch.ones([3, 3]))
 */
export const tril = (x: Tensor, diagonal = 0) => lax.where(triMask(checkTensor('tril', 'input', x), diagonal, false), x, lax.zerosLike(x));

/**
 * The diagonal of x over dims `dim1` and `dim2` (default 0 and 1), `offset` above (> 0) or below
 * (< 0) the main one, as a new last dim (torch.diagonal). A composite of slice, reshape and
 * indexSelect, so it has every transform; it returns a copy where PyTorch returns a view.
 * @example torch.diagonal(torch.tensor([[1, 2], [3, 4]])) // tensor([1, 4])
 * @example torch.diagonal(x, 1, -2, -1) // the superdiagonal of each matrix in a batch
 */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  checkTensor('diagonal', 'input', x);
  if (!Number.isInteger(offset)) throw new ValueError(`diagonal(): offset must be an integer, got ${offset}`);
  if (x.ndim < 2) throw new ValueError(`diagonal(): input must have at least 2 dimensions, got ${x.ndim}`);
  const d1 = normDim('diagonal', dim1, x.ndim, 'dim1');
  const d2 = normDim('diagonal', dim2, x.ndim, 'dim2');
  if (d1 === d2) throw new ValueError(`diagonal(): diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  let t = movedim(x, [d1, d2], [x.ndim - 2, x.ndim - 1]);
  const lead = t.shape.slice(0, -2);
  const [n, m] = t.shape.slice(-2) as [number, number];
  const k = Math.max(0, offset >= 0 ? Math.min(n, m - offset) : Math.min(n + offset, m));
  if (k === 0) return lax.reshape(lax.slice(lax.reshape(t, [...lead, n * m]), { dim: t.ndim - 2, start: 0, end: 0, step: 1 }), [...lead, 0]);
  const r0 = Math.max(0, -offset), c0 = Math.max(0, offset);
  t = sliceDim(sliceDim(t, -2, r0, r0 + k), -1, c0, c0 + k); // the k×k block the diagonal runs through
  const flat = lax.reshape(lax.copyOf(t), [...lead, k * k]);
  const step = k + 1;
  return lax.indexSelect(flat, lax.int32Tensor(Array.from({ length: k }, (_, i) => i * step), deviceOf(flat)), flat.ndim - 1);
}

/**
 * Tensors whose dims `dim1`, `dim2` (default the last two of the result) hold diagonal matrices with
 * x's last dim on diagonal `offset` (torch.diag_embed). A composite (where over an identity mask,
 * pad, movedim): differentiable and batchable.
 * @example torch.diagEmbed(torch.tensor([1, 2])) // tensor([[1, 0], [0, 2]])
 */
export function diagEmbed(x: Tensor, offset = 0, dim1 = -2, dim2 = -1): Tensor {
  checkTensor('diagEmbed', 'input', x);
  if (!Number.isInteger(offset)) throw new ValueError(`diagEmbed(): offset must be an integer, got ${offset}`);
  if (x.ndim < 1) throw new ValueError('diagEmbed(): input must have at least 1 dimension, got 0');
  const r = x.ndim + 1;
  const d1 = normDim('diagEmbed', dim1, r, 'dim1');
  const d2 = normDim('diagEmbed', dim2, r, 'dim2');
  if (d1 === d2) throw new ValueError(`diagEmbed(): diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  const n = x.shape[x.ndim - 1]!;
  const idx = Array.from({ length: n }, (_, i) => i);
  const rows = lax.reshape(lax.int32Tensor(idx, deviceOf(x)), [n, 1]);
  const cols = lax.reshape(lax.int32Tensor(idx, deviceOf(x)), [1, n]);
  const mask = lax.eq(rows, cols);
  const shape = [...x.shape, n];
  const sq = lax.where(lax.broadcastTo(mask, shape), lax.broadcastTo(lax.reshape(x, [...x.shape.slice(0, -1), 1, n]), shape), lax.broadcastTo(lax.scalarLike(x, 0), shape));
  const a = Math.abs(offset);
  const pads = sq.shape.map((): [number, number] => [0, 0]);
  if (offset > 0) {
    pads[r - 2] = [0, a];
    pads[r - 1] = [a, 0];
  } else if (offset < 0) {
    pads[r - 2] = [a, 0];
    pads[r - 1] = [0, a];
  }
  const padded = a === 0 ? sq : lax.pad(sq, pads, 0);
  return movedim(padded, [r - 2, r - 1], [d1, d2]);
}

/**
 * A 1-D x becomes the 2-D matrix with x on diagonal `diagonal`; a 2-D x gives that diagonal as 1-D
 * (torch.diag).
 * @example torch.diag(torch.tensor([1, 2]), 1) // 3×3 with 1, 2 above the main diagonal
 * @example torch.diag(torch.eye(3)) // tensor([1., 1., 1.])
 */
export function diag(x: Tensor, diagonal_ = 0): Tensor {
  checkTensor('diag', 'input', x);
  if (x.ndim === 1) return diagEmbed(x, diagonal_);
  if (x.ndim === 2) return diagonal(x, diagonal_);
  throw new ValueError(`diag(): Supports 1D or 2D tensors. Got ${x.ndim}D`);
}

export type { Shape };
