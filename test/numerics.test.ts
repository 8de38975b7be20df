// Numerics at the edges (zeros, NaN, inf, empty dims, -0) checked against the values PyTorch
// (1.13 / 2.x) gives, on float32 and float64, through eager backward and func.grad / jvp / vmap.
// Expected values come from closed forms or central finite differences, stated next to PyTorch's.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';

const { func } = torch;
const DTYPES = ['float32', 'float64'] as const;
type DT = (typeof DTYPES)[number];

const vals = (t: Tensor): number[] => Array.from(t.toArray() as ArrayLike<number>);
const tol = (dt: DT) => (dt === 'float32' ? 1e-5 : 1e-12);

/** Element-wise: NaN matches NaN, +-inf match exactly, else within tolerance; -0 vs +0 ignored. */
function close(actual: readonly number[], expected: readonly number[], dt: DT, what = '', rtol = tol(dt)): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    const ok = Number.isNaN(e) ? Number.isNaN(a) : !Number.isFinite(e) ? a === e : Math.abs(a - e) <= rtol * (1 + Math.abs(e));
    assert.ok(ok, `${what}[${i}]: got ${a}, expected ${e} (all: ${JSON.stringify(actual.map(String))})`);
  });
}

/** Central finite differences of sum(f(x)) for one float64 vector x. */
function fdGrad(f: (x: Tensor) => Tensor, x: readonly number[], eps = 1e-6): number[] {
  return x.map((_, i) => {
    const at = (d: number) => f(torch.tensor(x.map((v, j) => (j === i ? v + d : v)), { dtype: 'float64' })).sum().item();
    return (at(eps) - at(-eps)) / (2 * eps);
  });
}

function eagerGrad(f: (x: Tensor) => Tensor, x: readonly number[], dt: DT): number[] {
  const t = torch.tensor(x as number[], { dtype: dt, requiresGrad: true });
  f(t).sum().backward();
  return vals(t.grad!);
}
const funcGrad = (f: (x: Tensor) => Tensor, x: readonly number[], dt: DT): number[] =>
  vals(func.grad((t: Tensor) => f(t).sum())(torch.tensor(x as number[], { dtype: dt })));

