// PyTorch-like printing: tensor([[1., 2.],\n        [3., 4.]], requires_grad=True)
import type { DType } from '../core/dtype.js';

const EDGE = 3;
const THRESHOLD = 1000;

function formatter(values: ArrayLike<number>, dtype: DType): (v: number) => string {
  if (dtype === 'bool') return (v) => (v ? 'True' : 'False');
  if (dtype === 'int32') return (v) => String(v);
  let allInt = true;
  let maxAbs = 0;
  let minAbs = Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (!Number.isInteger(v)) allInt = false;
    const a = Math.abs(v);
    maxAbs = Math.max(maxAbs, a);
    if (a > 0) minAbs = Math.min(minAbs, a);
  }
  const special = (v: number) => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
  const sci = maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs !== Infinity) || (minAbs !== Infinity && maxAbs / minAbs > 1000 && !allInt);
  if (allInt && maxAbs < 1e8) return (v) => (Number.isFinite(v) ? `${v.toFixed(0)}.` : special(v));
  if (sci) {
    return (v) => {
      if (!Number.isFinite(v)) return special(v);
      const [m, e] = v.toExponential(4).split('e') as [string, string];
      const n = Number(e);
      return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
    };
  }
  return (v) => (Number.isFinite(v) ? v.toFixed(4) : special(v));
}

export function formatTensor(values: ArrayLike<number>, shape: readonly number[], dtype: DType, suffix: string[]): string {
  const fmt = formatter(values, dtype);
  const summarize = values.length > THRESHOLD;
  const strides: number[] = [];
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = acc;
    acc *= shape[i]!;
  }
  let width = 0;
  for (let i = 0; i < values.length; i++) width = Math.max(width, fmt(values[i]!).length);
  const indent = 'tensor('.length;
  const render = (dim: number, offset: number): string => {
    if (dim === shape.length) return fmt(values[offset]!).padStart(width);
    const n = shape[dim]!;
    const idx: (number | null)[] = [];
    if (summarize && n > 2 * EDGE) {
      for (let i = 0; i < EDGE; i++) idx.push(i);
      idx.push(null);
      for (let i = n - EDGE; i < n; i++) idx.push(i);
    } else for (let i = 0; i < n; i++) idx.push(i);
    const parts = idx.map((i) => (i === null ? '...' : render(dim + 1, offset + i * strides[dim]!)));
    const last = dim === shape.length - 1;
    const sep = last ? ', ' : ',' + '\n'.repeat(shape.length - dim - 1) + ' '.repeat(indent + dim + 1);
    return `[${parts.join(sep)}]`;
  };
  const body = shape.length === 0 ? fmt(values[0]!) : render(0, 0);
  return `tensor(${[body, ...suffix].join(', ')})`;
}
