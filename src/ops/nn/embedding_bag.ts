// torch.nn.functional.embedding_bag: sums, means or maxima of bags of embedding rows without building
// the per-index embeddings one bag at a time. A 2-D input is B bags of equal length (a masked reduce over
// its rows); a 1-D input with offsets gets each index's bag number from the offsets as a cumulative count
// (a scatter of ones at the offsets, then cumsum), and the bags are summed with one scatter-add ('max'
// takes a masked maximum over a [B, n] membership mask). All of it is tensor ops, so vmap and grad reach
// the weight, the per-sample weights, and batched indices and offsets.
import { INT_HINT } from '../../core/dtype.js';
import { checkOptions } from '../../core/options.js';
import { DTypeError, IndexError, ShapeError, ValueError, fmtShape } from '../../core/errors.js';
import { Tensor, lax } from '../../primitives/index.js';
import { checkTensor } from '../scalars.js';
import { any, argmax, cumsum, extremeAlong } from '../reduce.js';
import { arange, full, ones, zeros } from '../creation.js';
import * as E from '../elementwise.js';
import { cat, scatterAdd, sliceDim } from '../shape.js';
import { floatArg, valuesIfConcrete } from './_util.js';

/** Options of embeddingBag (torch.nn.functional.embedding_bag's keyword arguments). */
export interface EmbeddingBagOptions {
  /** Start of each bag in a 1-D input (int32 [B], or [B + 1] with includeLastOffset); none for a 2-D input. */
  offsets?: Tensor | null;
  /** How a bag's rows combine: 'sum', 'mean' (default) or 'max'. */
  mode?: 'sum' | 'mean' | 'max';
  /** A weight per index (same shape as input) multiplying its row; mode 'sum' only. */
  perSampleWeights?: Tensor | null;
  /** offsets has B + 1 entries, the last one the end of the last bag (default false). */
  includeLastOffset?: boolean;
  /** Indices equal to this are left out of their bag (and out of a mean's count). */
  paddingIdx?: number | null;
}

/**
 * Sums, means or maxima of bags of rows of weight [numEmbeddings, D]: a 2-D input [B, L] is B bags of
 * L indices; a 1-D input [n] is split into bags at `offsets`. The result is [B, D]; an empty bag gives zeros.
 * @example
 * const w = torch.randn([10, 3]);
 * torch.embeddingBag(torch.tensor([1, 2, 4, 5, 4, 3], { dtype: 'int32' }), w, { offsets: torch.tensor([0, 4], { dtype: 'int32' }), mode: 'sum' }); // [2, 3]
 * torch.embeddingBag(torch.tensor([[1, 2], [4, 5]], { dtype: 'int32' }), w); // the mean of each row's embeddings
 */