describe('norm: subgradient 0 at x = 0', () => {
  for (const dt of DTYPES) {
    test(`norm() grad at 0 and elsewhere (${dt})`, () => {
      const f = (x: Tensor) => x.norm();
      // torch.zeros(3, requires_grad=True).norm().backward() -> grad tensor([0., 0., 0.])
      close(eagerGrad(f, [0, 0, 0], dt), [0, 0, 0], dt, 'eager at 0');
      close(funcGrad(f, [0, 0, 0], dt), [0, 0, 0], dt, 'func.grad at 0');
      // Away from 0: x / |x| (closed form) and finite differences; [3, 4] -> [0.6, 0.8].
      close(eagerGrad(f, [3, 4], dt), [0.6, 0.8], dt, 'eager at [3,4]');
      close(funcGrad(f, [3, -1, 2], dt), fdGrad(f, [3, -1, 2]), dt, 'func.grad vs FD', 1e-5);
      // p = 3 too: torch.zeros(3, requires_grad=True).norm(3).backward() -> zeros.
      close(eagerGrad((x) => x.norm(3), [0, 0, 0], dt), [0, 0, 0], dt, 'p=3 at 0');
      close(funcGrad((x) => x.norm(3), [1, -2, 0.5], dt), fdGrad((x) => x.norm(3), [1, -2, 0.5]), dt, 'p=3 vs FD', 1e-5);
    });

    test(`norm(2, dim) grad with a zero row (${dt})`, () => {
      // torch.tensor([[0., 0.], [3., 4.]], requires_grad=True).norm(2, 1).sum().backward()
      //   -> grad tensor([[0.0000, 0.0000], [0.6000, 0.8000]])
      const x = torch.tensor([[0, 0], [3, 4]], { dtype: dt, requiresGrad: true });
      const n = x.norm(2, 1);
      close(vals(n), [0, 5], dt, 'value');
      n.sum().backward();
      close(vals(x.grad!), [0, 0, 0.6, 0.8], dt, 'eager grad');
      // vmap(grad(norm)) over the rows: the same, row by row.
      const g = func.vmap(func.grad((r: Tensor) => r.norm()))(torch.tensor([[0, 0], [3, 4]], { dtype: dt }));
      close(vals(g), [0, 0, 0.6, 0.8], dt, 'vmap(grad)');
    });

    test(`norm double backward and jvp (${dt})`, () => {
      const f = (x: Tensor) => x.norm();
      // Hessian of |x| at [3, 4]: (I - x x^T / |x|^2) / |x| = [[16, -12], [-12, 9]] / 125.
      const h = func.hessian(f)(torch.tensor([3, 4], { dtype: dt }));
      close(vals(h), [16 / 125, -12 / 125, -12 / 125, 9 / 125], dt, 'hessian at [3,4]', 1e-5);
      // At 0, PyTorch's masked norm_backward differentiates to 0 (the masked_fill blocks the inf).
      close(vals(func.hessian(f)(torch.zeros([3], { dtype: dt }))), new Array(9).fill(0), dt, 'hessian at 0');
      // jvp: <x, t> / |x| (torch.func.jvp(torch.linalg.norm, ...)), and 0 at x = 0 (masked norm_jvp).
      const [, t1] = func.jvp(f, [torch.tensor([3, 4], { dtype: dt })], [torch.tensor([1, 2], { dtype: dt })]);
      close([t1.item()], [11 / 5], dt, 'jvp at [3,4]');
      const [, t0] = func.jvp(f, [torch.zeros([2], { dtype: dt })], [torch.tensor([1, 2], { dtype: dt })]);
      close([t0.item()], [0], dt, 'jvp at 0');
    });

    test(`1e-4 * bias.norm() keeps a zero bias finite after SGD (${dt})`, () => {
      const w = torch.tensor([1, 2], { dtype: dt, requiresGrad: true });
      const bias = torch.zeros([2], { dtype: dt, requiresGrad: true });
      const opt = new torch.optim.SGD([w, bias], { lr: 0.1 });
      const loss = torch.add(w.mul(bias).sum(), torch.mul(bias.norm(), 1e-4));
      loss.backward();
      opt.step();
      // d loss / d bias = w + 1e-4 * 0 = [1, 2]; bias <- 0 - 0.1 * [1, 2].
      close(vals(bias), [-0.1, -0.2], dt, 'bias after step');
    });
  }
});

describe('NaN propagation: relu, maximum, minimum, clamp, amax, max', () => {
  for (const dt of DTYPES) {
    for (const n of [4, 40]) {
      test(`relu / maximum / minimum / clamp propagate NaN, ${n} elements (${dt})`, () => {
        const base = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? NaN : i % 4 === 1 ? -1 : i % 4 === 2 ? 0 : 2));
        const x = torch.tensor(base, { dtype: dt });
        const pick = (f: (v: number) => number) => base.map((v) => (Number.isNaN(v) ? NaN : f(v)));
        // torch.relu(torch.tensor([nan, -1., 0., 2.])) -> tensor([nan, 0., 0., 2.])
        close(vals(torch.relu(x)), pick((v) => Math.max(v, 0)), dt, 'relu');
        // torch.maximum(torch.tensor(nan), torch.tensor(1.)) -> nan; minimum likewise; both operand orders.
        const one = torch.ones([n], { dtype: dt });
        close(vals(torch.maximum(x, one)), pick((v) => Math.max(v, 1)), dt, 'maximum(x, 1)');
        close(vals(torch.maximum(one, x)), pick((v) => Math.max(v, 1)), dt, 'maximum(1, x)');
        close(vals(torch.minimum(x, one)), pick((v) => Math.min(v, 1)), dt, 'minimum(x, 1)');
        close(vals(torch.minimum(one, x)), pick((v) => Math.min(v, 1)), dt, 'minimum(1, x)');
        // torch.clamp(torch.tensor(nan), 0, 1) -> nan
        close(vals(torch.clamp(x, 0, 1)), pick((v) => Math.min(Math.max(v, 0), 1)), dt, 'clamp');
        // torch.tensor([1., nan]).max() -> nan; amax / amin / min likewise.
        assert.ok(Number.isNaN(torch.amax(x).item()), 'amax');
        assert.ok(Number.isNaN(torch.amin(x).item()), 'amin');
        assert.ok(Number.isNaN(torch.max(x).item()), 'max');
        assert.ok(Number.isNaN(torch.min(x).item()), 'min');
      });
    }

    test(`max(dim) picks the NaN; relu's gradient at NaN (${dt})`, () => {
      // torch.tensor([[1., nan, 2.]]).max(1) -> values tensor([nan]), indices tensor([1])
      const { values, indices } = torch.max(torch.tensor([[1, NaN, 2]], { dtype: dt }), 1);
      assert.ok(Number.isNaN(values.item()));
      assert.equal(indices.item(), 1);
      const rows = vals(torch.amax(torch.tensor([[1, NaN, 2], [3, 1, 2]], { dtype: dt }), 1));
      assert.ok(Number.isNaN(rows[0]!) && rows[1] === 3, 'amax(dim)');
      // x = torch.tensor([nan, -1., 0., 2.], requires_grad=True); x.relu().sum().backward()
      //   -> grad tensor([1., 0., 0., 1.]) (threshold_backward(grad, result, 0): NaN <= 0 is false).
      const f = (x: Tensor) => torch.relu(x);
      close(eagerGrad(f, [NaN, -1, 0, 2], dt), [1, 0, 0, 1], dt, 'eager');
      close(funcGrad(f, [NaN, -1, 0, 2], dt), [1, 0, 0, 1], dt, 'func.grad');
    });
  }
});

