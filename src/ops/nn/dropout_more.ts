// The random regularizers of torch.nn.functional beyond dropout: channel-wise dropout1d/2d/3d, the
// SELU-preserving alpha_dropout and feature_alpha_dropout, rrelu (a random negative slope while
// training, their mean in eval), and gumbel_softmax. Each draws from torch.manualSeed's generator
// through `rand`, so vmap's randomness option ('different' | 'same' | 'error') applies.
import { ShapeError, ValueError, fmtShape, fmtValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { normDim } from '../../core/shape.js';
import type { Tensor } from '../../primitives/index.js';
import { detach } from '../../transforms/detach.js';
import { rand } from '../creation.js';
import * as E from '../elementwise.js';
import { argmax } from '../reduce.js';
import { scatter } from '../shape.js';
import { softmax } from '../softmax.js';
import { floatArg } from './_util.js';

function prob(fn: string, p: number): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ValueError(`${fn}(): dropout probability has to be between 0 and 1, but got ${fmtValue(p)}`);
  return p;
}

/** A keep-mask (true with probability 1 − p) of `shape`, in x's float dtype for sampling. */
const keepMask = (x: Tensor, shape: number[], p: number) => E.lt(rand(shape, { dtype: x.dtype, device: x.device }), 1 - p);

/** The shape of a per-channel mask: x's first `lead` dims, then ones. */
const featureShape = (x: Tensor, lead: number) => x.shape.map((d, i) => (i < lead ? d : 1));

function featureDropout(fn: string, x: Tensor, p: number, training: boolean, spatial: number): Tensor {
  floatArg(fn, 'input', x);
  prob(fn, p);
  if (x.ndim !== spatial + 1 && x.ndim !== spatial + 2) {
    throw new ShapeError(
      `${fn}(): Expected ${spatial + 1}D or ${spatial + 2}D input, but received a ${x.ndim}D input (${fmtShape(x.shape)}). Note that ${fn} exists to provide channel-wise dropout on inputs with ${spatial} spatial dimension${spatial > 1 ? 's' : ''}, a channel dimension, and an optional batch dimension.`,
    );
  }
  if (!training || p === 0) return x;
  if (p === 1) return E.mul(x, 0);
  const lead = x.ndim - spatial; // the channel dim, and the batch dim when there is one
  return E.where(keepMask(x, featureShape(x, lead), p), E.mul(x, 1 / (1 - p)), 0);
}

/**
 * Zeroes whole channels of x [N, C, L] (or [C, L]) with probability p while training, scaling the
 * rest by 1 / (1 − p).
 * @example torch.dropout1d(torch.randn([4, 8, 16]), 0.2)
 */
export function dropout1d(x: Tensor, p = 0.5, training = true): Tensor {
  return featureDropout('dropout1d', x, p, training, 1);
}

/**
 * Zeroes whole channels of x [N, C, H, W] (or [C, H, W]) with probability p while training.
 * @example torch.dropout2d(torch.randn([4, 8, 5, 5]), 0.2)
 */
export function dropout2d(x: Tensor, p = 0.5, training = true): Tensor {
  return featureDropout('dropout2d', x, p, training, 2);
}

/**
 * Zeroes whole channels of x [N, C, D, H, W] (or [C, D, H, W]) with probability p while training.
 * @example torch.dropout3d(torch.randn([2, 4, 3, 5, 5]), 0.2)
 */
export function dropout3d(x: Tensor, p = 0.5, training = true): Tensor {
  return featureDropout('dropout3d', x, p, training, 3);
}

// PyTorch's alpha = SELU's scale · alpha, the value SELU saturates to.
const ALPHA = 1.7580993408473766;

function alphaDropoutImpl(x: Tensor, p: number, training: boolean, maskShape: number[]): Tensor {
  if (!training || p === 0) return x;
  if (p === 1) return E.mul(x, 0);
  const a = 1 / Math.sqrt((ALPHA * ALPHA * p + 1) * (1 - p));
  const keep = keepMask(x, maskShape, p);
  // Kept: a·x + a·α·p; dropped: the saturation value −α, mapped the same way.
  return E.where(keep, E.add(E.mul(x, a), a * ALPHA * p), -ALPHA * a + a * ALPHA * p);
}

