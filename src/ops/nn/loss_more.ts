// More of torch.nn.functional's losses, as compositions (so grad, vmap and jvp reach them): margin
// ranking, hinge embedding, soft margin, triplet margin, cosine embedding, Poisson and Gaussian
// negative log-likelihood, multilabel soft margin. Each takes `reduction` ('mean' | 'sum' | 'none').
import { ShapeError, fmtShape } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { shapesEqual } from '../../core/shape.js';
import type { Tensor } from '../../primitives/index.js';
import { detach } from '../../transforms/detach.js';
import * as E from '../elementwise.js';
import { mean, sum } from '../reduce.js';
import { pairwiseDistance } from './activation_more.js';
import { checkReduction, floatArg, reduce, type Reduction } from './_util.js';

function sameShape(fn: string, names: [string, string], a: Tensor, b: Tensor): void {
  if (!shapesEqual(a.shape, b.shape)) throw new ShapeError(`${fn}(): ${names[0]} ${fmtShape(a.shape)} and ${names[1]} ${fmtShape(b.shape)} must have the same shape`);
}

/** Options of the margin losses. */
export interface MarginOptions {
  /** The margin (margin ranking: default 0; hinge embedding: default 1). */
  margin?: number;
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

/** max(0, −y·(x₁ − x₂) + margin), y = ±1. @example torch.marginRankingLoss(a, b, y, { margin: 0.1 }) */
export function marginRankingLoss(x1: Tensor, x2: Tensor, target: Tensor, opts: MarginOptions = {}): Tensor {
  const fn = 'marginRankingLoss';
  checkOptions(`${fn}()`, opts, ['margin', 'reduction']);
  const r = checkReduction(fn, opts.reduction);
  floatArg(fn, 'input1', x1);
  floatArg(fn, 'input2', x2);
  floatArg(fn, 'target', target);
  return reduce(E.relu(E.add(E.mul(E.neg(target), E.sub(x1, x2)), opts.margin ?? 0)), r);
}

/** x where y = 1, max(0, margin − x) where y = −1. */
export function hingeEmbeddingLoss(input: Tensor, target: Tensor, opts: MarginOptions = {}): Tensor {
  const fn = 'hingeEmbeddingLoss';
  checkOptions(`${fn}()`, opts, ['margin', 'reduction']);
  const r = checkReduction(fn, opts.reduction);
  floatArg(fn, 'input', input);
  floatArg(fn, 'target', target);
  const margin = opts.margin ?? 1;
  // PyTorch adds both branches, each masked to its own label (a label other than ±1 gets neither).
  const pos = E.where(E.eq(target, 1), input, E.mul(input, 0));
  const neg = E.where(E.eq(target, -1), E.relu(E.sub(margin, input)), E.mul(input, 0));
  return reduce(E.add(pos, neg), r);
}

/** log(1 + exp(−y·x)), averaged over all elements. */
export function softMarginLoss(input: Tensor, target: Tensor, opts: { reduction?: Reduction } = {}): Tensor {
  const fn = 'softMarginLoss';
  checkOptions(`${fn}()`, opts, ['reduction']);
  const r = checkReduction(fn, opts.reduction);
  floatArg(fn, 'input', input);
  floatArg(fn, 'target', target);
  sameShape(fn, ['input', 'target'], input, target);
  return reduce(E.softplus(E.neg(E.mul(target, input))), r);
}

/** Options of tripletMarginLoss. */
export interface TripletMarginOptions {
  /** Default 1. */
  margin?: number;
  /** The distance's norm (default 2). */
  p?: number;
  /** Added to differences (default 1e-6). */
  eps?: number;
  /** Use the distance between positive and negative when it is smaller (default false). */
  swap?: boolean;
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

/** max(d(a, p) − d(a, n) + margin, 0) with d the p-norm distance. */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, opts: TripletMarginOptions = {}): Tensor {
  const fn = 'tripletMarginLoss';
  checkOptions(`${fn}()`, opts, ['margin', 'p', 'eps', 'swap', 'reduction']);
  const r = checkReduction(fn, opts.reduction);
  for (const [n, t] of [['anchor', anchor], ['positive', positive], ['negative', negative]] as const) floatArg(fn, n, t);
  const d = { p: opts.p ?? 2, eps: opts.eps ?? 1e-6 };
  const dPos = pairwiseDistance(anchor, positive, d);
  let dNeg = pairwiseDistance(anchor, negative, d);
  if (opts.swap) dNeg = E.minimum(dNeg, pairwiseDistance(positive, negative, d));
  return reduce(E.relu(E.add(E.sub(dPos, dNeg), opts.margin ?? 1)), r);
}

/** 1 − cos(x₁, x₂) where y = 1, max(0, cos(x₁, x₂) − margin) where y = −1 (cos along dim 1). */
export function cosineEmbeddingLoss(x1: Tensor, x2: Tensor, target: Tensor, opts: MarginOptions = {}): Tensor {
  const fn = 'cosineEmbeddingLoss';
  checkOptions(`${fn}()`, opts, ['margin', 'reduction']);
  const r = checkReduction(fn, opts.reduction);
  floatArg(fn, 'input1', x1);
  floatArg(fn, 'input2', x2);
  floatArg(fn, 'target', target);
  sameShape(fn, ['input1', 'input2'], x1, x2);
  const dim = x1.ndim - 1;
  // PyTorch's formula: x₁·x₂ / sqrt((‖x₁‖² + ε)(‖x₂‖² + ε)), ε = 1e-12.
  const EPS = 1e-12;
  const cos = E.div(sum(E.mul(x1, x2), dim), E.sqrt(E.mul(E.add(sum(E.mul(x1, x1), dim), EPS), E.add(sum(E.mul(x2, x2), dim), EPS))));
  const zeros = E.mul(cos, 0);
  const pos = E.where(E.eq(target, 1), E.sub(1, cos), zeros);
  const neg = E.where(E.eq(target, -1), E.relu(E.sub(cos, opts.margin ?? 0)), zeros);
  return reduce(E.add(pos, neg), r);
}

/** Options of poissonNllLoss. */
export interface PoissonNllOptions {
  /** The input is log λ (default true); else λ itself. */
  logInput?: boolean;
  /** Add Stirling's approximation of log(target!) (default false). */
  full?: boolean;
  /** Keeps log(λ + eps) finite when logInput is false (default 1e-8). */
  eps?: number;
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

/** Negative log-likelihood of a Poisson target: exp(x) − y·x (logInput), or x − y·log(x + eps). */
export function poissonNllLoss(input: Tensor, target: Tensor, opts: PoissonNllOptions = {}): Tensor {
  const fn = 'poissonNllLoss';
  checkOptions(`${fn}()`, opts, ['logInput', 'full', 'eps', 'reduction']);
  const r = checkReduction(fn, opts.reduction);
  floatArg(fn, 'input', input);
  floatArg(fn, 'target', target);
  let loss = opts.logInput ?? true ? E.sub(E.exp(input), E.mul(target, input)) : E.sub(input, E.mul(target, E.log(E.add(input, opts.eps ?? 1e-8))));
  if (opts.full) {
    // y·log y − y + ½·log(2πy), only where y > 1 (PyTorch's masking).
    const y = target;
    const safe = E.where(E.gt(y, 1), y, E.add(E.mul(y, 0), 1));
    const stirling = E.add(E.sub(E.mul(safe, E.log(safe)), safe), E.mul(E.log(E.mul(safe, 2 * Math.PI)), 0.5));
    loss = E.add(loss, E.where(E.gt(y, 1), stirling, E.mul(stirling, 0)));
  }
  return reduce(loss, r);
}

/** Options of gaussianNllLoss. */
export interface GaussianNllOptions {
  /** Add ½·log(2π) (default false). */
  full?: boolean;
  /** The variance is clamped to at least eps, without changing its gradient (default 1e-6). */
  eps?: number;
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

/** ½·(log max(var, eps) + (x − y)² / max(var, eps)) (+ ½·log 2π when full). */
export function gaussianNllLoss(input: Tensor, target: Tensor, variance: Tensor, opts: GaussianNllOptions = {}): Tensor {
  const fn = 'gaussianNllLoss';
  checkOptions(`${fn}()`, opts, ['full', 'eps', 'reduction']);
  const r = checkReduction(fn, opts.reduction);
  floatArg(fn, 'input', input);
  floatArg(fn, 'target', target);
  floatArg(fn, 'var', variance);
  // PyTorch clamps a copy of var under no_grad: the value is clamped, the gradient is var's own.
  const v = E.add(variance, detach(E.sub(E.clamp(variance, { min: opts.eps ?? 1e-6 }), variance)));
  let loss = E.mul(E.add(E.log(v), E.div(E.square(E.sub(input, target)), v)), 0.5);
  if (opts.full) loss = E.add(loss, 0.5 * Math.log(2 * Math.PI));
  return reduce(loss, r);
}

/** −mean over classes of y·log σ(x) + (1 − y)·log σ(−x), per sample; optional per-class weight. */
export function multilabelSoftMarginLoss(input: Tensor, target: Tensor, opts: { weight?: Tensor | null; reduction?: Reduction } = {}): Tensor {
  const fn = 'multilabelSoftMarginLoss';
  checkOptions(`${fn}()`, opts, ['weight', 'reduction']);
  const r = checkReduction(fn, opts.reduction);
  floatArg(fn, 'input', input);
  floatArg(fn, 'target', target);
  sameShape(fn, ['input', 'target'], input, target);
  let l = E.neg(E.add(E.mul(target, E.logSigmoid(input)), E.mul(E.sub(1, target), E.logSigmoid(E.neg(input)))));
  if (opts.weight) l = E.mul(l, floatArg(fn, 'weight', opts.weight));
  const perSample = mean(l, input.ndim - 1);
  return reduce(perSample, r);
}
