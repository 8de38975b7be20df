// More of torch.nn.functional's activations and distances, as compositions of elementwise ops (so every
// transform reaches them): selu, celu, softsign, softmin, tanhshrink, softshrink, hardshrink,
// threshold, prelu, cosineSimilarity, pairwiseDistance, pixelShuffle / pixelUnshuffle.
import { ShapeError, ValueError, fmtShape } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { normDim } from '../../core/shape.js';
import type { Tensor } from '../../primitives/index.js';
import * as E from '../elementwise.js';
import { amax, sum } from '../reduce.js';
import { permute, reshape } from '../shape.js';
import { softmax } from '../softmax.js';
import { floatArg } from './_util.js';

// PyTorch's constants (torch/nn/functional.py, from Klambauer et al. 2017).
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** scale · (max(0, x) + min(0, α(eˣ − 1))) with PyTorch's α and scale. @example torch.selu(x) */
export function selu(x: Tensor): Tensor {
  floatArg('selu', 'input', x);
  return E.mul(E.where(E.gt(x, 0), x, E.mul(E.expm1(x), SELU_ALPHA)), SELU_SCALE);
}

/** max(0, x) + min(0, α(e^(x/α) − 1)). @example torch.celu(x, 2) */
export function celu(x: Tensor, alpha = 1): Tensor {
  floatArg('celu', 'input', x);
  if (alpha === 0) throw new ValueError('celu(): ZeroDivisionError: alpha cannot be 0 for CELU');
  return E.where(E.gt(x, 0), x, E.mul(E.expm1(E.div(x, alpha)), alpha));
}

/** x / (1 + |x|). @example torch.softsign(torch.tensor([-3, 1])) // [-0.75, 0.5] */
export function softsign(x: Tensor): Tensor {
  return E.div(floatArg('softsign', 'input', x), E.add(E.abs(x), 1));
}

/** softmax(−x) along dim. @example torch.softmin(logits, 1) */
export function softmin(x: Tensor, dim: number): Tensor {
  return softmax(E.neg(floatArg('softmin', 'input', x)), dim);
}

/** x − tanh(x). */
export function tanhshrink(x: Tensor): Tensor {
  return E.sub(floatArg('tanhshrink', 'input', x), E.tanh(x));
}

function lambdArg(fn: string, lambd: number): number {
  if (typeof lambd !== 'number' || !(lambd >= 0)) throw new ValueError(`${fn}(): lambda must be greater or equal to 0, but found to be ${String(lambd)}.`);
  return lambd;
}

/** x − λ above λ, x + λ below −λ, 0 between (default λ = 0.5). */
export function softshrink(x: Tensor, lambd = 0.5): Tensor {
  floatArg('softshrink', 'input', x);
  lambdArg('softshrink', lambd);
  return E.where(E.gt(x, lambd), E.sub(x, lambd), E.where(E.lt(x, -lambd), E.add(x, lambd), E.mul(x, 0)));
}

/** x where |x| > λ, else 0 (default λ = 0.5). */
export function hardshrink(x: Tensor, lambd = 0.5): Tensor {
  floatArg('hardshrink', 'input', x);
  lambdArg('hardshrink', lambd);
  return E.where(E.gt(E.abs(x), lambd), x, E.mul(x, 0));
}

/** x where x > threshold, else value (torch.nn.functional.threshold). */
export function threshold(x: Tensor, thresholdValue: number, value: number): Tensor {
  floatArg('threshold', 'input', x);
  return E.where(E.gt(x, thresholdValue), x, value);
}

/**
 * max(0, x) + weight · min(0, x), the weight one value or one per channel (dim 1).
 * @example torch.prelu(x, torch.full([1], 0.25))
 */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  floatArg('prelu', 'input', x);
  floatArg('prelu', 'weight', weight);
  const n = weight.numel();
  let w = weight;
  if (n !== 1) {
    const channels = x.ndim >= 2 ? x.shape[1]! : x.ndim === 1 ? x.shape[0]! : 1;
    if (weight.ndim !== 1 || n !== channels) {
      throw new ShapeError(`prelu(): Mismatch of parameter numbers and input channel size. Found parameter numbers = ${n} and channel size = ${channels} (input ${fmtShape(x.shape)}).`);
    }
    // One slope per channel: the weight broadcasts along dim 1 (dim 0 of a 1-D input).
    if (x.ndim >= 2) w = reshape(weight, [n, ...new Array<number>(x.ndim - 2).fill(1)]);
  } else w = reshape(weight, []);
  return E.where(E.gt(x, 0), x, E.mul(x, w));
}

/** Options of cosineSimilarity (PyTorch's keyword arguments). */
export interface CosineSimilarityOptions {
  /** The dim to compare along (default 1). */
  dim?: number;
  /** Lower bound of each norm (default 1e-8). */
  eps?: number;
}

