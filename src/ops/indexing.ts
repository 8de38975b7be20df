// PyTorch-style indexing: integers, slices ('1:3', '::2', or {start, stop, step}), null (new axis),
// '...' and index tensors (int32 or bool masks), for reading (index) and writing (indexPut_).
import { INT_HINT } from '../core/dtype.js';
import { DTypeError, DeviceError, IndexError, TransformError, ValueError, fmtShape } from '../core/errors.js';
import { broadcastShapes, numel } from '../core/shape.js';
import { Tensor, bind, deviceOf, lax, logicalAndP, readableNow, type Device } from '../primitives/index.js';
import { select, sliceDim, unsqueeze } from './shape.js';
import { checkOperand, checkTensor } from './scalars.js';
import { valuesIfConcrete } from './nn/_util.js';

/** A Python slice `start:stop:step` as an object; omitted or null parts take their defaults. */
export interface Slice {
  /** First index (default 0; negative counts from the end). */
  start?: number | null;
  /** End index, exclusive (default the size; negative counts from the end). */
  stop?: number | null;
  /** Step, positive (default 1). */
  step?: number | null;
}
/**
 * One entry of an index expression, as in PyTorch's `x[...]`: an integer (selects, dropping the
 * dim), a slice string ('1:3', '::2', ':') or Slice, null (a new size-1 dim), '...' (all remaining
 * dims), an int32 index tensor or a bool mask, or a list of integers (as an index tensor).
 */
export type Index = number | string | Slice | Tensor | null | number[];

/** A slice object, as Python's start:stop:step. */
export const slice = (start?: number | null, stop?: number | null, step?: number | null): Slice => ({ start, stop, step });

function parseSlice(s: string): Slice {
  const parts = s.split(':').map((p) => p.trim());
  if (parts.length < 2 || parts.length > 3) throw new ValueError(`index(): cannot parse slice '${s}'`);
  const num = (p: string | undefined) => {
    if (p === undefined || p === '') return null;
    const v = Number(p);
    if (!Number.isInteger(v)) throw new ValueError(`index(): cannot parse slice '${s}'`);
    return v;
  };
  return { start: num(parts[0]), stop: num(parts[1]), step: num(parts[2]) };
}

/** Boolean mask -> int32 index tensors of the true positions (one per mask dim). Data-dependent. */
function nonzeroIndices(fn: string, mask: Tensor): Tensor[] {
  if (isBatched(mask)) {
    throw new TransformError(
      'vmap: We do not support batching operators that can output dynamic shape. Attempted to vmap over nonzero (boolean mask indexing). Please voice your support in https://github.com/pytorch/functorch/issues/256',
    );
  }
  const c = concreteValue(mask);
  if (c !== null && !readableNow(c)) {
    // The result's shape depends on the mask's values, which the host cannot read without waiting.
    throw new DeviceError(
      `${fn}(): a boolean mask on device '${deviceOf(mask)}' gives a shape that depends on its values, which cannot be read synchronously; ` +
        'use `await torch.nonzeroAsync(mask)` (index with its columns: `x.index(...idx.unbind(1))`), or keep the shape with `where` / `maskedFill`',
    );
  }
  return indicesOfTrue(mask.toArray() as ArrayLike<number>, mask.shape, deviceOf(mask));
}

function indicesOfTrue(data: ArrayLike<number>, dims: readonly number[], device: Device): Tensor[] {
  const out: number[][] = dims.map(() => []);
  for (let i = 0; i < data.length; i++) {
    if (!data[i]) continue;
    let r = i;
    for (let d = dims.length - 1; d >= 0; d--) {
      out[d]!.push(r % dims[d]!);
      r = Math.floor(r / dims[d]!);
    }
  }
  return out.map((v) => lax.int32Tensor(v, device));
}

/** The concrete tensor under t's live wrappers (null under vmap or tracing, where values are per-example). */
function concreteValue(t: Tensor): Tensor | null {
  while (t._level !== null) {
    if ((t._level.kind === 'batch' || t._level.kind === 'trace') && t._level.alive) return null;
    t = t._inner!;
  }
  return t._storage === null ? null : t;
}

function isBatched(t: Tensor): boolean {
  for (let x: Tensor | null = t; x !== null && x._level !== null; x = x._inner) if (x._level.kind === 'batch' && x._level.alive) return true;
  return false;
}

/**
 * Indices of the non-zero elements as an [n, ndim] int32 tensor (torch.nonzero). Its shape depends on
 * the data, so it cannot run under vmap.
 * @example torch.nonzero(torch.tensor([0, 3, 0, 5])) // [[1], [3]]
 */
export function nonzero(x: Tensor): Tensor {
  checkTensor('nonzero', 'input', x);
  return asColumns(nonzeroIndices('nonzero', x.ndim === 0 ? lax.reshape(x, [1]) : x));
}

function asColumns(idx: Tensor[]): Tensor {
  const cols = idx.map((t) => lax.reshape(t, [t.shape[0]!, 1]));
  return cols.length === 1 ? cols[0]! : lax.concat(cols, 1);
}

