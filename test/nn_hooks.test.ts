// Module hooks: forward pre-hooks / forward hooks / full backward (pre-)hooks with PyTorch's order and
// semantics, checked against PyTorch 2.11 (test/fixtures/golden/hooks.json) and
// PYTORCH_SEMANTICS.md section 7; handles; global hooks; hooks under torch.func transforms.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as torch from '../src/index.js';
import { Tensor, nn, func } from '../src/index.js';

interface GT {
  shape: number[];
  dtype: string;
  data: number[];
}
const golden = JSON.parse(readFileSync(new URL('./fixtures/golden/hooks.json', import.meta.url), 'utf8')) as {
  cases: ({ name: string } & Record<string, any>)[];
};
const gcase = (name: string) => golden.cases.find((c) => c.name === name)!;

const t64 = (g: GT, requiresGrad = false) => torch.tensor(Float64Array.from(g.data), { shape: g.shape, requiresGrad });

function close(actual: Tensor | null, expected: GT | number[], tol = 1e-10): void {
  assert.ok(actual, 'expected a tensor, got null');
  const exp = Array.isArray(expected) ? expected : expected.data;
  if (!Array.isArray(expected)) assert.deepEqual(actual.shape, expected.shape);
  const got = Array.from(actual.toArray() as Float64Array);
  assert.equal(got.length, exp.length);
  got.forEach((v, i) => {
    const e = exp[i]!;
    assert.ok(Math.abs(v - e) <= tol * Math.max(1, Math.abs(e)), `element ${i}: ${v} vs ${e}`);
  });
}

/** Linear(3, 2) in float64 with the golden parameters. */
function goldenLinear(c: Record<string, any>): nn.Linear {
  const lin = new nn.Linear(3, 2, { dtype: 'float64' });
  lin.loadStateDict({ weight: t64(c.params.weight), bias: t64(c.params.bias) });
  return lin;
}

/** forward(x) = x.sum(), to watch hooks on a module without parameters. */
class Summer extends nn.Module {
  override forward(...xs: unknown[]): Tensor {
    return (xs[0] as Tensor).sum();
  }
}

describe('golden hooks (PyTorch 2.11)', () => {
  test('forward pre-hook scales the input', () => {
    const c = gcase('forward_pre_hook_scales_input');
    const lin = goldenLinear(c);
    lin.registerForwardPreHook((_m, args) => [args[0].mul(0.5)]);
    close(lin.call(t64(c.x)), c.expected);
    // forward() alone skips the hooks
    assert.notDeepEqual(lin.forward(t64(c.x)).tolist(), lin.call(t64(c.x)).tolist());
  });

  test('forward hook replaces the output', () => {
    const c = gcase('forward_hook_replaces_output');
    const lin = goldenLinear(c);
    lin.registerForwardHook((_m, _args, out) => out.mul(100));
    close(lin.call(t64(c.x)), c.expected);
  });

  test('full backward hook records gradInput and gradOutput', () => {
    const c = gcase('full_backward_hook_records');
    const lin = goldenLinear(c);
    let gi: (Tensor | null)[] = [];
    let go: (Tensor | null)[] = [];
    lin.registerFullBackwardHook((m, gin, gout) => {
      assert.equal(m, lin);
      gi = gin;
      go = gout;
    });
    const x = t64(c.x, true);
    torch.mseLoss(lin.call(x), t64(c.target)).backward();
    assert.equal(gi.length, 1);
    assert.equal(go.length, 1);
    close(gi[0]!, c.expected_grad_input);
    close(go[0]!, c.expected_grad_output);
    close(x.grad, c.expected_grad_input);
  });

  test('full backward hook replaces gradInput', () => {
    const c = gcase('full_backward_hook_replaces_grad_input');
    const lin = goldenLinear(c);
    lin.registerFullBackwardHook((_m, gin) => [gin[0]!.mul(0.1)]);
    const x = t64(c.x, true);
    torch.mseLoss(lin.call(x), t64(c.target)).backward();
    close(x.grad, c.expected_x_grad);
    close(lin.weight.grad, c.expected_weight_grad);
  });

  test('tensor hook doubles the gradient', () => {
    const c = gcase('tensor_hook_doubles');
    const x = t64(c.x, true);
    x.registerHook((g) => g.mul(2));
    x.mul(2).mean().backward();
    close(x.grad, c.expected);
  });

  test('non-leaf hook with retainGrad', () => {
    const c = gcase('non_leaf_hook_retain_grad');
    const x = t64(c.x, true);
    const y = x.mul(2);
    y.registerHook((g) => g.mul(3));
    y.retainGrad();
    y.sum().backward();
    close(y.grad, c.expected_y_grad);
    close(x.grad, c.expected_x_grad);
  });

  test('call order with prepend and global hooks', () => {
    const c = gcase('call_order');
    const order: string[] = [];
    const m = new nn.Identity();
    using _a = m.registerForwardPreHook(() => void order.push('pre0'));
    using _b = m.registerForwardPreHook(() => void order.push('preP'), { prepend: true });
    using _c = m.registerForwardHook(() => void order.push('f0'));
    using _d = m.registerForwardHook(() => void order.push('fP'), { prepend: true });
    using _e = nn.modules.registerModuleForwardPreHook(() => void order.push('gpre'));
    using _f = nn.modules.registerModuleForwardHook(() => void order.push('gfwd'));
    m.call(torch.ones([1]));
    assert.deepEqual(order, c.expected);
  });
});

