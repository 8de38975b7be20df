// Bad input to the transforms and to autograd.Function: each row is one check of src/func and
// src/transforms, reached from the public API, with its error type and whole message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { FunctionCtx, Tensor } from '../src/index.js';
import { rejects } from './support/throws.js';

const { func, nn } = torch;
const f64 = (v: number[]) => torch.tensor(v, { dtype: 'float64' });
const x = f64([1, 2, 3]);

/** A Function whose backward and jvp return what the test puts in `BadFn.out`. */
class BadFn extends torch.autograd.Function {
  static out: unknown = null;
  static override forward(v: Tensor): Tensor {
    return v.mul(2);
  }
  static override setupContext(): void {}
  static override backward(): any {
    return BadFn.out;
  }
  static override jvp(): any {
    return BadFn.out;
  }
}

/** A Function with an explicit vmap rule returning what the test puts in `BadVmap.out`. */
class BadVmap extends torch.autograd.Function {
  static out: (v: Tensor) => unknown = () => null;
  static override forward(v: Tensor): Tensor[] {
    return [v.mul(2), v.mul(3)];
  }
  static override setupContext(): void {}
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g;
  }
  static override vmap(_info: unknown, _inDims: unknown, v: Tensor): any {
    return BadVmap.out(v);
  }
}

test('autograd.Function: what backward, jvp, vmap and saveForBackward return is checked', () => {
  class SavesNumber extends torch.autograd.Function {
    static override forward(v: Tensor): Tensor {
      return v.mul(2);
    }
    static override setupContext(ctx: FunctionCtx): void {
      ctx.saveForBackward(3 as never);
    }
    static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
      return g;
    }
  }
  const grad = (out: unknown) => () => {
    BadFn.out = out;
    return func.grad((v: Tensor) => (BadFn.apply(v) as Tensor).sum())(x);
  };
  const vm = (out: (v: Tensor) => unknown) => () => {
    BadVmap.out = out;
    return func.vmap((v: Tensor) => BadVmap.apply(v))(torch.ones([2, 3], { dtype: 'float64' }));
  };
  rejects([
    ['saveForBackward(3)', () => SavesNumber.apply(x.clone().requiresGrad_()), 'AutogradError', 'SavesNumber: saveForBackward() expects Tensors or null, got number'],
    ['backward returns a string', grad('g'), 'AutogradError', 'function BadFnBackward returned a gradient of type string at position 1; expected a Tensor or null'],
    ['backward returns two', grad([x, x]), 'AutogradError', 'function BadFnBackward returned an incorrect number of gradients (expected 1, got 2)'],
    ['backward returns a wrong shape', grad(f64([1, 2])), 'AutogradError', 'Function BadFnBackward returned an invalid gradient at index 0 - got [2] but expected shape compatible with [3]'],
    ['jvp returns a wrong shape', () => {
      BadFn.out = f64([1]);
      return func.jvp((v: Tensor) => BadFn.apply(v), [x], [x]);
    }, 'AutogradError', 'BadFn: jvp returned an invalid tangent for output 0: expected a Tensor of shape [3]'],
    ['jvp returns a number', () => {
      BadFn.out = 1;
      return func.jvp((v: Tensor) => BadFn.apply(v), [x], [x]);
    }, 'AutogradError', 'BadFn: jvp returned an invalid tangent for output 0: expected a Tensor of shape [3]'],
    ['vmap returns one thing', vm((v) => v), 'TransformError', 'BadVmap.vmap: expected the vmap staticmethod to return [output, outDims]'],
    ['vmap returns three outDims', vm((v) => [[v, v], [0, 0, 0]]), 'TransformError', 'BadVmap.vmap: expected outDims to have one entry per output (2), got 3'],
    ['vmap returns a string outDim', vm((v) => [[v, v], ['0', 0]]), 'TransformError', 'BadVmap.vmap: outDims entries must be numbers or null'],
  ]);
});

