// Loss functions (torch.nn.functional), each with reduction 'mean' | 'sum' | 'none': regression
// losses, nllLoss / crossEntropy (class indices or class probabilities, weights, ignoreIndex,
// label smoothing), binary cross entropy (on probabilities or, stably, on logits) and KL divergence.
import { INT_HINT } from '../../core/dtype.js';
import { checkOptions } from '../../core/options.js';
import { DTypeError, IndexError, ShapeError, ValueError, fmtShape } from '../../core/errors.js';
import { broadcastShapes, numel, shapesEqual } from '../../core/shape.js';
import { Tensor, lax } from '../../primitives/index.js';
import { sum } from '../reduce.js';
import { logSoftmax } from '../softmax.js';
import * as E from '../elementwise.js';
import { checkTensor } from '../scalars.js';
import { checkReduction, floatArg, optArg, reduce, sameDType, valuesIfConcrete, type Reduction } from './_util.js';

/** The option every loss takes. */
export interface LossOptions {
  /** 'mean' of the per-element losses (default), their 'sum', or 'none' for the unreduced tensor. */
  reduction?: Reduction;
}

/** Checks a floating target of exactly the input's shape and dtype. */
function sameShapeTarget(fn: string, input: Tensor, target: Tensor): void {
  floatArg(fn, 'input', input);
  checkTensor(fn, 'target', target);
  if (!E.isFloatingPoint(target)) {
    throw new DTypeError(`${fn}(): expected target to be a floating point tensor like input (${input.dtype}), got ${target.dtype}`);
  }
  sameDType(fn, ['input', 'target'], input, target);
  if (!shapesEqual(input.shape, target.shape)) {
    throw new ShapeError(
      `${fn}(): Using a target size (${fmtShape(target.shape)}) that is different to the input size (${fmtShape(input.shape)}) is not supported. Please ensure they have the same size.`,
    );
  }
}

/** An optional weight tensor that must broadcast to the input's shape. */
function broadcastWeight(fn: string, arg: string, w: Tensor | null | undefined, input: Tensor): Tensor | null {
  const t = optArg(fn, arg, w, input.dtype);
  if (t === null) return null;
  const b = broadcastShapes(fn, t.shape, input.shape);
  if (!shapesEqual(b, input.shape)) {
    throw new ShapeError(`${fn}(): ${arg} of shape ${fmtShape(t.shape)} must broadcast to the input size ${fmtShape(input.shape)}`);
  }
  return t;
}

/**
 * Mean squared error (x - y)^2.
 * @example torch.mseLoss(pred, target) ; torch.mseLoss(pred, target, { reduction: 'sum' })
 */
export function mseLoss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  checkOptions('mseLoss()', opts, ['reduction']);
  const r = checkReduction('mseLoss', opts.reduction);
  sameShapeTarget('mseLoss', input, target);
  const d = lax.sub(input, target);
  return reduce(lax.mul(d, d), r);
}

/**
 * Mean absolute error |x - y|.
 * @example torch.l1Loss(pred, target)
 */
export function l1Loss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  checkOptions('l1Loss()', opts, ['reduction']);
  const r = checkReduction('l1Loss', opts.reduction);
  sameShapeTarget('l1Loss', input, target);
  return reduce(lax.abs(lax.sub(input, target)), r);
}

/**
 * 0.5 d^2 / beta where |d| < beta, |d| - 0.5 beta elsewhere (d = x - y); beta = 0 is l1Loss.
 * @example torch.smoothL1Loss(pred, target, { beta: 0.5 })
 */
export function smoothL1Loss(input: Tensor, target: Tensor, opts: LossOptions & { beta?: number } = {}): Tensor {
  checkOptions('smoothL1Loss()', opts, ['reduction', 'beta']);
  const fn = 'smoothL1Loss';
  const r = checkReduction(fn, opts.reduction);
  const beta = opts.beta ?? 1;
  if (!(beta >= 0)) throw new ValueError(`${fn}(): smooth_l1_loss does not support negative values for beta (got ${beta})`);
  sameShapeTarget(fn, input, target);
  const a = lax.abs(lax.sub(input, target));
  if (beta === 0) return reduce(a, r);
  const quad = lax.div(lax.mul(lax.mul(a, a), lax.scalarLike(a, 0.5)), lax.scalarLike(a, beta));
  const lin = lax.sub(a, lax.scalarLike(a, 0.5 * beta));
  return reduce(lax.where(lax.lt(a, lax.scalarLike(a, beta)), quad, lin), r);
}

