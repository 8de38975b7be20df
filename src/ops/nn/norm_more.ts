// Instance normalization and local response normalization (torch.nn.functional.instance_norm,
// local_response_norm), as compositions of existing ops.
import { ShapeError, ValueError, fmtShape } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import type { Tensor } from '../../primitives/index.js';
import { noGrad } from '../autograd.js';
import * as E from '../elementwise.js';
import { mean, variance } from '../reduce.js';
import { narrow, pad, reshape } from '../shape.js';
import { groupNorm } from './norm.js';
import { floatArg, optArg } from './_util.js';

/** Options of instanceNorm (torch.nn.functional.instance_norm). */
export interface InstanceNormOptions {
  /** Per-channel running mean: updated when useInputStats, used for normalizing otherwise. */
  runningMean?: Tensor | null;
  /** Per-channel running (unbiased) variance, as runningMean. */
  runningVar?: Tensor | null;
  /** Per-channel scale. */
  weight?: Tensor | null;
  /** Per-channel shift. */
  bias?: Tensor | null;
  /** Normalize with each instance's own statistics (default true). */
  useInputStats?: boolean;
  /** Weight of the new statistics in the running ones (default 0.1). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/**
 * Normalizes each channel of each instance of x [N, C, *] over its spatial dims (group norm with one
 * group per channel); with running statistics given, updates them (or uses them when useInputStats is
 * false), as PyTorch's InstanceNorm with trackRunningStats.
 * @example torch.instanceNorm(torch.randn([2, 3, 8, 8]))
 */
export function instanceNorm(x: Tensor, opts: InstanceNormOptions = {}): Tensor {
  const fn = 'instanceNorm';
  checkOptions(`${fn}()`, opts, ['runningMean', 'runningVar', 'weight', 'bias', 'useInputStats', 'momentum', 'eps']);
  floatArg(fn, 'input', x);
  if (x.ndim < 3) throw new ShapeError(`${fn}(): expected an input [N, C, *] with at least one spatial dim, got ${fmtShape(x.shape)}`);
  const c = x.shape[1]!;
  const eps = opts.eps ?? 1e-5;
  const rm = optArg(fn, 'runningMean', opts.runningMean, x.dtype);
  const rv = optArg(fn, 'runningVar', opts.runningVar, x.dtype);
  if ((rm === null) !== (rv === null)) throw new ValueError(`${fn}(): give both runningMean and runningVar, or neither`);
  for (const [name, t] of [['runningMean', rm], ['runningVar', rv]] as const) {
    if (t !== null && (t.ndim !== 1 || t.shape[0] !== c)) throw new ShapeError(`${fn}(): ${name} must have ${c} entries, got ${fmtShape(t.shape)}`);
  }
  const w = optArg(fn, 'weight', opts.weight, x.dtype);
  const b = optArg(fn, 'bias', opts.bias, x.dtype);
  const spatial = x.shape.slice(2).map((_, i) => i + 2);
  if (opts.useInputStats ?? true) {
    if (rm !== null && rv !== null) {
      // PyTorch averages each instance's statistics over the batch into the running ones.
      const m = opts.momentum ?? 0.1;
      noGrad(() => {
        const mu = mean(mean(x.detach(), spatial), 0);
        const vr = mean(variance(x.detach(), spatial), 0);
        rm.mul_(1 - m).add_(mu.mul(m));
        rv.mul_(1 - m).add_(vr.mul(m));
      });
    }
    return groupNorm(x, c, w, b, eps);
  }
  if (rm === null || rv === null) throw new ValueError(`${fn}(): Expected running_mean and running_var to be defined when use_input_stats is false`);
  const shape = x.shape.map((d, i) => (i === 1 ? d : 1));
  let y = E.div(E.sub(x, reshape(rm, shape)), E.sqrt(E.add(reshape(rv, shape), eps)));
  if (w !== null) y = E.mul(y, reshape(w, shape));
  if (b !== null) y = E.add(y, reshape(b, shape));
  return y;
}

/** Options of localResponseNorm. */
export interface LocalResponseNormOptions {
  /** α (default 1e-4). */
  alpha?: number;
  /** β (default 0.75). */
  beta?: number;
  /** k (default 1). */
  k?: number;
}

/**
 * x_c / (k + α/size · Σ x_{c'}²)^β over a window of `size` neighbouring channels (zero beyond the ends),
 * as torch.nn.functional.local_response_norm.
 * @example torch.localResponseNorm(x, 5)
 */
export function localResponseNorm(x: Tensor, size: number, opts: LocalResponseNormOptions = {}): Tensor {
  const fn = 'localResponseNorm';
  checkOptions(`${fn}()`, opts, ['alpha', 'beta', 'k']);
  floatArg(fn, 'input', x);
  if (x.ndim < 3) throw new ShapeError(`${fn}(): Expected 3D or higher dimensionality input (got ${x.ndim} dimensions)`);
  if (!Number.isInteger(size) || size < 1) throw new ValueError(`${fn}(): size must be a positive integer, got ${String(size)}`);
  const c = x.shape[1]!;
  const sq = E.mul(x, x);
  // Pad the channel dim by floor(size/2) before and floor((size−1)/2) after, then add the shifted windows.
  const pads = new Array<number>(2 * x.ndim).fill(0);
  const at = 2 * (x.ndim - 2); // pad lists pairs from the last dim backwards: dim 1 is the last pair
  pads[at] = Math.floor(size / 2);
  pads[at + 1] = Math.floor((size - 1) / 2);
  const padded = pad(sq, pads);
  let total = narrow(padded, 1, 0, c);
  for (let j = 1; j < size; j++) total = E.add(total, narrow(padded, 1, j, c));
  const div = E.pow(E.add(E.mul(total, (opts.alpha ?? 1e-4) / size), opts.k ?? 1), opts.beta ?? 0.75);
  return E.div(x, div);
}


