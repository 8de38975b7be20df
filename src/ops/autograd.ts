// Eager autograd's public face: backward, autograd.grad, grad-mode scopes, tensor hooks, retainGrad.
import { checkOptions } from '../core/options.js';
import { AutogradError, DTypeError, ValueError, fmtShape } from '../core/errors.js';
import { isFloating } from '../core/dtype.js';
import { RemovableHandle } from '../core/handle.js';
import { numel } from '../core/shape.js';
import { Node, Tensor, gradEdge, isGradEnabled, lax, setGradEnabled, type TensorHook } from '../primitives/index.js';
import { runBackward } from '../transforms/engine.js';

/** Options of `tensor.backward()` / `torch.autograd.backward`. */
export interface BackwardOpts {
  /** Keep the graph so another backward pass can run through it (default: createGraph). */
  retainGraph?: boolean;
  /** Record the backward pass itself, for higher-order gradients (default false). */
  createGraph?: boolean;
  /** Accumulate into the .grad of these tensors only. */
  inputs?: Tensor[];
}

function seedGrads(fn: string, outputs: Tensor[], grads: (Tensor | null | undefined)[] | undefined): Tensor[] {
  return outputs.map((o, i) => {
    const g = grads?.[i];
    if (g !== undefined && g !== null && !(g instanceof Tensor)) throw new AutogradError(`${fn}(): gradient ${i} must be a Tensor (or null), got ${typeof g}`);
    if (g) return g;
    if (numel(o.shape) !== 1) throw new AutogradError(`${fn}(): grad can be implicitly created only for scalar outputs (output ${i} has shape ${fmtShape(o.shape)}); pass a gradient`);
    return lax.onesLike(o);
  });
}

/**
 * Accumulates d(this)/d(leaf) into every leaf's .grad.
 * @example loss.backward() ; y.backward(torch.ones([3]), { retainGraph: true })
 */
export function backward(t: Tensor, gradient?: Tensor | null, opts: BackwardOpts = {}): void {
  checkOptions('backward()', opts, ['retainGraph', 'createGraph', 'inputs']);
  if (!(t instanceof Tensor)) throw new AutogradError(`backward(): expected a Tensor, got ${t === null ? 'null' : typeof t}`);
  if (gradient !== undefined && gradient !== null && !(gradient instanceof Tensor)) {
    throw new AutogradError(`backward(): gradient must be a Tensor (or null), got ${typeof gradient}`);
  }
  if (!t._requiresGrad) throw new AutogradError('backward(): element 0 of tensors does not require grad and does not have a grad_fn');
  const [g] = seedGrads('backward', [t], [gradient]);
  if (opts.inputs) {
    const got = runBackward([t], [g!], { ...opts, inputs: opts.inputs, allowUnused: true, fn: 'backward' });
    opts.inputs.forEach((x, i) => {
      const gi = got[i];
      if (gi) x._grad = x._grad ? lax.add(x._grad, gi) : gi;
    });
    return;
  }
  runBackward([t], [g!], { ...opts, fn: 'backward' });
}

/** Options of torch.autograd.grad. */
export interface GradOpts {
  /**
   * The vector(s) of the vector-Jacobian product, one per output (may be omitted for one-element
   * outputs).
   */
  gradOutputs?: (Tensor | null)[] | Tensor;
  /** Keep the graph so another backward pass can run through it (default: createGraph). */
  retainGraph?: boolean;
  /** Record the backward pass itself, for higher-order gradients (default false). */
  createGraph?: boolean;
  /** Give null for an input the outputs do not depend on instead of throwing (default false). */
  allowUnused?: boolean;
}

/**
 * torch.autograd.grad: gradients of outputs w.r.t. inputs, without touching .grad.
 * @example const [dx] = torch.autograd.grad(y, x, { createGraph: true })
 */