/**
 * 0.5 d^2 where |d| <= delta, delta (|d| - 0.5 delta) elsewhere (d = x - y).
 * @example torch.huberLoss(pred, target, { delta: 2 })
 */
export function huberLoss(input: Tensor, target: Tensor, opts: LossOptions & { delta?: number } = {}): Tensor {
  checkOptions('huberLoss()', opts, ['reduction', 'delta']);
  const fn = 'huberLoss';
  const r = checkReduction(fn, opts.reduction);
  const delta = opts.delta ?? 1;
  if (!(delta > 0)) throw new ValueError(`${fn}(): huber_loss does not support non-positive values for delta (got ${delta})`);
  sameShapeTarget(fn, input, target);
  const a = lax.abs(lax.sub(input, target));
  const quad = lax.mul(lax.mul(a, a), lax.scalarLike(a, 0.5));
  const lin = lax.mul(lax.scalarLike(a, delta), lax.sub(a, lax.scalarLike(a, 0.5 * delta)));
  return reduce(lax.where(lax.le(a, lax.scalarLike(a, delta)), quad, lin), r);
}

const NLL_KEYS = ['reduction', 'weight', 'ignoreIndex'];

/** Options of nllLoss (torch.nn.functional.nll_loss). */
export interface NllLossOptions extends LossOptions {
  /** A weight per class [C]. */
  weight?: Tensor | null;
  /** Targets equal to this contribute nothing (default -100). */
  ignoreIndex?: number;
}

interface ClassTargets {
  /** Log-probabilities (or logits) as [M, C]. */
  x2: Tensor;
  /** Class indices [M], ignored ones replaced by 0. */
  safe: Tensor;
  /** 1 where the target is not ignored, [M], in x's dtype. */
  keep: Tensor;
  /** Shape of the unreduced loss (the target's shape). */
  outShape: number[];
  weight: Tensor | null;
}

/** Moves the class dim (1, or 0 for an unbatched [C] input) last and flattens the rest: [M, C]. */
function classLast(x: Tensor): Tensor {
  if (x.ndim === 1) return lax.reshape(x, [1, x.shape[0]!]);
  const c = x.shape[1]!;
  return lax.reshape(lax.moveDim(x, 1, x.ndim - 1), [numel(x.shape) / c, c]);
}

/** Checks class-index targets against input [C] / [N, C] / [N, C, d1, ...]. */
function classTargets(fn: string, input: Tensor, target: Tensor, weight: Tensor | null | undefined, ignoreIndex: number): ClassTargets {
  floatArg(fn, 'input', input);
  checkTensor(fn, 'target', target);
  if (target.dtype !== 'int32') {
    throw new DTypeError(`${fn}(): expected target to be an int32 tensor of class indices, got ${target.dtype} of shape ${fmtShape(target.shape)}${INT_HINT}`);
  }
  if (input.ndim === 0) throw new ShapeError(`${fn}(): input must have at least 1 dimension (the classes), got a 0-D tensor`);
  if (input.ndim <= 2 && target.ndim !== input.ndim - 1) {
    throw new ShapeError(`${fn}(): 0D or 1D target tensor expected, multi-target not supported (input ${fmtShape(input.shape)}, target ${fmtShape(target.shape)})`);
  }
  if (input.ndim === 2 && target.shape[0] !== input.shape[0]) {
    throw new ShapeError(`${fn}(): Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0]}).`);
  }
  if (input.ndim > 2) {
    const expect = input.shape.filter((_, i) => i !== 1);
    if (!shapesEqual(expect, target.shape)) {
      throw new ShapeError(`${fn}(): Expected target size ${fmtShape(expect)}, got ${fmtShape(target.shape)} (input ${fmtShape(input.shape)})`);
    }
  }
  const c = input.ndim === 1 ? input.shape[0]! : input.shape[1]!;
  const w = optArg(fn, 'weight', weight, input.dtype);
  if (w !== null && (w.ndim !== 1 || w.shape[0] !== c)) {
    throw new ShapeError(`${fn}(): weight tensor should be defined either for all ${c} classes or no classes but got weight tensor of shape: ${fmtShape(w.shape)}`);
  }
  if (!Number.isInteger(ignoreIndex)) throw new ValueError(`${fn}(): ignoreIndex must be an integer, got ${ignoreIndex}`);
  const vals = valuesIfConcrete(target);
  if (vals) {
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i]!;
      if (v !== ignoreIndex && (v < 0 || v >= c)) throw new IndexError(`${fn}(): Target ${v} is out of bounds (expected class indices in [0, ${c - 1}]).`);
    }
  }
  const flat = lax.reshape(target, [numel(target.shape)]);
  const ignored = lax.eq(flat, lax.scalarLike(flat, ignoreIndex));
  const safe = lax.where(ignored, lax.zerosLike(flat), flat);
  const keep = lax.cast(lax.eq(ignored, lax.scalarLike(ignored, 0)), input.dtype);
  return { x2: classLast(input), safe, keep, outShape: target.shape, weight: w };
}