export function embeddingBag(input: Tensor, weight: Tensor, opts: EmbeddingBagOptions = {}): Tensor {
  const fn = 'embeddingBag';
  checkOptions(`${fn}()`, opts, ['offsets', 'mode', 'perSampleWeights', 'includeLastOffset', 'paddingIdx']);
  checkTensor(fn, 'input', input);
  floatArg(fn, 'weight', weight);
  if (input.dtype !== 'int32') throw new DTypeError(`${fn}(): Expected tensor for argument 'input' to have scalar type int32; but got ${input.dtype} instead${INT_HINT}`);
  if (weight.ndim !== 2) throw new ShapeError(`${fn}(): 'weight' must be 2-D [numEmbeddings, embeddingDim], got ${fmtShape(weight.shape)}`);
  const mode = opts.mode ?? 'mean';
  if (mode !== 'sum' && mode !== 'mean' && mode !== 'max') throw new ValueError(`${fn}(): mode has to be one of sum, mean or max, got '${String(mode)}'`);
  const psw = opts.perSampleWeights ?? null;
  if (psw !== null) {
    floatArg(fn, 'perSampleWeights', psw);
    if (mode !== 'sum') {
      throw new ValueError(`${fn}(): embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' (got mode='${mode}'). Please open a feature request on GitHub.`);
    }
    if (psw.ndim !== input.ndim || psw.shape.some((d, i) => d !== input.shape[i])) {
      throw new ShapeError(`${fn}(): embedding_bag: If per_sample_weights (${fmtShape(psw.shape)}) is not None, then it must have the same shape as the input (${fmtShape(input.shape)})`);
    }
  }
  const [v, dim] = weight.shape as [number, number];
  let pad = opts.paddingIdx ?? null;
  if (pad !== null) {
    if (!Number.isInteger(pad) || pad >= v || pad < -v) throw new IndexError(`${fn}(): padding_idx must be within num_embeddings (got paddingIdx=${pad} for ${v} embeddings)`);
    if (pad < 0) pad += v;
  }
  const vals = valuesIfConcrete(input);
  if (vals) for (let i = 0; i < vals.length; i++) if (vals[i]! < 0 || vals[i]! >= v) throw new IndexError(`${fn}(): index out of range in self (index ${vals[i]} for a weight of ${v} rows)`);
  const offsets = opts.offsets ?? null;
  if (input.ndim === 2) {
    if (offsets !== null) {
      throw new ValueError(`${fn}(): if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences. However, found offsets of shape ${fmtShape(offsets.shape)}`);
    }
    return fixedBags(input, weight, mode, psw, pad);
  }
  if (input.ndim !== 1) throw new ShapeError(`${fn}(): input has to be 1D or 2D Tensor, but got Tensor of dimension ${input.ndim}`);
  if (offsets === null) throw new ValueError(`${fn}(): offsets has to be a 1D Tensor but got None`);
  checkTensor(fn, 'offsets', offsets);
  if (offsets.dtype !== 'int32') throw new DTypeError(`${fn}(): Expected tensor for argument 'offsets' to have scalar type int32; but got ${offsets.dtype} instead${INT_HINT}`);
  if (offsets.ndim !== 1) throw new ShapeError(`${fn}(): offsets has to be a 1D Tensor, but got Tensor of dimension ${offsets.ndim}`);
  const last = opts.includeLastOffset ?? false;
  const B = offsets.shape[0]! - (last ? 1 : 0);
  if (B < 0) throw new ShapeError(`${fn}(): includeLastOffset needs at least one offset, got offsets of shape ${fmtShape(offsets.shape)}`);
  const offs = valuesIfConcrete(offsets);
  if (offs && offs.length > 0) {
    if (offs[0] !== 0) throw new ValueError(`${fn}(): offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position 0. However, got ${offs[0]}`);
    for (let i = 1; i < offs.length; i++) {
      if (offs[i]! < offs[i - 1]! || offs[i]! > input.shape[0]!) throw new ValueError(`${fn}(): offsets must be non-decreasing and at most the input length ${input.shape[0]}, got ${Array.from(offs).join(', ')}`);
    }
  }
  return offsetBags(input, weight, offsets, B, last, mode, psw, pad, dim);
}

/** Rows of `weight` at `idx`, whether each index counts (false for padding), and the flat per-sample weights. */
function rowsAndMask(idx: Tensor, weight: Tensor, psw: Tensor | null, pad: number | null) {
  const flat = lax.reshape(idx, [idx.numel()]);
  const rows = lax.indexSelect(weight, flat, 0); // [n, D]
  const keep = pad === null ? null : E.ne(flat, pad);
  return { rows, keep, psw: psw === null ? null : lax.reshape(psw, [flat.shape[0]!]) };
}

/** 1 where kept (all ones without a mask) times the per-sample weights, as [n] in dtype. */
function scaleOf(keep: Tensor | null, w: Tensor | null, n: number, dtype: Tensor['dtype'], device: Tensor['device']): Tensor {
  let scale = keep === null ? ones([n], { dtype, device }) : lax.cast(keep, dtype);
  if (w !== null) scale = E.mul(scale, w);
  return scale;
}

