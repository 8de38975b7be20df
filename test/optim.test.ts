// Stateful optimizers and lr schedulers against torch.optim: the golden 10-step trajectories
// (test/fixtures/golden/optim.json), PYTORCH_SEMANTICS §8's numbers, option errors, param groups,
// atomic steps, stateDict round trips, and the schedulers' values.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { T, caseOf, loadGolden, type Spec } from './support/golden.js';

const { optim } = torch;
type Tn = torch.Tensor;
const f64 = (x: number[]) => torch.tensor(x, { dtype: 'float64' });
const param = (x: number[]) => torch.tensor(x, { dtype: 'float64', requiresGrad: true });

function close(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: got ${actual}, expected ${expected}`);
}
function closeAll(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) close(actual[i]!, expected[i]!, tol, `${what}[${i}]`);
}

// ------------------------------------------------------------------------------------------------
// Golden trajectories: sum((A @ w - b)^2), w after each of 10 steps.

const golden = loadGolden('optim.json');

const STATEFUL: Record<string, (w: Tn) => torch.optim.Optimizer<any>> = {
  sgd: (w) => new optim.SGD([w], { lr: 0.01 }),
  sgd_nesterov: (w) => new optim.SGD([w], { lr: 0.01, momentum: 0.9, nesterov: true }),
  sgd_momentum_wd_dampening: (w) => new optim.SGD([w], { lr: 0.01, momentum: 0.9, dampening: 0.1, weightDecay: 0.1 }),
  adam: (w) => new optim.Adam([w], { lr: 0.1 }),
  adam_amsgrad_wd: (w) => new optim.Adam([w], { lr: 0.1, amsgrad: true, weightDecay: 0.05 }),
  adamw: (w) => new optim.AdamW([w], { lr: 0.1, weightDecay: 0.01 }),
  rmsprop: (w) => new optim.RMSprop([w], { lr: 0.01 }),
  rmsprop_centered_momentum: (w) => new optim.RMSprop([w], { lr: 0.01, centered: true, momentum: 0.5 }),
  adagrad: (w) => new optim.Adagrad([w], { lr: 0.1 }),
  // optax.adam / optax.adamw are the same algorithms.
  optax_adam: (w) => new optim.Adam([w], { lr: 0.1 }),
  optax_adamw: (w) => new optim.AdamW([w], { lr: 0.1, weightDecay: 0.01 }),
};

describe('golden trajectories (torch.optim, optax)', () => {
  for (const [name, make] of Object.entries(STATEFUL)) {
    test(name, () => {
      const c = caseOf(golden, name);
      const A = T(c.A);
      const b = T(c.b);
      const w = T(c.w0, { requiresGrad: true });
      const opt = make(w);
      const expected = (c.expected as Spec).data;
      for (let k = 0; k < 10; k++) {
        opt.zeroGrad();
        A.matmul(w).sub(b).pow(2).sum().backward();
        opt.step();
        closeAll(w.toArray(), expected.slice(3 * k, 3 * k + 3), 1e-10, `${name} step ${k + 1}`);
      }
      assert.equal(w.dtype, 'float64');
      assert.ok(w.isLeaf && w.requiresGrad);
    });
  }
});

// ------------------------------------------------------------------------------------------------
// PYTORCH_SEMANTICS §8: p0 = 1, grads 0.5, -1, 2, lr 0.1.

function trajectory(make: (p: Tn) => torch.optim.Optimizer<any>, grads = [0.5, -1, 2]): number[] {
  const p = param([1]);
  const opt = make(p);
  return grads.map((g) => {
    p.grad = f64([g]);
    opt.step();
    return p.item();
  });
}

describe('PYTORCH_SEMANTICS §8 numbers', () => {
  const cases: [string, (p: Tn) => torch.optim.Optimizer<any>, number[]][] = [
    ['Adam', (p) => new optim.Adam([p], { lr: 0.1 }), [0.900000002, 0.9366103542, 0.8946447927]],
    ['Adam eps=0.1 (outside the root)', (p) => new optim.Adam([p], { lr: 0.1, eps: 0.1 }), [0.9166666667, 0.9491666743, 0.9101494815]],
    ['Adam wd=0.1 (L2)', (p) => new optim.Adam([p], { lr: 0.1, weightDecay: 0.1 }), [0.9000000017, 0.9252635194, 0.8776172608]],
    ['AdamW wd=0.1 (decoupled)', (p) => new optim.AdamW([p], { lr: 0.1, weightDecay: 0.1 }), [0.890000002, 0.9177103542, 0.8665676892]],
    ['SGD', (p) => new optim.SGD([p], { lr: 0.1 }), [0.95, 1.05, 0.85]],
    ['SGD momentum 0.9', (p) => new optim.SGD([p], { lr: 0.1, momentum: 0.9 }), [0.95, 1.005, 0.8545]],
    ['SGD dampening 0.5', (p) => new optim.SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.5 }), [0.95, 0.955, 0.8595]],
    ['SGD nesterov', (p) => new optim.SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true }), [0.905, 1.0545, 0.71905]],
    ['SGD wd 0.1', (p) => new optim.SGD([p], { lr: 0.1, weightDecay: 0.1 }), [0.94, 1.0306, 0.820294]],
    ['SGD maximize', (p) => new optim.SGD([p], { lr: 0.1, maximize: true }), [1.05, 0.95, 1.15]],
  ];
  for (const [name, make, expected] of cases) {
    test(name, () => closeAll(trajectory(make), expected, 1e-9, name));
  }

  test('Adam maximize equals Adam on negated gradients', () => {
    closeAll(trajectory((p) => new optim.Adam([p], { lr: 0.1, maximize: true })), trajectory((p) => new optim.Adam([p], { lr: 0.1 }), [-0.5, 1, -2]), 1e-15, 'maximize');
  });

  test('amsgrad keeps the max of the raw second moment', () => {
    const p = param([1]);
    const opt = new optim.Adam([p], { lr: 0.1, amsgrad: true });
    for (const g of [2, 0, 0]) {
      p.grad = f64([g]);
      opt.step();
    }
    const s = opt.state.get(p)!;
    // v decays after the first step, so its running max stays at v1 (raw, not bias-corrected).
    const v1 = 0.001 * 4;
    const v2 = v1 * 0.999;
    const v3 = v2 * 0.999;
    close((s.expAvgSq as Tn).item(), v3, 1e-12, 'expAvgSq');
    close((s.maxExpAvgSq as Tn).item(), Math.max(v1, v2, v3), 1e-12, 'maxExpAvgSq');
    assert.equal(s.step, 3);
  });

  test('RMSprop and Adagrad first steps', () => {
    // RMSprop: v = 0.01·g², p −= lr·g/(√v + eps) = lr·sign(g)/0.1 (eps aside).
    closeAll(trajectory((p) => new optim.RMSprop([p], { lr: 0.01, eps: 0 }), [0.5]), [1 - 0.1], 1e-12, 'rmsprop');
    // Adagrad with lrDecay: second step uses lr / (1 + lrDecay).
    const p = param([1]);
    const opt = new optim.Adagrad([p], { lr: 0.1, lrDecay: 0.5, eps: 0 });
    p.grad = f64([1]);
    opt.step();
    close(p.item(), 0.9, 1e-12, 'adagrad step 1');
    p.grad = f64([1]);
    opt.step();
    close(p.item(), 0.9 - (0.1 / 1.5) / Math.SQRT2, 1e-12, 'adagrad step 2');
  });
});

// ------------------------------------------------------------------------------------------------
// Errors

describe('option errors', () => {
  const p = () => [param([1])];
  const cases: [string, () => unknown, RegExp][] = [
    ['SGD negative lr', () => new optim.SGD(p(), { lr: -1 }), /^Invalid learning rate: -1$/],
    ['Adam negative lr', () => new optim.Adam(p(), { lr: -1 }), /^Invalid learning rate: -1$/],
    ['Adam beta1 1.5', () => new optim.Adam(p(), { betas: [1.5, 0.999] }), /^Invalid beta parameter at index 0: 1.5$/],
    ['Adam beta2 1', () => new optim.AdamW(p(), { betas: [0.9, 1] }), /^Invalid beta parameter at index 1: 1$/],
    ['Adam eps < 0', () => new optim.Adam(p(), { eps: -1 }), /^Invalid epsilon value: -1$/],
    ['Adam wd < 0', () => new optim.Adam(p(), { weightDecay: -0.1 }), /^Invalid weight_decay value: -0.1$/],
    ['RMSprop eps < 0', () => new optim.RMSprop(p(), { eps: -1e-8 }), /^Invalid epsilon value: -1e-8$/],
    ['RMSprop alpha < 0', () => new optim.RMSprop(p(), { alpha: -1 }), /^Invalid alpha value: -1$/],
    ['Adagrad lrDecay < 0', () => new optim.Adagrad(p(), { lrDecay: -1 }), /^Invalid lr_decay value: -1$/],
    ['Adagrad eps < 0', () => new optim.Adagrad(p(), { eps: -1 }), /^Invalid epsilon value: -1$/],
    ['SGD momentum < 0', () => new optim.SGD(p(), { momentum: -1 }), /^Invalid momentum value: -1$/],
    ['SGD nesterov without momentum', () => new optim.SGD(p(), { lr: 0.1, nesterov: true }), /^Nesterov momentum requires a momentum and zero dampening$/],
    ['SGD nesterov with dampening', () => new optim.SGD(p(), { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }), /^Nesterov momentum requires a momentum and zero dampening$/],
    ['NaN lr', () => new optim.SGD(p(), { lr: NaN }), /^Invalid learning rate: NaN$/],
    ['unknown option', () => new optim.Adam(p(), { weight_decay: 0.1 } as never), /unknown option 'weight_decay'/],
    ['a parameter given twice', () => {
      const w = param([1]);
      return new optim.SGD([{ params: [w] }, { params: [w], lr: 0.1 }], { lr: 0.01 });
    }, /some parameters appear in more than one parameter group/],
    ['a parameter twice in one group', () => {
      const w = param([1]);
      return new optim.SGD([w, w], { lr: 0.01 });
    }, /duplicate parameters/],
    ['empty parameter list', () => new optim.SGD([], { lr: 0.01 }), /optimizer got an empty parameter list/],
    ['a tensor instead of a list', () => new optim.SGD(param([1]) as never, { lr: 0.01 }), /should be an iterable of Tensors or dicts, but got Tensor/],
    ['a non-leaf tensor', () => new optim.SGD([param([1]).mul(2)], { lr: 0.01 }), /can't optimize a non-leaf Tensor/],
    ['a bad per-group option', () => new optim.SGD([{ params: [param([1])], lr: -1 }], { lr: 0.01 }), /^Invalid learning rate: -1$/],
    ['an unknown group key', () => new optim.SGD([{ params: [param([1])], learningRate: 0.1 } as never], { lr: 0.01 }), /unknown parameter group key 'learningRate'/],
  ];
  for (const [name, fn, re] of cases) {
    test(name, () => assert.throws(fn, (e: unknown) => e instanceof torch.ValueError && re.test((e as Error).message)));
  }

  test('addParamGroup errors leave the groups unchanged', () => {
    const w = param([1]);
    const opt = new optim.Adam([w], { lr: 0.1 });
    assert.throws(() => opt.addParamGroup({ params: [w] }), /some parameters appear in more than one parameter group/);
    assert.throws(() => opt.addParamGroup({ params: [param([2])], betas: [1.5, 0.9] }), /Invalid beta parameter at index 0: 1.5/);
    assert.equal(opt.paramGroups.length, 1);
    opt.addParamGroup({ params: [param([2])], lr: 0.01 });
    assert.equal(opt.paramGroups.length, 2);
    assert.equal(opt.paramGroups[1]!.lr, 0.01);
    assert.deepEqual(opt.paramGroups[1]!.betas, [0.9, 0.999]);
  });
});

// ------------------------------------------------------------------------------------------------
// Groups, zeroGrad, closures, atomic steps, state dicts

describe('Optimizer', () => {
  test('param groups take their own options, others from the defaults', () => {
    const a = param([1]);
    const b = param([1]);
    const opt = new optim.SGD([{ params: [a] }, { params: [b], lr: 0.5, momentum: 0.9 }], { lr: 0.1 });
    assert.equal(opt.paramGroups[0]!.lr, 0.1);
    assert.equal(opt.paramGroups[0]!.momentum, 0);
    assert.equal(opt.paramGroups[1]!.lr, 0.5);
    a.grad = f64([1]);
    b.grad = f64([1]);
    opt.step();
    close(a.item(), 0.9, 1e-15, 'a');
    close(b.item(), 0.5, 1e-15, 'b');
    // A scheduler-style change of a group's lr applies at the next step.
    opt.paramGroups[0]!.lr = 0.2;
    opt.step();
    close(a.item(), 0.7, 1e-15, 'a after lr change');
  });

  test('accepts iterators and [name, tensor] pairs', () => {
    const w = param([1]);
    function* gen() { yield w; }
    assert.equal(new optim.SGD(gen(), { lr: 0.1 }).paramGroups[0]!.params[0], w);
    assert.equal(new optim.SGD(new Map([['w', w]]), { lr: 0.1 }).paramGroups[0]!.params[0], w);
  });

  test('defaults are PyTorch\'s', () => {
    const w = param([1]);
    assert.deepEqual({ ...new optim.SGD([w]).defaults }, { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
    assert.deepEqual({ ...new optim.Adam([w]).defaults }, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false });
    assert.equal(new optim.AdamW([w]).defaults.weightDecay, 1e-2);
    assert.deepEqual({ ...new optim.RMSprop([w]).defaults }, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false });
    assert.deepEqual({ ...new optim.Adagrad([w]).defaults }, { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false });
    assert.ok(new optim.AdamW([w]) instanceof optim.Adam);
  });

  test('zeroGrad sets grads to null by default, or zeroes them in place', () => {
    const w = param([1, 2]);
    const opt = new optim.SGD([w], { lr: 0.1 });
    w.mul(3).sum().backward();
    opt.zeroGrad();
    assert.equal(w.grad, null);
    w.mul(3).sum().backward();
    const g = w.grad!;
    opt.zeroGrad({ setToNone: false });
    assert.equal(w.grad, g);
    assert.deepEqual([...g.toArray()], [0, 0]);
  });

  test('step(closure) evaluates the closure with grad on and returns its loss', () => {
    const w = param([2]);
    const opt = new optim.SGD([w], { lr: 0.1 });
    const loss = torch.noGrad(() =>
      opt.step(() => {
        opt.zeroGrad();
        const l = w.pow(2).sum();
        l.backward();
        return l;
      }),
    ) as Tn;
    close(loss.item(), 4, 1e-15, 'loss');
    close(w.item(), 2 - 0.1 * 4, 1e-15, 'w');
  });

  test('parameters without a gradient are skipped and get no state', () => {
    const a = param([1]);
    const b = param([1]);
    const opt = new optim.Adam([a, b], { lr: 0.1 });
    a.grad = f64([1]);
    opt.step();
    assert.equal(b.item(), 1);
    assert.ok(opt.state.has(a) && !opt.state.has(b));
  });

  test('float32 parameters stay float32', () => {
    const w = torch.tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    const opt = new optim.Adam([w], { lr: 0.1 });
    w.grad = torch.tensor([0.5, -1], { dtype: 'float32' });
    opt.step();
    assert.equal(w.dtype, 'float32');
    closeAll(w.toArray(), [0.9, 2.1], 1e-6, 'w');
  });

  test('a step either applies to all params or throws before changing any', () => {
    const a = param([1]);
    const b = param([1, 2]);
    const opt = new optim.Adam([a, b], { lr: 0.1 });
    a.grad = f64([1]);
    b.grad = torch.tensor([1, 1], { dtype: 'float32' }); // float32 grad for a float64 param
    assert.throws(() => opt.step(), (e: unknown) => e instanceof torch.DTypeError && /parameter 1 of group 0/.test((e as Error).message));
    assert.equal(a.item(), 1);
    assert.deepEqual([...b.toArray()], [1, 2]);
    assert.equal(opt.state.size, 0);
    b.grad = f64([1, 1]);
    opt.step();
    close(a.item(), 0.9, 1e-8, 'a');
    assert.equal(opt.state.size, 2);
  });

  test('in-place updates keep the parameter objects and their storage', () => {
    const w = param([1, 2]);
    const view = w.detach(); // shares storage
    const opt = new optim.SGD([w], { lr: 0.5 });
    w.grad = f64([1, 1]);
    opt.step();
    assert.deepEqual([...view.toArray()], [0.5, 1.5]);
  });

  test('stateDict / loadStateDict round trip continues the same trajectory', () => {
    const grads = [[0.5, -1], [2, 0.3], [-1, 1], [0.2, 0.2], [3, -2]];
    const run = (opt: torch.optim.Optimizer<any>, w: Tn, gs: number[][]) => {
      for (const g of gs) {
        w.grad = f64(g);
        opt.step();
      }
    };
    const w1 = param([1, -1]);
    const o1 = new optim.Adam([w1], { lr: 0.1, amsgrad: true });
    run(o1, w1, grads.slice(0, 2));
    const saved = o1.stateDict();
    assert.deepEqual(Object.keys(saved.state), ['0']);
    assert.equal(saved.state[0]!.step, 2);
    assert.deepEqual(saved.paramGroups[0]!.params, [0]);
    const w2 = param([...w1.toArray()]);
    run(o1, w1, grads.slice(2));
    // The snapshot is a copy: later steps did not change it.
    assert.equal(saved.state[0]!.step, 2);
    const o2 = new optim.Adam([w2], { lr: 0.5 });
    o2.loadStateDict(saved);
    assert.equal(o2.paramGroups[0]!.lr, 0.1);
    assert.equal(o2.paramGroups[0]!.amsgrad, true);
    assert.equal(o2.paramGroups[0]!.params[0], w2);
    run(o2, w2, grads.slice(2));
    closeAll(w2.toArray(), w1.toArray(), 1e-15, 'resumed');
  });

  test('loadStateDict checks before changing anything', () => {
    const w = param([1]);
    const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9 });
    w.grad = f64([1]);
    opt.step();
    const sd = opt.stateDict();
    const before = opt.stateDict();
    assert.throws(() => opt.loadStateDict({ ...sd, paramGroups: [] }), /different number of parameter groups/);
    assert.throws(() => opt.loadStateDict({ ...sd, paramGroups: [{ ...sd.paramGroups[0]!, lr: -1 }] }), /Invalid learning rate: -1/);
    assert.throws(() => opt.loadStateDict({ ...sd, state: { 0: { momentumBuffer: f64([1, 2]) } } }), /has shape \[2\], the parameter \[1\]/);
    assert.deepEqual(opt.stateDict().paramGroups, before.paramGroups);
    assert.equal((opt.state.get(w)!.momentumBuffer as Tn).item(), 1);
  });
});

// ------------------------------------------------------------------------------------------------
// Learning-rate schedulers

function lrs(make: (opt: torch.optim.Optimizer<any>) => torch.optim.LRScheduler, n: number, lr = 1, optMaker?: (w: Tn) => torch.optim.Optimizer<any>) {
  const w = param([1]);
  const opt = optMaker ? optMaker(w) : new optim.SGD([w], { lr });
  const s = make(opt);
  const out = [s.getLastLr()[0]!];
  for (let i = 1; i < n; i++) {
    w.grad = f64([0]);
    opt.step();
    s.step();
    out.push(s.getLastLr()[0]!);
    assert.equal(opt.paramGroups[0]!.lr, out[i]);
  }
  return { out, opt, s };
}

describe('lr schedulers', () => {
  const S = optim.lrScheduler;
  test('StepLR', () => {
    closeAll(lrs((o) => new S.StepLR(o, { stepSize: 2, gamma: 0.1 }), 7, 0.05).out, [0.05, 0.05, 0.005, 0.005, 0.0005, 0.0005, 0.00005], 1e-12, 'StepLR');
  });
  test('MultiStepLR', () => {
    closeAll(lrs((o) => new S.MultiStepLR(o, { milestones: [2, 5, 5], gamma: 0.5 }), 7).out, [1, 1, 0.5, 0.5, 0.5, 0.125, 0.125], 1e-12, 'MultiStepLR');
  });
  test('ExponentialLR', () => {
    closeAll(lrs((o) => new S.ExponentialLR(o, { gamma: 0.9 }), 5).out, [1, 0.9, 0.81, 0.729, 0.6561], 1e-12, 'ExponentialLR');
  });
  test('CosineAnnealingLR follows the closed form (recursively), past TMax too', () => {
    const T = 4;
    const eta = 0.1;
    const closed = Array.from({ length: 12 }, (_, e) => eta + ((1 - eta) * (1 + Math.cos((Math.PI * e) / T))) / 2);
    closeAll(lrs((o) => new S.CosineAnnealingLR(o, { TMax: T, etaMin: eta }), 12).out, closed, 1e-12, 'CosineAnnealingLR');
  });
  test('LinearLR', () => {
    closeAll(lrs((o) => new S.LinearLR(o, { startFactor: 0.25, totalIters: 3 }), 6).out, [0.25, 0.5, 0.75, 1, 1, 1], 1e-12, 'LinearLR');
  });
  test('OneCycleLR, linear annealing (PyTorch test_lr_scheduler numbers)', () => {
    const { out, opt } = lrs(
      (o) => new S.OneCycleLR(o, { maxLr: 25, finalDivFactor: 2, baseMomentum: 1, maxMomentum: 22, totalSteps: 10, annealStrategy: 'linear' }),
      10, 1, (w) => new optim.SGD([w], { lr: 1, momentum: 0.5 }),
    );
    closeAll(out, [1, 13, 25, 21.5, 18, 14.5, 11, 7.5, 4, 0.5], 1e-12, 'lr');
    assert.equal(opt.paramGroups[0]!.momentum, 22);
  });
  test('OneCycleLR, three phases; momentum cycles inversely', () => {
    const w = param([1]);
    const opt = new optim.SGD([w], { lr: 1, momentum: 0.5 });
    const s = new S.OneCycleLR(opt, { maxLr: 25, finalDivFactor: 4, baseMomentum: 1, maxMomentum: 22, totalSteps: 10, pctStart: 0.4, threePhase: true, annealStrategy: 'linear' });
    const lr: number[] = [s.getLastLr()[0]!];
    const mom: number[] = [opt.paramGroups[0]!.momentum];
    for (let i = 1; i < 10; i++) {
      s.step();
      lr.push(s.getLastLr()[0]!);
      mom.push(opt.paramGroups[0]!.momentum);
    }
    closeAll(lr, [1, 9, 17, 25, 17, 9, 1, 0.75, 0.5, 0.25], 1e-12, 'lr');
    closeAll(mom, [22, 15, 8, 1, 8, 15, 22, 22, 22, 22], 1e-12, 'momentum');
  });
  test('OneCycleLR cos with Adam cycles beta1; stepping past the end throws and changes nothing', () => {
    const w = param([1]);
    const opt = new optim.Adam([w], { lr: 1 });
    const s = new S.OneCycleLR(opt, { maxLr: 1, totalSteps: 10 });
    close(s.getLastLr()[0]!, 1 / 25, 1e-12, 'initial lr');
    assert.deepEqual(opt.paramGroups[0]!.betas, [0.95, 0.999]);
    for (let i = 1; i <= 2; i++) s.step();
    close(opt.paramGroups[0]!.lr, 1, 1e-12, 'peak lr');
    close(opt.paramGroups[0]!.betas[0], 0.85, 1e-12, 'beta1 at peak');
    for (let i = 3; i <= 10; i++) s.step();
    const last = opt.paramGroups[0]!.lr;
    assert.throws(() => s.step(), /Tried to step 11 times. The specified number of total steps is 10/);
    assert.equal(s.lastEpoch, 10);
    assert.equal(opt.paramGroups[0]!.lr, last);
    assert.throws(() => new S.OneCycleLR(new optim.Adagrad([param([1])]), { maxLr: 1, totalSteps: 10 }), /optimizer must support momentum or beta1/);
    assert.throws(() => new S.OneCycleLR(opt, { maxLr: 1 }), /You must define either total_steps OR \(epochs AND steps_per_epoch\)/);
  });
  test('SequentialLR: LinearLR warm-up then ExponentialLR', () => {
    const { out } = lrs((o) => new S.SequentialLR(o, {
      schedulers: [new S.LinearLR(o, { startFactor: 0.1, totalIters: 2 }), new S.ExponentialLR(o, { gamma: 0.5 })],
      milestones: [2],
    }), 6);
    closeAll(out, [0.1, 0.55, 1, 0.5, 0.25, 0.125], 1e-12, 'SequentialLR');
  });
  test('SequentialLR: warm-up then cosine', () => {
    const { out } = lrs((o) => new S.SequentialLR(o, {
      schedulers: [new S.LinearLR(o, { startFactor: 0.5, totalIters: 2 }), new S.CosineAnnealingLR(o, { TMax: 4 })],
      milestones: [2],
    }), 7);
    const cos = (e: number) => (1 + Math.cos((Math.PI * e) / 4)) / 2;
    closeAll(out, [0.5, 0.75, cos(0), cos(1), cos(2), cos(3), cos(4)], 1e-12, 'warm-up + cosine');
  });
  test('SequentialLR errors', () => {
    const opt = new optim.SGD([param([1])], { lr: 1 });
    const other = new optim.SGD([param([1])], { lr: 1 });
    assert.throws(() => new S.SequentialLR(opt, { schedulers: [], milestones: [] }), /expects at least one scheduler/);
    assert.throws(() => new S.SequentialLR(opt, { schedulers: [new S.ExponentialLR(other, { gamma: 0.5 })], milestones: [] }), /same optimizer/);
    assert.throws(() => new S.SequentialLR(opt, { schedulers: [new S.ExponentialLR(opt, { gamma: 0.5 })], milestones: [1] }), /one more than the number of milestone points/);
  });
  test('per-group base lrs; stateDict round trip', () => {
    const opt = new optim.SGD([{ params: [param([1])], lr: 1 }, { params: [param([1])], lr: 0.1 }], { lr: 1 });
    const s = new S.StepLR(opt, { stepSize: 1, gamma: 0.5 });
    s.step();
    assert.deepEqual(s.getLastLr(), [0.5, 0.05]);
    assert.deepEqual(s.baseLrs, [1, 0.1]);
    const sd = s.stateDict();
    s.step();
    s.loadStateDict(sd);
    assert.equal(s.lastEpoch, 1);
    assert.deepEqual(s.getLastLr(), [0.5, 0.05]);
  });
});