/** Per-target weights w[target] * keep, [M]. */
function targetWeights(t: ClassTargets): Tensor {
  return t.weight === null ? t.keep : lax.mul(lax.indexSelect(t.weight, t.safe, 0), t.keep);
}

/** Sum or weighted mean of per-target losses [M] (already weighted and masked), or them unreduced. */
function reduceTargets(loss: Tensor, t: ClassTargets, reduction: string): Tensor {
  if (reduction === 'none') return lax.reshape(loss, t.outShape);
  const s = lax.sum(loss, [0]);
  if (reduction === 'sum') return s;
  return lax.div(s, lax.sum(targetWeights(t), [0]));
}

function nll(t: ClassTargets, reduction: string): Tensor {
  const m = t.safe.shape[0]!;
  const picked = lax.reshape(lax.gather(t.x2, lax.reshape(t.safe, [m, 1]), 1), [m]);
  return reduceTargets(lax.neg(lax.mul(picked, targetWeights(t))), t, reduction);
}

/**
 * Negative log-likelihood of class-index targets (int32) given log-probabilities [N, C],
 * [N, C, d1, ...] or unbatched [C]. With weights, 'mean' divides by the summed weights of the
 * non-ignored targets (as PyTorch).
 * @example torch.nllLoss(torch.logSoftmax(logits, 1), torch.tensor([0, 2, 1]), { ignoreIndex: 1 })
 */
export function nllLoss(input: Tensor, target: Tensor, opts: NllLossOptions = {}): Tensor {
  checkOptions('nllLoss()', opts, NLL_KEYS);
  const fn = 'nllLoss';
  const r = checkReduction(fn, opts.reduction);
  return nll(classTargets(fn, input, target, opts.weight, opts.ignoreIndex ?? -100), r);
}

/** Options of crossEntropy (torch.nn.functional.cross_entropy). */
export interface CrossEntropyOptions extends NllLossOptions {
  /** Mixes the target with the uniform distribution: (1 - s) * target + s / C (default 0). */
  labelSmoothing?: number;
}

/**
 * Cross entropy between logits [N, C] / [N, C, d1, ...] / unbatched [C] and either class indices
 * (int32, shape [N] / [N, d1, ...] / []) or class probabilities (floating, the input's shape).
 * Matches torch.nn.functional.cross_entropy, including weight, ignoreIndex and labelSmoothing.
 * @example
 * torch.crossEntropy(logits, torch.tensor([3, 0, 1]), { labelSmoothing: 0.1 })
 * torch.crossEntropy(logits, torch.softmax(teacherLogits, 1))
 */
