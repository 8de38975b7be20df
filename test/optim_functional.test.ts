// optim.functional: pure gradient transformations against torch.optim / optax (golden trajectories,
// PYTORCH_SEMANTICS §8), purity, errors, schedules, FuncOptimizer, and the composition with
// torch.func: an ensemble trained under vmap, and meta-gradients (MAML) through update steps.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { T, caseOf, loadGolden, type Spec } from './support/golden.js';

const { optim, func } = torch;
const F = optim.functional;
type Tn = torch.Tensor;
type Tx = torch.optim.functional.GradientTransformation<any>;
type P = { w: Tn };
const f64 = (x: number[]) => torch.tensor(x, { dtype: 'float64' });

function close(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: got ${actual}, expected ${expected}`);
}
function closeAll(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) close(actual[i]!, expected[i]!, tol, `${what}[${i}]`);
}
const arr = (t: unknown) => [...(t as Tn).toArray()];

// ------------------------------------------------------------------------------------------------
// Golden trajectories: sum((A @ w - b)^2), w after each of 10 steps.

const golden = loadGolden('optim.json');

const FUNCTIONAL: Record<string, () => Tx> = {
  sgd: () => F.sgd({ lr: 0.01 }),
  sgd_nesterov: () => F.sgd({ lr: 0.01, momentum: 0.9, nesterov: true }),
  sgd_momentum_wd_dampening: () => F.sgd({ lr: 0.01, momentum: 0.9, dampening: 0.1, weightDecay: 0.1 }),
  adam: () => F.adam({ lr: 0.1 }),
  adam_amsgrad_wd: () => F.adam({ lr: 0.1, amsgrad: true, weightDecay: 0.05 }),
  adamw: () => F.adamw({ lr: 0.1, weightDecay: 0.01 }),
  rmsprop: () => F.rmsprop({ lr: 0.01 }),
  rmsprop_centered_momentum: () => F.rmsprop({ lr: 0.01, centered: true, momentum: 0.5 }),
  adagrad: () => F.adagrad({ lr: 0.1 }),
  optax_adam: () => F.adam({ lr: 0.1 }),
  optax_adamw: () => F.adamw({ lr: 0.1, weightDecay: 0.01 }),
  optax_chain_clip_sgd: () => F.chain(F.clipByGlobalNorm(1), F.sgd({ lr: 0.05 })),
};

function problem(name: string) {
  const c = caseOf(golden, name);
  const A = T(c.A);
  const b = T(c.b);
  const loss = (p: P) => A.matmul(p.w).sub(b).pow(2).sum();
  return { loss, w0: T(c.w0), expected: (c.expected as Spec).data };
}

describe('golden trajectories (functional)', () => {
  for (const [name, make] of Object.entries(FUNCTIONAL)) {
    test(name, () => {
      const { loss, w0, expected } = problem(name);
      const tx = make();
      let params: P = { w: w0 };
      let state = tx.init(params);
      for (let k = 0; k < 10; k++) {
        const grads = func.grad(loss)(params) as P;
        const [updates, next] = tx.update(grads, state, params);
        params = F.applyUpdates(params, updates);
        state = next;
        closeAll(params.w.toArray(), expected.slice(3 * k, 3 * k + 3), 1e-10, `${name} step ${k + 1}`);
      }
      assert.equal(params.w.dtype, 'float64');
    });
  }

  test('FuncOptimizer(adam) follows the same trajectory (createGraph false)', () => {
    const { loss, w0, expected } = problem('adam');
    const opt = new F.FuncOptimizer(F.adam({ lr: 0.1 }), { createGraph: false });
    let params: P = { w: w0.requiresGrad_() };
    for (let k = 0; k < 10; k++) {
      params = opt.step(loss(params), params);
      closeAll(params.w.toArray(), expected.slice(3 * k, 3 * k + 3), 1e-10, `step ${k + 1}`);
    }
    assert.equal((opt.state as { count: number }[])[0]!.count, 10);
  });

  test('FuncOptimizer: a failing step leaves the state as it was', () => {
    const opt = new F.FuncOptimizer(F.adamw({ lr: 0.1 }));
    const w = f64([1, 2]).requiresGrad_();
    const p1 = opt.step(w.pow(2).sum(), { w });
    const state = opt.state;
    assert.throws(() => opt.step(p1.w.sum(), { w: f64([1, 2]) }), /params leaf 0 does not require grad/);
    assert.equal(opt.state, state);
    assert.throws(() => new F.FuncOptimizer({} as never), /expected a gradient transformation/);
  });
});

// ------------------------------------------------------------------------------------------------
// PYTORCH_SEMANTICS §8: p0 = 1, grads 0.5, -1, 2, lr 0.1.

function run(tx: Tx, grads = [0.5, -1, 2]): number[] {
  let p = f64([1]);
  let s = tx.init(p);
  return grads.map((g) => {
    const [u, ns] = tx.update(f64([g]), s, p);
    p = F.applyUpdates(p, u);
    s = ns;
    return p.item();
  });
}

describe('PYTORCH_SEMANTICS §8 numbers (functional)', () => {
  const cases: [string, () => Tx, number[]][] = [
    ['adam', () => F.adam({ lr: 0.1 }), [0.900000002, 0.9366103542, 0.8946447927]],
    ['adam eps=0.1 outside the root', () => F.adam({ lr: 0.1, eps: 0.1 }), [0.9166666667, 0.9491666743, 0.9101494815]],
    ['adam wd=0.1 (L2 before the moments)', () => F.adam({ lr: 0.1, weightDecay: 0.1 }), [0.9000000017, 0.9252635194, 0.8776172608]],
    ['adamw wd=0.1', () => F.adamw({ lr: 0.1, weightDecay: 0.1 }), [0.890000002, 0.9177103542, 0.8665676892]],
    ['sgd', () => F.sgd({ lr: 0.1 }), [0.95, 1.05, 0.85]],
    ['sgd momentum 0.9', () => F.sgd({ lr: 0.1, momentum: 0.9 }), [0.95, 1.005, 0.8545]],
    ['sgd dampening 0.5', () => F.sgd({ lr: 0.1, momentum: 0.9, dampening: 0.5 }), [0.95, 0.955, 0.8595]],
    ['sgd nesterov', () => F.sgd({ lr: 0.1, momentum: 0.9, nesterov: true }), [0.905, 1.0545, 0.71905]],
    ['sgd wd 0.1', () => F.sgd({ lr: 0.1, weightDecay: 0.1 }), [0.94, 1.0306, 0.820294]],
    ['sgd maximize', () => F.sgd({ lr: 0.1, maximize: true }), [1.05, 0.95, 1.15]],
    ['building blocks: chain(scaleByAdam, scale(-lr))', () => F.chain(F.scaleByAdam(), F.scale(-0.1)), [0.900000002, 0.9366103542, 0.8946447927]],
    ['building blocks: chain(scaleByAdam, addDecayedWeights, scaleByLearningRate)', () => F.chain(F.scaleByAdam(), F.addDecayedWeights(0.1), F.scaleByLearningRate(0.1)), [0.890000002, 0.9177103542, 0.8665676892]],
  ];
  for (const [name, make, expected] of cases) test(name, () => closeAll(run(make()), expected, 1e-9, name));

  test('functional and stateful trajectories agree for every optimizer', () => {
    const grads = [0.5, -1, 2, 0.3, -0.7];
    const pairs: [Tx, (p: Tn) => torch.optim.Optimizer<any>][] = [
      [F.rmsprop({ lr: 0.01, centered: true, momentum: 0.5, weightDecay: 0.1 }), (p) => new optim.RMSprop([p], { lr: 0.01, centered: true, momentum: 0.5, weightDecay: 0.1 })],
      [F.adagrad({ lr: 0.1, lrDecay: 0.3, initialAccumulatorValue: 0.2, maximize: true }), (p) => new optim.Adagrad([p], { lr: 0.1, lrDecay: 0.3, initialAccumulatorValue: 0.2, maximize: true })],
      [F.adam({ lr: 0.1, amsgrad: true, maximize: true, betas: [0.8, 0.9] }), (p) => new optim.Adam([p], { lr: 0.1, amsgrad: true, maximize: true, betas: [0.8, 0.9] })],
    ];
    for (const [tx, make] of pairs) {
      const p = torch.tensor([1], { dtype: 'float64', requiresGrad: true });
      const opt = make(p);
      const stateful = grads.map((g) => {
        p.grad = f64([g]);
        opt.step();
        return p.item();
      });
      closeAll(run(tx, grads), stateful, 1e-12, opt.constructor.name);
    }
  });
});

// ------------------------------------------------------------------------------------------------
// Clipping and chain

describe('clip and chain', () => {
  test('clipByGlobalNorm(1)', () => {
    const tx = F.clipByGlobalNorm(1);
    const s = tx.init(null);
    closeAll(arr(tx.update(f64([3, 4]), s)[0]), [0.6, 0.8], 1e-15, '[3, 4]');
    assert.deepEqual(arr(tx.update(f64([0.3, 0.4]), s)[0]), [0.3, 0.4]);
    const [u] = tx.update({ a: f64([3]), b: f64([4]) }, s);
    closeAll(arr(u.a), [0.6], 1e-15, 'a');
    closeAll(arr(u.b), [0.8], 1e-15, 'b');
    close(F.globalNorm({ a: f64([3]), b: f64([4]) }).item(), 5, 1e-15, 'globalNorm');
  });

  test('chain(clipByGlobalNorm(1), sgd(0.1)) on [3, 4]', () => {
    const tx = F.chain(F.clipByGlobalNorm(1), F.sgd({ lr: 0.1 }));
    const [u] = tx.update(f64([3, 4]), tx.init(f64([0, 0])));
    closeAll(arr(u), [-0.06, -0.08], 1e-15, 'updates');
  });

  test('clip(maxDelta) clamps each element', () => {
    const tx = F.clip(1);
    assert.deepEqual(arr(tx.update(f64([-3, 0.5, 2]), tx.init(null))[0]), [-1, 0.5, 1]);
  });

  test('chain state is the array of states; a mismatch is an error', () => {
    const tx = F.chain(F.scaleByAdam(), F.scale(-0.1));
    const s = tx.init({ w: f64([1, 2]) });
    assert.ok(Array.isArray(s) && s.length === 2);
    assert.equal((s[0] as { count: number }).count, 0);
    assert.deepEqual(s[1], {});
    assert.throws(() => tx.update({ w: f64([1, 1]) }, [s[0]]), (e: unknown) => e instanceof torch.ValueError && (e as Error).message.startsWith('The number of updates and states has to be the same in chain!'));
  });

  test('the gradient of a clipped update is finite where the gradients vanish', () => {
    const tx = F.clipByGlobalNorm(1);
    const g = func.grad((x: Tn) => (tx.update(x.mul(0), {})[0] as Tn).sum())(f64([1, 2]));
    assert.ok(arr(g).every(Number.isFinite));
  });
});

// ------------------------------------------------------------------------------------------------
// Purity, errors, schedules

describe('pure updates and errors', () => {
  test('an update leaves its inputs (updates, state, params) unchanged', () => {
    const tx = F.adamw({ lr: 0.1, amsgrad: true });
    const params = { w: f64([1, -2]), b: f64([0.5]) };
    let state = tx.init(params);
    [, state] = tx.update({ w: f64([0.1, 0.2]), b: f64([0.3]) }, state, params);
    const grads = { w: f64([1, 2]), b: f64([-1]) };
    const snap = (x: unknown) => JSON.stringify(torch.treeMap(x, (l) => (l instanceof torch.Tensor ? [...l.toArray()] : l)));
    const before = [snap(grads), snap(state), snap(params)];
    const leavesBefore = torch.treeFlatten(state)[0];
    const [updates, next] = tx.update(grads, state, params);
    const newParams = F.applyUpdates(params, updates);
    assert.deepEqual([snap(grads), snap(state), snap(params)], before);
    assert.deepEqual(torch.treeFlatten(state)[0], leavesBefore);
    assert.notEqual(next, state);
    assert.notEqual(newParams, params);
    assert.notDeepEqual(arr(newParams.w), arr(params.w));
  });

  const errors: [string, () => unknown, RegExp][] = [
    ['negative lr', () => F.adam({ lr: -1 }), /^Invalid learning rate: -1$/],
    ['beta 1.5', () => F.adam({ betas: [1.5, 0.999] }), /^Invalid beta parameter at index 0: 1.5$/],
    ['eps < 0', () => F.adamw({ eps: -1 }), /^Invalid epsilon value: -1$/],
    ['nesterov', () => F.sgd({ lr: 0.1, nesterov: true }), /^Nesterov momentum requires a momentum and zero dampening$/],
    ['rmsprop negative lr', () => F.rmsprop({ lr: -1 }), /^Invalid learning rate: -1$/],
    ['adagrad negative lr', () => F.adagrad({ lr: -1 }), /^Invalid learning rate: -1$/],
    ['unknown option', () => F.sgd({ learningRate: 0.1 } as never), /unknown option 'learningRate'/],
    ['weight decay without params', () => {
      const tx = F.adamw();
      return tx.update(f64([1]), tx.init(f64([1])));
    }, /requires the current value of parameters/],
    ['mismatched trees', () => {
      const tx = F.adam();
      return tx.update({ w: f64([1]), b: f64([1]) }, tx.init({ w: f64([1]) }));
    }, /same tree structure/],
    ['a non-tensor leaf', () => F.applyUpdates({ w: f64([1]) }, { w: 1 as never }), /every leaf of updates must be a Tensor/],
  ];
  for (const [name, fn, re] of errors) {
    test(name, () => assert.throws(fn, (e: unknown) => e instanceof torch.ValueError && re.test((e as Error).message)));
  }

  test('lr as a schedule of the step count', () => {
    // p_k = p_{k-1} - lr(k-1)·g with g = 1, lr(n) = 0.1·0.5^n
    closeAll(run(F.sgd({ lr: (n) => 0.1 * 0.5 ** n }), [1, 1, 1]), [0.9, 0.85, 0.825], 1e-15, 'sgd schedule');
    const sched = F.exponentialDecay({ initValue: 0.1, transitionSteps: 1, decayRate: 0.5 });
    closeAll(run(F.adam({ lr: sched }), [1, 1]), run(F.chain(F.scaleByAdam(), F.scaleBySchedule((n) => -0.1 * 0.5 ** n)), [1, 1]), 1e-15, 'adam schedule');
  });

  test('schedules', () => {
    const at = (s: (n: number) => number, ns: number[]) => ns.map(s);
    closeAll(at(F.constantSchedule(0.3), [0, 10]), [0.3, 0.3], 0, 'constant');
    closeAll(at(F.linearSchedule({ initValue: 1, endValue: 0, transitionSteps: 4, transitionBegin: 2 }), [0, 2, 4, 6, 9]), [1, 1, 0.5, 0, 0], 1e-15, 'linear');
    closeAll(at(F.exponentialDecay({ initValue: 1, transitionSteps: 2, decayRate: 0.5, staircase: true }), [0, 1, 2, 5]), [1, 1, 0.5, 0.25], 1e-15, 'exponential staircase');
    closeAll(at(F.cosineDecaySchedule({ initValue: 1, decaySteps: 4, alpha: 0.1 }), [0, 2, 4, 8]), [1, 0.55, 0.1, 0.1], 1e-15, 'cosine');
    closeAll(at(F.piecewiseConstantSchedule(1, { 2: 0.5, 4: 0.1 }), [0, 2, 3, 4]), [1, 0.5, 0.5, 0.05], 1e-15, 'piecewise');
    closeAll(at(F.warmupCosineDecaySchedule({ initValue: 0, peakValue: 1, warmupSteps: 2, decaySteps: 6 }), [0, 1, 2, 4, 6, 9]), [0, 0.5, 1, 0.5, 0, 0], 1e-15, 'warmup cosine');
  });
});

// ------------------------------------------------------------------------------------------------
// Composition with torch.func

// A tiny linear model y = x·w + b, params as a pytree.
type Lin = { w: Tn; b: Tn };
const mse = (p: Lin, x: Tn, y: Tn) => x.matmul(p.w).add(p.b).sub(y).pow(2).mean();

describe('with torch.func', () => {
  test('vmap trains a stacked ensemble in one call, matching each model trained alone', () => {
    const E = 3;
    torch.manualSeed(0);
    const W = torch.randn([E, 2], { dtype: 'float64' });
    const B = torch.randn([E], { dtype: 'float64' });
    const X = torch.randn([E, 5, 2], { dtype: 'float64' });
    const Y = torch.randn([E, 5], { dtype: 'float64' });
    const tx = F.chain(F.clipByGlobalNorm(1), F.adamw({ lr: 0.05, weightDecay: 0.1 }));
    const stepOne = (p: Lin, s: unknown[], x: Tn, y: Tn): [Lin, unknown[]] => {
      const g = func.grad(mse)(p, x, y) as Lin;
      const [u, ns] = tx.update(g, s, p);
      return [F.applyUpdates(p, u), ns];
    };
    let params: Lin = { w: W, b: B };
    let state = tx.init(params);
    const dims = F.vmapDims(state);
    const batched = func.vmap(stepOne, { inDims: [0, dims, 0, 0], outDims: [0, dims] });
    for (let k = 0; k < 3; k++) [params, state] = batched(params, state, X, Y);
    assert.deepEqual(params.w.shape, [E, 2]);
    assert.equal(((state[1] as unknown[])[0] as { count: number }).count, 3);
    for (let e = 0; e < E; e++) {
      let p: Lin = { w: W.select(0, e), b: B.select(0, e) };
      let s = tx.init(p);
      for (let k = 0; k < 3; k++) [p, s] = stepOne(p, s, X.select(0, e), Y.select(0, e));
      closeAll(params.w.select(0, e).toArray(), p.w.toArray(), 1e-12, `model ${e} w`);
      closeAll([params.b.select(0, e).item()], [p.b.item()], 1e-12, `model ${e} b`);
    }
  });

  // MAML: the outer loss after K inner steps, as a function of the initial params.
  const x = f64([0.5, -1, 2, 0.3, 1, -0.4]).reshape(3, 2);
  const y = f64([1, 0, -1]);
  const xq = f64([1, 1, -0.5, 2]).reshape(2, 2);
  const yq = f64([0.5, -0.5]);
  const inner = (tx: Tx, K: number) => (meta: Lin): Tn => {
    let p = meta;
    let s = tx.init(p);
    for (let k = 0; k < K; k++) {
      const g = func.grad(mse)(p, x, y) as Lin;
      const [u, ns] = tx.update(g, s, p);
      p = F.applyUpdates(p, u);
      s = ns;
    }
    return mse(p, xq, yq);
  };
  const meta0 = (): Lin => ({ w: f64([0.3, -0.2]), b: f64([0.1]) });

  function finiteDiff(f: (m: Lin) => Tn, m: Lin): number[] {
    const h = 1e-6;
    const out: number[] = [];
    for (const key of ['w', 'b'] as const) {
      const base = arr(m[key]);
      base.forEach((_, i) => {
        const shifted = (d: number) => {
          const v = [...base];
          v[i] = v[i]! + d;
          return f({ ...m, [key]: f64(v) }).item();
        };
        out.push((shifted(h) - shifted(-h)) / (2 * h));
      });
    }
    return out;
  }

  for (const [name, make] of [
    ['sgd with momentum', () => F.sgd({ lr: 0.1, momentum: 0.9 })],
    ['adam (epsRoot > 0)', () => F.adam({ lr: 0.05, epsRoot: 1e-8 })],
    ['chain(clipByGlobalNorm, rmsprop)', () => F.chain(F.clipByGlobalNorm(0.5), F.rmsprop({ lr: 0.05 }))],
  ] as [string, () => Tx][]) {
    test(`MAML: func.grad through 3 update steps of ${name} matches finite differences`, () => {
      const f = inner(make(), 3);
      const g = func.grad(f)(meta0()) as Lin;
      closeAll([...arr(g.w), ...arr(g.b)], finiteDiff(f, meta0()), 1e-6, name);
    });
  }

  test('MAML with FuncOptimizer: backward through the steps gives the same meta-gradient', () => {
    const tx = F.adam({ lr: 0.05, epsRoot: 1e-8 });
    const expected = func.grad(inner(tx, 3))(meta0()) as Lin;
    const meta = { w: f64([0.3, -0.2]).requiresGrad_(), b: f64([0.1]).requiresGrad_() };
    const opt = new F.FuncOptimizer(tx);
    let p: Lin = { w: meta.w.mul(1), b: meta.b.mul(1) };
    for (let k = 0; k < 3; k++) p = opt.step(mse(p, x, y), p);
    mse(p, xq, yq).backward();
    closeAll(arr(meta.w.grad), arr(expected.w), 1e-10, 'w');
    closeAll(arr(meta.b.grad), arr(expected.b), 1e-10, 'b');
  });
});
