// 0-d tensors and invalid sizes as PyTorch treats them: dim 0 / -1 are valid for reductions and softmax
// of a 0-d tensor; select, narrow, split, chunk and unbind need a dim; fractional or NaN sizes and
// out-of-range indices are typed errors naming the function.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';

const ints = (x: number[]) => torch.tensor(x, { dtype: 'int32' });

test('reductions and softmax of a 0-d tensor accept dim 0 and -1 (PyTorch: the value itself)', () => {
  const t = torch.tensor(3.5, { dtype: 'float64' });
  assert.equal(t.sum(0).item(), 3.5);
  assert.deepEqual(t.sum(-1, true).shape, []);
  assert.equal(t.mean(0).item(), 3.5);
  assert.equal(t.amax(-1).item(), 3.5);
  assert.equal(t.logsumexp(0).item(), 3.5);
  assert.equal(torch.softmax(t, 0).item(), 1);
  assert.ok(Number.isNaN(t.var(0).item())); // PyTorch: nan (one value, correction 1)
  assert.throws(() => t.sum(1), (e: Error) => e instanceof torch.IndexError && /sum\(\): Dimension out of range/.test(e.message));
});

test('select, narrow, split, chunk and unbind of a 0-d tensor are IndexErrors', () => {
  const t = torch.tensor(3.5);
  for (const [fn, call] of [
    ['select', () => t.select(0, 0)], ['narrow', () => t.narrow(0, 0, 5)], ['split', () => t.split(1, 0)],
    ['chunk', () => t.chunk(1, 0)], ['unbind', () => t.unbind(0)],
  ] as const) assert.throws(call, (e: Error) => e instanceof torch.IndexError && e.message === `${fn}() cannot be applied to a 0-dim tensor.`);
  // indexSelect of a 0-d tensor repeats its value (PyTorch: tensor([3.5000, 3.5000])).
  assert.deepEqual(t.indexSelect(0, ints([0, 0])).tolist(), [3.5, 3.5]);
  assert.throws(() => t.indexSelect(0, ints([1])), torch.IndexError);
});

test('fractional, NaN and negative sizes are ValueErrors, not NaN-filled or wrong pieces', () => {
  const x = torch.arange(5, { dtype: 'float32' });
  assert.throws(() => x.narrow(0, 0.5, 2), /narrow\(\): start must be an integer, got 0.5/);
  assert.throws(() => x.index({ start: 1.5 }), /slice\(\): start must be an integer, got 1.5/);
  assert.throws(() => x.split([-1, 6], 0), /split\(\): split sizes must be non-negative integers, got -1/);
  assert.throws(() => torch.ones(1).expand([NaN]), /expand\(\): sizes must be integers, got NaN/);
  assert.throws(() => torch.ones(2).repeat([1.5]), /repeat\(\): sizes must be integers, got 1.5/);
  assert.throws(() => torch.ones(2).repeat([-1]), /negative dimension/);
  assert.deepEqual(x.narrow(0, 1, 2).tolist(), [1, 2]);
});

test('out-of-range gather, indexSelect and scatter indices are IndexErrors naming the function', () => {
  const x = torch.ones(3);
  const big = torch.ones(2000); // large enough for the wasm kernels (which defer invalid indices to the checked path)
  for (const v of [x, big]) {
    const n = v.shape[0]!;
    assert.throws(() => v.gather(0, ints([n])), (e: Error) => e instanceof torch.IndexError && e.message === `gather(): index ${n} is out of bounds for dimension 0 with size ${n}`);
    assert.throws(() => v.indexSelect(0, ints([-1])), (e: Error) => e instanceof torch.IndexError && e.message === `indexSelect(): index -1 is out of bounds for dimension 0 with size ${n}`);
    assert.throws(() => torch.zeros(n).scatter(0, ints([n + 2]), torch.ones(1)), (e: Error) => e instanceof torch.IndexError && e.message.startsWith('scatter(): index'));
    assert.throws(() => torch.zeros(n).scatterAdd(0, ints([n]), torch.ones(1)), (e: Error) => e instanceof torch.IndexError && e.message.startsWith('scatterAdd(): index'));
  }
});

test('advanced indexing with a batched index tensor under vmap: values as a loop, out-of-range refused', () => {
  const x = torch.arange(12, { dtype: 'float64' }).reshape(3, 4);
  const rows = ints([2, 0, 1]);
  const cols = torch.tensor([[3, 0], [1, 1], [0, 2]], { dtype: 'int32' });
  // Per example b: x[rows[b], cols[b]] picks x[rows[b]][cols[b][j]].
  const got = torch.func.vmap((r: torch.Tensor, cc: torch.Tensor) => x.index(r, cc))(rows, cols).tolist();
  assert.deepEqual(got, [[11, 8], [1, 1], [4, 6]]);
  // Column 4 is out of range although row·4 + 4 would be a valid flat position: refused, not x[r + 1][0].
  const bad = torch.tensor([[3, 4], [1, 1], [0, 2]], { dtype: 'int32' });
  assert.throws(() => torch.func.vmap((r: torch.Tensor, cc: torch.Tensor) => x.index(r, cc))(rows, bad), torch.IndexError);
  assert.throws(() => torch.func.vmap((cc: torch.Tensor) => x.clone().indexPut_([cc], 0))(ints([1, 3])), torch.IndexError);
});
