// Normalization composites: layerNorm, batchNorm (with in-place running-stat updates), groupNorm
// and normalize (Lp normalization along a dim).
import { checkOptions } from '../../core/options.js';
import { ShapeError, ValueError, fmtShape } from '../../core/errors.js';
import { normDim, numel } from '../../core/shape.js';
import { Tensor, lax } from '../../primitives/index.js';
import { detach } from '../../transforms/detach.js';
import { noGrad } from '../autograd.js';
import { norm as pnorm } from '../reduce.js';
import * as E from '../elementwise.js';
import { floatArg, optArg } from './_util.js';

/**
 * (x - mean) / sqrt(var + eps) over `axes`, with the biased variance; also returns mean and var (kept
 * dims).
 */
function standardize(x: Tensor, axes: number[], eps: number): { y: Tensor; mean: Tensor; variance: Tensor; n: number } {
  const n = axes.reduce((a, d) => a * x.shape[d]!, 1);
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const inv = lax.scalarLike(x, 1 / n);
  const mean = lax.reshape(lax.mul(lax.sum(x, axes), inv), kept);
  const d = lax.sub(x, mean);
  const variance = lax.reshape(lax.mul(lax.sum(lax.mul(d, d), axes), inv), kept);
  const y = lax.mul(d, lax.rsqrt(lax.add(variance, lax.scalarLike(x, eps))));
  return { y, mean, variance, n };
}

function affine(y: Tensor, w: Tensor | null, b: Tensor | null, shape: number[]): Tensor {
  let r = y;
  if (w !== null) r = lax.mul(r, lax.reshape(w, shape));
  if (b !== null) r = lax.add(r, lax.reshape(b, shape));
  return r;
}

/**
 * Layer normalization over the trailing dims given by normalizedShape, with optional elementwise
 * weight and bias of that shape.
 * @example
 * const y = torch.layerNorm(torch.randn([2, 5, 8]), [8], torch.ones([8]), torch.zeros([8]));
 */
export function layerNorm(x: Tensor, normalizedShape: number | number[], weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5): Tensor {
  const fn = 'layerNorm';
  floatArg(fn, 'input', x);
  if (typeof eps !== 'number') throw new ValueError(`${fn}(): eps must be a number, got ${typeof eps}`);
  const w = optArg(fn, 'weight', weight, x.dtype);
  const b = optArg(fn, 'bias', bias, x.dtype);
  if (typeof normalizedShape !== 'number' && !Array.isArray(normalizedShape)) {
    throw new ValueError(`${fn}(): normalized_shape must be an integer or an array of integers, got ${normalizedShape === null ? 'null' : typeof normalizedShape}`);
  }
  const ns = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  const k = ns.length;
  if (k === 0 || k > x.ndim || ns.some((d, i) => d !== x.shape[x.ndim - k + i])) {
    throw new ShapeError(
      `${fn}(): Given normalized_shape=${fmtShape(ns)}, expected input with shape [*, ${ns.join(', ')}], but got input of size ${fmtShape(x.shape)}`,
    );
  }
  for (const [name, t] of [['weight', w], ['bias', b]] as const) {
    if (t !== null && (t.ndim !== k || t.shape.some((d, i) => d !== ns[i]))) {
      throw new ShapeError(`${fn}(): Expected ${name} to be of same shape as normalized_shape, but got ${name} of shape ${fmtShape(t.shape)} and normalized_shape = ${fmtShape(ns)}`);
    }
  }
  const axes = ns.map((_, i) => x.ndim - k + i);
  return affine(standardize(x, axes, eps).y, w, b, ns);
}

/** Options of batchNorm (torch.nn.functional.batch_norm). */
export interface BatchNormOptions {
  /** Use batch statistics and update the running ones (default false, as torch.nn.functional.batch_norm). */
  training?: boolean;
  /**
   * Weight of the batch statistic in the running-stat update (default 0.1). A 0-d tensor is taken too,
   * so a momentum computed on the device (BatchNorm's cumulative average) is never read back.
   */
  momentum?: number | Tensor;
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
}