export function crossEntropy(input: Tensor, target: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  checkOptions('crossEntropy()', opts, [...NLL_KEYS, 'labelSmoothing']);
  const fn = 'crossEntropy';
  const r = checkReduction(fn, opts.reduction);
  floatArg(fn, 'input', input);
  checkTensor(fn, 'target', target);
  const eps = opts.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1)) throw new ValueError(`${fn}(): label_smoothing must be between 0.0 and 1.0. Got: ${eps}`);
  if (input.ndim === 0) throw new ShapeError(`${fn}(): input must have at least 1 dimension (the classes), got a 0-D tensor`);
  const classDim = input.ndim === 1 ? 0 : 1;
  const c = input.shape[classDim]!;
  if (E.isFloatingPoint(target)) {
    // Class probabilities.
    if (!shapesEqual(target.shape, input.shape)) {
      throw new ShapeError(
        `${fn}(): expected target to be int32 class indices of shape ${fmtShape(input.shape.filter((_, i) => i !== classDim))} or floating class probabilities of the input's shape ${fmtShape(input.shape)}, but got ${target.dtype} target of shape ${fmtShape(target.shape)}${INT_HINT}`,
      );
    }
    sameDType(fn, ['input', 'target'], input, target);
    if (opts.ignoreIndex !== undefined && opts.ignoreIndex !== -100) {
      throw new ValueError(`${fn}(): ignore_index is not supported for floating point target`);
    }
    const w = optArg(fn, 'weight', opts.weight, input.dtype);
    if (w !== null && (w.ndim !== 1 || w.shape[0] !== c)) {
      throw new ShapeError(`${fn}(): weight tensor should be defined either for all ${c} classes or no classes but got weight tensor of shape: ${fmtShape(w.shape)}`);
    }
    const logp = logSoftmax(input, classDim);
    let t = target;
    if (eps > 0) t = lax.add(lax.mul(t, lax.scalarLike(t, 1 - eps)), lax.scalarLike(t, eps / c));
    let prod = lax.mul(logp, t);
    if (w !== null) prod = lax.mul(prod, lax.reshape(w, input.shape.map((d, i) => (i === classDim ? d : 1))));
    const loss = lax.neg(lax.sum(prod, [classDim]));
    if (r === 'none') return loss;
    const s = sum(loss);
    return r === 'sum' ? s : lax.div(s, lax.scalarLike(s, numel(input.shape) / c));
  }
  if (target.dtype !== 'int32') {
    throw new DTypeError(`${fn}(): expected target to be int32 class indices or floating class probabilities, got ${target.dtype} of shape ${fmtShape(target.shape)}${INT_HINT}`);
  }
  const t = classTargets(fn, logSoftmax(input, classDim), target, opts.weight, opts.ignoreIndex ?? -100);
  const nllLoss_ = nll(t, r);
  if (eps === 0) return nllLoss_;
  // PyTorch: (1 - s) * nll + (s / C) * smooth, smooth = -sum_c w_c logp_c over non-ignored targets,
  // divided in 'mean' by the summed weights of the non-ignored targets.
  const wlogp = t.weight === null ? t.x2 : lax.mul(t.x2, lax.reshape(t.weight, [1, c]));
  const smooth = lax.neg(lax.mul(lax.sum(wlogp, [1]), t.keep));
  const smoothRed = reduceTargets(smooth, t, r);
  return lax.add(lax.mul(nllLoss_, lax.scalarLike(nllLoss_, 1 - eps)), lax.mul(smoothRed, lax.scalarLike(smoothRed, eps / c)));
}

/** log(p) clamped at -100 (as PyTorch's BCE), with a finite gradient at p = 0. */
function clampedLog(p: Tensor): Tensor {
  const pos = lax.gt(p, lax.scalarLike(p, 0));
  const floor = lax.broadcastTo(lax.scalarLike(p, -100), p.shape);
  const l = lax.where(pos, lax.log(lax.where(pos, p, lax.onesLike(p))), floor);
  return lax.where(lax.lt(l, floor), floor, l);
}

/** Options of binaryCrossEntropy (torch.nn.functional.binary_cross_entropy). */
export interface BinaryCrossEntropyOptions extends LossOptions {
  /** Rescaling weight broadcast to the input's shape. */
  weight?: Tensor | null;
}