test('in-place writes the transforms cannot express', () => {
  const w = f64([1, 1, 1]);
  rejects([
    ['grad writes into a captured tensor', () => func.grad((v: Tensor) => w.add_(v).sum())(x), 'TransformError',
      'add_(): mutating a tensor captured from outside a grad/vjp transform with a value computed inside it is not supported; pass the tensor as an input or use an out-of-place op.'],
    ['jvp writes into a captured tensor', () => func.jvp((v: Tensor) => w.mul_(v), [x], [x]), 'TransformError',
      'mul_(): mutating a tensor captured from outside a jvp transform with a value computed inside it is not supported; pass the tensor as an input or use an out-of-place op.'],
    ['write into an expanded view', () => f64([1]).expand([3]).mul_(f64([1, 2, 3]).requiresGrad_()), 'AutogradError',
      'unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.'],
  ]);
});

test('compile: a tensor of an enclosing transform, and a write that requires grad into a captured tensor', () => {
  const buf = torch.zeros([3], { dtype: 'float64' });
  const p = f64([1, 2, 3]).requiresGrad_();
  rejects([
    ['enclosing transform', () => func.grad((v: Tensor) => torch.compile((u: Tensor) => u.mul(v).sum(), { fullgraph: true })(x))(x), 'CompileError',
      'compile: the function reads a tensor of an enclosing grad transform that is not one of its arguments; pass it to the compiled function as an argument'],
    ['write requiring grad', () => torch.compile((u: Tensor) => buf.copy_(u.mul(p)), { fullgraph: true })(x), 'CompileError',
      'compile: copy_() writes a value that requires grad into a tensor captured from outside the compiled function; run it under noGrad or pass the tensor as an argument'],
  ]);
});

test('torch.func argument checks: argnums, vmap with no inputs, functionalize remove, vjp cotangents, stacked models', () => {
  const f = (v: Tensor) => v.sum();
  const [, vjpFn] = func.vjp((v: Tensor) => v.mul(2), x);
  const a = new nn.Linear(2, 2);
  const b = new nn.Linear(2, 2);
  const c = new nn.Linear(2, 2);
  c.weight.requiresGrad_(false);
  rejects([
    ['argnums empty', () => func.grad(f, { argnums: [] })(x), 'ValueError', 'grad_and_value(f)(*args): argnums must be non-empty'],
    ['argnums 1.5', () => func.grad(f, { argnums: 1.5 })(x), 'ValueError', 'grad_and_value(f)(*args): argnums must be int or Tuple[int, ...], got: 1.5'],
    ['vmap no inputs', () => (func.vmap(f) as () => unknown)(), 'ValueError', 'vmap(f)(<inputs>): got no inputs. Maybe you forgot to add inputs, or you are trying to vmap over a function with no inputs. The latter is unsupported.'],
    ['functionalize remove', () => func.functionalize(f, { remove: 'views' as never }), 'ValueError',
      "functionalize(f, remove='mutations'): received invalid argument for remove=views. Valid options are:\n     remove='mutations': all inplace and out= operators will be removed from the program, and replaced with their out-of-place equivalents.\n     remove='mutationsAndViews': In addition to the above, all aliasing operators {view} will be replaced with their non-aliasing counterparts, {view}_copy.\n"],
    ['vjp cotangent a number', () => vjpFn(1 as never), 'ValueError', 'vjp(f, *primals): Expected cotangents to be tensors, got number'],
    ['jacrev argnum', () => func.jacrev(f, { argnums: 1 })(x), 'ValueError', 'jacrev: Got argnum=1, but only 1 positional inputs'],
    ['jacfwd argnum', () => func.jacfwd(f, { argnums: -2 })(x), 'ValueError', 'jacfwd: Got argnum=-2, but only 1 positional inputs'],
    ['jacrev leaf', () => func.jacrev(f)(2 as never), 'ValueError', 'jacrev: Thing passed to transform API must be Tensor, got number'],
    ['jacfwd leaf', () => func.jacfwd(f)(null as never), 'ValueError', 'jacfwd: Thing passed to transform API must be Tensor, got null'],
    ['vjp leaf', () => func.vjp(f, 'a' as never), 'ValueError', 'vjp(f, *primals): Thing passed to transform API must be Tensor, got string'],
    ['grad aux not a pair', () => func.grad(f as never, { hasAux: true })(x), 'ValueError', 'grad_and_value(f)(*args): output of function f should be a tuple: (output, aux) if has_aux is True'],
    ['vjp aux not a pair', () => func.vjp(f as never, x, { hasAux: true }), 'ValueError', 'vjp(f, *primals): output of function f should be a tuple: (output, aux) if has_aux is True'],
    ['vjp aux a number', () => func.vjp((v: Tensor) => [v.sum(), 1], x, { hasAux: true }), 'ValueError', 'vjp(f, *primals): Expected tensors, got unsupported type number'],
    ['jvp aux not a pair', () => func.jvp(f as never, [x], [x], { hasAux: true }), 'ValueError', 'jvp(f, primals, tangents): output of function f should be a tuple: (output, aux) if has_aux is True'],
    ['jvp aux a string', () => func.jvp((v: Tensor) => [v.sum(), 's'], [x], [x], { hasAux: true }), 'ValueError', 'jvp(f, primals, tangents): Expected tensors, got unsupported type string'],
    ['stack training modes', () => func.stackModuleState([a, b.eval()]), 'ValueError', 'stack_module_state: Expected all models to have the same training/eval mode.'],
    ['stack classes', () => func.stackModuleState([a, new nn.Sequential(new nn.Linear(2, 2))]), 'ValueError', 'stack_module_state: Expected all models to be of the same class.'],
    ['stack requires_grad', () => func.stackModuleState([a, c]), 'ValueError', 'stack_module_state: Expected all models to have the same .requires_grad for parameter weight'],
  ]);
});

