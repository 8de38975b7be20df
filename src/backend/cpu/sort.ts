// argsort along one axis: a stable sort of each slice; NaN counts as the largest value, as in PyTorch.
import type { View } from './view.js';
import { copy } from './copy.js';
import { rowMajor, sizeOf } from './strided.js';

export function argsort(x: View, axis: number, descending: boolean): Int32Array {
  const shape = x.shape;
  const n = shape[axis]!;
  const total = sizeOf(shape);
  const out = new Int32Array(total);
  if (total === 0) return out;
  const data = copy(x, x.dtype);
  const strides = rowMajor(shape);
  const step = strides[axis]!;
  const outer = total / n;
  const idx = new Array<number>(n);
  const vals = new Float64Array(n);
  const cmp = (a: number, b: number): number => {
    const va = vals[a]!;
    const vb = vals[b]!;
    const na = Number.isNaN(va);
    const nb = Number.isNaN(vb);
    if (na || nb) return na === nb ? 0 : (na ? 1 : -1) * (descending ? -1 : 1);
    return descending ? vb - va : va - vb;
  };
  for (let o = 0; o < outer; o++) {
    // Slice o starts at (o / step) * step * n + (o % step): `step` is the size of the dims after axis.
    const base = Math.floor(o / step) * step * n + (o % step);
    for (let i = 0; i < n; i++) {
      idx[i] = i;
      vals[i] = data[base + i * step]!;
    }
    idx.sort(cmp);
    for (let i = 0; i < n; i++) out[base + i * step] = idx[i]!;
  }
  return out;
}