/**
 * Binary cross entropy -w (y log p + (1 - y) log(1 - p)) between probabilities p in [0, 1] and
 * targets y of the same shape; the logs are clamped at -100 as in PyTorch.
 * @example torch.binaryCrossEntropy(torch.sigmoid(logits), labels)
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: BinaryCrossEntropyOptions = {}): Tensor {
  checkOptions('binaryCrossEntropy()', opts, ['reduction', 'weight']);
  const fn = 'binaryCrossEntropy';
  const r = checkReduction(fn, opts.reduction);
  sameShapeTarget(fn, input, target);
  const w = broadcastWeight(fn, 'weight', opts.weight, input);
  const vals = valuesIfConcrete(input);
  if (vals) {
    for (let i = 0; i < vals.length; i++) {
      if (!(vals[i]! >= 0 && vals[i]! <= 1)) throw new ValueError(`${fn}(): all elements of input should be between 0 and 1 (found ${vals[i]})`);
    }
  }
  const one = lax.scalarLike(input, 1);
  const pos = lax.mul(target, clampedLog(input));
  const neg = lax.mul(lax.sub(one, target), clampedLog(lax.sub(one, input)));
  let loss = lax.neg(lax.add(pos, neg));
  if (w !== null) loss = lax.mul(loss, w);
  return reduce(loss, r);
}

/** Options of binaryCrossEntropyWithLogits (torch.nn.functional.binary_cross_entropy_with_logits). */
export interface BceWithLogitsOptions extends BinaryCrossEntropyOptions {
  /** Weight of the positive examples, broadcast along the input (usually one per class, [C]). */
  posWeight?: Tensor | null;
}

/**
 * Sigmoid + binary cross entropy in one stable expression:
 * (1 - y) x + (1 + (posWeight - 1) y) (log(1 + exp(-|x|)) + max(-x, 0)).
 * @example torch.binaryCrossEntropyWithLogits(logits, labels, { posWeight: torch.tensor([3.0]) })
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, opts: BceWithLogitsOptions = {}): Tensor {
  checkOptions('binaryCrossEntropyWithLogits()', opts, ['reduction', 'weight', 'posWeight']);
  const fn = 'binaryCrossEntropyWithLogits';
  const r = checkReduction(fn, opts.reduction);
  sameShapeTarget(fn, input, target);
  const w = broadcastWeight(fn, 'weight', opts.weight, input);
  const pw = broadcastWeight(fn, 'posWeight', opts.posWeight, input);
  const one = lax.scalarLike(input, 1);
  // -log(sigmoid(x)) = log1p(exp(-|x|)) + max(-x, 0)
  const softNeg = lax.add(E.log1p(lax.exp(lax.neg(lax.abs(input)))), E.relu(lax.neg(input)));
  const coef = pw === null ? null : lax.add(one, lax.mul(lax.sub(pw, one), target));
  let loss = lax.add(lax.mul(lax.sub(one, target), input), coef === null ? softNeg : lax.mul(coef, softNeg));
  if (w !== null) loss = lax.mul(loss, w);
  return reduce(loss, r);
}

/** Options of klDiv (torch.nn.functional.kl_div). */
export interface KlDivOptions {
  /**
   * 'mean' (over all elements, the default as in PyTorch), 'batchmean' (sum / batch size: the true KL
   * divergence), 'sum' or 'none'.
   */
  reduction?: Reduction | 'batchmean';
  /** The target is given as log-probabilities. */
  logTarget?: boolean;
}

/**
 * KL divergence pointwise terms target * (log target - input), with input as log-probabilities.
 * @example torch.klDiv(torch.logSoftmax(student, 1), torch.softmax(teacher, 1), { reduction: 'batchmean' })
 */
export function klDiv(input: Tensor, target: Tensor, opts: KlDivOptions = {}): Tensor {
  checkOptions('klDiv()', opts, ['reduction', 'logTarget']);
  const fn = 'klDiv';
  const r = checkReduction(fn, opts.reduction, ['batchmean']);
  sameShapeTarget(fn, input, target);
  let loss: Tensor;
  if (opts.logTarget) {
    loss = lax.mul(lax.exp(target), lax.sub(target, input));
  } else {
    // xlogy(t, t) - t * input, with 0 log 0 = 0
    const zero = lax.eq(target, lax.scalarLike(target, 0));
    const xlogx = lax.mul(target, lax.log(lax.where(zero, lax.onesLike(target), target)));
    loss = lax.sub(xlogx, lax.mul(target, input));
  }
  if (r === 'batchmean') {
    const s = sum(loss);
    return input.ndim === 0 ? s : lax.div(s, lax.scalarLike(s, input.shape[0]!));
  }
  return reduce(loss, r);
}
