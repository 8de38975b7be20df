// Loading the PyTorch reference cases in test/fixtures/golden and comparing against them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as torch from '../../src/index.js';

export interface Spec {
  shape: number[];
  dtype: string;
  data: number[];
}
export interface Case {
  name: string;
  what: string;
  [k: string]: unknown;
}

export function loadGolden(file: string): Case[] {
  const p = fileURLToPath(new URL(`../fixtures/golden/${file}`, import.meta.url));
  return (JSON.parse(readFileSync(p, 'utf8')) as { cases: Case[] }).cases;
}

export function caseOf(cases: Case[], name: string): Case {
  const c = cases.find((x) => x.name === name);
  if (!c) throw new Error(`golden case ${name} not found`);
  return c;
}

const DT: Record<string, torch.DType> = {
  float32: 'float32', float64: 'float64', int64: 'int32', int32: 'int32', bool: 'bool',
  'torch.float32': 'float32', 'torch.float64': 'float64', 'torch.int64': 'int32', 'torch.int32': 'int32', 'torch.bool': 'bool',
};

export function isSpec(x: unknown): x is Spec {
  return typeof x === 'object' && x !== null && 'shape' in x && 'data' in x;
}

export function T(s: unknown, opts: { requiresGrad?: boolean } = {}): torch.Tensor {
  if (typeof s === 'number') return torch.tensor(s, { dtype: 'float64' });
  if (!isSpec(s)) throw new Error(`not a tensor spec: ${JSON.stringify(s).slice(0, 100)}`);
  const dtype = DT[s.dtype] ?? 'float32';
  const flat = s.data.map((v) => (typeof v === 'boolean' ? Number(v) : v));
  const t = torch.tensor(dtype === 'float64' ? Float64Array.from(flat) : dtype === 'int32' ? Int32Array.from(flat) : dtype === 'bool' ? Uint8Array.from(flat) : Float32Array.from(flat), { dtype, shape: s.shape });
  return opts.requiresGrad ? t.requiresGrad_() : t;
}

/** A dict of specs -> plain object of tensors. */
export function dictOf(d: unknown): Record<string, torch.Tensor> {
  return Object.fromEntries(Object.entries(d as Record<string, unknown>).map(([k, v]) => [k, T(v)]));
}

export function assertClose(actual: unknown, expected: unknown, rtol?: number, path = 'value'): void {
  if (isSpec(expected)) {
    assert.ok(actual instanceof torch.Tensor, `${path}: expected a tensor, got ${typeof actual}`);
    assert.deepEqual(actual.shape, expected.shape, `${path}: shape`);
    const tol = rtol ?? (expected.dtype.includes('float64') ? 1e-10 : 1e-5);
    const a = actual.toArray();
    expected.data.forEach((e, i) => {
      const v = a[i]!;
      const ok = Math.abs(v - e) <= tol * Math.max(1, Math.abs(e));
      assert.ok(ok, `${path}[${i}]: got ${v}, expected ${e} (rtol ${tol})`);
    });
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array`);
    assert.equal((actual as unknown[]).length, expected.length, `${path}: length`);
    expected.forEach((e, i) => assertClose((actual as unknown[])[i], e, rtol, `${path}[${i}]`));
    return;
  }
  if (typeof expected === 'object' && expected !== null) {
    const act = actual instanceof Map ? Object.fromEntries(actual) : (actual as Record<string, unknown>);
    for (const [k, e] of Object.entries(expected)) assertClose(act[k], e, rtol, `${path}.${k}`);
    return;
  }
  if (typeof expected === 'number') {
    const v = actual instanceof torch.Tensor ? actual.item() : (actual as number);
    assert.ok(Math.abs(v - expected) <= (rtol ?? 1e-6) * Math.max(1, Math.abs(expected)), `${path}: got ${v}, expected ${expected}`);
    return;
  }
  assert.deepEqual(actual, expected, path);
}
