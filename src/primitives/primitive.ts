// The primitive table: every primitive carries its abstract (shape/dtype) rule, its kernel call,
// and its vjp, jvp and batching rules side by side. `bind` dispatches a call through the level stack.
import type { DType } from '../core/dtype.js';
import { checkNumel } from '../core/shape.js';
import { levelStack, currentCeiling, currentTracing, type Level } from './levels.js';
import { isGradEnabled, recordNode } from './autograd_meta.js';
import { currentSavedTensorsHooks } from './saved.js';
import { Tensor } from './value.js';

/** A value's shape and dtype without data: what a primitive's shape rule gives and compile's graphs hold. */
export interface AbstractValue {
  /** The shape. */
  shape: number[];
  /** The dtype. */
  dtype: DType;
}

/** A batching rule's result: the output and its batch dim (null: not batched). */
export type BatchResult = [Tensor, number | null];

/** A value a vjp reads: an input index, or 'out'. */
export type Saved = number | 'out';
/** What a vjp reads, alone or (with the input index) only for one input's gradient. */
export type SaveSpec = Saved | readonly [Saved, number];

/**
 * One primitive of the table (torch.primitives lists them): its shape rule, kernel call, vjp, jvp and
 * batching rule side by side.
 * @typeParam P - its params' type.
 */
export interface Primitive<P = any> {
  /** Its name (the profiler's `aten::` name, compile's node name). */
  readonly name: string;
  /**
   * Checks the inputs (logical shapes, whatever level they live on) and gives the output's shape and
   * dtype.
   */
  abstract(inputs: readonly Tensor[], params: P): AbstractValue;
  /** Computes on concrete tensors with the active backend. */
  impl(inputs: readonly Tensor[], params: P, out: AbstractValue): Tensor;
  /**
   * Cotangents of the inputs given the output cotangent (null = zero / not differentiable). `needs`
   * (absent = all) says which inputs want one, so a rule may skip the others.
   */
  vjp(g: Tensor, inputs: readonly Tensor[], out: Tensor, params: P, needs?: readonly boolean[]): (Tensor | null)[];
  /** Output tangent given input tangents (null = zero); null when the output tangent is zero. */
  jvp(tangents: readonly (Tensor | null)[], inputs: readonly Tensor[], out: Tensor, params: P): Tensor | null;
  /**
   * vmap rule: inputs with their batch dims (null = unbatched), batch size; returns the output and its
   * batch dim.
   */
  batch(inputs: readonly Tensor[], bdims: readonly (number | null)[], params: P, size: number): BatchResult;
  /**
   * What the vjp reads: an input index or 'out', or [what, i] when it is read only for input i's
   * gradient. Those tensors must not be overwritten in place before the backward pass; the
   * storage version counter checks it, as PyTorch's saved variables.
   */
  readonly saves?: readonly SaveSpec[];
  /** Output carries no gradient (comparisons, argmax, integer results). */
  readonly nondiff?: boolean;
  /** impl returns a view sharing the input's storage. */
  readonly view?: boolean;
  /** A source of randomness: vmap's randomness mode decides how it batches. */
  readonly random?: boolean;
}

/**
 * The rules of a primitive whose output carries no gradient. Every level checks `nondiff` before it
 * asks for a derivative, so reaching one of these is a bug in a level, not a zero gradient.
 */
export const NO_DERIVATIVE = {
  nondiff: true,
  vjp(): never {
    throw new Error('internal: vjp of a nondiff primitive was called');
  },
  jvp(): never {
    throw new Error('internal: jvp of a nondiff primitive was called');
  },
} as const;

/** Every primitive by name (exported as `torch.primitives`), for introspection. */
export const registry = new Map<string, Primitive>();

export function definePrimitive<P>(p: Primitive<P>): Primitive<P> {
  if (registry.has(p.name)) throw new Error(`primitive ${p.name} defined twice`);
  registry.set(p.name, p as Primitive);
  return p;
}

/** Kernel calls per primitive on concrete tensors (views excluded): lets tests prove vmap adds no loops. */
export const kernelCalls = new Map<string, number>();
let counting = false;
/**
 * Runs fn and counts the kernel calls per primitive made on concrete tensors (views excluded);
 * returns fn's result with the counts. Tests use it to show that vmap adds no per-example loop.
 * @example const [y, calls] = torch.countKernels(() => x.mul(2).sum());
 */
export function countKernels<R>(fn: () => R): [R, Map<string, number>] {
  kernelCalls.clear();
  counting = true;
  try {
    return [fn(), new Map(kernelCalls)];
  } finally {
    counting = false;
  }
}

function liveInner(x: Tensor): Tensor {
  // A wrapper that escaped its (now finished) transform behaves as the value it wraps.
  while (x._level !== null && !x._level.alive) x = x._inner!;
  return x;
}

/**
 * Watches every dispatch (the profiler): `enter` before a primitive is dispatched, with the level it
 * will run at (null = concrete kernel), `exit` after with the output (null when it threw).
 */
export interface DispatchObserver {
  enter(prim: Primitive, inputs: readonly Tensor[], level: Level | null): void;
  exit(out: Tensor | null): void;
}
let observer: DispatchObserver | null = null;
/** Installs (or, with null, removes) the dispatch observer; returns the previous one. */
export function setDispatchObserver(o: DispatchObserver | null): DispatchObserver | null {
  const prev = observer;
  observer = o;
  return prev;
}
/** Whether a dispatch observer (a running profiler) is installed. */
export function hasDispatchObserver(): boolean {
  return observer !== null;
}

/**
 * Dispatches `prim` to the innermost level owning one of the inputs, or to the kernel. The only
 * cost a profiler adds when none runs is the one `observer !== null` check below.
 */
