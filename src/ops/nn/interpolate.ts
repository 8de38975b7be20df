// torch.nn.functional.interpolate for 'nearest', 'linear' (3-D input) and 'bilinear' (4-D input): each
// spatial axis is resampled by a small [out, in] matrix built with PyTorch's source-index rules, so the
// result is matmuls (differentiable and batched like any other op).
import { ShapeError, ValueError, fmtShape } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { arrayFor } from '../../core/dtype.js';
import type { Device, Tensor } from '../../primitives/index.js';
import { deviceOf, fromHost } from '../../primitives/index.js';
import { matmul } from '../linalg.js';
import { transpose } from '../shape.js';
import { floatArg } from './_util.js';

/** Options of interpolate (PyTorch's keyword arguments). */
export interface InterpolateOptions {
  /** The output's spatial size: one number for every axis, or one per axis. */
  size?: number | number[];
  /** Multiplies each spatial size (the output is floor(in · factor)); give size or scaleFactor. */
  scaleFactor?: number | number[];
  /** 'nearest' (default), 'linear' (3-D input) or 'bilinear' (4-D input). */
  mode?: 'nearest' | 'linear' | 'bilinear';
  /** Align the corner pixels' centres (linear modes only; default false). */
  alignCorners?: boolean;
}

/** The [out, in] resampling matrix of one axis. `scale` is in/out, or 1/scaleFactor when given (as PyTorch). */
function axisMatrix(mode: 'nearest' | 'linear', inSize: number, outSize: number, scale: number, alignCorners: boolean, dtype: Tensor['dtype'], device: Device): Tensor {
  const m = arrayFor(dtype, outSize * inSize);
  for (let o = 0; o < outSize; o++) {
    if (mode === 'nearest') {
      m[o * inSize + Math.min(Math.floor(o * scale), inSize - 1)] = 1;
      continue;
    }
    const src = alignCorners ? (outSize > 1 ? (o * (inSize - 1)) / (outSize - 1) : 0) : Math.max(scale * (o + 0.5) - 0.5, 0);
    const i0 = Math.min(Math.floor(src), inSize - 1);
    const i1 = i0 < inSize - 1 ? i0 + 1 : i0;
    const l1 = src - i0;
    m[o * inSize + i0]! += 1 - l1;
    m[o * inSize + i1]! += l1;
  }
  return fromHost(m, [outSize, inSize], dtype, device);
}

/**
 * Resamples the spatial dims of x ([N, C, L] or [N, C, H, W]).
 * @example torch.interpolate(img, { scaleFactor: 2, mode: 'bilinear' })
 */
export function interpolate(x: Tensor, opts: InterpolateOptions = {}): Tensor {
  const fn = 'interpolate';
  checkOptions(`${fn}()`, opts, ['size', 'scaleFactor', 'mode', 'alignCorners']);
  floatArg(fn, 'input', x);
  const mode = opts.mode ?? 'nearest';
  const spatial = x.ndim - 2;
  if (spatial !== 1 && spatial !== 2) throw new ShapeError(`${fn}(): expected a 3-D [N, C, L] or 4-D [N, C, H, W] input, got ${fmtShape(x.shape)}`);
  if (mode === 'linear' && spatial !== 1) throw new ShapeError(`${fn}(): mode 'linear' needs a 3-D input, got ${fmtShape(x.shape)}`);
  if (mode === 'bilinear' && spatial !== 2) throw new ShapeError(`${fn}(): mode 'bilinear' needs a 4-D input, got ${fmtShape(x.shape)}`);
  if (!['nearest', 'linear', 'bilinear'].includes(mode)) throw new ValueError(`${fn}(): unsupported mode '${String(mode)}' (nearest, linear, bilinear)`);
  if (opts.alignCorners !== undefined && mode === 'nearest') {
    throw new ValueError(`${fn}(): align_corners option can only be set with the interpolating modes: linear | bilinear`);
  }
  if ((opts.size === undefined) === (opts.scaleFactor === undefined)) throw new ValueError(`${fn}(): either size or scaleFactor should be defined (and not both)`);
  const perAxis = (v: number | number[], what: string): number[] => {
    const list = typeof v === 'number' ? new Array<number>(spatial).fill(v) : [...v];
    if (list.length !== spatial) throw new ValueError(`${fn}(): ${what} must have ${spatial} entries for a ${x.ndim}-D input, got ${list.length}`);
    return list;
  };
  const inSizes = x.shape.slice(2);
  const factors = opts.scaleFactor !== undefined ? perAxis(opts.scaleFactor, 'scaleFactor') : null;
  if (factors?.some((f) => !(f > 0))) throw new ValueError(`${fn}(): scaleFactor must be positive, got [${factors.join(', ')}]`);
  const outSizes = factors ? inSizes.map((n, i) => Math.floor(n * factors[i]!)) : perAxis(opts.size!, 'size');
  for (const [i, n] of outSizes.entries()) {
    if (!Number.isInteger(n) || n < 1) throw new ValueError(`${fn}(): output size ${n} of spatial dim ${i} must be a positive integer`);
  }
  const axisMode = mode === 'nearest' ? 'nearest' : 'linear';
  const align = opts.alignCorners ?? false;
  const mat = (i: number) => axisMatrix(axisMode, inSizes[i]!, outSizes[i]!, factors ? 1 / factors[i]! : inSizes[i]! / outSizes[i]!, align, x.dtype, deviceOf(x));
  // The last axis: x · Mᵀ; the one before it (4-D): M · x.
  let y = matmul(x, transpose(mat(spatial - 1), 0, 1));
  if (spatial === 2) y = matmul(mat(0), y);
  return y;
}
