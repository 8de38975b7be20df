// The class-margin losses of torch.nn.functional that loss_more.ts does not hold: multi_margin_loss
// (multi-class hinge), multilabel_margin_loss (targets listed per row, ended by -1) and
// triplet_margin_with_distance_loss (any distance function). All are compositions over the whole batch
// (one-hot masks and pairwise [N, C, C] margins), so grad and vmap reach them.
import { INT_HINT } from '../../core/dtype.js';
import { checkOptions } from '../../core/options.js';
import { DTypeError, ShapeError, ValueError, fmtShape, fmtValue } from '../../core/errors.js';
import { shapesEqual } from '../../core/shape.js';
import { Tensor, lax } from '../../primitives/index.js';
import * as E from '../elementwise.js';
import { cumsum, sum } from '../reduce.js';
import { gather, reshape } from '../shape.js';
import { checkTensor } from '../scalars.js';
import { oneHot } from './one_hot.js';
import { pairwiseDistance } from './activation_more.js';
import { checkReduction, floatArg, reduce, valuesIfConcrete, type Reduction } from './_util.js';

/** Options of multiMarginLoss. */
export interface MultiMarginOptions {
  /** 1 (default) or 2: the power of each hinge. */
  p?: 1 | 2;
  /** Default 1. */
  margin?: number;
  /** A weight per class [C], multiplying the hinges of a sample by the weight of its target. */
  weight?: Tensor | null;
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

function classTargets(fn: string, input: Tensor, target: Tensor): { x: Tensor; y: Tensor; unbatched: boolean } {
  floatArg(fn, 'input', input);
  checkTensor(fn, 'target', target);
  if (target.dtype !== 'int32') throw new DTypeError(`${fn}(): expected 'target' to have dtype int32, got ${target.dtype}${INT_HINT}`);
  if (input.ndim > 2 || input.ndim === 0) throw new ShapeError(`${fn}(): Expected non-empty vector or matrix with optional 0-dim batch size, but got: ${fmtShape(input.shape)}`);
  const unbatched = input.ndim === 1;
  const x = unbatched ? reshape(input, [1, input.shape[0]!]) : input;
  return { x, y: target, unbatched };
}

/**
 * Multi-class hinge loss: for each sample, Σ_{i ≠ y} max(0, margin − x[y] + x[i])^p / C.
 * @example torch.multiMarginLoss(torch.randn([4, 5]), torch.tensor([1, 0, 4, 2], { dtype: 'int32' }))
 */
export function multiMarginLoss(input: Tensor, target: Tensor, opts: MultiMarginOptions = {}): Tensor {
  const fn = 'multiMarginLoss';
  checkOptions(`${fn}()`, opts, ['p', 'margin', 'weight', 'reduction']);
  const r = checkReduction(fn, opts.reduction);
  const p = opts.p ?? 1;
  if (p !== 1 && p !== 2) throw new ValueError(`${fn}(): only p == 1 and p == 2 supported, got p=${fmtValue(p)}`);
  const { x, y, unbatched } = classTargets(fn, input, target);
  const [n, c] = x.shape as [number, number];
  if (y.numel() !== n || (unbatched ? y.ndim > 1 : y.ndim !== 1)) {
    throw new ShapeError(`${fn}(): inconsistent target size, expected ${n} but got ${fmtShape(y.shape)} (input ${fmtShape(input.shape)})`);
  }
  const yi = reshape(y, [n, 1]);
  const vals = valuesIfConcrete(yi);
  if (vals) for (const v of Array.from(vals)) if (v < 0 || v >= c) throw new ValueError(`${fn}(): target out of range: ${v} (for ${c} classes)`);
  const xy = gather(x, 1, yi); // [N, 1]
  let h = E.relu(E.add(E.sub(x, xy), opts.margin ?? 1));
  if (p === 2) h = E.mul(h, h);
  const notTarget = E.logicalNot(lax.cast(oneHot(reshape(y, [n]), c), 'bool'));
  h = E.where(notTarget, h, 0);
  if (opts.weight) {
    const w = floatArg(fn, 'weight', opts.weight);
    if (w.ndim !== 1 || w.shape[0] !== c) throw new ShapeError(`${fn}(): weight must be 1-D with ${c} elements, got ${fmtShape(w.shape)}`);
    h = E.mul(h, reshape(lax.indexSelect(w, reshape(y, [n]), 0), [n, 1]));
  }
  const loss = E.div(sum(h, 1), c);
  return reduce(unbatched ? reshape(loss, []) : loss, r);
}

/**
 * Multi-label hinge loss: each row of target lists the row's classes (int32), ended by the first −1;
 * the loss is Σ_{j listed} Σ_{i not listed} max(0, 1 − (x[j] − x[i])) / C.
 * @example
 * torch.multilabelMarginLoss(torch.tensor([[0.1, 0.2, 0.4, 0.8]]), torch.tensor([[3, 0, -1, 1]], { dtype: 'int32' })) // 0.85
 */
export function multilabelMarginLoss(input: Tensor, target: Tensor, opts: { reduction?: Reduction } = {}): Tensor {
  const fn = 'multilabelMarginLoss';
  checkOptions(`${fn}()`, opts, ['reduction']);
  const r = checkReduction(fn, opts.reduction);
  const { x, unbatched } = classTargets(fn, input, target);
  if (!shapesEqual(target.shape, input.shape)) throw new ShapeError(`${fn}(): inconsistent target size: ${fmtShape(target.shape)} for input of size: ${fmtShape(input.shape)}`);
  const [n, c] = x.shape as [number, number];
  const t = reshape(target, [n, c]);
  const vals = valuesIfConcrete(t);
  if (vals) for (const v of Array.from(vals)) if (v < -1 || v >= c) throw new ValueError(`${fn}(): target value ${v} out of range (-1 ends the list; classes 0..${c - 1})`);
  // Entries before the first -1 of their row count, each as many times as it is listed (as PyTorch).
  const valid = E.eq(cumsum(lax.cast(E.eq(t, -1), 'int32'), 1), 0); // [N, C] over list positions
  const hot = E.mul(lax.cast(oneHot(E.where(valid, t, 0), c), x.dtype), reshape(lax.cast(valid, x.dtype), [n, c, 1])); // [N, k, class]
  const count = sum(hot, 1); // [N, C]: times each class is listed
  const isTarget = E.gt(count, 0);
  // margins[n, j, i] = max(0, 1 − x[j] + x[i]) for listed j and unlisted i.
  const m = E.relu(E.add(E.sub(reshape(x, [n, 1, c]), reshape(x, [n, c, 1])), 1));
  const pairs = E.mul(E.mul(m, reshape(count, [n, c, 1])), reshape(lax.cast(E.logicalNot(isTarget), x.dtype), [n, 1, c]));
  const loss = E.div(sum(pairs, [1, 2]), c);
  return reduce(unbatched ? reshape(loss, []) : loss, r);
}

/** Options of tripletMarginWithDistanceLoss. */
export interface TripletMarginWithDistanceOptions {
  /** The distance of two batches of embeddings (default pairwiseDistance). */
  distanceFunction?: ((a: Tensor, b: Tensor) => Tensor) | null;
  /** Default 1. */
  margin?: number;
  /** Use the positive–negative distance when it is smaller (default false). */
  swap?: boolean;
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

/**
 * max(d(a, p) − d(a, n) + margin, 0) with any distance function d (default the pairwise distance).
 * @example
 * const cos = (a: Tensor, b: Tensor) => torch.cosineSimilarity(a, b).neg().add(1);
 * torch.tripletMarginWithDistanceLoss(a, p, n, { distanceFunction: cos, margin: 0.5 })
 */
export function tripletMarginWithDistanceLoss(anchor: Tensor, positive: Tensor, negative: Tensor, opts: TripletMarginWithDistanceOptions = {}): Tensor {
  const fn = 'tripletMarginWithDistanceLoss';
  checkOptions(`${fn}()`, opts, ['distanceFunction', 'margin', 'swap', 'reduction']);
  const r = checkReduction(fn, opts.reduction);
  for (const [name, t] of [['anchor', anchor], ['positive', positive], ['negative', negative]] as const) floatArg(fn, name, t);
  const margin = opts.margin ?? 1;
  if (!(margin > 0)) throw new ValueError(`${fn}(): margin must be greater than 0, got ${fmtValue(margin)}`);
  const a = anchor.ndim;
  if (positive.ndim !== a || negative.ndim !== a) {
    throw new ShapeError(`${fn}(): The anchor, positive, and negative tensors are expected to have the same number of dimensions, but got: anchor ${a}D, positive ${positive.ndim}D, and negative ${negative.ndim}D inputs`);
  }
  const d = opts.distanceFunction ?? ((u: Tensor, v: Tensor) => pairwiseDistance(u, v));
  const dPos = d(anchor, positive);
  let dNeg = d(anchor, negative);
  if (opts.swap) dNeg = E.minimum(dNeg, d(positive, negative));
  return reduce(E.clamp(E.add(E.sub(dPos, dNeg), margin), { min: 0 }), r);
}
