// 3-D pooling (torch.nn.functional.max_pool3d / avg_pool3d / adaptive_avg_pool3d) as composites: the
// max and average pools gather their windows with one indexSelect (./_windows.ts) and reduce them; the
// adaptive average is one constant averaging matrix per spatial dim (three matmuls).
import { ShapeError, ValueError } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { arrayFor } from '../../core/dtype.js';
import { Tensor, lax } from '../../primitives/index.js';
import { tensor } from '../creation.js';
import type { ValuesIndices } from '../reduce.js';
import type { Triple } from './conv3d.js';
import { averagingMatrix, windowCounts } from './pool.js';
import { adaptiveSize, batchedInput, gatherWindows, maxOverWindows, poolOut, slidingWindows, tuple, unbatch } from './_windows.js';

/** Options of maxPool3d (torch.nn.functional.max_pool3d). */
export interface MaxPool3dOptions {
  /** Defaults to the kernel size. */
  stride?: Triple | null;
  /** Implicit -Infinity padding on both sides of each dim (default 0; at most half the kernel size). */
  padding?: Triple;
  /** Spacing between window elements (default 1). */
  dilation?: Triple;
  /** Round the output size up instead of down, so a partial window at the end counts (default false). */
  ceilMode?: boolean;
}

/** Options of avgPool3d (torch.nn.functional.avg_pool3d). */
export interface AvgPool3dOptions {
  /** Defaults to the kernel size. */
  stride?: Triple | null;
  /** Implicit zero padding on both sides of each dim (default 0; at most half the kernel size). */
  padding?: Triple;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Count the zero padding in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divide every window sum by this instead. */
  divisorOverride?: number | null;
}

interface Geometry3 {
  k: number[];
  s: number[];
  p: number[];
  d: number[];
  out: number[];
}

function geometry3(fn: string, xb: Tensor, kernelSize: Triple, o: { stride?: Triple | null; padding?: Triple; dilation?: Triple; ceilMode?: boolean }): Geometry3 {
  const k = tuple(fn, 'kernelSize', kernelSize, 3, [1, 1, 1], 1);
  const s = tuple(fn, 'stride', o.stride, 3, k, 1);
  const p = tuple(fn, 'padding', o.padding, 3, [0, 0, 0], 0);
  const d = tuple(fn, 'dilation', o.dilation, 3, [1, 1, 1], 1);
  for (let i = 0; i < 3; i++) {
    if (p[i]! > Math.floor(k[i]! / 2)) {
      throw new ValueError(`${fn}(): pad should be smaller than or equal to half of kernel size, but got padding=${p[i]}, kernel_size=${k[i]}`);
    }
  }
  const sizes = xb.shape.slice(2);
  const out = sizes.map((n, i) => poolOut(n, k[i]!, p[i]!, s[i]!, d[i]!, !!o.ceilMode));
  if (out.some((v) => v < 1)) {
    throw new ShapeError(`${fn}(): Given input size: (${xb.shape.slice(1).join('x')}). Calculated output size: (${xb.shape[1]}x${out.join('x')}). Output size is too small`);
  }
  return { k, s, p, d, out };
}

/**
 * 3-D max pooling over x [N, C, D, H, W] (or unbatched [C, D, H, W]); padding counts as -Infinity.
 * @example torch.maxPool3d(torch.randn([1, 2, 4, 4, 4]), 2) // [1, 2, 2, 2, 2]
 */
export function maxPool3d(x: Tensor, kernelSize: Triple, opts: MaxPool3dOptions = {}): Tensor {
  return maxPool3dWithIndices(x, kernelSize, opts).values;
}

/**
 * maxPool3d that also returns, for each output, the flat index (into D*H*W of its input volume) of
 * the element it took, as PyTorch's return_indices=True.
 * @example const { values, indices } = torch.maxPool3dWithIndices(x, 2)
 */
