// Three small torch.nn.functional ops as reshapes and gathers: channel_shuffle (ShuffleNet's channel
// interleave), pdist (the condensed pairwise-distance vector of the rows of a matrix) and conv_tbc
// (1-D convolution of a [time, batch, channels] sequence, over conv1d).
import { ShapeError, ValueError, fmtShape, fmtValue } from '../../core/errors.js';
import { Tensor, deviceOf, lax } from '../../primitives/index.js';
import * as E from '../elementwise.js';
import { amax, sum } from '../reduce.js';
import { permute, reshape, transpose } from '../shape.js';
import { conv1d } from './conv.js';
import { floatArg } from './_util.js';

/**
 * Splits the C channels of x [N, C, *] into `groups` groups and interleaves them: channel g·(C/groups) + i
 * moves to i·groups + g.
 * @example torch.channelShuffle(torch.arange(4, { dtype: 'float32' }).reshape([1, 4, 1, 1]), 2) // channels 0, 2, 1, 3
 */
export function channelShuffle(x: Tensor, groups: number): Tensor {
  const fn = 'channelShuffle';
  if (!(x instanceof Tensor)) throw new ValueError(`${fn}(): expected 'input' to be a Tensor, got ${fmtValue(x)}`);
  if (!Number.isInteger(groups) || groups <= 0) throw new ValueError(`${fn}(): Number of groups to divide channels in must be positive. Value of groups:${fmtValue(groups)}`);
  if (x.ndim < 3) throw new ShapeError(`${fn}(): channel_shuffle expects input to have at least 3 dimensions, but got input with sizes ${fmtShape(x.shape)}`);
  const [n, c, ...rest] = x.shape as number[];
  if (c! % groups !== 0) throw new ShapeError(`${fn}(): Number of channels must be divisible by groups. Got ${c} channels and ${groups} groups.`);
  const y = transpose(reshape(x, [n!, groups, c! / groups, ...rest]), 1, 2);
  return reshape(y, x.shape);
}

/**
 * The p-norm distances between all pairs of rows i < j of x [N, M], as the N·(N − 1)/2 vector in
 * row-major order (the upper triangle of cdist(x, x)).
 * @example torch.pdist(torch.tensor([[0, 0], [3, 4], [6, 8]])) // [5, 10, 5]
 */
export function pdist(x: Tensor, p = 2): Tensor {
  const fn = 'pdist';
  floatArg(fn, 'input', x);
  if (x.ndim !== 2) throw new ShapeError(`${fn}(): pdist only supports 2D tensors, got: ${x.ndim}D (${fmtShape(x.shape)})`);
  if (typeof p !== 'number' || !(p >= 0)) throw new ValueError(`${fn}(): pdist only supports non-negative p values, got ${fmtValue(p)}`);
  const n = x.shape[0]!;
  const is: number[] = [];
  const js: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      is.push(i);
      js.push(j);
    }
  }
  const d = E.abs(E.sub(lax.indexSelect(x, lax.int32Tensor(is, deviceOf(x)), 0), lax.indexSelect(x, lax.int32Tensor(js, deviceOf(x)), 0))); // [P, M]
  if (p === Infinity) return amax(d, 1);
  if (p === 0) return sum(lax.cast(E.gt(d, 0), x.dtype), 1);
  // (Σ|d|^p)^(1/p) with a zero gradient at a zero distance (as PyTorch), not NaN.
  const s = sum(p === 2 ? E.mul(d, d) : p === 1 ? d : E.pow(d, p), 1);
  if (p === 1) return s;
  const pos = E.gt(s, 0);
  return E.where(pos, E.pow(E.where(pos, s, 1), 1 / p), 0);
}

/**
 * 1-D convolution of a sequence x [T, B, Cin] with weight [k, Cin, Cout] and bias [Cout], zero-padded
 * by `pad` at both ends of time; the output is [T + 2·pad − k + 1, B, Cout].
 * @example torch.convTbc(torch.randn([10, 2, 3]), torch.randn([3, 3, 4]), torch.zeros([4]), 1) // [10, 2, 4]
 */
export function convTbc(x: Tensor, weight: Tensor, bias: Tensor, pad = 0): Tensor {
  const fn = 'convTbc';
  floatArg(fn, 'input', x);
  floatArg(fn, 'weight', weight);
  floatArg(fn, 'bias', bias);
  if (x.ndim !== 3) throw new ShapeError(`${fn}(): Input must have 3 dims: time, batch, in_channel (got ${fmtShape(x.shape)})`);
  if (weight.ndim !== 3) throw new ShapeError(`${fn}(): Weight tensor must have 3 dims: kernel_width, in_channels, out_channels (got ${fmtShape(weight.shape)})`);
  if (bias.ndim !== 1) throw new ShapeError(`${fn}(): Bias must be 1-D (got ${fmtShape(bias.shape)})`);
  if (x.shape[2] !== weight.shape[1]) throw new ShapeError(`${fn}(): Input dim 2 (input channels) is not == dim 1 in the weight tensor (${x.shape[2]} vs ${weight.shape[1]})`);
  if (bias.shape[0] !== weight.shape[2]) throw new ShapeError(`${fn}(): Bias size must equal dim 2 in the weight tensor (output channels): ${bias.shape[0]} vs ${weight.shape[2]}`);
  const y = conv1d(permute(x, [1, 2, 0]), permute(weight, [2, 1, 0]), bias, { padding: pad });
  return permute(y, [2, 0, 1]);
}
