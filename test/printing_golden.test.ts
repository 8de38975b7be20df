// Printing against PyTorch: str(tensor) from test/fixtures/gen_printing.py for tensors that reach each
// branch of the formatter (integer-valued, fixed and scientific notation, nan/inf, -0, summaries,
// wrapping at 80 columns, dtype and requires_grad suffixes, 0-d and empty tensors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { loadGolden } from './support/golden.js';

interface PrintCase {
  name: string;
  values: (number | boolean | string)[];
  shape: number[];
  dtype: torch.DType;
  requires_grad: boolean;
  text: string;
}

const decode = (v: number | boolean | string): number =>
  typeof v === 'boolean' ? Number(v) : v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : (v as number);

for (const c of loadGolden('printing.json') as unknown as PrintCase[]) {
  test(`printing: ${c.name}`, () => {
    const values = c.values.map(decode);
    const flat = c.dtype === 'bool' ? torch.tensor(values, { dtype: 'bool' }) : torch.tensor(values, { dtype: c.dtype });
    const t = flat.reshape(c.shape);
    if (c.requires_grad) t.requiresGrad_();
    assert.equal(String(t), c.text);
  });
}
