// Python-style formatting for module reprs: floats as Python prints them, tuples, booleans.

/** A number as Python's repr(float) writes it: 0.1, 1e-05, 1.0, 1e+16. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = x.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  if (exp < -4 || exp >= 16) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** A JS value as Python would print it in a repr: numbers, booleans, strings, tuples. */
export function py(x: unknown): string {
  if (typeof x === 'boolean') return x ? 'True' : 'False';
  if (x === null || x === undefined) return 'None';
  if (typeof x === 'string') return `'${x}'`;
  if (Array.isArray(x)) return pyTuple(x);
  return String(x);
}

/** (1, 2), (3,) */
export function pyTuple(xs: readonly unknown[]): string {
  return xs.length === 1 ? `(${py(xs[0])},)` : `(${xs.map(py).join(', ')})`;
}

/** Indents every line but the first by `n` spaces (PyTorch's _addindent). */
export function addIndent(s: string, n: number): string {
  const lines = s.split('\n');
  if (lines.length === 1) return s;
  const pad = ' '.repeat(n);
  return [lines[0], ...lines.slice(1).map((l) => pad + l)].join('\n');
}
