// Strided copies of permuted views, large enough for the wasm backend's tiled transpose path,
// against an element-by-element walk of the view's own strides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';

test('contiguous() of permuted views matches a walk of their strides, every dtype', () => {
  torch.manualSeed(0);
  for (const dt of ['float32', 'float64', 'int32', 'bool'] as const) {
    const x0 = torch.randn([3, 37, 53], { dtype: 'float64' });
    const x = (dt === 'bool' ? x0.gt(0) : x0.to(dt)).contiguous();
    const xa = x.toArray();
    for (const c of [x.transpose(1, 2), x.permute([2, 0, 1]), x.permute([0, 2, 1]).index(':', '1:40:2'), x.transpose(0, 2)]) {
      const got = c.contiguous().toArray();
      const [s0, s1, s2] = c._strides as [number, number, number];
      let i = 0;
      for (let p = 0; p < c.shape[0]!; p++) {
        for (let q = 0; q < c.shape[1]!; q++) {
          for (let r = 0; r < c.shape[2]!; r++) assert.equal(got[i++], xa[c._offset + p * s0 + q * s1 + r * s2], `${dt} [${c.shape}] at ${p},${q},${r}`);
        }
      }
    }
  }
});
