// convTranspose1d and convTranspose3d over convTranspose2d. 1-D is 2-D over images of height 1. 3-D is
// one convTranspose2d over the depth slices folded into the batch, whose output channels carry the kD
// kernel depths (weight [Cin, Cout/g, kD, kH, kW] read as [Cin, Cout/g·kD, kH, kW]), followed by a
// col2im (the fold primitive) along depth that adds each slice's kD contributions at stride·i + dilation·j.
import { ShapeError, ValueError, fmtShape } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { lax, type Tensor } from '../../primitives/index.js';
import { convTranspose2d } from './conv.js';
import type { Triple } from './conv3d.js';
import { tuple } from './_windows.js';
import { floatArg, optArg } from './_util.js';

/** Options of convTranspose1d (torch.nn.functional.conv_transpose1d). */
export interface ConvTranspose1dOptions {
  /** Upsampling step (default 1). */
  stride?: number | [number];
  /** `dilation · (k − 1) − padding` zeros are implicitly added to both ends (default 0). */
  padding?: number | [number];
  /** Extra positions added at the end of the output (default 0). */
  outputPadding?: number | [number];
  /** Split input and output channels into this many independent groups (default 1). */
  groups?: number;
  /** Spacing between kernel elements (default 1). */
  dilation?: number | [number];
}

/** Options of convTranspose3d (torch.nn.functional.conv_transpose3d). */
export interface ConvTranspose3dOptions {
  /** Upsampling step (default 1). */
  stride?: Triple;
  /** `dilation · (k − 1) − padding` zeros are implicitly added to both sides of each dim (default 0). */
  padding?: Triple;
  /** Extra planes / rows / columns added on one side of the output (default 0). */
  outputPadding?: Triple;
  /** Split input and output channels into this many independent groups (default 1). */
  groups?: number;
  /** Spacing between kernel elements (default 1). */
  dilation?: Triple;
}

/**
 * Transposed 1-D convolution of x [N, Cin, L] (or [Cin, L]) with weight [Cin, Cout/groups, k]; the
 * output has (L − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1 positions.
 * @example torch.convTranspose1d(torch.randn([1, 4, 5]), torch.randn([4, 2, 3]), null, { stride: 2 }) // [1, 2, 11]
 */
export function convTranspose1d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvTranspose1dOptions = {}): Tensor {
  const fn = 'convTranspose1d';
  checkOptions(`${fn}()`, opts, ['stride', 'padding', 'outputPadding', 'groups', 'dilation']);
  floatArg(fn, 'input', x);
  floatArg(fn, 'weight', weight);
  if (x.ndim !== 2 && x.ndim !== 3) throw new ShapeError(`${fn}(): Expected 2D (unbatched) or 3D (batched) input to ${fn}, but got input of size: ${fmtShape(x.shape)}`);
  if (weight.ndim !== 3) throw new ShapeError(`${fn}(): expected weight to be 3-D [in_channels, out_channels/groups, kW], got weight of size ${fmtShape(weight.shape)}`);
  const one = (arg: string, v: number | [number] | undefined, dflt: number, min: number) => tuple(fn, arg, v, 1, [dflt], min)[0]!;
  const y = convTranspose2d(lax.reshape(x, [...x.shape.slice(0, -1), 1, x.shape.at(-1)!]), lax.reshape(weight, [weight.shape[0]!, weight.shape[1]!, 1, weight.shape[2]!]), bias, {
    stride: [1, one('stride', opts.stride, 1, 1)],
    padding: [0, one('padding', opts.padding, 0, 0)],
    outputPadding: [0, one('outputPadding', opts.outputPadding, 0, 0)],
    dilation: [1, one('dilation', opts.dilation, 1, 1)],
    groups: opts.groups ?? 1,
  });
  return lax.reshape(y, [...y.shape.slice(0, -2), y.shape.at(-1)!]);
}

/**
 * Transposed 3-D convolution of x [N, Cin, D, H, W] (or unbatched) with weight
 * [Cin, Cout/groups, kD, kH, kW].
 * @example torch.convTranspose3d(torch.randn([1, 4, 2, 3, 3]), torch.randn([4, 2, 2, 2, 2]), null, { stride: 2 }) // [1, 2, 4, 6, 6]
 */