/** x₁·x₂ / (max(‖x₁‖, ε) · max(‖x₂‖, ε)) along dim, after broadcasting. @example torch.cosineSimilarity(a, b) */
export function cosineSimilarity(x1: Tensor, x2: Tensor, opts: CosineSimilarityOptions = {}): Tensor {
  checkOptions('cosineSimilarity()', opts, ['dim', 'eps']);
  floatArg('cosineSimilarity', 'x1', x1);
  floatArg('cosineSimilarity', 'x2', x2);
  const rank = Math.max(x1.ndim, x2.ndim);
  const d = normDim('cosineSimilarity', opts.dim ?? 1, rank);
  const eps = opts.eps ?? 1e-8;
  const dimFromEnd = d - rank;
  const norm = (t: Tensor) => E.clamp(E.sqrt(sum(E.mul(t, t), dimFromEnd)), { min: eps });
  return E.div(sum(E.mul(x1, x2), dimFromEnd), E.mul(norm(x1), norm(x2)));
}

/** Options of pairwiseDistance (PyTorch's keyword arguments). */
export interface PairwiseDistanceOptions {
  /** The norm's order (default 2). */
  p?: number;
  /** Added to the difference, as PyTorch does (default 1e-6). */
  eps?: number;
  /** Keep the last dim with size 1 (default false). */
  keepdim?: boolean;
}

/** ‖x₁ − x₂ + ε‖_p along the last dim. @example torch.pairwiseDistance(a, b) */
export function pairwiseDistance(x1: Tensor, x2: Tensor, opts: PairwiseDistanceOptions = {}): Tensor {
  checkOptions('pairwiseDistance()', opts, ['p', 'eps', 'keepdim']);
  floatArg('pairwiseDistance', 'x1', x1);
  floatArg('pairwiseDistance', 'x2', x2);
  const p = opts.p ?? 2;
  const diff = E.abs(E.add(E.sub(x1, x2), opts.eps ?? 1e-6));
  const keepdim = opts.keepdim ?? false;
  if (p === Infinity) return amax(diff, -1, keepdim);
  // p = 0 counts the nonzero differences, in the input's float dtype.
  if (p === 0) return sum(E.where(E.gt(diff, 0), E.add(E.mul(diff, 0), 1), E.mul(diff, 0)), -1, keepdim);
  if (typeof p !== 'number' || !(p > 0)) throw new ValueError(`pairwiseDistance(): p must be positive, 0 or Infinity, got ${String(p)}`);
  return E.pow(sum(E.pow(diff, p), -1, keepdim), 1 / p);
}

function upscale(fn: string, x: Tensor, r: number): void {
  if (!Number.isInteger(r) || r < 1) throw new ValueError(`${fn}(): factor must be a positive integer, got ${String(r)}`);
  if (x.ndim < 3) throw new ShapeError(`${fn}(): expected an input of at least 3 dims [*, C, H, W], got ${fmtShape(x.shape)}`);
}

/** [*, C·r², H, W] → [*, C, H·r, W·r] (sub-pixel convolution's rearrangement). */
export function pixelShuffle(x: Tensor, upscaleFactor: number): Tensor {
  const r = upscaleFactor;
  upscale('pixelShuffle', x, r);
  const [c, h, w] = x.shape.slice(-3) as [number, number, number];
  if (c % (r * r) !== 0) throw new ShapeError(`pixelShuffle(): expected the channel dim ${c} to be divisible by the square of the upscale factor ${r}`);
  const lead = x.shape.slice(0, -3);
  const k = lead.length;
  const split = reshape(x, [...lead, c / (r * r), r, r, h, w]);
  const moved = permute(split, [...lead.map((_, i) => i), k, k + 3, k + 1, k + 4, k + 2]);
  return reshape(moved, [...lead, c / (r * r), h * r, w * r]);
}

/** [*, C, H·r, W·r] → [*, C·r², H, W], pixelShuffle's inverse. */
export function pixelUnshuffle(x: Tensor, downscaleFactor: number): Tensor {
  const r = downscaleFactor;
  upscale('pixelUnshuffle', x, r);
  const [c, h, w] = x.shape.slice(-3) as [number, number, number];
  if (h % r !== 0 || w % r !== 0) throw new ShapeError(`pixelUnshuffle(): expected height ${h} and width ${w} to be divisible by the downscale factor ${r}`);
  const lead = x.shape.slice(0, -3);
  const k = lead.length;
  const split = reshape(x, [...lead, c, h / r, r, w / r, r]);
  const moved = permute(split, [...lead.map((_, i) => i), k, k + 2, k + 4, k + 1, k + 3]);
  return reshape(moved, [...lead, c * r * r, h / r, w / r]);
}
