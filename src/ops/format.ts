// PyTorch-like printing: tensor([[1., 2.],\n        [3., 4.]], requires_grad=True)
import type { DType } from '../core/dtype.js';

const EDGE = 3;
const THRESHOLD = 1000;

/**
 * x.toFixed(d) or x.toExponential(d) as Python's format rounds: JavaScript rounds an exact tie up,
 * Python to even (100.125 prints as 1.0012e+02 in PyTorch). A tie is exact in binary, so 25 more
 * digits read '5' and then zeros exactly when the value is one.
 */
function pyRound(x: number, digits: number, to: (v: number, d: number) => string): string {
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const [mantissa, exp] = to(Math.abs(x), digits + 25).split('e') as [string, string | undefined];
  const kept = mantissa.slice(0, mantissa.length - 25).replace(/\.$/, '');
  const tie = /^50*$/.test(mantissa.slice(mantissa.length - 25));
  if (tie && Number(kept.at(-1)) % 2 === 0) return sign + kept + (exp === undefined ? '' : `e${exp}`);
  return sign + to(Math.abs(x), digits);
}
const toFixed = (v: number, d: number) => v.toFixed(d);
const toExponential = (v: number, d: number) => v.toExponential(d);

/** Python's '{:.4e}': at least two exponent digits, with their sign. */
function sci(v: number): string {
  if (!Number.isFinite(v)) return special(v);
  const [m, e] = pyRound(v, 4, toExponential).split('e') as [string, string];
  const n = Number(e);
  return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}
const special = (v: number) => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
/** Python's '{:.Nf}', which also keeps the sign of -0 (toFixed drops it). */
const fixed = (v: number, digits: number) => pyRound(v, digits, toFixed);

/**
 * PyTorch's _Formatter: the notation and the width come from the nonzero finite values shown; every
 * value is padded to that width (nan, inf and zeros may be wider or narrower).
 */
function formatter(values: ArrayLike<number>, dtype: DType): { fmt: (v: number) => string; width: number } {
  if (dtype === 'bool' || dtype === 'int32') {
    const str = dtype === 'bool' ? (v: number) => (v ? 'True' : 'False') : (v: number) => String(v);
    let width = 1;
    for (let i = 0; i < values.length; i++) width = Math.max(width, str(values[i]!).length);
    return { fmt: (v) => str(v).padStart(width), width };
  }
  const nonzero: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!) && values[i] !== 0) nonzero.push(values[i]!);
  const allInt = nonzero.every((v) => Number.isInteger(v));
  const abs = nonzero.map(Math.abs);
  const max = Math.max(...abs);
  const min = Math.min(...abs);
  const wide = nonzero.length > 0 && (max / min > 1000 || max > 1e8 || (!allInt && min < 1e-4));
  const str = wide
    ? sci
    : allInt
      ? (v: number) => (Number.isFinite(v) ? `${fixed(v, 0)}.` : special(v))
      : (v: number) => (Number.isFinite(v) ? fixed(v, 4) : special(v));
  const width = nonzero.reduce((w, v) => Math.max(w, str(v).length), 1);
  return { fmt: (v) => str(v).padStart(width), width };
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
  const { fmt, width } = formatter(shown, dtype);
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
      const items = idx.map((i) => (i === null ? ' ...' : fmt(values[offset + i * strides[dim]!]!)));
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