export function bind<P>(prim: Primitive<P>, inputs: Tensor[], params: P): Tensor {
  if (observer !== null) return observedBind(observer, prim, inputs, params);
  return dispatch(prim, inputs, params);
}

function observedBind<P>(o: DispatchObserver, prim: Primitive<P>, inputs: Tensor[], params: P): Tensor {
  let top: Level | null = null;
  for (const x of inputs) {
    const l = x._level !== null ? liveInner(x)._level : null;
    if (l !== null && (top === null || l.depth > top.depth)) top = l;
  }
  o.enter(prim as Primitive, inputs, top);
  let out: Tensor | null = null;
  try {
    out = dispatch(prim, inputs, params);
    return out;
  } finally {
    o.exit(out);
  }
}

function dispatch<P>(prim: Primitive<P>, inputs: Tensor[], params: P): Tensor {
  let top: Level | null = null;
  for (let i = 0; i < inputs.length; i++) {
    let x = inputs[i]!;
    if (x._level !== null) {
      if (!x._level.alive) inputs[i] = x = liveInner(x);
      const l = x._level;
      if (l !== null && (top === null || l.depth > top.depth)) top = l;
    }
  }
  const av = prim.abstract(inputs, params);
  checkNumel(prim.name, av.shape);
  const tr = currentTracing();
  if (tr !== null && inputs.length > 0 && (top === null || top.depth < tr.depth) && tr.depth <= currentCeiling()) top = tr;
  if (top !== null) return top.process(prim, inputs, params);
  if (prim.random) {
    const stack = levelStack();
    for (let i = Math.min(currentCeiling(), stack.length) - 1; i >= 0; i--) {
      const r = stack[i]!.processNullary(prim, params);
      if (r !== null) return r;
    }
  }
  return evalConcrete(prim, inputs, params, av);
}

/**
 * The kernel of `prim` on concrete inputs whose result's shape is known (`av`) and needs no autograd
 * record: compile's runner replays its graphs through here, past the shape rule and level dispatch.
 * Under an observer (the profiler) it is an ordinary bind.
 */
export function runConcrete<P>(prim: Primitive<P>, inputs: Tensor[], params: P, av: AbstractValue): Tensor {
  if (observer !== null || prim.random) return bind(prim, inputs, params);
  if (counting && !prim.view) kernelCalls.set(prim.name, (kernelCalls.get(prim.name) ?? 0) + 1);
  return prim.impl(inputs, params, av);
}

/** The bottom of the stack: run the kernel and record eager autograd. */
function evalConcrete<P>(prim: Primitive<P>, inputs: Tensor[], params: P, av: AbstractValue): Tensor {
  if (counting && !prim.view) kernelCalls.set(prim.name, (kernelCalls.get(prim.name) ?? 0) + 1);
  const out = prim.impl(inputs, params, av);
  if (!prim.nondiff && inputs.length > 0) {
    for (const x of inputs) if (x._base !== null && x._viewVersion !== x._storage!.version) refreshView(x);
    recordNode(prim.name, inputs, out, vjpOf(prim, inputs, out, params), savedOf(prim, inputs, out));
  }
  return out;
}

/** The tensors the vjp of `prim` will read, given which inputs need a gradient. */
export function savedOf(prim: Primitive, inputs: readonly Tensor[], out: Tensor): (needs: readonly boolean[]) => Tensor[] {
  return (needs) => {
    const res: Tensor[] = [];
    for (const spec of prim.saves ?? []) {
      const [what, forInput] = Array.isArray(spec) ? spec : [spec, -1];
      if ((forInput >= 0 && !needs[forInput]) || (what !== 'out' && what >= inputs.length)) continue;
      res.push(what === 'out' ? out : inputs[what]!);
    }
    return res;
  };
}

/**
 * The backward function a node of `prim` keeps. Without saved-tensor hooks it closes over the inputs
 * and output as they are; under hooks it keeps only their shapes and dtypes (stand-ins without
 * data) and reads what `saves` declares from the unpacked saved tensors, so the graph holds no
 * tensor the hooks did not keep.
 */
export function vjpOf<P>(
  prim: Primitive<P>, inputs: readonly Tensor[], out: Tensor, params: P,
): (g: Tensor, needs: readonly boolean[], saved: readonly Tensor[]) => (Tensor | null)[] {
  if (currentSavedTensorsHooks() === null) return (g, needs) => prim.vjp(g, inputs, out, params, needs);
  const ins = inputs.map(standIn);
  const o = standIn(out);
  return (g, needs, saved) => {
    const xs = [...ins];
    let y = o;
    let k = 0;
    for (const spec of prim.saves ?? []) {
      const [what, forInput] = Array.isArray(spec) ? spec : [spec, -1];
      if ((forInput >= 0 && !needs[forInput]) || (what !== 'out' && what >= ins.length)) continue;
      const t = saved[k++]!;
      if (what === 'out') y = t;
      else xs[what as number] = t;
    }
    return prim.vjp(g, xs, y, params, needs);
  };
}

/** A tensor with x's shape and dtype and no data: what a vjp may know of a value it did not save. */
function standIn(x: Tensor): Tensor {
  return new Tensor([...x.shape], x.dtype);
}

/**
 * A view whose storage was written since its history was recorded (through its base or another
 * view) takes its history anew from the base, as PyTorch regenerates a view's grad_fn.
 */
function refreshView(x: Tensor): void {
  x._viewVersion = x._storage!.version;
  const base = x._base!;
  if (!base._requiresGrad || !isGradEnabled()) return;
  let v = base;
  for (const s of x._viewSteps!) v = bind(registry.get(s.prim)!, [v], s.params);
  x._gradFn = v._gradFn;
  x._requiresGrad = v._requiresGrad;
}
