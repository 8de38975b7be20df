// max_unpool{1,2,3}d (the partial inverse of max pooling: each value is written at the flat index the
// pool returned, zeros elsewhere) as one scatter into a zero volume, and lp_pool{1,2}d in PyTorch's
// own form, (window sum of x^p)^(1/p) through avg_pool. Both are composites, so grad and vmap reach them.
import { DTypeError, IndexError, ShapeError, ValueError, fmtShape, fmtValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { shapesEqual } from '../../core/shape.js';
import { Tensor, lax } from '../../primitives/index.js';
import * as E from '../elementwise.js';
import { zeros } from '../creation.js';
import { avgPool2dAs } from './pool.js';
import { avgPool1dAs } from './pool1d.js';
import { tuple, batchedInput, unbatch } from './_windows.js';
import { valuesIfConcrete, type Pair } from './_util.js';

/** Options of maxUnpool1d / 2d / 3d (torch.nn.functional.max_unpool*d). */
export interface MaxUnpoolOptions<T> {
  /** The stride of the pool that made the indices (default: the kernel size). */
  stride?: T | null;
  /** The padding of that pool (default 0). */
  padding?: T;
  /** The output's spatial size (with or without the leading [N, C]); default (in − 1)·stride − 2·padding + kernel. */
  outputSize?: number[] | null;
}

function maxUnpool(fn: string, spatial: number, x: Tensor, indices: Tensor, kernelSize: number | number[], opts: MaxUnpoolOptions<number | number[]>): Tensor {
  checkOptions(`${fn}()`, opts, ['stride', 'padding', 'outputSize']);
  const { xb, unbatched } = batchedInput(fn, x, spatial);
  if (!(indices instanceof Tensor)) throw new ValueError(`${fn}(): expected 'indices' to be a Tensor, got ${fmtValue(indices)}`);
  if (indices.dtype !== 'int32') throw new DTypeError(`${fn}(): elements in indices should be type int32 (torchfn's int64), got ${indices.dtype}`);
  if (!shapesEqual(indices.shape, x.shape)) {
    throw new ShapeError(`${fn}(): Expected shape of indices to be same as that of the input tensor (${fmtShape(x.shape)}) but got indices tensor with shape: ${fmtShape(indices.shape)}`);
  }
  const k = tuple(fn, 'kernelSize', kernelSize, spatial, [], 1);
  const s = tuple(fn, 'stride', opts.stride, spatial, k, 1);
  const p = tuple(fn, 'padding', opts.padding, spatial, new Array<number>(spatial).fill(0), 0);
  const inSizes = xb.shape.slice(2);
  const dflt = inSizes.map((n, i) => (n - 1) * s[i]! - 2 * p[i]! + k[i]!);
  let out = dflt;
  if (opts.outputSize !== undefined && opts.outputSize !== null) {
    let os = [...opts.outputSize];
    if (os.length === spatial + 2) os = os.slice(2);
    if (os.length !== spatial) {
      throw new ValueError(`${fn}(): output_size should be a sequence containing ${spatial} or ${spatial + 2} elements, but it has a length of '${opts.outputSize.length}'`);
    }
    os.forEach((v, d) => {
      const lo = dflt[d]! - s[d]!;
      const hi = dflt[d]! + s[d]!;
      if (!Number.isInteger(v) || !(lo < v && v < hi)) throw new ValueError(`${fn}(): invalid output_size "${fmtValue(opts.outputSize)}" (dim ${d} must be between ${lo} and ${hi})`);
    });
    out = os;
  }
  const [n, c] = xb.shape as [number, number];
  const volume = out.reduce((a, b) => a * b, 1);
  const lin = inSizes.reduce((a, b) => a * b, 1);
  const vals = valuesIfConcrete(indices);
  if (vals !== null) {
    for (let i = 0; i < vals.length; i++) {
      if (vals[i]! < 0 || vals[i]! >= volume) throw new IndexError(`${fn}(): Found an invalid max index: ${vals[i]} (output volumes are of size ${out.join('x')})`);
    }
  }
  const base = zeros([n, c, volume], { dtype: xb.dtype, device: xb.device });
  const idx = lax.reshape(unbatched ? lax.reshape(indices, [1, ...indices.shape]) : indices, [n, c, lin]);
  const y = lax.scatter(base, idx, lax.reshape(xb, [n, c, lin]), 2, false);
  return unbatch(lax.reshape(y, [n, c, ...out]), unbatched);
}

/**
 * The partial inverse of maxPool1d: x [N, C, L] (or [C, L]) written at `indices` (from
 * maxPool1dWithIndices), zeros elsewhere.
 * @example
 * const [v, i] = torch.maxPool1dWithIndices(x, 2);
 * torch.maxUnpool1d(v, i, 2) // x's shape, the maxima in place
 */
export function maxUnpool1d(x: Tensor, indices: Tensor, kernelSize: number | [number], opts: MaxUnpoolOptions<number | [number]> = {}): Tensor {
  return maxUnpool('maxUnpool1d', 1, x, indices, kernelSize, opts);
}

/**
 * The partial inverse of maxPool2d: x [N, C, H, W] (or unbatched) written at the flat `indices`
 * (into H·W of the output, from maxPool2dWithIndices), zeros elsewhere.
 * @example
 * const { values, indices } = torch.maxPool2dWithIndices(x, 2);
 * torch.maxUnpool2d(values, indices, 2, { outputSize: x.shape })
 */
export function maxUnpool2d(x: Tensor, indices: Tensor, kernelSize: Pair, opts: MaxUnpoolOptions<Pair> = {}): Tensor {
  return maxUnpool('maxUnpool2d', 2, x, indices, kernelSize, opts);
}

/**
 * The partial inverse of maxPool3d: x [N, C, D, H, W] (or unbatched) written at the flat `indices`.
 * @example
 * const { values, indices } = torch.maxPool3dWithIndices(x, 2);
 * torch.maxUnpool3d(values, indices, 2)
 */
export function maxUnpool3d(x: Tensor, indices: Tensor, kernelSize: number | [number, number, number], opts: MaxUnpoolOptions<number | [number, number, number]> = {}): Tensor {
  return maxUnpool('maxUnpool3d', 3, x, indices, kernelSize, opts);
}

/** Options of lpPool1d / lpPool2d. */
export interface LpPoolOptions<T> {
  /** Window step (default: the kernel size). */
  stride?: T | null;
  /** Round the output size up (default false). */
  ceilMode?: boolean;
}

function lpFinish(out: Tensor, normType: number, kernelNumel: number): Tensor {
  // PyTorch: (sign(out) · relu(|out|)) · kernel numel, to the power 1/p.
  return E.pow(E.mul(E.mul(E.sign(out), E.relu(E.abs(out))), kernelNumel), 1 / normType);
}

function checkNorm(fn: string, normType: number): void {
  if (typeof normType !== 'number' || Number.isNaN(normType) || normType === 0) throw new ValueError(`${fn}(): normType must be a nonzero number, got ${fmtValue(normType)}`);
}

/**
 * Power-average pooling over the last dim of x [N, C, L]: (Σ_window x^p)^(1/p); p = ∞ is max pooling.
 * @example torch.lpPool1d(torch.rand([1, 2, 8]), 2, 3, { stride: 2 }) // [1, 2, 3]
 */
export function lpPool1d(x: Tensor, normType: number, kernelSize: number, opts: LpPoolOptions<number> = {}): Tensor {
  const fn = 'lpPool1d';
  checkOptions(`${fn}()`, opts, ['stride', 'ceilMode']);
  checkNorm(fn, normType);
  const out = avgPool1dAs(fn, E.pow(x, normType), kernelSize, { stride: opts.stride ?? kernelSize, padding: 0, ceilMode: opts.ceilMode ?? false });
  return lpFinish(out, normType, kernelSize);
}

/**
 * Power-average pooling over the last two dims of x [N, C, H, W]: (Σ_window x^p)^(1/p).
 * @example torch.lpPool2d(torch.rand([1, 2, 6, 6]), 2, 2) // [1, 2, 3, 3]
 */
export function lpPool2d(x: Tensor, normType: number, kernelSize: Pair, opts: LpPoolOptions<Pair> = {}): Tensor {
  const fn = 'lpPool2d';
  checkOptions(`${fn}()`, opts, ['stride', 'ceilMode']);
  checkNorm(fn, normType);
  const [kh, kw] = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : kernelSize;
  const out = avgPool2dAs(fn, E.pow(x, normType), kernelSize, { stride: opts.stride ?? kernelSize, padding: 0, ceilMode: opts.ceilMode ?? false });
  return lpFinish(out, normType, kh * kw);
}
