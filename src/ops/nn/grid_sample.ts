// torch.nn.functional.affine_grid and grid_sample (spatial transformer sampling) for 4-D and 5-D
// inputs, as composites: the grid is a constant base grid times thetaᵀ (one matmul); sampling
// unnormalizes the grid with PyTorch's align_corners rule, applies the padding mode (zeros, border,
// reflection) with elementwise ops, and reads the 2^k neighbours (bilinear / trilinear) or the nearest
// one (round half to even, as PyTorch's nearbyint) with gathers at data-dependent indices. Gradients
// reach the input through the gathers and the grid through the interpolation weights, as in PyTorch.
import { ShapeError, ValueError, fmtShape, fmtValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { arrayFor } from '../../core/dtype.js';
import { Tensor, lax } from '../../primitives/index.js';
import { tensor } from '../creation.js';
import * as E from '../elementwise.js';
import { floatArg, sameDType } from './_util.js';

/** Options of affineGrid. */
export interface AffineGridOptions {
  /** Treat -1 and 1 as the centres of the corner pixels instead of their outer edges (default false). */
  alignCorners?: boolean;
}

/** Options of gridSample. */
export interface GridSampleOptions {
  /** 'bilinear' (default; trilinear for 5-D input) or 'nearest'. */
  mode?: 'bilinear' | 'nearest';
  /** Values read outside the input: 'zeros' (default), 'border' (the edge value) or 'reflection'. */
  paddingMode?: 'zeros' | 'border' | 'reflection';
  /** Treat -1 and 1 as the centres of the corner pixels instead of their outer edges (default false). */
  alignCorners?: boolean;
}

/** PyTorch's linspace_from_neg_one: n points over [-1, 1], shrunk by (n − 1)/n without align_corners. */
function steps(n: number, align: boolean): number[] {
  if (n <= 1) return [0];
  return Array.from({ length: n }, (_, i) => {
    const v = -1 + (2 * i) / (n - 1);
    return align ? v : (v * (n - 1)) / n;
  });
}

/**
 * The sampling grid of a batch of affine maps theta ([N, 2, 3] for 2-D, [N, 3, 4] for 3-D) for an
 * output of `size` ([N, C, H, W] or [N, C, D, H, W]): [N, H, W, 2] (or [N, D, H, W, 3]) of (x, y[, z])
 * in [-1, 1], for gridSample.
 * @example
 * const theta = torch.tensor([[[1, 0, 0], [0, 1, 0]]]); // the identity
 * const grid = torch.affineGrid(theta, [1, 3, 4, 4]); // [1, 4, 4, 2]
 */
export function affineGrid(theta: Tensor, size: number[], opts: AffineGridOptions = {}): Tensor {
  const fn = 'affineGrid';
  checkOptions(`${fn}()`, opts, ['alignCorners']);
  floatArg(fn, 'theta', theta);
  if (!Array.isArray(size) || size.some((v) => !Number.isInteger(v))) throw new ValueError(`${fn}(): size must be a list of ints, got ${fmtValue(size)}`);
  if (size.length !== 4 && size.length !== 5) {
    throw new ValueError(`${fn}(): affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. Got size ${fmtShape(size)}.`);
  }
  const k = size.length - 2;
  if (theta.ndim !== 3 || theta.shape[0] !== size[0] || theta.shape[1] !== k || theta.shape[2] !== k + 1) {
    const what = k === 2 ? 'Nx2x3' : 'Nx3x4';
    throw new ShapeError(`${fn}(): Expected a batch of ${k}D affine matrices of shape ${what} for size ${fmtShape(size)}. Got ${fmtShape(theta.shape)}.`);
  }
  if (size.some((v) => v <= 0)) throw new ValueError(`${fn}(): Expected non-zero, positive output size. Got ${fmtShape(size)}`);
  const align = opts.alignCorners ?? false;
  const spatial = size.slice(2); // [H, W] or [D, H, W]
  const axes = spatial.map((n) => steps(n, align));
  const P = spatial.reduce((a, b) => a * b, 1);
  const base = arrayFor(theta.dtype, P * (k + 1));
  for (let p = 0; p < P; p++) {
    let r = p;
    for (let d = k - 1; d >= 0; d--) {
      const i = r % spatial[d]!;
      r = Math.floor(r / spatial[d]!);
      base[p * (k + 1) + (k - 1 - d)] = axes[d]![i]!; // x is the last spatial dim
    }
    base[p * (k + 1) + k] = 1;
  }
  const b = tensor(base, { shape: [P, k + 1], dtype: theta.dtype, device: theta.device });
  return lax.reshape(lax.matmul(b, lax.mT(theta)), [size[0]!, ...spatial, k]); // [N, P, k+1] @ [N, k+1, k]
}

/** PyTorch's reflect_coordinates: reflects x into [twiceLow/2, twiceHigh/2]. */
function reflect(x: Tensor, twiceLow: number, twiceHigh: number): Tensor {
  if (twiceLow === twiceHigh) return E.mul(x, 0);
  const min = twiceLow / 2;
  const span = (twiceHigh - twiceLow) / 2;
  const a = E.abs(E.sub(x, min));
  const flips = E.floor(E.div(a, span));
  const extra = E.sub(a, E.mul(flips, span));
  const even = E.eq(E.remainder(flips, 2), 0);
  return E.where(even, E.add(extra, min), E.add(E.neg(extra), span + min));
}

/** The source coordinate along a dim of `size` for grid values g in [-1, 1], with the padding mode applied. */
function sourceIndex(g: Tensor, size: number, padding: string, align: boolean): Tensor {
  let x = align ? E.mul(E.add(g, 1), (size - 1) / 2) : E.div(E.sub(E.mul(E.add(g, 1), size), 1), 2);
  const clip = (t: Tensor) => E.clamp(t, { min: 0, max: size - 1 });
  if (padding === 'border') x = clip(x);
  else if (padding === 'reflection') x = clip(align ? reflect(x, 0, 2 * (size - 1)) : reflect(x, -1, 2 * size - 1));
  return x;
}

/**
 * Samples input [N, C, H, W] (or [N, C, D, H, W]) at the normalized locations of grid [N, Ho, Wo, 2]
 * (or [N, Do, Ho, Wo, 3]; (x, y[, z]) in [-1, 1], x along W): the output is [N, C, Ho, Wo] (or
 * [N, C, Do, Ho, Wo]). Differentiable in both the input and the grid.
 * @example
 * const grid = torch.affineGrid(theta, [1, 3, 8, 8], { alignCorners: false });
 * const warped = torch.gridSample(img, grid, { mode: 'bilinear', paddingMode: 'border' }); // [1, 3, 8, 8]
 */
export function gridSample(input: Tensor, grid: Tensor, opts: GridSampleOptions = {}): Tensor {
  const fn = 'gridSample';
  checkOptions(`${fn}()`, opts, ['mode', 'paddingMode', 'alignCorners']);
  floatArg(fn, 'input', input);
  floatArg(fn, 'grid', grid);
  sameDType(fn, ['input', 'grid'], input, grid);
  const mode = opts.mode ?? 'bilinear';
  const padding = opts.paddingMode ?? 'zeros';
  const align = opts.alignCorners ?? false;
  if (mode !== 'bilinear' && mode !== 'nearest') {
    throw new ValueError(`${fn}(): nn.functional.grid_sample(): expected mode to be 'bilinear' or 'nearest' (torchfn has no 'bicubic'), but got: '${String(mode)}'`);
  }
  if (!['zeros', 'border', 'reflection'].includes(padding)) {
    throw new ValueError(`${fn}(): nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: '${String(padding)}'`);
  }
  if (input.ndim !== 4 && input.ndim !== 5) throw new ShapeError(`${fn}(): grid_sampler(): expected 4D or 5D input and grid with same number of dimensions, but got input with sizes ${fmtShape(input.shape)} and grid with sizes ${fmtShape(grid.shape)}`);
  const k = input.ndim - 2;
  if (grid.ndim !== input.ndim) {
    throw new ShapeError(`${fn}(): grid_sampler(): expected grid to have same number of dimensions as input (${input.ndim}D), but got grid with sizes ${fmtShape(grid.shape)}`);
  }
  if (grid.shape[0] !== input.shape[0]) {
    throw new ShapeError(`${fn}(): grid_sampler(): expected grid and input to have same batch size, but got input with sizes ${fmtShape(input.shape)} and grid with sizes ${fmtShape(grid.shape)}`);
  }
  if (grid.shape[k + 1] !== k) {
    throw new ShapeError(`${fn}(): grid_sampler(): expected grid to have size ${k} in last dimension, but got grid with sizes ${fmtShape(grid.shape)}`);
  }
  if (input.shape.slice(2).some((d) => d === 0)) throw new ShapeError(`${fn}(): grid_sampler(): expected input to have non-empty spatial dimensions, but input has sizes ${fmtShape(input.shape)}`);
  const [n, c] = input.shape as [number, number];
  const sizes = input.shape.slice(2); // [H, W] or [D, H, W]
  const outSpatial = grid.shape.slice(1, k + 1);
  const P = outSpatial.reduce((a, b) => a * b, 1);
  const S = sizes.reduce((a, b) => a * b, 1);
  const strides = sizes.map((_, d) => sizes.slice(d + 1).reduce((a, b) => a * b, 1));
  const g = lax.reshape(grid, [n, 1, P, k]);
  // Source coordinate per spatial dim d (grid component k-1-d: x is the last dim).
  const src = sizes.map((size, d) => sourceIndex(lax.reshape(lax.slice(g, { dim: 3, start: k - 1 - d, end: k - d, step: 1 }), [n, 1, P]), size, padding, align));
  const flat = lax.reshape(input, [n, c, S]);
  /** The input at integer (float-valued) positions pos[d], zero where any is out of range. */
  const read = (pos: Tensor[]): Tensor => {
    let idx: Tensor | null = null;
    let valid: Tensor | null = null;
    pos.forEach((p, d) => {
      const inside = E.logicalAnd(E.ge(p, 0), E.le(p, sizes[d]! - 1));
      valid = valid ? E.logicalAnd(valid, inside) : inside;
      const i = E.mul(lax.cast(E.clamp(p, { min: 0, max: sizes[d]! - 1 }), 'int32'), strides[d]!);
      idx = idx ? E.add(idx, i) : i;
    });
    const vals = lax.gather(flat, lax.broadcastTo(idx!, [n, c, P]), 2);
    return E.where(valid!, vals, E.mul(vals, 0));
  };
  let out: Tensor;
  if (mode === 'nearest') {
    out = read(src.map((s) => E.round(s)));
  } else {
    const lo = src.map((s) => E.floor(s));
    const frac = src.map((s, d) => E.sub(s, lo[d]!));
    out = null as unknown as Tensor;
    for (let corner = 0; corner < 1 << k; corner++) {
      const bits = sizes.map((_, d) => (corner >> (k - 1 - d)) & 1);
      const pos = lo.map((l, d) => (bits[d] ? E.add(l, 1) : l));
      const w = frac.map((f, d) => (bits[d] ? f : E.sub(1, f))).reduce((a, b) => E.mul(a, b));
      const term = E.mul(read(pos), w);
      out = corner === 0 ? term : E.add(out, term);
    }
  }
  return lax.reshape(out, [n, c, ...outSpatial]);
}
