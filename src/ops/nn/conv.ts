// conv1d, conv2d and convTranspose2d as im2col composites: pad, lax.unfold, one (batched) matmul
// with the reshaped weight; the transpose is a matmul followed by lax.fold (col2im). Groups are a
// batch dim of that one matmul. conv1d is conv2d over images of height 1.
import { checkOptions } from '../../core/options.js';
import { ShapeError, ValueError, fmtShape, fmtValue } from '../../core/errors.js';
import { Tensor, lax } from '../../primitives/index.js';
import { floatArg, optArg, pair, sameDType, type Pair } from './_util.js';

/** Options of conv2d (torch.nn.functional.conv2d). */
export interface Conv2dOptions {
  /** Step of the kernel over H and W (default 1). */
  stride?: Pair;
  /**
   * Zero padding on both sides of each spatial dim, or 'valid' (none) or 'same' (output size = input
   * size; stride 1 only).
   */
  padding?: Pair | 'valid' | 'same';
  /** Spacing between kernel elements (default 1). */
  dilation?: Pair;
  /** Split input and output channels into this many independent groups (default 1). */
  groups?: number;
}

/** Options of conv1d (torch.nn.functional.conv1d). */
export interface Conv1dOptions {
  /** Step of the kernel (default 1). */
  stride?: number | [number];
  /**
   * Zero padding on both ends, or 'valid' (none) or 'same' (output length = input length; stride 1
   * only). Default 0.
   */
  padding?: number | [number] | 'valid' | 'same';
  /** Spacing between kernel elements (default 1). */
  dilation?: number | [number];
  /** Split input and output channels into this many independent groups (default 1). */
  groups?: number;
}

/** Options of convTranspose2d (torch.nn.functional.conv_transpose2d). */
export interface ConvTranspose2dOptions {
  /** Upsampling step (the stride of the matching conv2d; default 1). */
  stride?: Pair;
  /** `dilation * (k - 1) - padding` zeros are implicitly added to both sides (default 0). */
  padding?: Pair;
  /** Extra rows / columns added on one side of the output, to pick among output sizes (default 0). */
  outputPadding?: Pair;
  /** Split input and output channels into this many independent groups (default 1). */
  groups?: number;
  /** Spacing between kernel elements (default 1). */
  dilation?: Pair;
}

type Pads = [[number, number], [number, number]];

function checkGroups(fn: string, groups: number | undefined): number {
  const g = groups ?? 1;
  if (!Number.isInteger(g) || g <= 0) throw new ValueError(`${fn}(): non-positive groups is not supported (got groups=${g})`);
  return g;
}

function checkBias(fn: string, b: Tensor | null, weight: Tensor, channels: number): void {
  if (b !== null && (b.ndim !== 1 || b.shape[0] !== channels)) {
    throw new ShapeError(
      `${fn}(): Given weight of size ${fmtShape(weight.shape)}, expected bias to be 1-dimensional with ${channels} elements, but got bias of size ${fmtShape(b.shape)} instead`,
    );
  }
}

/** Resolves padding (numbers or 'valid' / 'same') into [before, after] pairs for H and W. */
function resolvePadding(
  fn: string,
  padding: Pair | 'valid' | 'same' | undefined,
  k: [number, number],
  stride: [number, number],
  dil: [number, number],
): Pads {
  if (typeof padding === 'string') {
    if (padding === 'valid') return [[0, 0], [0, 0]];
    if (padding !== 'same') throw new ValueError(`${fn}(): Invalid padding string '${padding}', should be one of {'valid', 'same'}`);
    if (stride[0] !== 1 || stride[1] !== 1) throw new ValueError(`${fn}(): padding='same' is not supported for strided convolutions`);
    // The total is split evenly, the odd element going after (on the right / bottom), as PyTorch.
    return [0, 1].map((i) => {
      const total = dil[i]! * (k[i]! - 1);
      const before = Math.floor(total / 2);
      return [before, total - before];
    }) as Pads;
  }
  const p = pair(fn, 'padding', padding, [0, 0], 0);
  return [[p[0], p[0]], [p[1], p[1]]];
}