describe('forward hooks', () => {
  test('pre-hooks chain; a non-array result becomes the single argument (x=1 gives 22)', () => {
    const m = new nn.Identity();
    m.registerForwardPreHook((_m, [x]) => x.mul(10));
    m.registerForwardPreHook((_m, [x]) => [x.add(1)]);
    m.registerForwardHook((_m, _a, out) => out.mul(2));
    assert.equal(m.call(torch.tensor([1], { dtype: 'float32' })).item(), 22);
  });

  test('undefined keeps args and output; forward hooks see the (modified) args', () => {
    const m = new nn.Identity();
    let seen: unknown[] = [];
    m.registerForwardPreHook(() => undefined);
    m.registerForwardPreHook((_m, [x]) => [x.mul(3)]);
    m.registerForwardHook((_m, args) => {
      seen = args;
    });
    const y = m.call(torch.tensor([2], { dtype: 'float32' }));
    assert.equal(y.item(), 6);
    assert.equal((seen[0] as Tensor).item(), 6);
  });

  test('withKwargs: forward x+bias, pre-hook doubles bias, forward hook adds bias: 5', () => {
    class AddBias extends nn.Module {
      override forward(x: Tensor, kw: { bias: Tensor }): Tensor {
        return x.add(kw.bias);
      }
    }
    const m = new AddBias();
    m.registerForwardPreHook((_m, args, kwargs) => [args, { bias: kwargs.bias.mul(2) }], { withKwargs: true });
    m.registerForwardHook((_m, _args, kwargs, out) => out.add(kwargs.bias), { withKwargs: true });
    assert.equal(m.call(torch.tensor(1, { dtype: 'float32' }), { bias: torch.tensor(1, { dtype: 'float32' }) }).item(), 5);
  });

  test('withKwargs pre-hook must return [args, kwargs]', () => {
    const m = new nn.Identity();
    m.registerForwardPreHook(() => [torch.ones([1])] as any, { withKwargs: true });
    assert.throws(() => m.call(torch.ones([1])), /forward pre-hook must return None or a tuple of \(new_args, new_kwargs\)/);
  });

  test('alwaysCall hooks run with undefined output when forward throws; the error propagates', () => {
    class Boom extends nn.Module {
      override forward(_x: Tensor): Tensor {
        throw new Error('boom');
      }
    }
    const m = new Boom();
    const seen: unknown[] = [];
    m.registerForwardHook((_m, _a, out) => void seen.push(['always', out]), { alwaysCall: true });
    m.registerForwardHook(() => void seen.push('normal'));
    assert.throws(() => m.call(torch.ones([1])), /boom/);
    assert.deepEqual(seen, [['always', undefined]]);
  });

  test('handles: remove() is idempotent, `using` removes, removal leaves no reference', () => {
    const m = new nn.Identity();
    let n = 0;
    const h = m.registerForwardHook(() => void n++, { withKwargs: false, alwaysCall: true });
    m.call(torch.ones([1]));
    h.remove();
    h.remove();
    m.call(torch.ones([1]));
    assert.equal(n, 1);
    assert.equal(m._forwardHooks.size, 0);
    assert.equal(m._forwardHooksAlwaysCalled.size, 0);
    {
      using _h2 = m.registerForwardPreHook(() => void n++, { withKwargs: false });
      m.call(torch.ones([1]));
    }
    m.call(torch.ones([1]));
    assert.equal(n, 2);
    assert.equal(m._forwardPreHooks.size, 0);
    const a = m.registerForwardHook(() => {});
    const b = m.registerForwardHook(() => {});
    assert.ok(b.id > a.id, 'ids come from a global counter');
  });

  test('hooks are not part of stateDict', () => {
    const lin = new nn.Linear(2, 2);
    const before = Object.keys(lin.stateDict());
    lin.registerForwardHook(() => {});
    lin.registerFullBackwardHook(() => {});
    assert.deepEqual(Object.keys(lin.stateDict()), before);
  });

  test('hooks fire for submodules of a Sequential (called through call())', () => {
    const seq = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1));
    const names: string[] = [];
    using _g = nn.modules.registerModuleForwardHook((m) => void names.push(m._getName()));
    seq.call(torch.randn([4, 2]));
    assert.deepEqual(names, ['Linear', 'ReLU', 'Linear', 'Sequential']);
  });
});