/**
 * `nonzero` on any device: waits for x's values (a device such as 'webgpu' cannot be read
 * synchronously), then returns the [n, ndim] int32 indices on x's device.
 * @example const idx = await torch.nonzeroAsync(mask); const picked = x.index(...idx.unbind(1));
 */
export async function nonzeroAsync(x: Tensor): Promise<Tensor> {
  checkTensor('nonzeroAsync', 'input', x);
  const data = (await x.data()) as ArrayLike<number>;
  return asColumns(indicesOfTrue(data, x.ndim === 0 ? [1] : x.shape, deviceOf(x)));
}

interface Plan {
  /** x after basic indexing, with tensor indices recorded against its dims. */
  base: Tensor;
  tensors: { dim: number; index: Tensor }[];
}

/** `keepMasks`: a bool mask stays a mask (indexPut_ writes through it with `where`, reading nothing). */
function plan(fn: string, x: Tensor, indices: Index[], keepMasks = false): Plan {
  let ellipsis = -1;
  let consumed = 0;
  indices.forEach((ix, i) => {
    if (ix === '...') {
      if (ellipsis >= 0) throw new IndexError(`${fn}(): an index can only have a single ellipsis ('...')`);
      ellipsis = i;
    } else if (ix instanceof Tensor && ix.dtype === 'bool') consumed += ix.ndim;
    else if (ix !== null) consumed += 1;
  });
  if (consumed > x.ndim) throw new IndexError(`${fn}(): too many indices for tensor of dimension ${x.ndim}`);
  const expanded: Index[] = [];
  indices.forEach((ix, i) => {
    if (i === ellipsis) for (let k = 0; k < x.ndim - consumed; k++) expanded.push(':');
    else expanded.push(ix);
  });
  let r = x;
  let dim = 0;
  const tensors: { dim: number; index: Tensor }[] = [];
  for (let ix of expanded) {
    if (Array.isArray(ix)) ix = lax.int32Tensor(ix, deviceOf(x));
    if (ix === null) {
      r = unsqueeze(r, dim);
      dim++;
    } else if (typeof ix === 'number') {
      r = select(r, dim, ix);
    } else if (typeof ix === 'string') {
      const s = parseSlice(ix);
      r = sliceDim(r, dim, s.start, s.stop, s.step ?? 1);
      dim++;
    } else if (ix instanceof Tensor) {
      if (ix.dtype === 'bool' && keepMasks) {
        tensors.push({ dim, index: ix });
        dim += ix.ndim;
      } else if (ix.dtype === 'bool') {
        for (const t of nonzeroIndices(fn, ix)) tensors.push({ dim: dim++, index: t });
      } else {
        if (ix.dtype !== 'int32') throw new DTypeError(`${fn}(): tensors used as indices must be int32 or bool, got ${ix.dtype}${INT_HINT}`);
        tensors.push({ dim: dim++, index: ix });
      }
    } else {
      if (ix === undefined || typeof ix !== 'object') {
        throw new IndexError(`${fn}(): only integers, slices, null, '...', int32 or bool tensors and lists of integers are valid indices, got ${typeof ix}`);
      }
      r = sliceDim(r, dim, ix.start, ix.stop, ix.step ?? 1);
      dim++;
    }
  }
  return { base: r, tensors };
}

/** Negative indices wrap; out-of-range ones are an IndexError. */
/**
 * Negative indices wrapped to size + i. Values that can be read are checked here; under vmap they
 * cannot, so the wrapped index comes with a mask of the in-range entries, for the caller to turn into
 * an index the kernel refuses.
 */
function wrapIndex(fn: string, index: Tensor, size: number): { idx: Tensor; valid: Tensor | null } {
  const vals = valuesIfConcrete(index);
  let valid: Tensor | null = null;
  if (vals !== null) {
    for (let i = 0; i < vals.length; i++) {
      if (vals[i]! < -size || vals[i]! >= size) throw new IndexError(`${fn}(): index ${vals[i]} is out of bounds for dimension with size ${size}`);
    }
  } else {
    valid = and(lax.ge(index, lax.scalarLike(index, -size)), lax.lt(index, lax.scalarLike(index, size)));
  }
  const neg = lax.lt(index, lax.scalarLike(index, 0));
  return { idx: lax.where(neg, lax.add(index, lax.scalarLike(index, size)), index), valid };
}

const and = (a: Tensor, b: Tensor): Tensor => bind(logicalAndP, [a, b], undefined);

/** Entries outside their dim become -1, which the index kernels refuse with an IndexError. */
function refuseInvalid(idx: Tensor, valid: Tensor | null): Tensor {
  return valid === null ? idx : lax.where(valid, idx, lax.scalarLike(idx, -1));
}

