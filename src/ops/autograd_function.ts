// torch.autograd.Function (custom forward/backward, jvp and vmap rules) and torch.autograd.graph
// (saved-tensor hooks and what the live graphs hold). The level-stack logic lives in
// ../transforms/custom_function.ts; this file turns a user's class into a FunctionSpec.
import { ValueError } from '../core/errors.js';
import {
  savedTensorsStats as stats, withSavedTensorsHooks, type SavedTensorsStats, type Tensor,
} from '../primitives/index.js';
import { FunctionCtx, applyFunction, type FunctionSpec, type VmapInfo } from '../transforms/custom_function.js';

export { FunctionCtx, type VmapInfo, type SavedTensorsStats };

const specs = new WeakMap<object, FunctionSpec>();

type FnClass = typeof Function & Record<string, any>;

function specOf(cls: FnClass): FunctionSpec {
  let spec = specs.get(cls);
  if (spec) return spec;
  const name = cls.name || 'Function';
  const hasSetup = typeof cls.setupContext === 'function';
  spec = {
    name,
    forward: hasSetup ? (args) => cls.forward(...args) : undefined,
    forwardWithCtx: hasSetup ? undefined : (ctx, args) => cls.forward(ctx, ...args),
    setupContext: hasSetup ? (ctx, args, out) => cls.setupContext!(ctx, args, out) : undefined,
    backward: (ctx, grads) => cls.backward(ctx, ...grads),
    jvp: typeof cls.jvp === 'function' ? (ctx, ts) => cls.jvp!(ctx, ...ts) : undefined,
    vmap: typeof cls.vmap === 'function' ? (info, inDims, args) => cls.vmap!(info, inDims, ...args) : undefined,
    generateVmapRule: cls.generateVmapRule === true,
  };
  specs.set(cls, spec);
  return spec;
}

/**
 * A custom differentiable operation (torch.autograd.Function): subclass it with static methods and
 * call `MyFn.apply(...args)`.
 *
 * - `forward(...args)` with `setupContext(ctx, inputs, output)` (PyTorch 2 style, needed under
 *   torch.func transforms), or the older `forward(ctx, ...args)` (eager autograd only). forward runs
 *   without recording a graph.
 * - `backward(ctx, ...gradOutputs)` returns one gradient per forward argument (null for
 *   non-tensors and for inputs that need none, see `ctx.needsInputGrad`). If it is made of
 *   differentiable ops, double backward (createGraph, grad of grad) works through it.
 * - `jvp(ctx, ...tangents)`: forward-mode rule, for func.jvp / jacfwd.
 * - `vmap(info, inDims, ...args)` returning `[output, outDims]`, or `static generateVmapRule = true`
 *   to have vmap run forward/backward on batched values.
 *
 * Under func.grad/vjp the Function is one node of each active grad level, so its backward is the
 * one the transform uses.
 * @example
 * class Exp extends torch.autograd.Function {
 *   static override forward(x: Tensor) { return x.exp(); }
 *   static override setupContext(ctx: FunctionCtx, [x]: [Tensor], result: Tensor) { ctx.saveForBackward(result); }
 *   static override backward(ctx: FunctionCtx, g: Tensor) { const [result] = ctx.savedTensors; return g.mul(result!); }
 * }
 * const y = Exp.apply(x); // y.backward(...) uses Exp.backward
 * @example
 * class MulConstant extends torch.autograd.Function {
 *   static override forward(ctx: FunctionCtx, x: Tensor, c: number) { ctx.constant = c; return x.mul(c); }
 *   static override backward(ctx: FunctionCtx, g: Tensor) { return [g.mul(ctx.constant), null]; }
 * }
 */
export class Function {
  /** With true, vmap runs forward/backward/jvp on batched values instead of a vmap staticmethod. */
  static generateVmapRule = false;
  /** PyTorch-2 style: saves what backward/jvp need from the inputs and output of forward. */
  static setupContext?(ctx: FunctionCtx, inputs: any[], output: any): void;
  /** Forward-mode rule: output tangent(s) from one tangent per argument (null for non-tensors). */
  static jvp?(ctx: FunctionCtx, ...tangents: any[]): any;
  /** vmap rule: returns `[output, outDims]` for arguments batched along `inDims` (null = unbatched). */
  static vmap?(info: VmapInfo, inDims: (number | null)[], ...args: any[]): [any, any];

  /** The computation; `forward(ctx, ...args)` when setupContext is not defined. */
  static forward(..._args: any[]): any {
    throw new ValueError(`${this.name}: You must implement the forward function for custom autograd.Function.`);
  }

  /** Gradients of the arguments from the gradients of the outputs. */
  static backward(_ctx: FunctionCtx, ..._grads: any[]): any {
    throw new ValueError(
      `${this.name}: You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.`,
    );
  }

  /**
   * Runs the Function on `args` (tensors and other values), recording it for autograd and every
   * active transform.
   * @example const y = MyFn.apply(x, 2);
   */
  static apply(...args: any[]): any {
    if (this === Function) throw new ValueError('autograd.Function.apply: call apply on a subclass that defines forward and backward');
    return applyFunction(specOf(this as FnClass), args);
  }
}

/**
 * Runs `fn` with saved-tensor hooks (torch.autograd.graph.saved_tensors_hooks): every tensor an
 * autograd node saves for backward meanwhile is replaced by `pack(tensor)`, and `unpack(packed)`
 * gives it back when backward needs it (offload, compress, or recompute it, as checkpoint does).
 * @example
 * const y = torch.autograd.graph.savedTensorsHooks((t) => t.clone(), (t) => t as Tensor, () => x.exp().sum());
 */
export function savedTensorsHooks<R>(pack: (t: Tensor) => unknown, unpack: (packed: any) => Tensor, fn: () => R): R {
  if (typeof pack !== 'function' || typeof unpack !== 'function' || typeof fn !== 'function') {
    throw new ValueError('autograd.graph.savedTensorsHooks(pack, unpack, fn): pack, unpack and fn must be functions');
  }
  return withSavedTensorsHooks({ pack, unpack }, fn);
}

/**
 * What the live autograd graphs hold in saved tensors: nodes, distinct storages and their bytes
 * (what pack hooks returned, when hooks were active). "Live" includes graphs that are unreachable but
 * not yet garbage-collected, so compare figures taken while the graph you measure is the only one (or
 * count bytes in a pack hook of savedTensorsHooks, which sees exactly one computation's saves).
 * @example const { bytes } = torch.autograd.graph.savedTensorsStats();
 */
export function savedTensorsStats(): SavedTensorsStats {
  return stats();
}