/**
 * Dropout that keeps SELU's self-normalizing mean and variance: dropped elements take SELU's
 * negative saturation value, then an affine map restores mean 0 and variance 1 (training only;
 * PyTorch's default `training` is false here).
 * @example torch.alphaDropout(torch.selu(x), 0.1, true)
 */
export function alphaDropout(x: Tensor, p = 0.5, training = false): Tensor {
  const fn = 'alphaDropout';
  floatArg(fn, 'input', x);
  prob(fn, p);
  return alphaDropoutImpl(x, p, training, x.shape);
}

/**
 * alphaDropout of whole channels (one draw per [N, C] entry, shared over the remaining dims).
 * @example torch.featureAlphaDropout(torch.selu(x), 0.1, true)
 */
export function featureAlphaDropout(x: Tensor, p = 0.5, training = false): Tensor {
  const fn = 'featureAlphaDropout';
  floatArg(fn, 'input', x);
  prob(fn, p);
  if (training && x.ndim < 2) throw new ShapeError(`${fn}(): Feature dropout requires at least 2 dimensions in the input, got ${fmtShape(x.shape)}`);
  return alphaDropoutImpl(x, p, training, featureShape(x, 2));
}

/** Options of rrelu. */
export interface RreluOptions {
  /** Lower bound of the random slope (default 1/8). */
  lower?: number;
  /** Upper bound of the random slope (default 1/3). */
  upper?: number;
  /** Draw the slopes (true) or use their mean (lower + upper) / 2 (default false, as PyTorch's F.rrelu). */
  training?: boolean;
}

/**
 * Randomized leaky ReLU: negative inputs times a slope drawn from U(lower, upper) per element while
 * training, times (lower + upper) / 2 otherwise.
 * @example torch.rrelu(x) ; torch.rrelu(x, { training: true })
 */
export function rrelu(x: Tensor, opts: RreluOptions = {}): Tensor {
  const fn = 'rrelu';
  checkOptions(`${fn}()`, opts, ['lower', 'upper', 'training']);
  floatArg(fn, 'input', x);
  const lower = opts.lower ?? 1 / 8;
  const upper = opts.upper ?? 1 / 3;
  if (!(lower <= upper)) throw new ValueError(`${fn}(): Lower bound should be less than or equal to the upper bound (got lower=${lower}, upper=${upper})`);
  const slope = opts.training ? E.add(E.mul(rand(x.shape, { dtype: x.dtype, device: x.device }), upper - lower), lower) : (lower + upper) / 2;
  return E.where(E.ge(x, 0), x, E.mul(x, slope));
}

/** Options of gumbelSoftmax. */
export interface GumbelSoftmaxOptions {
  /** Temperature (default 1). */
  tau?: number;
  /** Return one-hot samples whose gradient is the soft sample's (straight-through; default false). */
  hard?: boolean;
  /** The dim the softmax runs along (default -1). */
  dim?: number;
}

/**
 * A sample from the Gumbel-softmax (concrete) distribution over `dim`: softmax((logits + g) / tau),
 * g ~ Gumbel(0, 1); with `hard`, the one-hot of its argmax with the soft sample's gradient.
 * @example torch.gumbelSoftmax(logits, { tau: 0.5, hard: true })
 */
export function gumbelSoftmax(logits: Tensor, opts: GumbelSoftmaxOptions = {}): Tensor {
  const fn = 'gumbelSoftmax';
  checkOptions(`${fn}()`, opts, ['tau', 'hard', 'dim']);
  floatArg(fn, 'logits', logits);
  const tau = opts.tau ?? 1;
  if (!(tau > 0)) throw new ValueError(`${fn}(): tau must be positive, got ${fmtValue(tau)}`);
  const dim = normDim(fn, opts.dim ?? -1, logits.ndim);
  // g = −log(e), e ~ Exp(1) = −log(u), u ∈ (0, 1].
  const u = E.sub(1, rand(logits.shape, { dtype: logits.dtype, device: logits.device }));
  const g = E.neg(E.log(E.neg(E.log(u))));
  const ySoft = softmax(E.div(E.add(logits, g), tau), dim);
  if (!opts.hard) return ySoft;
  const index = argmax(ySoft, dim, true);
  const yHard = scatter(E.mul(detach(ySoft), 0), dim, index, 1);
  return E.add(E.sub(yHard, detach(ySoft)), ySoft);
}