describe('full backward hooks', () => {
  test('Linear w=[[1,2]], x=[[3,4]]: gradInput [[1,2]], gradOutput [[1]]', () => {
    const lin = new nn.Linear(2, 1, { bias: false, dtype: 'float64' });
    lin.loadStateDict({ weight: torch.tensor([[1, 2]], { dtype: 'float64' }) });
    let gi: (Tensor | null)[] = [];
    let go: (Tensor | null)[] = [];
    lin.registerFullBackwardHook((_m, a, b) => {
      gi = a;
      go = b;
    });
    lin.call(torch.tensor([[3, 4]], { dtype: 'float64', requiresGrad: true })).sum().backward();
    assert.deepEqual(gi.map((g) => g!.tolist()), [[[1, 2]]]);
    assert.deepEqual(go.map((g) => g!.tolist()), [[[1]]]);
  });

  test('one gradInput slot per positional argument: null for non-tensors, zeros for a no-grad tensor (2.11)', () => {
    class Mul extends nn.Module {
      override forward(a: Tensor, b: Tensor, _k: number): Tensor {
        return a.mul(b);
      }
    }
    const m = new Mul();
    let gi: (Tensor | null)[] = [];
    m.registerFullBackwardHook((_m, gin) => {
      gi = gin;
      return [gin[0]!.mul(10), gin[1], gin[2]];
    });
    const a = torch.tensor([2], { dtype: 'float32', requiresGrad: true });
    const b = torch.tensor([5], { dtype: 'float32' });
    m.call(a, b, 3).sum().backward();
    assert.equal(gi.length, 3);
    assert.deepEqual(gi[0]!.tolist(), [5]);
    assert.deepEqual(gi[1]!.tolist(), [0]);
    assert.equal(gi[2], null);
    assert.deepEqual(a.grad!.tolist(), [50]);
  });

  test('no input requires grad: gradInput is [null] and the hook must return nothing', () => {
    const lin = new nn.Linear(2, 1);
    let gi: (Tensor | null)[] | null = null;
    let go: (Tensor | null)[] = [];
    const h = lin.registerFullBackwardHook((_m, a, b) => {
      gi = a;
      go = b;
    });
    lin.call(torch.ones([3, 2])).sum().backward();
    assert.deepEqual(gi, [null]);
    assert.deepEqual(go[0]!.tolist(), [[1], [1], [1]]);
    h.remove();
    lin.registerFullBackwardHook(() => [torch.ones([3, 2])]);
    assert.throws(() => lin.call(torch.ones([3, 2])).sum().backward(), /should always return None or None for all gradients/);
  });

  test('wrong number of gradInput: error names got and expected', () => {
    class Three extends nn.Module {
      override forward(a: Tensor, b: Tensor, c: Tensor): Tensor {
        return a.mul(b).mul(c);
      }
    }
    const m = new Three();
    m.registerFullBackwardHook((_m, gin) => [gin[0]!]);
    const a = torch.ones([2], { requiresGrad: true });
    assert.throws(() => m.call(a, a, a).sum().backward(), /Backward hook returned an invalid number of grad_input, got 1, but expected 3/);
  });

  test('a backward pre-hook replaces gradOutput, seen by the backward hook and the inputs', () => {
    const lin = new nn.Linear(2, 2, { bias: false, dtype: 'float64' });
    lin.loadStateDict({ weight: torch.eye(2, 2, { dtype: 'float64' }) });
    let go: (Tensor | null)[] = [];
    lin.registerFullBackwardPreHook((_m, gout) => [gout[0]!.mul(3)]);
    lin.registerFullBackwardHook((_m, _gin, gout) => {
      go = gout;
    });
    const x = torch.ones([1, 2], { dtype: 'float64', requiresGrad: true });
    lin.call(x).sum().backward();
    assert.deepEqual(go[0]!.tolist(), [[3, 3]]);
    assert.deepEqual(x.grad!.tolist(), [[3, 3]]);
    assert.deepEqual(lin.weight.grad!.tolist(), [[3, 3], [3, 3]]);
    lin.registerFullBackwardPreHook(() => [null, null]);
    assert.throws(() => lin.call(x).sum().backward(), /Backward pre hook returned an invalid number of grad_output, got 2, but expected 1/);
  });

  test('order: globals first, then prepended hooks (registering 0, 1, 2, 3p, 4p fires g, 4, 3, 0, 1, 2)', () => {
    const m = new Summer();
    const order: string[] = [];
    for (const [name, prepend] of [['0', false], ['1', false], ['2', false], ['3', true], ['4', true]] as const) {
      m.registerFullBackwardHook(() => void order.push(name), { prepend });
    }
    using _g = nn.modules.registerModuleFullBackwardHook(() => void order.push('g'));
    const pre: string[] = [];
    using _gp = nn.modules.registerModuleFullBackwardPreHook(() => void pre.push('gpre'));
    m.registerFullBackwardPreHook(() => void pre.push('pre'));
    m.registerFullBackwardPreHook(() => void pre.push('pre prepended'), { prepend: true });
    m.call(torch.ones([2], { requiresGrad: true })).backward();
    assert.deepEqual(order, ['g', '4', '3', '0', '1', '2']);
    assert.deepEqual(pre, ['gpre', 'pre prepended', 'pre']);
  });

  test('a module used twice in one forward fires its backward hook once per call', () => {
    const lin = new nn.Linear(2, 2, { dtype: 'float64' });
    const calls: number[][][] = [];
    lin.registerFullBackwardHook((_m, gin) => void calls.push(gin[0]!.tolist() as number[][]));
    const x = torch.tensor([[1, 2]], { dtype: 'float64', requiresGrad: true });
    const y = lin.call(lin.call(x));
    y.sum().backward();
    assert.equal(calls.length, 2);
    // The outer call fires first (its gradInput is the gradient w.r.t. the inner call's output).
    const w = lin.weight.tolist() as number[][];
    const colSums = [w[0]![0]! + w[1]![0]!, w[0]![1]! + w[1]![1]!];
    calls[0]![0]!.forEach((v, j) => assert.ok(Math.abs(v - colSums[j]!) < 1e-12));
    const expectX = [0, 1].map((j) => colSums[0]! * w[0]![j]! + colSums[1]! * w[1]![j]!);
    (x.grad!.tolist() as number[][])[0]!.forEach((v, j) => assert.ok(Math.abs(v - expectX[j]!) < 1e-12));
    assert.deepEqual(calls[1], x.grad!.tolist());
  });

  test('tuple outputs: gradOutput is null for an output that gets no gradient', () => {
    class Two extends nn.Module {
      override forward(x: Tensor): [Tensor, Tensor] {
        return [x.mul(2), x.mul(3)];
      }
    }
    const m = new Two();
    let go: (Tensor | null)[] = [];
    m.registerFullBackwardHook((_m, _gi, gout) => {
      go = gout;
    });
    const x = torch.ones([2], { requiresGrad: true });
    const [a] = m.call(x);
    a.sum().backward();
    assert.equal(go.length, 2);
    assert.deepEqual(go[0]!.tolist(), [1, 1]);
    assert.equal(go[1], null);
    assert.deepEqual(x.grad!.tolist(), [2, 2]);
  });

  test('removed backward hooks no longer fire; no hooks under noGrad', () => {
    const lin = new nn.Linear(2, 2);
    let n = 0;
    const h = lin.registerFullBackwardHook(() => void n++);
    const x = torch.ones([1, 2], { requiresGrad: true });
    lin.call(x).sum().backward();
    h.remove();
    lin.call(x).sum().backward();
    assert.equal(n, 1);
    lin.registerFullBackwardHook(() => void n++);
    const y = torch.noGrad(() => lin.call(x));
    assert.equal(y.requiresGrad, false);
  });

  test('autograd.grad with respect to the input runs the hooks too', () => {
    const lin = new nn.Linear(2, 2, { dtype: 'float64' });
    lin.registerFullBackwardHook((_m, gin) => [gin[0]!.mul(2)]);
    const x = torch.ones([1, 2], { dtype: 'float64', requiresGrad: true });
    const [g] = torch.autograd.grad(lin.call(x).sum(), x);
    const w = lin.weight.tolist() as number[][];
    assert.deepEqual(g!.tolist(), [[2 * (w[0]![0]! + w[1]![0]!), 2 * (w[0]![1]! + w[1]![1]!)]]);
  });
});

