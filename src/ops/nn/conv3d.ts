// 3-D convolution as kd 2-D convolutions: for each kernel depth j, the input's depth slices
// j·dilation + i·stride (i over the output depths) are folded into the batch and convolved with the
// kernel's slice j; the kd results add up. Gradients and batching come from conv2d's.
import { ShapeError, ValueError, fmtShape, fmtValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import type { Tensor } from '../../primitives/index.js';
import * as E from '../elementwise.js';
import { pad, permute, reshape, select, sliceDim } from '../shape.js';
import { conv2d } from './conv.js';
import { floatArg } from './_util.js';

/** One size for every spatial dim, or [depth, height, width]. */
export type Triple = number | [number, number, number];

/** Options of conv3d (torch.nn.functional.conv3d). */
export interface Conv3dOptions {
  /** Step of the kernel (default 1). */
  stride?: Triple;
  /** Implicit zero padding on both sides of each spatial dim (default 0), or 'valid'. */
  padding?: Triple | 'valid';
  /** Spacing between kernel elements (default 1). */
  dilation?: Triple;
  /** Split channels into this many independent groups (default 1). */
  groups?: number;
}

function triple(fn: string, arg: string, v: Triple | undefined, dflt: number, min: number): [number, number, number] {
  const t = v === undefined ? [dflt, dflt, dflt] : typeof v === 'number' ? [v, v, v] : Array.isArray(v) ? [...v] : [];
  if (t.length !== 3 || t.some((d) => !Number.isInteger(d) || d < min)) {
    throw new ValueError(`${fn}(): expected '${arg}' to be an integer >= ${min} or a tuple of 3 of them, got ${fmtValue(v)}`);
  }
  return t as [number, number, number];
}

/**
 * 3-D convolution of x [N, C, D, H, W] (or unbatched [C, D, H, W]) with weight [O, C/groups, kD, kH, kW].
 * @example torch.conv3d(torch.randn([1, 2, 5, 6, 6]), torch.randn([4, 2, 3, 3, 3]), null, { padding: 1 }) // [1, 4, 5, 6, 6]
 */
export function conv3d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts: Conv3dOptions = {}): Tensor {
  const fn = 'conv3d';
  checkOptions(`${fn}()`, opts, ['stride', 'padding', 'dilation', 'groups']);
  floatArg(fn, 'input', x);
  floatArg(fn, 'weight', weight);
  if (x.ndim !== 4 && x.ndim !== 5) throw new ShapeError(`${fn}(): Expected 4D (unbatched) or 5D (batched) input, but got input of size: ${fmtShape(x.shape)}`);
  if (weight.ndim !== 5) throw new ShapeError(`${fn}(): weight must be 5-D [out, in/groups, kD, kH, kW], got ${fmtShape(weight.shape)}`);
  const unbatched = x.ndim === 4;
  const xb = unbatched ? x.unsqueeze(0) : x;
  const [s, p, d] = [
    triple(fn, 'stride', opts.stride, 1, 1),
    opts.padding === 'valid' ? ([0, 0, 0] as [number, number, number]) : triple(fn, 'padding', opts.padding as Triple | undefined, 0, 0),
    triple(fn, 'dilation', opts.dilation, 1, 1),
  ];
  const [n, c, depth] = xb.shape as [number, number, number];
  const kd = weight.shape[2]!;
  const dOut = Math.floor((depth + 2 * p[0] - d[0] * (kd - 1) - 1) / s[0]) + 1;
  if (dOut < 1) throw new ShapeError(`${fn}(): Calculated output depth ${dOut} is too small (input ${fmtShape(x.shape)}, kernel depth ${kd}, padding ${p[0]}, dilation ${d[0]})`);
  // Depth padding explicitly; height and width padding go to conv2d.
  const xp = p[0] > 0 ? pad(xb, [0, 0, 0, 0, p[0], p[0]]) : xb;
  const o2 = { stride: [s[1], s[2]] as [number, number], padding: [p[1], p[2]] as [number, number], dilation: [d[1], d[2]] as [number, number], groups: opts.groups ?? 1 };
  let out: Tensor | null = null;
  for (let j = 0; j < kd; j++) {
    const start = j * d[0];
    const slab = sliceDim(xp, 2, start, start + s[0] * (dOut - 1) + 1, s[0]); // [N, C, dOut, H, W]
    const [h, w] = slab.shape.slice(3) as [number, number];
    const folded = reshape(permute(slab, [0, 2, 1, 3, 4]), [n * dOut, c, h, w]);
    const y = conv2d(folded, select(weight, 2, j), null, o2); // [N·dOut, O, Ho, Wo]
    out = out ? E.add(out, y) : y;
  }
  const [o, ho, wo] = out!.shape.slice(1) as [number, number, number];
  let y = permute(reshape(out!, [n, dOut, o, ho, wo]), [0, 2, 1, 3, 4]);
  if (bias !== null && bias !== undefined) y = E.add(y, reshape(floatArg(fn, 'bias', bias), [o, 1, 1, 1]));
  return unbatched ? y.squeeze(0) : y;
}
