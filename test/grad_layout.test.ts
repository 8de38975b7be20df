// The gradient of a matmul operand comes out in that operand's layout (as PyTorch's mm backward):
// nn.Linear's weight gradient is contiguous [out, in] in eager mode and under vmap(grad), with the
// values of the closed form (d/dW sum(x Wᵀ) = 1ᵀx per output row).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';

test("nn.Linear's weight gradient is contiguous [out, in], eager and per-sample", () => {
  torch.manualSeed(0);
  const lin = new torch.nn.Linear(5, 3);
  const x = torch.randn([4, 5], { dtype: 'float32' });
  lin.call(x).sum().backward();
  const g = lin.weight.grad!;
  assert.ok(g.isContiguous(), `weight.grad strides ${g._strides}`);
  const colSums = x.sum(0).toArray();
  const ga = g.toArray();
  for (let o = 0; o < 3; o++) for (let i = 0; i < 5; i++) assert.ok(Math.abs(ga[o * 5 + i]! - colSums[i]!) < 1e-5);

  const params = Object.fromEntries(lin.namedParameters());
  const loss = (p: Record<string, torch.Tensor>, xi: torch.Tensor) => (torch.func.functionalCall(lin, p, [xi.unsqueeze(0)]) as torch.Tensor).sum();
  const per = torch.func.vmap(torch.func.grad(loss), { inDims: [null, 0] })(params, x) as Record<string, torch.Tensor>;
  assert.ok(per.weight!.isContiguous(), `per-sample weight grad strides ${per.weight!._strides}`);
  const pa = per.weight!.toArray();
  const xa = x.toArray();
  for (let b = 0; b < 4; b++) for (let o = 0; o < 3; o++) for (let i = 0; i < 5; i++) assert.equal(pa[(b * 3 + o) * 5 + i], xa[b * 5 + i]);
});
