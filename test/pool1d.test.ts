// 1-D pooling against windows computed in plain JavaScript, gradients against finite differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';

const L = 9;
const row = [3, -1, 4, 1, -5, 9, 2, -6, 5];
const x = torch.tensor(Float64Array.from([...row, ...row.map((v) => -v)]), { dtype: 'float64', shape: [1, 2, L] });

/** Windows of a row: start positions i·s − p, k elements spaced d, padding outside [0, L). */
function windows(r: number[], k: number, s: number, p: number, d = 1, ceil = false): (number | null)[][] {
  const span = d * (k - 1) + 1;
  let n = (ceil ? Math.ceil : Math.floor)((r.length + 2 * p - span) / s) + 1;
  if (ceil && (n - 1) * s >= r.length + p) n--; // PyTorch drops a last window that starts in the padding
  return Array.from({ length: n }, (_, i) => Array.from({ length: k }, (_, j) => {
    const at = i * s - p + j * d;
    return at >= 0 && at < r.length ? r[at]! : null;
  }));
}

test('maxPool1d and avgPool1d equal their windows, indices included', () => {
  for (const [k, s, p, d, ceil] of [[3, 2, 1, 1, false], [2, 2, 0, 1, false], [3, 1, 0, 2, false], [2, 3, 1, 1, true]] as const) {
    const { values, indices } = torch.maxPool1dWithIndices(x, k, { stride: s, padding: p, dilation: d, ceilMode: ceil });
    [row, row.map((v) => -v)].forEach((r, c) => {
      const ws = windows(r, k, s, p, d, ceil);
      assert.deepEqual((values.tolist() as number[][][])[0]![c], ws.map((w) => Math.max(...w.filter((v): v is number => v !== null))), `max k${k} s${s} p${p} d${d}`);
      const idx = (indices.tolist() as number[][][])[0]![c]!;
      idx.forEach((at, i) => assert.equal(r[at], Math.max(...ws[i]!.filter((v): v is number => v !== null))));
    });
  }
  for (const [k, s, p, inc] of [[3, 2, 1, true], [3, 2, 1, false], [2, 2, 0, true]] as const) {
    const y = torch.avgPool1d(x, k, { stride: s, padding: p, countIncludePad: inc }).tolist() as number[][][];
    [row, row.map((v) => -v)].forEach((r, c) => {
      const want = windows(r, k, s, p).map((w) => {
        const real = w.filter((v): v is number => v !== null);
        return real.reduce((a, b) => a + b, 0) / (inc ? k : real.length);
      });
      want.forEach((v, i) => assert.ok(Math.abs(y[0]![c]![i]! - v) < 1e-12, `avg k${k} s${s} p${p} inc${inc}`));
    });
  }
  // adaptive: PyTorch's windows [floor(i·L/n), ceil((i+1)·L/n))
  const a = torch.adaptiveAvgPool1d(x, 4).tolist() as number[][][];
  for (let i = 0; i < 4; i++) {
    const seg = row.slice(Math.floor((i * L) / 4), Math.ceil(((i + 1) * L) / 4));
    assert.ok(Math.abs(a[0]![0]![i]! - seg.reduce((s, v) => s + v, 0) / seg.length) < 1e-12);
  }
  assert.throws(() => torch.maxPool1d(torch.ones(2, 2, 2, 2), 2), /expected a 2-D \[C, L\] or 3-D \[N, C, L\] input/);
});

test('1-D pooling: unbatched input, gradients against finite differences, modules', () => {
  assert.deepEqual(torch.maxPool1d(x.index(0), 3).shape, [2, 3]);
  const w = torch.randn([1, 2, 5], { dtype: 'float64' }); // (9 + 2·1 − 3) / 2 + 1 = 5 windows
  const f = (t: torch.Tensor) => torch.avgPool1d(t, 3, { stride: 2, padding: 1 }).mul(w).sum().add(torch.maxPool1d(t, 3, { stride: 2, padding: 1 }).mul(w).sum());
  const g = torch.func.grad(f)(x).reshape(-1).tolist() as number[];
  const flat = x.reshape(-1).tolist() as number[];
  flat.forEach((_, i) => {
    const at = (d: number) => f(torch.tensor(Float64Array.from(flat.map((v, j) => (j === i ? v + d : v))), { dtype: 'float64', shape: [1, 2, L] })).item();
    assert.ok(Math.abs(g[i]! - (at(1e-6) - at(-1e-6)) / 2e-6) < 1e-6, `grad ${i}`);
  });
  const m = new torch.nn.MaxPool1d(3, { stride: 2 });
  assert.deepEqual(m.call(x).tolist(), torch.maxPool1d(x, 3, { stride: 2 }).tolist());
  assert.equal(String(m), 'MaxPool1d(kernel_size=3, stride=2, padding=0, dilation=1, ceil_mode=False)');
  assert.equal(String(new torch.nn.AvgPool1d(2)), 'AvgPool1d(kernel_size=(2,), stride=(2,), padding=(0,))');
  assert.equal(String(new torch.nn.AdaptiveAvgPool1d(4)), 'AdaptiveAvgPool1d(output_size=4)');
});
