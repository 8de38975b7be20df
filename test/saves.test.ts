// Every primitive declares what its vjp reads (`saves`), for the saved-tensor version checks. A
// declaration that misses something would let an in-place write silently change gradients, so
// this walks the registry: overwriting any input or output NOT declared must leave the vjp as it was.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { bind } from '../src/primitives/primitive.js';
import { registry, savedOf } from '../src/primitives/primitive.js';
import { samples } from './support/samples.js';
import { runs } from './support/runs.js';


function gradsOf(out: Tensor, inputs: Tensor[], ct: Tensor): number[][] {
  const leaves = inputs.filter((x) => x.requiresGrad);
  const gs = torch.autograd.grad(out, leaves, { gradOutputs: ct, retainGraph: true, allowUnused: true });
  return gs.map((g) => (g ? Array.from(g.toArray()) : []));
}

describe('declared saves cover what each vjp reads', () => {
  for (const [name, prim] of registry) {
    if (prim.nondiff || prim.random) continue;
    test(`${name}: overwriting undeclared tensors leaves the vjp unchanged`, () => {
      fc.assert(
        fc.property(samples[name]!(), (s) => {
          const inputs = s.inputs.map((x, i) => (s.diff[i] ? x.detach().clone().requiresGrad_() : x.clone()));
          const out = bind(prim, [...inputs], s.params);
          if (!out.requiresGrad || out.numel() === 0) return;
          const ct = torch.randnLike(out.detach());
          const before = gradsOf(out, inputs, ct);
          const kept = new Set(savedOf(prim, inputs, out)(inputs.map((x) => x.requiresGrad)));
          torch.noGrad(() => {
            for (const t of [...inputs, out]) {
              if (kept.has(t) || t.dtype !== 'float64' || t.numel() === 0) continue;
              t.detach().copy_(torch.fullLike(t.detach(), 7.25));
            }
          });
          assert.deepEqual(gradsOf(out, inputs, ct), before, `${name}: the vjp read a tensor it does not declare in saves`);
        }),
        { numRuns: runs(15), seed: 7 },
      );
    });
  }
});

// Saving more than the vjp reads is wrong too: PyTorch lets a tensor change in place after an op that
// does not need it for backward (sum), and refuses only where the gradient reads it (prod).
test('an op whose vjp reads nothing saves nothing: its input may change in place before backward', () => {
  const w = torch.tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
  const a = w.mul(1);
  const s = a.sum();
  torch.noGrad(() => a.mul_(2));
  s.backward();
  assert.deepEqual(w.grad!.tolist(), [1, 1, 1]);
  const b = w.mul(1);
  const p = b.prod();
  b.mul_(2);
  assert.throws(() => p.backward(), /saved by ProdBackward0, is at version 1; expected version 0 instead/);
});