export function convTranspose3d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvTranspose3dOptions = {}): Tensor {
  const fn = 'convTranspose3d';
  checkOptions(`${fn}()`, opts, ['stride', 'padding', 'outputPadding', 'groups', 'dilation']);
  floatArg(fn, 'input', x);
  floatArg(fn, 'weight', weight);
  const b = optArg(fn, 'bias', bias, x.dtype);
  if (x.ndim !== 4 && x.ndim !== 5) throw new ShapeError(`${fn}(): Expected 4D (unbatched) or 5D (batched) input to ${fn}, but got input of size: ${fmtShape(x.shape)}`);
  if (weight.ndim !== 5) throw new ShapeError(`${fn}(): expected weight to be 5-D [in_channels, out_channels/groups, kD, kH, kW], got weight of size ${fmtShape(weight.shape)}`);
  const s = tuple(fn, 'stride', opts.stride, 3, [1, 1, 1], 1);
  const p = tuple(fn, 'padding', opts.padding, 3, [0, 0, 0], 0);
  const op = tuple(fn, 'outputPadding', opts.outputPadding, 3, [0, 0, 0], 0);
  const d = tuple(fn, 'dilation', opts.dilation, 3, [1, 1, 1], 1);
  if (op[0]! >= s[0]! && op[0]! >= d[0]!) {
    throw new ValueError(`${fn}(): output padding must be smaller than either stride or dilation, but got output_padding_depth: ${op[0]} stride_depth: ${s[0]} dilation_depth: ${d[0]}`);
  }
  const unbatched = x.ndim === 4;
  const xb = unbatched ? lax.reshape(x, [1, ...x.shape]) : x;
  const [n, cin, depth, h, w] = xb.shape as [number, number, number, number, number];
  const [wc, og, kd, kh, kw] = weight.shape as [number, number, number, number, number];
  if (cin !== wc) {
    throw new ShapeError(`${fn}(): Given transposed=1, weight of size ${fmtShape(weight.shape)}, expected input${fmtShape(xb.shape)} to have ${wc} channels, but got ${cin} channels instead`);
  }
  const groups = opts.groups ?? 1;
  const cout = og * groups;
  if (b !== null && (b.ndim !== 1 || b.shape[0] !== cout)) {
    throw new ShapeError(`${fn}(): Given weight of size ${fmtShape(weight.shape)}, expected bias to be 1-dimensional with ${cout} elements, but got bias of size ${fmtShape(b.shape)} instead`);
  }
  // Checked here for all three dims: the 2-D call below would name itself and only two of them.
  const outSize = [depth, h, w].map((size, i) => (size - 1) * s[i]! + d[i]! * ([kd, kh, kw][i]! - 1) + 1 - 2 * p[i]! + op[i]!);
  if (outSize.some((o) => o <= 0)) {
    throw new ShapeError(`${fn}(): Given input size per channel: (${depth} x ${h} x ${w}). Calculated output size per channel: (${outSize.join(' x ')}). Output size is too small`);
  }
  // All kD depth slices of the kernel at once: output channel co·kD + j.
  const slices = lax.reshape(lax.moveDim(xb, 2, 1), [n * depth, cin, h, w]);
  const y2 = convTranspose2d(slices, lax.reshape(weight, [wc, og * kd, kh, kw]), null, {
    stride: [s[1]!, s[2]!], padding: [p[1]!, p[2]!], outputPadding: [op[1]!, op[2]!], dilation: [d[1]!, d[2]!], groups,
  });
  const [ho, wo] = y2.shape.slice(2) as [number, number];
  // [N, D, Cout, kD, Ho, Wo] → [N·Ho·Wo, Cout·kD, D]: columns for a col2im along depth.
  const cols = lax.reshape(lax.permute(lax.reshape(y2, [n, depth, cout, kd, ho, wo]), [0, 4, 5, 2, 3, 1]), [n * ho * wo, cout * kd, depth]);
  const full = (depth - 1) * s[0]! + d[0]! * (kd - 1) + 1;
  let vol = lax.reshape(lax.fold(cols, cout, full, 1, { kh: kd, kw: 1, sh: s[0]!, sw: 1, dh: d[0]!, dw: 1 }), [n, ho, wo, cout, full]);
  const dOut = outSize[0]!;
  if (op[0]) vol = lax.pad(vol, [[0, 0], [0, 0], [0, 0], [0, 0], [0, op[0]]], 0);
  if (p[0]) vol = lax.slice(vol, { dim: 4, start: p[0], end: p[0] + dOut, step: 1 });
  let y = lax.permute(vol, [0, 3, 4, 1, 2]); // [N, Cout, Dout, Ho, Wo]
  if (b !== null) y = lax.add(y, lax.reshape(b, [1, cout, 1, 1, 1]));
  return unbatched ? lax.reshape(y, y.shape.slice(1)) : y;
}
