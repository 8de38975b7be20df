// Pooling windows over any number of spatial dims as one indexSelect: every output position's window
// is a list of flat input indices (a constant int32 table built from the shapes alone), so the pooled
// ops that use it (3-D and adaptive max pooling, 3-D average pooling) are one gather plus a reduction,
// batched by vmap and differentiated by the gather's rules like any other composite.
import { ShapeError, ValueError, fmtShape, fmtValue } from '../../core/errors.js';
import { Tensor, deviceOf, lax } from '../../primitives/index.js';
import { argmax, extremeAlong, type ValuesIndices } from '../reduce.js';
import { floatArg } from './_util.js';

/** For one spatial dim: for each output position, the input positions of its window (-1: padding). */
export type DimWindows = number[][];

/** The input as [N, C, ...spatial] (a unit batch added to unbatched input), checked for its rank. */
export function batchedInput(fn: string, x: Tensor, spatial: number): { xb: Tensor; unbatched: boolean } {
  floatArg(fn, 'input', x);
  if ((x.ndim !== spatial + 1 && x.ndim !== spatial + 2) || x.shape.slice(1).some((d) => d === 0)) {
    throw new ShapeError(
      `${fn}(): Expected ${spatial + 1}D or ${spatial + 2}D (batch mode) tensor with optional 0 dim batch size for input, but got: ${fmtShape(x.shape)}`,
    );
  }
  const unbatched = x.ndim === spatial + 1;
  return { xb: unbatched ? lax.reshape(x, [1, ...x.shape]) : x, unbatched };
}

/** Removes the unit batch that batchedInput added. */
export const unbatch = (t: Tensor, unbatched: boolean): Tensor => (unbatched ? lax.reshape(t, t.shape.slice(1)) : t);

/** A number or a tuple of `n` numbers as a tuple, each an integer >= min. */
export function tuple(fn: string, arg: string, v: number | readonly number[] | undefined | null, n: number, dflt: number[], min: number): number[] {
  if (v === undefined || v === null) return dflt;
  const t = typeof v === 'number' ? new Array<number>(n).fill(v) : Array.isArray(v) ? [...v] : [];
  if (t.length !== n || t.some((d) => !Number.isInteger(d) || d < min)) {
    const what = min > 0 ? 'positive' : 'non-negative';
    throw new ValueError(`${fn}(): expected '${arg}' to be a ${what} integer or a tuple of ${n} ${what} integers, got ${fmtValue(v)}`);
  }
  return t;
}

