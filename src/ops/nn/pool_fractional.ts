// Fractional max pooling (Graham 2014; torch.nn.functional.fractional_max_pool2d / 3d): windows of a
// fixed kernel size whose starts follow PyTorch's pseudo-random sequence
// start[o] = ⌊(o + u)·α⌋ − ⌊u·α⌋ (the last start in − k), α = (in − k)/(out − 1), with one u ∈ [0, 1)
// per (sample, channel, dim). The starts are tensors computed from u, so the windows are gathered at
// data-dependent indices and the op stays a composite: grad reaches the input, vmap batches it, and
// `randomSamples` (PyTorch's _random_samples) makes it deterministic.
import { ShapeError, ValueError, fmtShape, fmtValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { Tensor, deviceOf, lax } from '../../primitives/index.js';
import { rand } from '../creation.js';
import * as E from '../elementwise.js';
import { argmax, extremeAlong, type ValuesIndices } from '../reduce.js';
import { gather, reshape, select } from '../shape.js';
import { batchedInput, tuple, unbatch } from './_windows.js';
import { floatArg } from './_util.js';

/** Options of fractionalMaxPool2d / 3d: give outputSize or outputRatio. */
export interface FractionalMaxPoolOptions<T> {
  /** The output's spatial size. */
  outputSize?: T | null;
  /** The output's size as a fraction of the input's (each in (0, 1)). */
  outputRatio?: number | number[] | null;
  /**
   * The u ∈ [0, 1) of each (sample, channel, dim), [N, C, 2] (W then H, as PyTorch) or [N, C, 3]
   * (D, H, W); drawn from torch.manualSeed's generator when not given.
   */
  randomSamples?: Tensor | null;
}

function fractional(fn: string, spatial: 2 | 3, x: Tensor, kernelSize: number | number[], opts: FractionalMaxPoolOptions<number | number[]>): ValuesIndices {
  checkOptions(`${fn}()`, opts, ['outputSize', 'outputRatio', 'randomSamples']);
  const { xb, unbatched } = batchedInput(fn, x, spatial);
  const [n, c, ...sizes] = xb.shape as number[];
  const k = tuple(fn, 'kernelSize', kernelSize, spatial, [], 1);
  let out: number[];
  if (opts.outputSize !== undefined && opts.outputSize !== null) {
    out = tuple(fn, 'outputSize', opts.outputSize, spatial, [], 1);
  } else if (opts.outputRatio !== undefined && opts.outputRatio !== null) {
    const r = typeof opts.outputRatio === 'number' ? new Array<number>(spatial).fill(opts.outputRatio) : [...opts.outputRatio];
    if (r.length !== spatial || r.some((v) => !(v > 0 && v < 1))) throw new ValueError(`${fn}(): outputRatio must be ${spatial} numbers in (0, 1), got ${fmtValue(opts.outputRatio)}`);
    out = sizes.map((s, i) => Math.floor(s! * r[i]!));
  } else {
    throw new ValueError(`${fn}(): fractional_max_pool${spatial}d requires specifying either an output_size or an output_ratio`);
  }
  sizes.forEach((s, i) => {
    if (out[i]! + k[i]! - 1 > s!) throw new ShapeError(`${fn}(): pool size ${k[i]} too large relative to input size ${s} of spatial dim ${i} (output size ${out[i]}, input ${fmtShape(x.shape)})`);
  });
  let u = opts.randomSamples ?? null;
  if (u === null) u = rand([n!, c!, spatial], { dtype: xb.dtype, device: xb.device });
  else {
    floatArg(fn, 'randomSamples', u);
    if (u.ndim !== 3 || u.shape[0] !== n || u.shape[1] !== c || u.shape[2] !== spatial) {
      throw new ShapeError(`${fn}(): randomSamples must be [${n}, ${c}, ${spatial}] for input ${fmtShape(x.shape)}, got ${fmtShape(u.shape)}`);
    }
  }
  // PyTorch's sample order: (W, H) in 2-D, (D, H, W) in 3-D.
  const sampleOf = (d: number) => select(u!, 2, spatial === 2 ? 1 - d : d); // [N, C]
  const starts = sizes.map((s, d) => {
    const o = out[d]!;
    const last = lax.broadcastTo(lax.int32Tensor([s! - k[d]!], deviceOf(xb)), [n!, c!, 1]);
    if (o === 1) return last;
    // α in the input's precision, as PyTorch computes it in scalar_t.
    const alpha = xb.dtype === 'float32' ? Math.fround((s! - k[d]!) / (o - 1)) : (s! - k[d]!) / (o - 1);
    const ud = reshape(sampleOf(d), [n!, c!, 1]);
    const i = lax.cast(lax.int32Tensor(Array.from({ length: o - 1 }, (_, j) => j), deviceOf(xb)), xb.dtype);
    const seq = E.sub(lax.cast(E.mul(E.add(i, ud), alpha), 'int32'), lax.cast(E.mul(ud, alpha), 'int32'));
    return lax.concat([seq, last], 2); // [N, C, out_d]
  });
  // Flat input index of every (output position, kernel offset): Σ_d (start_d[o_d] + j_d)·stride_d.
  const strides = sizes.map((_, d) => sizes.slice(d + 1).reduce((a, b) => a! * b!, 1) as number);
  let idx: Tensor | null = null;
  const L = out.reduce((a, b) => a * b, 1);
  const K = k.reduce((a, b) => a * b, 1);
  starts.forEach((t, d) => {
    // Broadcast start_d over the other output dims and kernel offsets: shape [N, C, out..., k...].
    const oShape = out.map((o, e) => (e === d ? o : 1));
    const kShape = k.map((kk, e) => (e === d ? kk : 1));
    const pos = E.add(reshape(t, [n!, c!, ...oShape, ...k.map(() => 1)]), reshape(lax.int32Tensor(Array.from({ length: k[d]! }, (_, j) => j), deviceOf(xb)), [...oShape.map(() => 1), ...kShape]));
    const term = E.mul(pos, strides[d]!);
    idx = idx === null ? term : E.add(idx, term);
  });
  const flatIdx = reshape(lax.broadcastTo(idx!, [n!, c!, ...out, ...k]), [n!, c!, L * K]);
  const S = sizes.reduce((a, b) => a! * b!, 1) as number;
  const w = reshape(gather(reshape(xb, [n!, c!, S]), 2, flatIdx), [n!, c!, L, K]);
  const picked = extremeAlong(argmax, w, 3);
  const indices = reshape(gather(reshape(flatIdx, [n!, c!, L, K]), 3, reshape(picked.indices, [n!, c!, L, 1])), [n!, c!, ...out]);
  const values = unbatch(reshape(picked.values, [n!, c!, ...out]), unbatched);
  const ind = unbatch(indices, unbatched);
  return Object.assign([values, ind] as [Tensor, Tensor], { values, indices: ind });
}

/**
 * Fractional max pooling of x [N, C, H, W] (or [C, H, W]) with kernel `kernelSize` to outputSize
 * (or outputRatio · input size), with the flat index (into H·W) of each maximum.
 * @example const { values, indices } = torch.fractionalMaxPool2dWithIndices(x, 2, { outputRatio: 0.5 })
 */
export function fractionalMaxPool2dWithIndices(x: Tensor, kernelSize: number | [number, number], opts: FractionalMaxPoolOptions<number | [number, number]> = {}): ValuesIndices {
  return fractional('fractionalMaxPool2d', 2, x, kernelSize, opts);
}

/**
 * Fractional max pooling of x [N, C, H, W] (or [C, H, W]).
 * @example torch.fractionalMaxPool2d(torch.randn([1, 3, 10, 10]), 3, { outputSize: 5 }) // [1, 3, 5, 5]
 */
export function fractionalMaxPool2d(x: Tensor, kernelSize: number | [number, number], opts: FractionalMaxPoolOptions<number | [number, number]> = {}): Tensor {
  return fractional('fractionalMaxPool2d', 2, x, kernelSize, opts).values;
}

/**
 * Fractional max pooling of x [N, C, D, H, W] (or unbatched) with the flat index (into D·H·W) of each maximum.
 * @example const [values, indices] = torch.fractionalMaxPool3dWithIndices(x, 2, { outputSize: 3 })
 */
export function fractionalMaxPool3dWithIndices(
  x: Tensor,
  kernelSize: number | [number, number, number],
  opts: FractionalMaxPoolOptions<number | [number, number, number]> = {},
): ValuesIndices {
  return fractional('fractionalMaxPool3d', 3, x, kernelSize, opts);
}

/**
 * Fractional max pooling of x [N, C, D, H, W] (or unbatched).
 * @example torch.fractionalMaxPool3d(torch.randn([1, 2, 6, 6, 6]), 2, { outputRatio: 0.5 }) // [1, 2, 3, 3, 3]
 */
export function fractionalMaxPool3d(x: Tensor, kernelSize: number | [number, number, number], opts: FractionalMaxPoolOptions<number | [number, number, number]> = {}): Tensor {
  return fractional('fractionalMaxPool3d', 3, x, kernelSize, opts).values;
}