describe('logsumexp at infinities and empty dims', () => {
  for (const dt of DTYPES) {
    test(`logsumexp values (${dt})`, () => {
      // torch.logsumexp(torch.tensor([[inf, 1.], [-inf, -inf], [1., 2.], [-inf, 0.]]), 1)
      //   -> tensor([inf, -inf, 2.3133, 0.])
      const x = torch.tensor([[Infinity, 1], [-Infinity, -Infinity], [1, 2], [-Infinity, 0]], { dtype: dt });
      close(vals(torch.logsumexp(x, 1)), [Infinity, -Infinity, Math.log(Math.E + Math.E ** 2), 0], dt, 'rows');
      assert.deepEqual(torch.logsumexp(x, 1, true).shape, [4, 1]);
      // torch.logsumexp(torch.tensor([nan, 1.]), 0) -> nan
      assert.ok(Number.isNaN(torch.logsumexp(torch.tensor([NaN, 1], { dtype: dt }), 0).item()));
      // Large finite values stay finite (the shift): log(2) + 1000.
      close([torch.logsumexp(torch.tensor([1000, 1000], { dtype: dt }), 0).item()], [1000 + Math.LN2], dt, 'shifted');
      // torch.logsumexp(torch.zeros(2, 0), 1) -> tensor([-inf, -inf]); over all dims -> tensor(-inf)
      close(vals(torch.logsumexp(torch.zeros([2, 0], { dtype: dt }), 1)), [-Infinity, -Infinity], dt, 'empty dim');
      assert.deepEqual(torch.logsumexp(torch.zeros([2, 0], { dtype: dt }), 1, true).shape, [2, 1]);
      assert.equal(torch.logsumexp(torch.zeros([0], { dtype: dt }), 0).item(), -Infinity);
    });

    test(`logsumexp gradient is softmax (${dt})`, () => {
      const f = (x: Tensor) => torch.logsumexp(x, 0);
      const x = [0.5, -1, 2];
      const z = x.reduce((s, v) => s + Math.exp(v), 0);
      close(eagerGrad(f, x, dt), x.map((v) => Math.exp(v) / z), dt, 'eager');
      close(funcGrad(f, x, dt), fdGrad(f, x), dt, 'func.grad vs FD', 1e-5);
    });
  }
});