/** PyTorch's pooling_output_shape. */
export function poolOut(size: number, k: number, pad: number, s: number, d: number, ceil: boolean): number {
  let o = Math.floor((size + 2 * pad - d * (k - 1) - 1 + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (o - 1) * s >= size + pad) o--;
  return o;
}

/** The windows of a strided, padded, dilated pool along one dim: out windows of k positions. */
export function slidingWindows(size: number, k: number, s: number, p: number, d: number, out: number): DimWindows {
  return Array.from({ length: out }, (_, o) =>
    Array.from({ length: k }, (_, j) => {
      const i = o * s - p + j * d;
      return i >= 0 && i < size ? i : -1;
    }),
  );
}

/** The flat [L, K] table of the N-d windows (product of the per-dim windows), row-major over dims. */
export function windowTable(sizes: number[], dims: DimWindows[]): { table: Int32Array; L: number; K: number; padded: boolean } {
  const L = dims.reduce((a, w) => a * w.length, 1);
  const K = dims.reduce((a, w) => a * w[0]!.length, 1);
  const table = new Int32Array(L * K);
  let padded = false;
  const strides = sizes.map((_, i) => sizes.slice(i + 1).reduce((a, b) => a * b, 1));
  for (let l = 0; l < L; l++) {
    // Output multi-index of l, then each kernel multi-index k.
    const o: number[] = [];
    let r = l;
    for (let i = dims.length - 1; i >= 0; i--) {
      o[i] = r % dims[i]!.length;
      r = Math.floor(r / dims[i]!.length);
    }
    for (let k = 0; k < K; k++) {
      let rk = k;
      let flat = 0;
      let pad = false;
      for (let i = dims.length - 1; i >= 0; i--) {
        const kd = dims[i]![0]!.length;
        const pos = dims[i]![o[i]!]![rk % kd]!;
        rk = Math.floor(rk / kd);
        if (pos < 0) pad = true;
        flat += pos * strides[i]!;
      }
      table[l * K + k] = pad ? -1 : flat;
      padded ||= pad;
    }
  }
  return { table, L, K, padded };
}

/**
 * The windows of xb [N, C, ...S] as [N, C, L, K] (padding positions read `padValue`), and the table
 * that maps (l, k) to the flat input index (or -1).
 */
export function gatherWindows(xb: Tensor, dims: DimWindows[], padValue: number): { w: Tensor; table: Int32Array; L: number; K: number } {
  const [n, c, ...sizes] = xb.shape as number[];
  const S = sizes.reduce((a, b) => a * b, 1);
  const { table, L, K, padded } = windowTable(sizes, dims);
  let flat = lax.reshape(xb, [n!, c!, S]);
  // Padding reads one extra column holding padValue, at index S.
  if (padded) flat = lax.pad(flat, [[0, 0], [0, 0], [0, 1]], padValue);
  const idx = Array.from(table, (v) => (v < 0 ? S : v));
  const w = lax.reshape(lax.indexSelect(flat, lax.int32Tensor(idx, deviceOf(xb)), 2), [n!, c!, L, K]);
  return { w, table, L, K };
}

/**
 * Max over each window with the flat input index of the element taken (PyTorch's return_indices):
 * values and indices [N, C, ...out].
 */
export function maxOverWindows(xb: Tensor, dims: DimWindows[]): ValuesIndices {
  const { w, table, L, K } = gatherWindows(xb, dims, -Infinity);
  const [n, c] = xb.shape as [number, number];
  const picked = extremeAlong(argmax, w, 3); // [N, C, L]
  const rowStart = lax.broadcastTo(lax.int32Tensor(Array.from({ length: L }, (_, l) => l * K), deviceOf(xb)), [n, c, L]);
  const at = lax.add(picked.indices, rowStart);
  const flatIdx = lax.indexSelect(lax.int32Tensor(Array.from(table), deviceOf(xb)), lax.reshape(at, [n * c * L]), 0);
  const outShape = [n, c, ...dims.map((d) => d.length)];
  const values = lax.reshape(picked.values, outShape);
  const indices = lax.reshape(flatIdx, outShape);
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

/** Adaptive windows along one dim: [floor(o·in/out), ceil((o+1)·in/out)), padded to the longest by repeating the last position. */
export function adaptiveWindows(size: number, out: number, repeatLast: boolean): DimWindows {
  const spans = Array.from({ length: out }, (_, o) => [Math.floor((o * size) / out), Math.ceil(((o + 1) * size) / out)] as const);
  const K = Math.max(...spans.map(([a, b]) => b - a));
  return spans.map(([a, b]) => Array.from({ length: K }, (_, j) => (a + j < b ? a + j : repeatLast ? b - 1 : -1)));
}

/** PyTorch's output_size for adaptive pooling: an int for every dim, or one per dim with null keeping the input size. */
export function adaptiveSize(fn: string, outputSize: number | readonly (number | null)[], sizes: number[]): number[] {
  const raw = typeof outputSize === 'number' ? sizes.map(() => outputSize) : Array.isArray(outputSize) ? [...outputSize] : [];
  const os = raw.map((v, i) => (v === null || v === undefined ? sizes[i]! : v));
  if (os.length !== sizes.length || os.some((v) => !Number.isInteger(v) || v <= 0)) {
    throw new ValueError(`${fn}(): outputSize must be a positive int or a tuple of ${sizes.length} positive ints (or null), got ${fmtValue(outputSize)}`);
  }
  return os;
}