export function grad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], opts: GradOpts = {}): (Tensor | null)[] {
  checkOptions('autograd.grad()', opts, ['gradOutputs', 'retainGraph', 'createGraph', 'allowUnused']);
  const outs = Array.isArray(outputs) ? outputs : [outputs];
  const ins = Array.isArray(inputs) ? inputs : [inputs];
  outs.forEach((y, i) => {
    if (!(y instanceof Tensor)) throw new AutogradError(`autograd.grad(): outputs[${i}] must be a Tensor, got ${y === null ? 'null' : Array.isArray(y) ? 'an array' : typeof y}`);
  });
  ins.forEach((x, i) => {
    if (!(x instanceof Tensor)) throw new AutogradError(`autograd.grad(): inputs[${i}] must be a Tensor, got ${x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x}`);
    if (!x._requiresGrad) throw new AutogradError(`autograd.grad(): input ${i} does not require grad`);
  });
  const go = opts.gradOutputs === undefined ? undefined : Array.isArray(opts.gradOutputs) ? opts.gradOutputs : [opts.gradOutputs];
  // One gradient per output (null for an implicit one), never a shorter list filled in silently.
  if (go !== undefined && go.length !== outs.length) throw new AutogradError(`autograd.grad(): got ${outs.length} tensors and ${go.length} gradients`);
  const seeds = seedGrads('autograd.grad', outs, go);
  return runBackward(outs, seeds, { ...opts, inputs: ins, fn: 'autograd.grad' });
}

/** Runs fn with gradient recording off. @example const y = torch.noGrad(() => model.forward(x)) */
export function noGrad<R>(fn: () => R): R {
  return withGradMode('noGrad', false, fn);
}

/** Runs fn with gradient recording on. */
export function enableGrad<R>(fn: () => R): R {
  return withGradMode('enableGrad', true, fn);
}

const AsyncFunction = (async () => {}).constructor;

/**
 * Grad mode is a plain global, and JavaScript keeps no context across an await (browsers have no
 * AsyncLocalStorage), so an async body would run its later half in the wrong mode: refused, with the fix.
 */
function withGradMode<R>(fn: string, on: boolean, body: () => R): R {
  const asyncError = () =>
    new AutogradError(
      `${fn}(): got an async function; grad mode cannot follow an await. Call ${fn} around the synchronous tensor code inside it ` +
        `(e.g. \`const batch = await next(); const y = torch.${fn}(() => model.call(batch));\`), or switch the mode with torch.setGradEnabled(${!on}) and back.`,
    );
  if (typeof body !== 'function') throw new ValueError(`${fn}(): expected a function, got ${body === null ? 'null' : typeof body}`);
  if (body instanceof AsyncFunction) throw asyncError();
  const prev = setGradEnabled(on);
  let out: R;
  try {
    out = body();
  } finally {
    setGradEnabled(prev);
  }
  if (out !== null && typeof out === 'object' && typeof (out as { then?: unknown }).then === 'function') throw asyncError();
  return out;
}

/**
 * Turns gradient recording on or off from here on (torch.set_grad_enabled); prefer the scoped noGrad /
 * enableGrad.
 */
export function setGradEnabledMode(on: boolean): void {
  setGradEnabled(on);
}
export { isGradEnabled };

function checkCanRequireGrad(fn: string, t: Tensor): void {
  if (!isFloating(t.dtype)) throw new DTypeError(`${fn}(): only Tensors of floating point dtype can require gradients (got ${t.dtype})`);
  if (t._level !== null && t._level.alive) {
    throw new AutogradError(`${fn}(): You are calling requiresGrad_() inside a torch.func transform; this is not supported. Pass the tensor as an input of the transform instead.`);
  }
}

export function requiresGrad_(t: Tensor, on = true): Tensor {
  if (on) checkCanRequireGrad('requiresGrad_', t);
  if (!on && t._gradFn) {
    throw new AutogradError("requiresGrad_(): you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
  }
  t._requiresGrad = on;
  return t;
}

let hookSeq = 0;
/**
 * Registers a hook called with the tensor's gradient; a returned tensor replaces it.
 * @example const h = x.registerHook((g) => g.mul(2)); ... h.remove()
 */
export function registerHook(t: Tensor, hook: TensorHook): RemovableHandle {
  if (!t._requiresGrad) throw new AutogradError("cannot register a hook on a tensor that doesn't require gradient");
  const node: Node = gradEdge(t)!;
  const hooks = (node.preHooks ??= new Map());
  const id = hookSeq++;
  hooks.set(id, hook);
  return new RemovableHandle(() => hooks.delete(id));
}

export function retainGrad(t: Tensor): void {
  if (t._level !== null && t._level.alive) {
    throw new AutogradError(
      'retainGrad(): You are attempting to call Tensor.retainGrad() inside of a function being transformed by a torch.func transform. This is unsupported; use the transforms (grad, vjp, jacrev, jacfwd) or call retainGrad() outside of the transformed function.',
    );
  }
  if (!t._requiresGrad) throw new AutogradError("can't retain_grad on Tensor that has requires_grad=False");
  if (t._gradFn === null) return;
  t._retainsGrad = true;
  t._gradFn.retained = t;
}