function fixedBags(input: Tensor, weight: Tensor, mode: string, psw: Tensor | null, pad: number | null): Tensor {
  const [b, l] = input.shape as [number, number];
  const dim = weight.shape[1]!;
  const { rows, keep, psw: w } = rowsAndMask(input, weight, psw, pad);
  const rows3 = lax.reshape(rows, [b, l, dim]);
  if (mode === 'max') return maskedMax(rows3, keep === null ? null : lax.reshape(keep, [b, l, 1]), 1);
  const scale = lax.reshape(scaleOf(keep, w, b * l, weight.dtype, weight.device), [b, l, 1]);
  const sums = lax.sum(E.mul(rows3, scale), [1]);
  if (mode === 'sum') return sums;
  const count = keep === null ? l : E.clamp(lax.sum(lax.reshape(lax.cast(keep, weight.dtype), [b, l, 1]), [1]), { min: 1 });
  return E.div(sums, count);
}

/** Max over `dim` of the kept rows; a bag with no kept row gives zeros. */
function maskedMax(rows: Tensor, keep: Tensor | null, dim: number): Tensor {
  if (keep === null) return extremeAlong(argmax, rows, dim).values;
  const masked = E.where(keep, rows, -Infinity);
  const { values } = extremeAlong(argmax, masked, dim);
  return E.where(any(keep, dim), values, 0);
}

function offsetBags(input: Tensor, weight: Tensor, offsets: Tensor, B: number, last: boolean, mode: string, psw: Tensor | null, pad: number | null, dim: number): Tensor {
  const n = input.shape[0]!;
  const { rows, keep: keep0, psw: w } = rowsAndMask(input, weight, psw, pad);
  const starts = sliceDim(offsets, 0, 0, B);
  const pos = arange(n, { dtype: 'int32', device: weight.device });
  // Positions past the last offset (includeLastOffset) belong to no bag.
  let keep = keep0;
  if (last) {
    const inRange = E.lt(pos, sliceDim(offsets, 0, B, B + 1));
    keep = keep === null ? inRange : E.logicalAnd(keep, inRange);
  }
  if (mode === 'max') {
    const ends = last ? sliceDim(offsets, 0, 1, B + 1) : cat([sliceDim(offsets, 0, 1, B), full([1], n, { dtype: 'int32', device: weight.device })], 0);
    const p = lax.reshape(pos, [1, n]);
    let m = E.logicalAnd(E.ge(p, lax.reshape(starts, [B, 1])), E.lt(p, lax.reshape(ends, [B, 1]))); // [B, n]
    if (keep !== null) m = E.logicalAnd(m, lax.reshape(keep, [1, n]));
    return maskedMax(lax.broadcastTo(lax.reshape(rows, [1, n, dim]), [B, n, dim]), lax.reshape(m, [B, n, 1]), 1);
  }
  // Bag number of each position: how many offsets are <= it, minus one (repeated offsets: empty bags).
  const marks = scatterAdd(zeros([n + 1], { dtype: 'int32', device: weight.device }), 0, starts, ones([B], { dtype: 'int32', device: weight.device }));
  const bag = E.sub(sliceDim(cumsum(marks, 0), 0, 0, n), 1);
  const safeBag = keep === null ? bag : E.where(keep, bag, 0);
  const scale = scaleOf(keep, w, n, weight.dtype, weight.device);
  const idx2 = lax.broadcastTo(lax.reshape(safeBag, [n, 1]), [n, dim]);
  const sums = scatterAdd(zeros([B, dim], { dtype: weight.dtype, device: weight.device }), 0, idx2, E.mul(rows, lax.reshape(scale, [n, 1])));
  if (mode === 'sum') return sums;
  const counts = scatterAdd(zeros([B], { dtype: weight.dtype, device: weight.device }), 0, safeBag, keep === null ? ones([n], { dtype: weight.dtype, device: weight.device }) : lax.cast(keep, weight.dtype));
  return E.div(sums, lax.reshape(E.clamp(counts, { min: 1 }), [B, 1]));
}