/**
 * Reads x[indices...]. Basic indices give views; index tensors gather (advanced indexing, with the
 * indexed dims replaced by the broadcast index shape, in front when they are not adjacent).
 * @example x.index(0, '1:3') ; x.index('...', idx) ; x.index(mask)
 */
export function index(x: Tensor, ...indices: Index[]): Tensor {
  checkTensor('index', 'input', x);
  const { base, tensors } = plan('index', x, indices);
  if (tensors.length === 0) return base;
  const ishape = broadcastShapes('index', ...tensors.map((t) => t.index.shape));
  const dims = tensors.map((t) => t.dim);
  const adjacent = dims.every((d, i) => i === 0 || d === dims[i - 1]! + 1);
  // Bring the indexed dims to the front, flatten them, and take one indexSelect with a linear index.
  const rest = base.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const moved = lax.permute(base, [...dims, ...rest]);
  const sizes = dims.map((d) => base.shape[d]!);
  const flat = lax.reshape(moved, [numel(sizes), ...rest.map((i) => base.shape[i]!)]);
  let linear: Tensor | null = null;
  let allValid: Tensor | null = null;
  let stride = 1;
  for (let k = tensors.length - 1; k >= 0; k--) {
    const { idx: wrapped, valid } = wrapIndex('index', tensors[k]!.index, sizes[k]!);
    const idx = lax.broadcastTo(wrapped, ishape);
    const term = stride === 1 ? idx : lax.mul(idx, lax.scalarLike(idx, stride));
    linear = linear ? lax.add(linear, term) : term;
    // An out-of-range index in one dim could still give an in-range linear index: mask the whole entry.
    if (valid !== null) allValid = allValid ? and(allValid, lax.broadcastTo(valid, ishape)) : lax.broadcastTo(valid, ishape);
    stride *= sizes[k]!;
  }
  const picked = lax.indexSelect(flat, lax.reshape(refuseInvalid(linear!, allValid), [numel(ishape)]), 0);
  const out = lax.reshape(picked, [...ishape, ...rest.map((i) => base.shape[i]!)]);
  if (!adjacent || dims[0] === 0) return out;
  // Adjacent indexed dims stay where they were.
  const at = dims[0]!;
  const nI = ishape.length;
  const perm = [...Array.from({ length: at }, (_, i) => nI + i), ...Array.from({ length: nI }, (_, i) => i)];
  for (let i = nI + at; i < out.ndim; i++) perm.push(i);
  return lax.permute(out, perm);
}

/**
 * x[indices...] = value, in place (torch's __setitem__ / index_put_).
 * @example x.indexPut_(['0:2', 1], 5)
 */
export function indexPut_(x: Tensor, indices: Index[], value: Tensor | number): Tensor {
  checkTensor('indexPut_', 'input', x);
  checkOperand('indexPut_', value);
  if (!Array.isArray(indices)) throw new IndexError(`indexPut_(): indices must be an array of indices, got ${indices === null ? 'null' : typeof indices}`);
  const scalarValue = !(value instanceof Tensor) || value.ndim === 0;
  const { base, tensors } = plan('indexPut_', x, indices, scalarValue);
  const v = value instanceof Tensor ? lax.cast(value, x.dtype) : lax.scalarLike(x, value);
  if (tensors.length === 0) {
    base.copy_(v);
    return x;
  }
  if (tensors.length !== 1) throw new IndexError('indexPut_(): only one index tensor is supported when writing');
  if (tensors[0]!.index.dtype === 'bool') {
    // x[mask] = scalar keeps x's shape, so it is a `where` over the mask: nothing is read back.
    const { dim, index: mask } = tensors[0]!;
    const covered = base.shape.slice(dim, dim + mask.ndim);
    mask.shape.forEach((m, i) => {
      if (m !== covered[i]) {
        throw new IndexError(`indexPut_(): The shape of the mask ${fmtShape(mask.shape)} at index ${i} does not match the shape of the indexed tensor ${fmtShape(covered)} at index ${dim + i}`);
      }
    });
    const m = lax.broadcastTo(lax.reshape(mask, [...base.shape.map((_, i) => (i < dim || i >= dim + mask.ndim ? 1 : base.shape[i]!))]), base.shape);
    base.copy_(lax.where(m, lax.broadcastTo(v, base.shape), base));
    return x;
  }
  const { dim, index: idx0 } = tensors[0]!;
  const wrapped = wrapIndex('indexPut_', idx0, base.shape[dim]!);
  const idx = refuseInvalid(wrapped.idx, wrapped.valid);
  const flatIdx = lax.reshape(idx, [numel(idx.shape)]);
  const outShape = [...base.shape];
  outShape[dim] = flatIdx.shape[0]!;
  const view = outShape.map((d, i) => (i === dim ? d : 1));
  const full = lax.broadcastTo(lax.reshape(flatIdx, view), outShape);
  const src = lax.broadcastTo(v.ndim === 0 ? v : lax.reshape(v, outShape), outShape);
  base.copy_(lax.scatter(base, full, lax.copyOf(src), dim, false));
  return x;
}
