// 1-D pooling as 2-D pooling over a height-1 image: [N, C, L] (or unbatched [C, L]) gets a unit dim
// before L, the window is [1, k], and the unit dim is removed again; indices, gradients and
// batching come from the 2-D ops.
import { ShapeError, fmtShape } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import type { Tensor } from '../../primitives/index.js';
import { squeeze, unsqueeze } from '../shape.js';
import { adaptiveAvgPool2d, avgPool2dAs, maxPool2dWithIndices } from './pool.js';
import { floatArg } from './_util.js';
import type { ValuesIndices } from '../reduce.js';

/** Options of maxPool1d (torch.nn.functional.max_pool1d). */
export interface MaxPool1dOptions {
  /** Defaults to the kernel size. */
  stride?: number | null;
  /** Implicit -Infinity padding on both sides (default 0). */
  padding?: number;
  /** Spacing between window elements (default 1). */
  dilation?: number;
  /** Round the output length up (default false). */
  ceilMode?: boolean;
}

/** Options of avgPool1d (torch.nn.functional.avg_pool1d). */
export interface AvgPool1dOptions {
  /** Defaults to the kernel size. */
  stride?: number | null;
  /** Implicit zero padding on both sides (default 0). */
  padding?: number;
  /** Round the output length up (default false). */
  ceilMode?: boolean;
  /** Count the padding zeros in the average (default true). */
  countIncludePad?: boolean;
}

function asImage(fn: string, x: Tensor): Tensor {
  floatArg(fn, 'input', x);
  if (x.ndim !== 2 && x.ndim !== 3) throw new ShapeError(`${fn}(): expected a 2-D [C, L] or 3-D [N, C, L] input, got ${fmtShape(x.shape)}`);
  return unsqueeze(x, -2);
}

/** Max over windows of `kernelSize` along the last dim; also returns the flat indices into L. */
export function maxPool1dWithIndices(x: Tensor, kernelSize: number, opts: MaxPool1dOptions = {}): ValuesIndices {
  checkOptions('maxPool1d()', opts, ['stride', 'padding', 'dilation', 'ceilMode']);
  const img = asImage('maxPool1d', x);
  const s = opts.stride ?? kernelSize;
  const r = maxPool2dWithIndices(img, [1, kernelSize], { stride: [1, s], padding: [0, opts.padding ?? 0], dilation: [1, opts.dilation ?? 1], ceilMode: opts.ceilMode ?? false });
  const values = squeeze(r.values, -2);
  const indices = squeeze(r.indices, -2); // the flat index into H·W = L, since H = 1
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

/** Max over windows along the last dim of [N, C, L]. @example torch.maxPool1d(x, 3, { stride: 2 }) */
export function maxPool1d(x: Tensor, kernelSize: number, opts: MaxPool1dOptions = {}): Tensor {
  return maxPool1dWithIndices(x, kernelSize, opts).values;
}

/** Mean over windows along the last dim of [N, C, L]. @example torch.avgPool1d(x, 2) */
export function avgPool1d(x: Tensor, kernelSize: number, opts: AvgPool1dOptions = {}): Tensor {
  checkOptions('avgPool1d()', opts, ['stride', 'padding', 'ceilMode', 'countIncludePad']);
  return avgPool1dAs('avgPool1d', x, kernelSize, opts);
}

/** avgPool1d with bad arguments reported under `fn` (lpPool1d is built on it). */
export function avgPool1dAs(fn: string, x: Tensor, kernelSize: number, opts: AvgPool1dOptions): Tensor {
  const img = asImage(fn, x);
  const s = opts.stride ?? kernelSize;
  const y = avgPool2dAs(fn, img, [1, kernelSize], { stride: [1, s], padding: [0, opts.padding ?? 0], ceilMode: opts.ceilMode ?? false, countIncludePad: opts.countIncludePad ?? true });
  return squeeze(y, -2);
}

/** Averages the last dim of [N, C, L] down to `outputSize` windows, as PyTorch splits them. */
export function adaptiveAvgPool1d(x: Tensor, outputSize: number): Tensor {
  const img = asImage('adaptiveAvgPool1d', x);
  return squeeze(adaptiveAvgPool2d(img, [1, outputSize]), -2);
}