/** The batched 2-D convolution on normalized arguments: x [N, C, H, W], w [O, C/G, kh, kw]. */
function conv2dCore(fn: string, spatial: 1 | 2, x: Tensor, w: Tensor, b: Tensor | null, stride: [number, number], pads: Pads, dil: [number, number], groups: number): Tensor {
  const [n, , h, wd] = x.shape as [number, number, number, number];
  const [o, cg, kh, kw] = w.shape as [number, number, number, number];
  const ph = h + pads[0][0] + pads[0][1];
  const pw = wd + pads[1][0] + pads[1][1];
  const ekh = dil[0] * (kh - 1) + 1;
  const ekw = dil[1] * (kw - 1) + 1;
  if (ph < ekh || pw < ekw) {
    const [sz, ks] = spatial === 2 ? [`${ph} x ${pw}`, `${ekh} x ${ekw}`] : [`${pw}`, `${ekw}`];
    throw new ShapeError(
      `${fn}(): Calculated padded input size per channel: (${sz}). Kernel size: (${ks}). Kernel size can't be greater than actual input size`,
    );
  }
  const padded = pads.some(([a, z]) => a !== 0 || z !== 0) ? lax.pad(x, [[0, 0], [0, 0], ...pads], 0) : x;
  const geom = { kh, kw, sh: stride[0], sw: stride[1], dh: dil[0], dw: dil[1] };
  const cols = lax.unfold(padded, geom); // [N, C*kh*kw, L]
  const oh = Math.floor((ph - ekh) / stride[0]) + 1;
  const ow = Math.floor((pw - ekw) / stride[1]) + 1;
  const kk = cg * kh * kw;
  let y: Tensor;
  if (groups === 1) {
    y = lax.matmul(lax.reshape(w, [o, kk]), cols); // [N, O, L]
  } else {
    const colsG = lax.reshape(cols, [n, groups, kk, oh * ow]);
    y = lax.matmul(lax.reshape(w, [groups, o / groups, kk]), colsG); // [N, G, O/G, L]
  }
  y = lax.reshape(y, [n, o, oh, ow]);
  if (b !== null) y = lax.add(y, lax.reshape(b, [1, o, 1, 1]));
  return y;
}

/** Shared argument checks of conv1d / conv2d; returns the 4-D input and weight views. */
function convArgs(fn: string, spatial: 1 | 2, x: Tensor, weight: Tensor, bias: Tensor | null | undefined, groupsIn: number | undefined) {
  floatArg(fn, 'input', x);
  floatArg(fn, 'weight', weight);
  sameDType(fn, ['input', 'weight'], x, weight);
  const b = optArg(fn, 'bias', bias, x.dtype);
  const batchedRank = spatial + 2;
  if (x.ndim !== batchedRank && x.ndim !== batchedRank - 1) {
    throw new ShapeError(
      `${fn}(): Expected ${batchedRank - 1}D (unbatched) or ${batchedRank}D (batched) input to ${fn}, but got input of size: ${fmtShape(x.shape)}`,
    );
  }
  if (weight.ndim !== batchedRank) {
    const names = spatial === 2 ? 'kH, kW' : 'kW';
    throw new ShapeError(`${fn}(): expected weight to be ${batchedRank}-D [out_channels, in_channels/groups, ${names}], got weight of size ${fmtShape(weight.shape)}`);
  }
  const groups = checkGroups(fn, groupsIn);
  const unbatched = x.ndim === batchedRank - 1;
  const xb = unbatched ? lax.reshape(x, [1, ...x.shape]) : x;
  const out = weight.shape[0]!;
  if (out % groups !== 0) {
    throw new ShapeError(
      `${fn}(): Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size ${fmtShape(weight.shape)} instead`,
    );
  }
  const expectC = weight.shape[1]! * groups;
  if (xb.shape[1] !== expectC) {
    throw new ShapeError(
      `${fn}(): Given groups=${groups}, weight of size ${fmtShape(weight.shape)}, expected input${fmtShape(xb.shape)} to have ${expectC} channels, but got ${xb.shape[1]} channels instead`,
    );
  }
  checkBias(fn, b, weight, out);
  return { xb, b, groups, unbatched };
}