export function maxPool3dWithIndices(x: Tensor, kernelSize: Triple, opts: MaxPool3dOptions = {}): ValuesIndices {
  const fn = 'maxPool3d';
  checkOptions(`${fn}()`, opts, ['stride', 'padding', 'dilation', 'ceilMode']);
  const { xb, unbatched } = batchedInput(fn, x, 3);
  const g = geometry3(fn, xb, kernelSize, opts);
  const dims = xb.shape.slice(2).map((n, i) => slidingWindows(n, g.k[i]!, g.s[i]!, g.p[i]!, g.d[i]!, g.out[i]!));
  const r = maxOverWindows(xb, dims);
  const values = unbatch(r.values, unbatched);
  const indices = unbatch(r.indices, unbatched);
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

/**
 * 3-D average pooling over x [N, C, D, H, W] (or unbatched [C, D, H, W]).
 * @example torch.avgPool3d(torch.randn([1, 2, 4, 4, 4]), 3, { stride: 2, padding: 1 }) // [1, 2, 2, 2, 2]
 */
export function avgPool3d(x: Tensor, kernelSize: Triple, opts: AvgPool3dOptions = {}): Tensor {
  const fn = 'avgPool3d';
  checkOptions(`${fn}()`, opts, ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride']);
  const { xb, unbatched } = batchedInput(fn, x, 3);
  const g = geometry3(fn, xb, kernelSize, opts);
  const div = opts.divisorOverride;
  if (div !== undefined && div !== null && (!Number.isFinite(div) || div === 0)) {
    throw new ValueError(`${fn}(): divisor must be not zero, got divisorOverride=${div}`);
  }
  const sizes = xb.shape.slice(2);
  const dims = sizes.map((n, i) => slidingWindows(n, g.k[i]!, g.s[i]!, g.p[i]!, 1, g.out[i]!));
  const { w, L } = gatherWindows(xb, dims, 0);
  const sums = lax.sum(w, [3]); // [N, C, L]
  let y: Tensor;
  if (div !== undefined && div !== null) {
    y = lax.div(sums, lax.scalarLike(sums, div));
  } else {
    const include = opts.countIncludePad ?? true;
    const counts = sizes.map((size, i) => windowCounts(size, g.out[i]!, g.k[i]!, g.s[i]!, g.p[i]!, include));
    const buf = arrayFor(xb.dtype, L);
    const [od, oh, ow] = g.out as [number, number, number];
    for (let a = 0; a < od; a++) for (let b = 0; b < oh; b++) for (let c = 0; c < ow; c++) buf[(a * oh + b) * ow + c] = counts[0]![a]! * counts[1]![b]! * counts[2]![c]!;
    y = lax.div(sums, tensor(buf, { shape: [L], dtype: xb.dtype, device: xb.device }));
  }
  return unbatch(lax.reshape(y, [xb.shape[0]!, xb.shape[1]!, ...g.out]), unbatched);
}


/**
 * Adaptive 3-D average pooling of x [N, C, D, H, W] (or unbatched) to outputSize (an int, or a
 * triple whose null entries keep the input size).
 * @example torch.adaptiveAvgPool3d(torch.randn([2, 3, 5, 6, 7]), [2, 3, null]) // [2, 3, 2, 3, 7]
 */
export function adaptiveAvgPool3d(x: Tensor, outputSize: number | [number | null, number | null, number | null]): Tensor {
  const fn = 'adaptiveAvgPool3d';
  const { xb, unbatched } = batchedInput(fn, x, 3);
  const sizes = xb.shape.slice(2);
  const os = adaptiveSize(fn, outputSize, sizes);
  // Contract each spatial dim with its averaging matrix: move it last, multiply by Aᵀ, move it back.
  let y = xb;
  for (let i = 0; i < 3; i++) {
    const dim = 2 + i;
    if (os[i] === sizes[i]) continue;
    const a = averagingMatrix(sizes[i]!, os[i]!, xb.dtype, xb.device);
    y = lax.moveDim(lax.matmul(lax.moveDim(y, dim, 4), lax.mT(a)), 4, dim);
  }
  return unbatch(y, unbatched);
}
