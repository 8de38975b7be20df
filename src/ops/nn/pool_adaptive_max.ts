// Adaptive max pooling in 1, 2 and 3 spatial dims (torch.nn.functional.adaptive_max_pool{1,2,3}d and
// their _with_indices forms): PyTorch's windows [floor(o·in/out), ceil((o+1)·in/out)) padded to the
// longest window by repeating their last position (a repeat never changes the max), then one gather
// and a max (./_windows.ts). The indices are flat into the input's spatial dims, as PyTorch's.
import type { Tensor } from '../../primitives/index.js';
import type { ValuesIndices } from '../reduce.js';
import { adaptiveSize, adaptiveWindows, batchedInput, maxOverWindows, unbatch } from './_windows.js';

/** An output size: one int for every spatial dim, or one per dim (null keeps that input size). */
export type AdaptiveSize<N extends number[]> = number | { [K in keyof N]: number | null };

function adaptiveMax(fn: string, spatial: number, x: Tensor, outputSize: number | readonly (number | null)[]): ValuesIndices {
  const { xb, unbatched } = batchedInput(fn, x, spatial);
  const sizes = xb.shape.slice(2);
  const os = adaptiveSize(fn, outputSize, sizes);
  const r = maxOverWindows(xb, sizes.map((n, i) => adaptiveWindows(n, os[i]!, true)));
  const values = unbatch(r.values, unbatched);
  const indices = unbatch(r.indices, unbatched);
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

/**
 * Adaptive max pooling of x [N, C, L] (or [C, L]) to `outputSize` windows, with the index (into L)
 * of each maximum.
 * @example const { values, indices } = torch.adaptiveMaxPool1dWithIndices(torch.randn([2, 3, 10]), 4)
 */
export function adaptiveMaxPool1dWithIndices(x: Tensor, outputSize: AdaptiveSize<[number]>): ValuesIndices {
  return adaptiveMax('adaptiveMaxPool1d', 1, x, outputSize);
}

/**
 * Adaptive max pooling of x [N, C, L] (or [C, L]) to `outputSize` windows.
 * @example torch.adaptiveMaxPool1d(torch.randn([2, 3, 10]), 4) // [2, 3, 4]
 */
export function adaptiveMaxPool1d(x: Tensor, outputSize: AdaptiveSize<[number]>): Tensor {
  return adaptiveMaxPool1dWithIndices(x, outputSize).values;
}

/**
 * Adaptive max pooling of x [N, C, H, W] (or [C, H, W]) with the flat index (into H·W) of each maximum.
 * @example const [values, indices] = torch.adaptiveMaxPool2dWithIndices(x, [2, 3])
 */
export function adaptiveMaxPool2dWithIndices(x: Tensor, outputSize: AdaptiveSize<[number, number]>): ValuesIndices {
  return adaptiveMax('adaptiveMaxPool2d', 2, x, outputSize);
}

/**
 * Adaptive max pooling of x [N, C, H, W] (or [C, H, W]) to outputSize.
 * @example torch.adaptiveMaxPool2d(torch.randn([1, 3, 7, 9]), [2, null]) // [1, 3, 2, 9]
 */
export function adaptiveMaxPool2d(x: Tensor, outputSize: AdaptiveSize<[number, number]>): Tensor {
  return adaptiveMaxPool2dWithIndices(x, outputSize).values;
}

/**
 * Adaptive max pooling of x [N, C, D, H, W] (or unbatched) with the flat index (into D·H·W) of each maximum.
 * @example const { values, indices } = torch.adaptiveMaxPool3dWithIndices(x, 2)
 */
export function adaptiveMaxPool3dWithIndices(x: Tensor, outputSize: AdaptiveSize<[number, number, number]>): ValuesIndices {
  return adaptiveMax('adaptiveMaxPool3d', 3, x, outputSize);
}

/**
 * Adaptive max pooling of x [N, C, D, H, W] (or unbatched) to outputSize.
 * @example torch.adaptiveMaxPool3d(torch.randn([1, 2, 5, 6, 7]), 2) // [1, 2, 2, 2, 2]
 */
export function adaptiveMaxPool3d(x: Tensor, outputSize: AdaptiveSize<[number, number, number]>): Tensor {
  return adaptiveMaxPool3dWithIndices(x, outputSize).values;
}