describe('pow(x, 0) gradient', () => {
  for (const dt of DTYPES) {
    test(`d/dx x^0 = 0, also at x = 0 (${dt})`, () => {
      // x = torch.tensor([0., 2., -1.], requires_grad=True); x.pow(0).sum().backward() -> grad tensor([0., 0., 0.])
      const f = (x: Tensor) => torch.pow(x, 0);
      close(eagerGrad(f, [0, 2, -1], dt), [0, 0, 0], dt, 'eager');
      close(funcGrad(f, [0, 2, -1], dt), [0, 0, 0], dt, 'func.grad');
      // Tensor exponent 0: torch.pow(x, torch.zeros(3)) -> grad of x is 0 too.
      const g = (x: Tensor) => torch.pow(x, torch.zeros([3], { dtype: dt }));
      close(eagerGrad(g, [0, 2, -1], dt), [0, 0, 0], dt, 'eager, tensor exponent');
      close(funcGrad(g, [0, 2, -1], dt), [0, 0, 0], dt, 'func.grad, tensor exponent');
      // Second derivative of x^0 is 0 as well (the mask is differentiable).
      close(vals(func.hessian((x: Tensor) => f(x).sum())(torch.tensor([0, 2], { dtype: dt }))), [0, 0, 0, 0], dt, 'hessian');
      // Other exponents keep b x^(b-1): x^3 at [0, 2, -1] -> [0, 12, 3], x^2.5 vs FD.
      close(eagerGrad((x) => torch.pow(x, 3), [0, 2, -1], dt), [0, 12, 3], dt, 'x^3');
      close(funcGrad((x) => torch.pow(x, 2.5), [0.5, 2], dt), fdGrad((x) => torch.pow(x, 2.5), [0.5, 2]), dt, 'x^2.5 vs FD', 1e-5);
      // The exponent's gradient x^b log x at x = 0 stays 0: torch.pow(0., b) grad wrt b -> 0.
      const b = torch.zeros([2], { dtype: dt, requiresGrad: true });
      torch.pow(torch.tensor([0, 2], { dtype: dt }), b).sum().backward();
      close(vals(b.grad!), [0, Math.LN2], dt, 'd/db');
    });
  }
});

describe('-0 keeps its sign', () => {
  for (const dt of DTYPES) {
    for (const n of [1, 40]) {
      test(`tolist / item / neg / mul keep -0, ${n} elements (${dt})`, () => {
        const isNegZero = (v: unknown) => Object.is(v, -0);
        // torch.tensor([-0.]).tolist() -> [-0.0]
        assert.ok((torch.tensor(new Array(n).fill(-0), { dtype: dt }).tolist() as number[]).every(isNegZero), 'tensor');
        assert.ok(isNegZero(torch.tensor(-0, { dtype: dt }).item()), 'item');
        // torch.neg(torch.zeros(n)) and torch.zeros(n) * -1 -> -0.
        assert.ok(vals(torch.neg(torch.zeros([n], { dtype: dt }))).every(isNegZero), 'neg');
        assert.ok(vals(torch.mul(torch.zeros([n], { dtype: dt }), -1)).every(isNegZero), 'mul');
        assert.ok(vals(torch.mul(torch.full([n], -1, { dtype: dt }), torch.zeros([n], { dtype: dt }))).every(isNegZero), 'mul tensors');
      });
    }

    test(`printing shows -0. (${dt})`, () => {
      const sfx = dt === 'float64' ? ', dtype=torch.float64' : '';
      // torch.tensor([-0.]) -> tensor([-0.]); torch.tensor(-0.) -> tensor(-0.)
      assert.equal(String(torch.tensor([-0], { dtype: dt })), `tensor([-0.]${sfx})`);
      assert.equal(String(torch.tensor(-0, { dtype: dt })), `tensor(-0.${sfx})`);
      // PyTorch 1.13 (the width comes from the nonzero values, so -0 does not widen the others):
      // torch.tensor([-0., 1.5]) -> tensor([-0.0000, 1.5000]); torch.tensor([-0., 0., 2.]) -> tensor([-0., 0., 2.])
      assert.equal(String(torch.tensor([-0, 1.5], { dtype: dt })), `tensor([-0.0000, 1.5000]${sfx})`);
      assert.equal(String(torch.tensor([-0, 0, 2], { dtype: dt })), `tensor([-0., 0., 2.]${sfx})`);
    });
  }
});

describe('pow at the C99 special cases', () => {
  test('pow(1, y) and pow(-1, ±inf) are 1 (JavaScript says NaN), other specials as Math.pow', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = torch.tensor([1, 1, -1, -1, -1, 2, 0], { dtype });
      const y = torch.tensor([NaN, -Infinity, Infinity, -Infinity, NaN, -Infinity, -1], { dtype });
      assert.deepEqual(torch.pow(x, y).tolist(), [1, 1, 1, 1, NaN, 0, Infinity], dtype);
    }
  });
});