describe('hooks under torch.func transforms', () => {
  const params = () => ({ weight: torch.tensor([[1, 2], [3, 4]], { dtype: 'float64' }), bias: torch.tensor([0.5, -1], { dtype: 'float64' }) });

  test('forward hooks fire in functionalCall, vmap and grad; the module is restored', () => {
    const lin = new nn.Linear(2, 2, { dtype: 'float64' });
    const w0 = lin.weight;
    let n = 0;
    lin.registerForwardPreHook(() => void n++);
    lin.registerForwardHook((_m, _a, out) => out.mul(2));
    const p = params();
    const x = torch.tensor([[1, 1]], { dtype: 'float64' });
    assert.deepEqual(func.functionalCall(lin, p, [x]).tolist(), [[7, 12]]);
    const xs = torch.tensor([[1, 1], [1, 0]], { dtype: 'float64' });
    const ys = func.vmap((xi: Tensor) => func.functionalCall(lin, p, [xi]))(xs);
    assert.deepEqual(ys.tolist(), [[7, 12], [3, 4]]);
    const g = func.grad((pp: Record<string, Tensor>) => (func.functionalCall(lin, pp, [x]) as Tensor).sum())(p) as Record<string, Tensor>;
    assert.deepEqual(g.bias!.tolist(), [2, 2]);
    assert.deepEqual(g.weight!.tolist(), [[2, 2], [2, 2]]);
    assert.equal(n, 3);
    assert.equal(lin.weight, w0);
  });

  test('full backward hooks fire under func.grad, with grad-level gradients', () => {
    const lin = new nn.Linear(2, 2, { dtype: 'float64' });
    let gi: (Tensor | null)[] = [];
    let go: (Tensor | null)[] = [];
    lin.registerFullBackwardHook((_m, a, b) => {
      gi = a;
      go = b;
      return [a[0]!.mul(10)];
    });
    const p = params();
    const f = (x: Tensor) => (func.functionalCall(lin, p, [x]) as Tensor).pow(2).sum();
    const x = torch.tensor([[1, -1]], { dtype: 'float64' });
    const g = func.grad(f)(x) as Tensor;
    // y = x W^T + b = [-0.5, -2]; dL/dy = 2y = [-1, -4]; dL/dx = dL/dy W = [-13, -18]
    assert.deepEqual(go[0]!.tolist(), [[-1, -4]]);
    assert.deepEqual(gi[0]!.tolist(), [[-13, -18]]);
    assert.deepEqual(g.tolist(), [[-130, -180]]);
  });

  test('per-sample gradients through vmap(grad(functionalCall)) with a backward hook', () => {
    const lin = new nn.Linear(2, 1, { dtype: 'float64' });
    const seen: number[][] = [];
    lin.registerFullBackwardHook((_m, _gi, go) => void seen.push(go[0]!.shape));
    const p = { weight: torch.tensor([[1, 2]], { dtype: 'float64' }), bias: torch.tensor([0], { dtype: 'float64' }) };
    const loss = (pp: Record<string, Tensor>, x: Tensor) => (func.functionalCall(lin, pp, [x.unsqueeze(0)]) as Tensor).sum();
    const xs = torch.tensor([[1, 0], [0, 1], [2, 2]], { dtype: 'float64' });
    const g = func.vmap(func.grad(loss), { inDims: [null, 0] })(p, xs) as Record<string, Tensor>;
    assert.deepEqual(g.weight!.tolist(), [[[1, 0]], [[0, 1]], [[2, 2]]]);
    assert.equal(seen.length, 1);
    assert.deepEqual(seen[0], [1, 1]);
  });

  test('eager backward hooks see through vmap wrappers', () => {
    const lin = new nn.Linear(2, 1, { dtype: 'float64' });
    let go: Tensor | null = null;
    lin.registerFullBackwardHook((_m, _gi, gout) => {
      go = gout[0]!;
    });
    const xs = torch.ones([3, 2], { dtype: 'float64', requiresGrad: true });
    const ys = func.vmap((x: Tensor) => lin.call(x))(xs);
    ys.sum().backward();
    assert.deepEqual(go!.shape, [3, 1]);
    assert.deepEqual(xs.grad!.shape, [3, 2]);
  });
});

