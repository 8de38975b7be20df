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

const LINE_WIDTH = 80;

/** Offsets of the elements PyTorch shows: all of them, or the first and last EDGE along each long dim. */
function shownOffsets(shape: readonly number[], strides: number[], summarize: boolean): number[] {
  const out: number[] = [];
  const walk = (dim: number, offset: number): void => {
    if (dim === shape.length) {
      out.push(offset);
      return;
    }
    const n = shape[dim]!;
    for (let i = 0; i < n; i++) {
      if (summarize && n > 2 * EDGE && i === EDGE) i = n - EDGE;
      walk(dim + 1, offset + i * strides[dim]!);
    }
  };
  walk(0, 0);
  return out;
}

/** Suffixes after the values, moved to a new line where the last line would pass 80 columns (PyTorch's _add_suffixes). */
function addSuffixes(head: string, suffixes: readonly string[], indent: number): string {
  let out = head;
  let lastLine = head.length - head.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLine + suffix.length + 2 > LINE_WIDTH) {
      out += `,\n${' '.repeat(indent)}${suffix}`;
      lastLine = indent + suffix.length;
    } else {
      out += `, ${suffix}`;
      lastLine += suffix.length + 2;
    }
  }
  return `${out})`;
}

/**
 * PyTorch's layout: above 1,000 elements only the first and last 3 along each dim are shown, with `...`;
 * rows wrap at 80 columns; every value is padded to the widest shown one.
 */
export function formatTensor(values: ArrayLike<number>, shape: readonly number[], dtype: DType, suffix: string[]): string {
  const strides: number[] = [];
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = acc;
    acc *= shape[i]!;
  }
  const indent = 'tensor('.length;
  if (values.length === 0) {
    const size = shape.length === 1 ? [] : [`size=(${shape.join(', ')})`];
    return addSuffixes('tensor([]', [...size, ...suffix], indent);
  }
  const summarize = values.length > THRESHOLD;
  const shown = shownOffsets(shape, strides, summarize).map((o) => values[o]!);
  const base = formatter(shown, dtype);
  // -0 keeps its sign, as PyTorch prints it: tensor([-0.]), tensor([-0.0000, 1.5000]).
  const fmt = (v: number) => (Object.is(v, -0) ? `-${base(0)}` : base(v));
  let width = 0;
  for (const v of shown) width = Math.max(width, fmt(v).length);
  const render = (dim: number, offset: number, ind: number): string => {
    const n = shape[dim]!;
    const idx: (number | null)[] = [];
    for (let i = 0; i < n; i++) {
      if (summarize && n > 2 * EDGE && i === EDGE) {
        idx.push(null);
        i = n - EDGE;
      }
      idx.push(i);
    }
    if (dim === shape.length - 1) {
      const items = idx.map((i) => (i === null ? ' ...' : fmt(values[offset + i * strides[dim]!]!).padStart(width)));
      const perLine = Math.max(1, Math.floor((LINE_WIDTH - ind) / (width + 2)));
      const lines: string[] = [];
      for (let k = 0; k < items.length; k += perLine) lines.push(items.slice(k, k + perLine).join(', '));
      return `[${lines.join(`,\n${' '.repeat(ind + 1)}`)}]`;
    }
    const parts = idx.map((i) => (i === null ? '...' : render(dim + 1, offset + i * strides[dim]!, ind + 1)));
    return `[${parts.join(',' + '\n'.repeat(shape.length - dim - 1) + ' '.repeat(ind + 1))}]`;
  };
  const body = shape.length === 0 ? fmt(values[0]!) : render(0, 0, indent);
  return addSuffixes(`tensor(${body}`, suffix, indent);
}

/** Tensors made by nn.Parameter; they print as PyTorch's "Parameter containing:". */
export const parameterTensors = new WeakSet<object>();