/**
 * 2-D convolution (cross-correlation) of x [N, C, H, W] (or unbatched [C, H, W]) with
 * weight [O, C/groups, kH, kW], as torch.nn.functional.conv2d.
 * @example
 * const y = torch.conv2d(torch.randn([1, 3, 8, 8]), torch.randn([4, 3, 3, 3]), null, { padding: 1 });
 * // [1, 4, 8, 8]
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts: Conv2dOptions = {}): Tensor {
  checkOptions('conv2d()', opts, ['stride', 'padding', 'dilation', 'groups']);
  const fn = 'conv2d';
  const { xb, b, groups, unbatched } = convArgs(fn, 2, x, weight, bias, opts.groups);
  const stride = pair(fn, 'stride', opts.stride, [1, 1], 1);
  const dil = pair(fn, 'dilation', opts.dilation, [1, 1], 1);
  const k: [number, number] = [weight.shape[2]!, weight.shape[3]!];
  const pads = resolvePadding(fn, opts.padding, k, stride, dil);
  const y = conv2dCore(fn, 2, xb, weight, b, stride, pads, dil, groups);
  return unbatched ? lax.reshape(y, y.shape.slice(1)) : y;
}

function one(fn: string, arg: string, v: number | [number] | undefined, dflt: number, min: number): number {
  if (v === undefined || v === null) return dflt;
  const n = Array.isArray(v) && v.length === 1 ? v[0] : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) {
    throw new ValueError(`${fn}(): expected '${arg}' to be ${min > 0 ? 'a positive' : 'a non-negative'} integer (or a 1-tuple), got ${fmtValue(v)}`);
  }
  return n;
}

/**
 * 1-D convolution of x [N, C, L] (or unbatched [C, L]) with weight [O, C/groups, k].
 * @example
 * const y = torch.conv1d(torch.randn([2, 3, 10]), torch.randn([5, 3, 3]), null, { padding: 'same' });
 * // [2, 5, 10]
 */
export function conv1d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts: Conv1dOptions = {}): Tensor {
  checkOptions('conv1d()', opts, ['stride', 'padding', 'dilation', 'groups']);
  const fn = 'conv1d';
  const { xb, b, groups, unbatched } = convArgs(fn, 1, x, weight, bias, opts.groups);
  const stride = one(fn, 'stride', opts.stride, 1, 1);
  const dil = one(fn, 'dilation', opts.dilation, 1, 1);
  const padding = typeof opts.padding === 'string' ? opts.padding : one(fn, 'padding', opts.padding, 0, 0);
  const k = weight.shape[2]!;
  const pads = resolvePadding(fn, typeof padding === 'string' ? padding : [0, padding], [1, k], [1, stride], [1, dil]);
  const x4 = lax.reshape(xb, [xb.shape[0]!, xb.shape[1]!, 1, xb.shape[2]!]);
  const w4 = lax.reshape(weight, [weight.shape[0]!, weight.shape[1]!, 1, k]);
  const y = conv2dCore(fn, 1, x4, w4, b, [1, stride], pads, [1, dil], groups);
  const out = lax.reshape(y, [y.shape[0]!, y.shape[1]!, y.shape[3]!]);
  return unbatched ? lax.reshape(out, out.shape.slice(1)) : out;
}

/**
 * Transposed 2-D convolution ("deconvolution", the gradient of conv2d with respect to its input) of
 * x [N, Cin, H, W] (or unbatched) with weight [Cin, Cout/groups, kH, kW]; the output has
 * (H - 1) * stride - 2 * padding + dilation * (kH - 1) + outputPadding + 1 rows.
 * @example
 * const y = torch.convTranspose2d(torch.randn([1, 4, 5, 5]), torch.randn([4, 2, 3, 3]), null, { stride:
 * 2, padding: 1, outputPadding: 1 }); // [1, 2, 10, 10]
 */