/**
 * Batch normalization of x [N, C, *] per channel. In training mode the batch mean and biased
 * variance normalize x, and runningMean / runningVar (if given) are updated in place, without
 * gradient, with the unbiased variance: r = (1 - momentum) * r + momentum * stat. In evaluation mode
 * the running statistics normalize x.
 * @example
 * const rm = torch.zeros([3]), rv = torch.ones([3]);
 * const y = torch.batchNorm(torch.randn([8, 3, 4, 4]), rm, rv, null, null, { training: true });
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight?: Tensor | null,
  bias?: Tensor | null,
  opts: BatchNormOptions = {},
): Tensor {
  checkOptions('batchNorm()', opts, ['training', 'momentum', 'eps']);
  const fn = 'batchNorm';
  floatArg(fn, 'input', x);
  const training = opts.training ?? false;
  const momentum = opts.momentum ?? 0.1;
  const eps = opts.eps ?? 1e-5;
  if (x.ndim < 2) throw new ShapeError(`${fn}(): expected input with at least 2 dims [N, C, *], got input of size ${fmtShape(x.shape)}`);
  const c = x.shape[1]!;
  const args = { weight: optArg(fn, 'weight', weight, x.dtype), bias: optArg(fn, 'bias', bias, x.dtype) };
  const rm = optArg(fn, 'running_mean', runningMean, x.dtype);
  const rv = optArg(fn, 'running_var', runningVar, x.dtype);
  for (const [name, t] of [['weight', args.weight], ['bias', args.bias], ['running_mean', rm], ['running_var', rv]] as const) {
    if (t !== null && (t.ndim !== 1 || t.shape[0] !== c)) {
      throw new ShapeError(`${fn}(): ${name} should contain ${c} elements not ${numel(t.shape)} (shape ${fmtShape(t.shape)}, input ${fmtShape(x.shape)})`);
    }
  }
  const tensorMomentum = momentum instanceof Tensor && momentum.ndim === 0;
  if (!tensorMomentum && (typeof momentum !== 'number' || !Number.isFinite(momentum))) {
    throw new ValueError(`${fn}(): momentum must be a number or a 0-d tensor, got ${momentum instanceof Tensor ? `a tensor of shape ${fmtShape(momentum.shape)}` : String(momentum)}`);
  }
  const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const shape = x.shape.map((d, i) => (i === 1 ? d : 1));
  if (!training) {
    if (rm === null || rv === null) throw new ValueError(`${fn}(): running_mean and running_var must be defined in evaluation mode (training: false)`);
    const y = lax.mul(lax.sub(x, lax.reshape(rm, shape)), lax.rsqrt(lax.add(lax.reshape(rv, shape), lax.scalarLike(x, eps))));
    return affine(y, args.weight, args.bias, shape);
  }
  const perChannel = numel(x.shape) / c;
  if (perChannel <= 1) throw new ValueError(`${fn}(): Expected more than 1 value per channel when training, got input size ${fmtShape(x.shape)}`);
  const { y, mean, variance, n } = standardize(x, axes, eps);
  if (rm !== null || rv !== null) {
    noGrad(() => {
      const m = momentum instanceof Tensor ? lax.cast(momentum, x.dtype) : lax.scalarLike(x, momentum);
      const keep = momentum instanceof Tensor ? lax.sub(lax.scalarLike(x, 1), m) : lax.scalarLike(x, 1 - momentum);
      if (rm !== null) rm.copy_(lax.add(lax.mul(rm, keep), lax.mul(lax.reshape(detach(mean), [c]), m)));
      if (rv !== null) {
        const unbiased = lax.mul(lax.reshape(detach(variance), [c]), lax.scalarLike(x, n / (n - 1)));
        rv.copy_(lax.add(lax.mul(rv, keep), lax.mul(unbiased, m)));
      }
    });
  }
  return affine(y, args.weight, args.bias, shape);
}

/**
 * Group normalization of x [N, C, *]: channels split into numGroups groups, each normalized over
 * its channels and spatial positions; weight and bias are per channel [C].
 * @example
 * const y = torch.groupNorm(torch.randn([2, 6, 4, 4]), 3, torch.ones([6]), torch.zeros([6]));
 */
export function groupNorm(x: Tensor, numGroups: number, weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5): Tensor {
  const fn = 'groupNorm';
  floatArg(fn, 'input', x);
  const w = optArg(fn, 'weight', weight, x.dtype);
  const b = optArg(fn, 'bias', bias, x.dtype);
  if (x.ndim < 2) throw new ShapeError(`${fn}(): Expected at least 2 dimensions for input tensor but received ${x.ndim} (input of size ${fmtShape(x.shape)})`);
  const [n, c] = x.shape as [number, number];
  if (!Number.isInteger(numGroups) || numGroups <= 0 || c % numGroups !== 0) {
    throw new ShapeError(`${fn}(): Expected number of channels in input to be divisible by num_groups, but got input of shape ${fmtShape(x.shape)} and num_groups=${numGroups}`);
  }
  for (const [name, t] of [['weight', w], ['bias', b]] as const) {
    if (t !== null && (t.ndim !== 1 || t.shape[0] !== c)) {
      throw new ShapeError(`${fn}(): Expected ${name} to be a vector of size equal to the number of channels in input, but got ${name} of shape ${fmtShape(t.shape)} and input of shape ${fmtShape(x.shape)}`);
    }
  }
  const g = lax.reshape(x, [n, numGroups, numel(x.shape) / (n * numGroups)]);
  const y = lax.reshape(standardize(g, [2], eps).y, x.shape);
  return affine(y, w, b, x.shape.map((d, i) => (i === 1 ? d : 1)));
}

/** Options of normalize (torch.nn.functional.normalize). */
export interface NormalizeOptions {
  /** The exponent of the norm (default 2). */
  p?: number;
  /** The dim to normalize along (default 1). */
  dim?: number;
  /** Lower bound of the divisor (default 1e-12). */
  eps?: number;
}

/**
 * x / max(||x||_p, eps) along dim, as torch.nn.functional.normalize.
 * @example
 * const unit = torch.normalize(torch.randn([4, 3]), { dim: 1 }); // rows of norm 1
 */
export function normalize(x: Tensor, opts: NormalizeOptions = {}): Tensor {
  checkOptions('normalize()', opts, ['p', 'dim', 'eps']);
  const fn = 'normalize';
  floatArg(fn, 'input', x);
  const p = opts.p ?? 2;
  const eps = opts.eps ?? 1e-12;
  const d = normDim(fn, opts.dim ?? 1, x.ndim);
  let n: Tensor;
  if (p === 2) {
    // sqrt with a zero-safe gradient: an all-zero slice gets 0 / eps = 0 and a finite gradient.
    const s = lax.sum(lax.mul(x, x), [d]);
    const pos = lax.gt(s, lax.scalarLike(s, 0));
    n = lax.where(pos, E.sqrt(lax.where(pos, s, lax.onesLike(s))), lax.zerosLike(s));
    n = lax.reshape(n, x.shape.map((v, i) => (i === d ? 1 : v)));
  } else {
    n = pnorm(x, p, d, true);
  }
  return lax.div(x, E.clamp(n, { min: eps }));
}
