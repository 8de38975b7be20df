// 2-D pooling as composites: pad (with -Infinity for max, 0 for average), lax.unfold into
// [N, C, kH*kW, L] windows, then the max (gathered at its argmax, so the gradient reaches one element as in PyTorch) or the sum over the window axis. Adaptive average pooling is
// a reshape + mean when the sizes divide, otherwise two matmuls with constant averaging matrices.
import { checkOptions } from '../../core/options.js';
import { ShapeError, ValueError, fmtShape, fmtValue } from '../../core/errors.js';
import { checkNumel } from '../../core/shape.js';
import { arrayFor } from '../../core/dtype.js';
import { Tensor, deviceOf, lax } from '../../primitives/index.js';
import { tensor } from '../creation.js';
import { argmax, extremeAlong, type ValuesIndices } from '../reduce.js';
import { floatArg, pair, type Pair } from './_util.js';

/** Options of maxPool2d (torch.nn.functional.max_pool2d). */
export interface MaxPool2dOptions {
  /** Defaults to the kernel size. */
  stride?: Pair | null;
  /** Implicit -Infinity padding on both sides (default 0; at most half the kernel size). */
  padding?: Pair;
  /** Spacing between window elements (default 1). */
  dilation?: Pair;
  /** Round the output size up instead of down, so a partial window at the end counts (default false). */
  ceilMode?: boolean;
}

/** Options of avgPool2d (torch.nn.functional.avg_pool2d). */
export interface AvgPool2dOptions {
  /** Defaults to the kernel size. */
  stride?: Pair | null;
  /** Implicit zero padding on both sides (default 0; at most half the kernel size). */
  padding?: Pair;
  /** Round the output size up instead of down, so a partial window at the end counts (default false). */
  ceilMode?: boolean;
  /** Count the zero padding in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divide every window sum by this instead. */
  divisorOverride?: number | null;
}

function batched(fn: string, x: Tensor): { xb: Tensor; unbatched: boolean } {
  floatArg(fn, 'input', x);
  if ((x.ndim !== 3 && x.ndim !== 4) || x.shape.slice(-3).some((d) => d === 0)) {
    throw new ShapeError(`${fn}(): Expected 3D or 4D (batch mode) tensor with non-zero channel and spatial dims for input, but got: ${fmtShape(x.shape)}`);
  }
  const unbatched = x.ndim === 3;
  return { xb: unbatched ? lax.reshape(x, [1, ...x.shape]) : x, unbatched };
}