test('autograd entry points: a Function without forward or backward, saved-tensor hooks that are not functions, a view of a leaf written in place', () => {
  class NoForward extends torch.autograd.Function {}
  class NoBackward extends torch.autograd.Function {
    static override forward(v: Tensor): Tensor {
      return v.mul(2);
    }
    static override setupContext(): void {}
  }
  const leaf = f64([1, 2]).requiresGrad_();
  rejects([
    ['no forward', () => NoForward.apply(x), 'ValueError', 'NoForward: You must implement the forward function for custom autograd.Function.'],
    ['no backward', () => (NoBackward.apply(x.clone().requiresGrad_()) as Tensor).sum().backward(), 'ValueError',
      'NoBackward: You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.'],
    ['hooks not functions', () => torch.autograd.graph.savedTensorsHooks(1 as never, (p: Tensor) => p, () => 0), 'ValueError',
      'autograd.graph.savedTensorsHooks(pack, unpack, fn): pack, unpack and fn must be functions'],
    ['unpack returns a number', () => {
      const y = torch.autograd.graph.savedTensorsHooks((t: Tensor) => t, () => 3 as never, () => leaf.mul(leaf));
      y.sum().backward();
    }, 'AutogradError', 'saved tensors hooks: the unpack hook must return a Tensor (got number) for a tensor saved by mul'],
    ['view of a leaf in place', () => leaf.narrow(0, 0, 1).mul_(2), 'AutogradError', 'a view of a leaf Variable that requires grad is being used in an in-place operation.'],
    ['compile reads an alias of a written tensor', () => {
      const buf = torch.zeros([4], { dtype: 'float64' });
      const head = buf.narrow(0, 0, 2);
      return torch.compile((u: Tensor) => {
        buf.add_(1);
        return head.add(u);
      }, { fullgraph: true })(f64([1, 2]));
    }, 'CompileError',
      'compile: read: two captured tensors share memory and one of them is written in place inside the compiled function; the compiled graph cannot order those reads and writes. Write through one tensor only, or pass them as arguments'],
    ['compile writes an alias of a read tensor', () => {
      const buf = torch.zeros([4], { dtype: 'float64' });
      const head = buf.narrow(0, 0, 2);
      return torch.compile((u: Tensor) => {
        const h = head.mul(1);
        buf.add_(1);
        return h.add(u);
      }, { fullgraph: true })(f64([1, 2]));
    }, 'CompileError',
      'compile: add_: two captured tensors share memory and one of them is written in place inside the compiled function; the compiled graph cannot order those reads and writes. Write through one tensor only, or pass them as arguments'],
  ]);
});

test('backward with inputs accumulates into those inputs only', () => {
  const a = f64([1, 2]).requiresGrad_();
  const b = f64([3, 4]).requiresGrad_();
  const loss = a.mul(b).sum();
  loss.backward(null, { inputs: [a], retainGraph: true });
  assert.deepEqual(a.grad!.tolist(), [3, 4]);
  assert.equal(b.grad, null);
  loss.backward(null, { inputs: [a, b] });
  assert.deepEqual(a.grad!.tolist(), [6, 8]);
  assert.deepEqual(b.grad!.tolist(), [1, 2]);
});