export function convTranspose2d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvTranspose2dOptions = {}): Tensor {
  checkOptions('convTranspose2d()', opts, ['stride', 'padding', 'outputPadding', 'groups', 'dilation']);
  const fn = 'convTranspose2d';
  floatArg(fn, 'input', x);
  floatArg(fn, 'weight', weight);
  sameDType(fn, ['input', 'weight'], x, weight);
  const b = optArg(fn, 'bias', bias, x.dtype);
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new ShapeError(`${fn}(): Expected 3D (unbatched) or 4D (batched) input to ${fn}, but got input of size: ${fmtShape(x.shape)}`);
  }
  if (weight.ndim !== 4) {
    throw new ShapeError(`${fn}(): expected weight to be 4-D [in_channels, out_channels/groups, kH, kW], got weight of size ${fmtShape(weight.shape)}`);
  }
  const groups = checkGroups(fn, opts.groups);
  const stride = pair(fn, 'stride', opts.stride, [1, 1], 1);
  const dil = pair(fn, 'dilation', opts.dilation, [1, 1], 1);
  const pad = pair(fn, 'padding', opts.padding, [0, 0], 0);
  const outPad = pair(fn, 'outputPadding', opts.outputPadding, [0, 0], 0);
  const unbatched = x.ndim === 3;
  const xb = unbatched ? lax.reshape(x, [1, ...x.shape]) : x;
  const [n, cin, h, wd] = xb.shape as [number, number, number, number];
  const [wc, og, kh, kw] = weight.shape as [number, number, number, number];
  if (wc % groups !== 0) {
    throw new ShapeError(
      `${fn}(): Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size ${fmtShape(weight.shape)} instead`,
    );
  }
  if (cin !== wc) {
    throw new ShapeError(
      `${fn}(): Given transposed=1, weight of size ${fmtShape(weight.shape)}, expected input${fmtShape(xb.shape)} to have ${wc} channels, but got ${cin} channels instead`,
    );
  }
  const cout = og * groups;
  checkBias(fn, b, weight, cout);
  for (let i = 0; i < 2; i++) {
    if (outPad[i]! >= stride[i]! && outPad[i]! >= dil[i]!) {
      throw new ValueError(
        `${fn}(): output padding must be smaller than either stride or dilation, but got output_padding_height: ${outPad[0]} output_padding_width: ${outPad[1]} stride_height: ${stride[0]} stride_width: ${stride[1]} dilation_height: ${dil[0]} dilation_width: ${dil[1]}`,
      );
    }
  }
  const fullH = (h - 1) * stride[0] + dil[0] * (kh - 1) + 1;
  const fullW = (wd - 1) * stride[1] + dil[1] * (kw - 1) + 1;
  const oh = fullH + outPad[0] - 2 * pad[0];
  const ow = fullW + outPad[1] - 2 * pad[1];
  if (oh <= 0 || ow <= 0) {
    throw new ShapeError(`${fn}(): Given input size per channel: (${h} x ${wd}). Calculated output size per channel: (${oh} x ${ow}). Output size is too small`);
  }
  const cg = cin / groups;
  const kk = og * kh * kw;
  // cols[N, G, Og*kh*kw, H*W] = W_g^T [G, Og*kh*kw, Cg] @ x_g [N, G, Cg, H*W], then col2im.
  const wT = lax.mT(lax.reshape(weight, [groups, cg, kk]));
  const xg = lax.reshape(xb, [n, groups, cg, h * wd]);
  const cols = lax.reshape(lax.matmul(wT, xg), [n, cout * kh * kw, h * wd]);
  const geom = { kh, kw, sh: stride[0], sw: stride[1], dh: dil[0], dw: dil[1] };
  let y = lax.fold(cols, cout, fullH, fullW, geom);
  if (outPad[0] || outPad[1]) y = lax.pad(y, [[0, 0], [0, 0], [0, outPad[0]], [0, outPad[1]]], 0);
  if (pad[0]) y = lax.slice(y, { dim: 2, start: pad[0], end: pad[0] + oh, step: 1 });
  if (pad[1]) y = lax.slice(y, { dim: 3, start: pad[1], end: pad[1] + ow, step: 1 });
  if (b !== null) y = lax.add(y, lax.reshape(b, [1, cout, 1, 1]));
  return unbatched ? lax.reshape(y, y.shape.slice(1)) : y;
}