/** PyTorch's pooling_output_shape. */
function poolOut(size: number, k: number, pad: number, s: number, d: number, ceil: boolean): number {
  let o = Math.floor((size + 2 * pad - d * (k - 1) - 1 + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (o - 1) * s >= size + pad) o--;
  return o;
}

interface Geometry {
  k: [number, number];
  s: [number, number];
  p: [number, number];
  d: [number, number];
  out: [number, number];
}

function geometry(fn: string, xb: Tensor, kernelSize: Pair, o: { stride?: Pair | null; padding?: Pair; dilation?: Pair; ceilMode?: boolean }): Geometry {
  const k = pair(fn, 'kernelSize', kernelSize, [1, 1], 1);
  const s = o.stride === null || o.stride === undefined ? k : pair(fn, 'stride', o.stride, k, 1);
  const p = pair(fn, 'padding', o.padding, [0, 0], 0);
  const d = pair(fn, 'dilation', o.dilation, [1, 1], 1);
  for (let i = 0; i < 2; i++) {
    const eff = d[i]! * (k[i]! - 1) + 1;
    if (p[i]! > Math.floor(eff / 2)) {
      throw new ValueError(`${fn}(): pad should be at most half of effective kernel size, but got pad=${p[i]}, kernel_size=${k[i]} and dilation=${d[i]}`);
    }
  }
  const [, c, h, w] = xb.shape as [number, number, number, number];
  const out: [number, number] = [poolOut(h, k[0], p[0], s[0], d[0], !!o.ceilMode), poolOut(w, k[1], p[1], s[1], d[1], !!o.ceilMode)];
  if (out[0] < 1 || out[1] < 1) {
    throw new ShapeError(`${fn}(): Given input size: (${c}x${h}x${w}). Calculated output size: (${c}x${out[0]}x${out[1]}). Output size is too small`);
  }
  return { k, s, p, d, out };
}

/** Pads (with `value`) so that the out x out windows fit exactly, and unfolds into [N, C, kH*kW, L]. */
function windows(xb: Tensor, g: Geometry, value: number): Tensor {
  const [n, c, h, w] = xb.shape as [number, number, number, number];
  const extra = [0, 1].map((i) => {
    const size = i === 0 ? h : w;
    return Math.max(0, (g.out[i]! - 1) * g.s[i]! + g.d[i]! * (g.k[i]! - 1) + 1 - (size + 2 * g.p[i]!));
  });
  const pads: [number, number][] = [[0, 0], [0, 0], [g.p[0], g.p[0] + extra[0]!], [g.p[1], g.p[1] + extra[1]!]];
  const xp = pads.some(([a, b]) => a || b) ? lax.pad(xb, pads, value) : xb;
  const cols = lax.unfold(xp, { kh: g.k[0], kw: g.k[1], sh: g.s[0], sw: g.s[1], dh: g.d[0], dw: g.d[1] });
  return lax.reshape(cols, [n, c, g.k[0] * g.k[1], g.out[0] * g.out[1]]);
}

/**
 * 2-D max pooling over x [N, C, H, W] (or unbatched [C, H, W]); padding counts as -Infinity.
 * @example
 * const y = torch.maxPool2d(torch.randn([1, 3, 8, 8]), 2); // [1, 3, 4, 4]
 * const z = torch.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true });
 */
export function maxPool2d(x: Tensor, kernelSize: Pair, opts: MaxPool2dOptions = {}): Tensor {
  return maxPool2dWithIndices(x, kernelSize, opts).values;
}

/**
 * maxPool2d that also returns, for each output, the flat index (into H*W of its input plane) of
 * the element it took, as PyTorch's return_indices=True.
 * @example const { values, indices } = torch.maxPool2dWithIndices(x, 2)
 */
export function maxPool2dWithIndices(x: Tensor, kernelSize: Pair, opts: MaxPool2dOptions = {}): ValuesIndices {
  checkOptions('maxPool2d()', opts, ['stride', 'padding', 'dilation', 'ceilMode']);
  const fn = 'maxPool2d';
  const { xb, unbatched } = batched(fn, x);
  const g = geometry(fn, xb, kernelSize, opts);
  const [n, c, , w] = xb.shape as [number, number, number, number];
  const outShape = [n, c, g.out[0], g.out[1]];
  const picked = extremeAlong(argmax, windows(xb, g, -Infinity), 2);
  // Window offset k = ki * kw + kj at output l = oy * ow + ox reads input row oy*sh - ph + ki*dh, column ox*sw - pw + kj*dw.
  const L = g.out[0] * g.out[1];
  const base = Array.from({ length: L }, (_, l) => {
    const oy = Math.floor(l / g.out[1]);
    const ox = l % g.out[1];
    return (oy * g.s[0] - g.p[0]) * w + (ox * g.s[1] - g.p[1]);
  });
  const offset = Array.from({ length: g.k[0] * g.k[1] }, (_, k) => Math.floor(k / g.k[1]) * g.d[0] * w + (k % g.k[1]) * g.d[1]);
  const flat = lax.add(lax.indexSelect(lax.int32Tensor(offset, deviceOf(xb)), lax.reshape(picked.indices, [n * c * L]), 0), lax.broadcastTo(lax.int32Tensor(base, deviceOf(xb)), [n * c, L]).reshape([n * c * L]));
  const shape = unbatched ? outShape.slice(1) : outShape;
  const values = lax.reshape(picked.values, shape);
  const indices = lax.reshape(flat, shape);
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

/**
 * 2-D average pooling over x [N, C, H, W] (or unbatched [C, H, W]).
 * @example
 * const y = torch.avgPool2d(torch.randn([1, 3, 8, 8]), 3, { stride: 2, padding: 1, countIncludePad:
 * false }); // [1, 3, 4, 4]
 */
export function avgPool2d(x: Tensor, kernelSize: Pair, opts: AvgPool2dOptions = {}): Tensor {
  checkOptions('avgPool2d()', opts, ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride']);
  return avgPool2dAs('avgPool2d', x, kernelSize, opts);
}

/** avgPool2d with bad arguments reported under `fn` (lpPool2d is built on it). */
export function avgPool2dAs(fn: string, x: Tensor, kernelSize: Pair, opts: AvgPool2dOptions): Tensor {
  const { xb, unbatched } = batched(fn, x);
  const g = geometry(fn, xb, kernelSize, opts);
  const div = opts.divisorOverride;
  if (div !== undefined && div !== null && (!Number.isFinite(div) || div === 0)) {
    throw new ValueError(`${fn}(): divisor must be not zero, got divisorOverride=${div}`);
  }
  const [n, c, h, w] = xb.shape as [number, number, number, number];
  const sums = lax.sum(windows(xb, g, 0), [2]); // [N, C, L]
  let y: Tensor;
  if (div !== undefined && div !== null) {
    y = lax.div(sums, lax.scalarLike(sums, div));
  } else {
    const include = opts.countIncludePad ?? true;
    const ch = windowCounts(h, g.out[0], g.k[0], g.s[0], g.p[0], include);
    const cw = windowCounts(w, g.out[1], g.k[1], g.s[1], g.p[1], include);
    const buf = arrayFor(xb.dtype, g.out[0] * g.out[1]);
    ch.forEach((a, i) => cw.forEach((b, j) => (buf[i * g.out[1] + j] = a * b)));
    y = lax.div(sums, tensor(buf, { shape: [g.out[0] * g.out[1]], dtype: xb.dtype, device: xb.device }));
  }
  y = lax.reshape(y, [n, c, g.out[0], g.out[1]]);
  return unbatched ? lax.reshape(y, y.shape.slice(1)) : y;
}

/**
 * The divisor of each of `out` average-pooling windows (kernel k, stride s, padding p) along a dim of
 * `size`, as PyTorch counts it: the window clipped to the padded input (countIncludePad), else to the input.
 */
export function windowCounts(size: number, out: number, k: number, s: number, p: number, includePad: boolean): number[] {
  return Array.from({ length: out }, (_, o) => {
    let start = o * s - p;
    let end = Math.min(start + k, size + p);
    if (includePad) return end - start;
    start = Math.max(start, 0);
    end = Math.min(end, size);
    return end - start;
  });
}

/** [out, size] matrix averaging the windows [floor(i*size/out), ceil((i+1)*size/out)). */
export function averagingMatrix(size: number, out: number, dtype: Tensor['dtype'], device: Tensor['device']): Tensor {
  const buf = arrayFor(dtype, out * size);
  for (let i = 0; i < out; i++) {
    const start = Math.floor((i * size) / out);
    const end = Math.ceil(((i + 1) * size) / out);
    for (let j = start; j < end; j++) buf[i * size + j] = 1 / (end - start);
  }
  return tensor(buf, { shape: [out, size], dtype, device });
}

/**
 * Adaptive 2-D average pooling to outputSize (an int, or a pair whose null entries keep the input
 * size), with PyTorch's windows [floor(i*in/out), ceil((i+1)*in/out)).
 * @example
 * const y = torch.adaptiveAvgPool2d(torch.randn([2, 3, 7, 9]), [2, 3]); // [2, 3, 2, 3]
 * const g = torch.adaptiveAvgPool2d(x, 1); // global average pooling
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: number | [number | null, number | null]): Tensor {
  const fn = 'adaptiveAvgPool2d';
  const { xb, unbatched } = batched(fn, x);
  const [n, c, h, w] = xb.shape as [number, number, number, number];
  const raw = typeof outputSize === 'number' ? [outputSize, outputSize] : Array.isArray(outputSize) ? outputSize : [];
  const os = raw.map((v, i) => (v === null ? (i === 0 ? h : w) : v));
  if (os.length !== 2 || os.some((v) => !Number.isInteger(v) || v <= 0)) {
    throw new ValueError(`${fn}(): outputSize must be a positive int or a pair of positive ints (or null), got ${fmtValue(outputSize)}`);
  }
  const [oh, ow] = os as [number, number];
  checkNumel(fn, [n, c, oh, ow]);
  let y: Tensor;
  if (h % oh === 0 && w % ow === 0) {
    const r = lax.reshape(xb, [n, c, oh, h / oh, ow, w / ow]);
    y = lax.div(lax.sum(r, [3, 5]), lax.scalarLike(xb, (h / oh) * (w / ow)));
  } else {
    const ph = averagingMatrix(h, oh, xb.dtype, xb.device);
    const pw = averagingMatrix(w, ow, xb.dtype, xb.device);
    y = lax.matmul(lax.matmul(ph, xb), lax.mT(pw)); // [oh, H] @ [N, C, H, W] @ [W, ow]
  }
  return unbatched ? lax.reshape(y, y.shape.slice(1)) : y;
}