describe('full backward hook restrictions', () => {
  test('an in-place op on an input inside forward is an error', () => {
    class AddInPlace extends nn.Module {
      override forward(x: Tensor): Tensor {
        return x.add_(1);
      }
    }
    const m = new AddInPlace();
    m.registerFullBackwardHook(() => {});
    const x = torch.ones([2], { requiresGrad: true }).mul(1);
    assert.throws(() => m.call(x), /Output 0 of BackwardHookFunctionBackward is a view and is being modified inplace/);
  });

  test('a non-tensor output only warns; the backward hooks never fire', () => {
    class Dict extends nn.Module {
      override forward(x: Tensor): { y: Tensor } {
        return { y: x.mul(2) };
      }
    }
    const m = new Dict();
    let n = 0;
    m.registerFullBackwardHook(() => void n++);
    const x = torch.ones([2], { requiresGrad: true });
    m.call(x).y.sum().backward();
    assert.equal(n, 0);
    assert.deepEqual(x.grad!.tolist(), [2, 2]);
  });
});

test("registerBackwardHook: PyTorch's legacy hook on the output's last node, deprecated, not mixable with full hooks", () => {
  const nnm = torch.nn;
  class Affine extends nnm.Module {
    w = nnm.Parameter(torch.tensor([2, 3], { dtype: 'float64' }));
    b = nnm.Parameter(torch.tensor([0.5], { dtype: 'float64' }));
    override forward(x: torch.Tensor): torch.Tensor {
      return x.mul(this.w).add(this.b); // the last node is add(x·w, b)
    }
  }
  const m = new Affine();
  const seen: { gin: number[][]; gout: number[][] }[] = [];
  const warned: string[] = [];
  const origWarn = process.emitWarning;
  process.emitWarning = ((msg: string) => void warned.push(String(msg))) as typeof process.emitWarning;
  let h: torch.RemovableHandle;
  try {
    h = m.registerBackwardHook((_m, gin, gout) => {
      seen.push({ gin: gin.map((g) => g!.toArray() as unknown as number[]).map((a) => [...a]), gout: gout.map((g) => [...(g!.toArray() as Float64Array)]) });
      return gin.map((g) => g!.mul(10));
    });
  } finally {
    process.emitWarning = origWarn;
  }
  assert.ok(warned.some((w) => /registerBackwardHook is deprecated/.test(w)));
  const x = torch.tensor([1, 4], { dtype: 'float64', requiresGrad: true });
  m.call(x).backward(torch.tensor([1, -1], { dtype: 'float64' }));
  // add's gradients: for x·w the incoming [1, -1]; for b ([1]) the sum 0. The hook scales both by 10.
  assert.deepEqual(seen, [{ gin: [[1, -1], [0]], gout: [[1, -1]] }]);
  assert.deepEqual(x.grad!.tolist(), [20, -30]); // 10·[1,-1]·w
  assert.deepEqual(m.w.grad!.tolist(), [10, -40]); // 10·[1,-1]·x
  assert.deepEqual(m.b.grad!.tolist(), [0]);
  const full = m.registerFullBackwardHook(() => undefined);
  assert.throws(() => m.call(x), /Cannot use both regular backward hooks and full backward hooks on a single Module/);
  full.remove();
  h!.remove();
  assert.equal(m.call(x).requiresGrad, true);
});
