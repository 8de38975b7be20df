// Sorting: argsort (a primitive), sort and topk (values gathered at the sorting indices, so their
// gradient flows to the selected elements), and randperm.
import { ValueError } from '../core/errors.js';
import { checkNumel, normDim } from '../core/shape.js';
import { Tensor, argsortP, bind, checkDevice, devicePut, deviceOf, getDefaultDevice, lax, type Device } from '../primitives/index.js';
import { rand } from './creation.js';
import type { ValuesIndices } from './reduce.js';
import { checkTensor } from './scalars.js';
import { checkOptions } from '../core/options.js';

/** Options of sort / argsort, in place of the positional `(dim, descending)` arguments. */
export interface SortOptions {
  /** The dim to sort along (default -1). */
  dim?: number;
  /** Largest first (default false). */
  descending?: boolean;
}

function parse(fn: string, dim: number | SortOptions | undefined, descending: boolean | undefined): Required<SortOptions> {
  if (typeof dim === 'object') {
    checkOptions(`${fn}()`, dim, ['dim', 'descending']);
    return { dim: dim.dim ?? -1, descending: dim.descending ?? false };
  }
  return { dim: dim ?? -1, descending: descending ?? false };
}

/**
 * Indices that sort x along dim (stable; NaN sorts as the largest value).
 * @example torch.argsort(torch.tensor([3, 1, 2])) // [1, 2, 0]
 */
export function argsort(x: Tensor, dim?: number | SortOptions, descending?: boolean): Tensor {
  checkTensor('argsort', 'input', x);
  const o = parse('argsort', dim, descending);
  if (x.ndim === 0) return lax.int32Tensor([0], deviceOf(x)).reshape([]);
  return bind(argsortP, [x], { axis: normDim('argsort', o.dim, x.ndim), descending: o.descending });
}

function withIndices(values: Tensor, indices: Tensor): ValuesIndices {
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

/**
 * Sorted values and their indices along dim.
 * @example const { values, indices } = x.sort(-1, true)
 */
export function sort(x: Tensor, dim?: number | SortOptions, descending?: boolean): ValuesIndices {
  checkTensor('sort', 'input', x);
  const o = parse('sort', dim, descending);
  // Normalized here so that a bad dim names sort, not the argsort it calls.
  const axis = normDim('sort', o.dim, x.ndim);
  const indices = argsort(x, { dim: axis, descending: o.descending });
  if (x.ndim === 0) return withIndices(x, indices);
  return withIndices(lax.gather(x, indices, axis), indices);
}

/** Options of topk. */
export interface TopkOptions {
  /** The dim to select along (default -1). */
  dim?: number;
  /** The k largest (default true) or, when false, the k smallest. */
  largest?: boolean;
}

/**
 * The k largest (or smallest) values along dim, in sorted order, with their indices.
 * @example torch.topk(scores, 3).indices
 */
export function topk(x: Tensor, k: number, opts: TopkOptions = {}): ValuesIndices {
  checkTensor('topk', 'input', x);
  checkOptions('topk()', opts, ['dim', 'largest']);
  const d = normDim('topk', opts.dim ?? -1, Math.max(x.ndim, 1));
  const n = x.ndim === 0 ? 1 : x.shape[d]!;
  if (!Number.isInteger(k) || k < 0 || k > n) throw new ValueError(`topk(): selected index k=${k} is out of range for dimension ${d} of size ${n}`);
  const { values, indices } = sort(x, { dim: d, descending: opts.largest ?? true });
  if (x.ndim === 0) return withIndices(values, indices);
  const take = (t: Tensor) => lax.slice(t, { dim: d, start: 0, end: k, step: 1 });
  return withIndices(take(values), take(indices));
}

/**
 * A random permutation of 0..n-1 (int32), from the seeded generator, on `device` (default: the default
 * device).
 * @example const order = torch.randperm(10)
 */
export function randperm(n: number, opts?: { device?: Device }): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`randperm(): n must be a non-negative integer, got ${n}`);
  checkOptions('randperm()', opts, ['device']);
  checkNumel('randperm', [n]);
  const device = opts?.device === undefined ? getDefaultDevice() : checkDevice('randperm', 'device', opts.device);
  // Drawn in float64 on the CPU (a device may lack float64), then placed on the device.
  const perm = argsort(rand([n], { dtype: 'float64', device: 'cpu' }), 0);
  return devicePut(perm, device);
}
