// The tracing level behind torch.compile: one more level on the stack, which records every primitive
// call into a graph instead of computing it (JAX's jaxpr tracing, FX's symbolic tracing). Values
// are tracers: tensors with a shape and dtype and no data. Everything above the primitives (modules,
// hooks, grad, vmap, eager autograd, in-place ops) therefore traces as plain primitives.
//  - Tensors captured from outside (parameters, optimizer state) become constants, read when the graph
//    runs; calls on them alone are recorded too, so nothing is baked at its trace-time value.
//  - In-place writes are functionalized as functionalize does: a write through a view rebuilds its
//    base, and a write into a captured tensor is recorded to be applied after each run.
//  - Eager autograd runs on tracers (the level keeps PyTorch's bottom-level graph), so a traced
//    function may call backward(); new .grad values become graph outputs.
import { CompileError } from '../core/errors.js';
import {
  Level, Tensor, deviceOf, isGradEnabled, outputDevice, recordNode, replayViewSteps, savedOf, scatterThroughView, vjpOf,
  type AbstractValue, type Device, type Primitive, type ViewStep,
} from '../primitives/index.js';
import { checkLeaf, rewireHistory } from './inplace.js';

/** One recorded call: `out = prim(inputs, params)`, value ids for inputs and output. */
export interface TraceNode {
  prim: Primitive;
  params: unknown;
  inputs: number[];
  out: number;
}

interface TracerState {
  /** The graph value this tracer holds now (in-place writes move it). */
  id: number;
  /** The tracer this one is a view of, with the view steps from it. */
  base: Tensor | null;
  /** The view steps from base (empty when base is null). */
  steps: ViewStep[];
  /** Writes to the base this value reflects (or, for a base, writes to it). */
  gen: number;
  writes: number;
}

export class TraceLevel extends Level {
  readonly kind = 'trace' as const;
  /** Shape and dtype of every value, by id. */
  readonly values: AbstractValue[] = [];
  /** The device of each value, by id. */
  readonly devices: Device[] = [];
  readonly nodes: TraceNode[] = [];
  /** Constant values by id: tensors captured from outside or made while tracing. */
  readonly consts = new Map<number, Tensor>();
  readonly inputIds: number[] = [];
  /** Captured tensors written in place, with the tracer holding their final value. */
  readonly written = new Map<Tensor, Tensor>();
  /** Tensors whose .grad was read or written while tracing, with the .grad they had before. */
  readonly gradBefore = new Map<Tensor, Tensor | null>();
  /** Conditions the traced program assumed (an optimizer's options), checked before each run. */
  readonly guards: (() => boolean)[] = [];
  /** JavaScript state updates to repeat after each run (an optimizer's step counts). */
  readonly hooks: (() => void)[] = [];
  /** Undoes JavaScript state the trace created, when tracing fails. */
  readonly undo: (() => void)[] = [];
  private readonly lifted = new Map<Tensor, Tensor>();
  private readonly state = new WeakMap<Tensor, TracerState>();

  private fresh(av: AbstractValue): number {
    this.values.push({ shape: [...av.shape], dtype: av.dtype });
    return this.values.length - 1;
  }

  private tracer(id: number, device: Device, base: Tensor | null = null, steps: ViewStep[] = []): Tensor {
    const v = this.values[id]!;
    const t = new Tensor([...v.shape], v.dtype);
    t._level = this;
    // Constants made while tracing (an identity, a mask) follow the device of what they combine with.
    t._device = device;
    this.devices[id] = device;
    this.state.set(t, { id, base, steps, gen: base === null ? 0 : this.state.get(base)!.writes, writes: 0 });
    return t;
  }

  /** A new graph input of this shape and dtype. */
  input(shape: readonly number[], dtype: Tensor['dtype'], device: Device): Tensor {
    const id = this.fresh({ shape: [...shape], dtype });
    this.inputIds.push(id);
    return this.tracer(id, device);
  }

  /** The tracer standing for `x`: x itself, or for a captured tensor a constant. */
  lift(x: Tensor): Tensor {
    if (x._level === this) return x;
    if (x._level !== null) {
      throw new CompileError(
        `compile: the function reads a tensor of an enclosing ${x._level.kind} transform that is not one of its arguments; pass it to the compiled function as an argument`,
      );
    }
    let t = this.lifted.get(x);
    if (t === undefined) {
      this.checkAlias(x);
      const id = this.fresh(x);
      this.consts.set(id, x);
      t = this.tracer(id, deviceOf(x));
      this.lifted.set(x, t);
      this.touchGrad(x);
    }
    return t;
  }

  /** Notes x's .grad before the trace reads or changes it. */
  touchGrad(x: Tensor): void {
    if (x._level !== null || this.gradBefore.has(x)) return;
    this.gradBefore.set(x, x._grad);
  }

  /** Captured tensors in the order they were first read. */
  captured(): Tensor[] {
    return [...this.lifted.keys()];
  }

  /** The graph value `x` holds now. */
  idOf(x: Tensor): number {
    const t = this.lift(x);
    this.sync(t);
    return this.state.get(t)!.id;
  }

  /** A tracer sharing x's value and later writes, cut from autograd (detach). */
  alias(x: Tensor): Tensor {
    this.sync(x);
    const s = this.state.get(x)!;
    return this.tracer(s.id, deviceOf(x), s.base ?? x, s.steps);
  }

  override sync(x: Tensor): void {
    const s = this.state.get(x);
    if (s === undefined || s.base === null) return;
    const b = this.state.get(s.base)!;
    if (s.gen === b.writes) return;
    s.id = this.idOf(replayViewSteps(s.steps, s.base));
    s.gen = b.writes;
  }

  process(prim: Primitive, inputs: Tensor[], params: unknown): Tensor {
    const ids = inputs.map((x) => this.idOf(x));
    const out = this.fresh(prim.abstract(inputs, params));
    this.nodes.push({ prim, params, inputs: ids, out });
    let t: Tensor;
    if (prim.view) {
      const src = this.lift(inputs[0]!);
      const s = this.state.get(src)!;
      t = this.tracer(out, deviceOf(src), s.base ?? src, [...s.steps, { prim: prim.name, params }]);
    } else {
      t = this.tracer(out, outputDevice(inputs, params));
    }
    if (!prim.nondiff) recordNode(prim.name, inputs, t, vjpOf(prim, inputs, t, params), savedOf(prim, inputs, t));
    return t;
  }

  override processNullary(prim: Primitive, params: unknown): Tensor | null {
    if (!prim.random) return null;
    const out = this.fresh(prim.abstract([], params));
    this.nodes.push({ prim, params, inputs: [], out });
    return this.tracer(out, outputDevice([], params));
  }

  assign(fn: string, x: Tensor, r: Tensor): void {
    const arg = this.inputIds.indexOf(this.state.get(this.state.get(x)!.base ?? x)!.id);
    if (arg >= 0) {
      // The graph replays on each call's arguments and has no result that writes back into them: a
      // write the caller would not see is refused rather than lost.
      throw new CompileError(
        `compile: ${fn}() writes in place into argument ${arg} (or a view of it); the compiled function does not write back into its arguments. Use an out-of-place op and return the result`,
      );
    }
    const value = this.lift(r);
    const recording = isGradEnabled() && (value._requiresGrad || x._requiresGrad);
    if (recording) checkLeaf(x);
    const s = this.state.get(x)!;
    const vid = this.idOf(value);
    if (s.base === null) {
      s.id = vid;
      s.writes++;
    } else {
      const b = this.state.get(s.base)!;
      this.sync(s.base);
      b.id = this.idOf(scatterThroughView(fn, s.steps, s.base, value));
      b.writes++;
      s.id = vid;
      s.gen = b.writes;
    }
    if (recording) rewireHistory(x, value);
  }

  /** An in-place write into a tensor captured from outside: recorded, applied after each run. */
  assignCaptured(fn: string, x: Tensor, r: Tensor): void {
    if (isGradEnabled() && (r._requiresGrad || x._requiresGrad)) {
      throw new CompileError(
        `compile: ${fn}() writes a value that requires grad into a tensor captured from outside the compiled function; run it under noGrad or pass the tensor as an argument`,
      );
    }
    for (const other of this.lifted.keys()) {
      if (other !== x && other._storage === x._storage) throw aliasError(fn);
    }
    const t = this.lift(x);
    this.assign(fn, t, r);
    this.written.set(x, t);
  }

  private checkAlias(x: Tensor): void {
    for (const w of this.written.keys()) if (w._storage === x._storage) throw aliasError('read');
  }
}

function aliasError(what: string): CompileError {
  return new CompileError(
    `compile: ${what}: two captured tensors share memory and one of them is written in place inside the compiled function; the compiled graph cannot order those reads and writes. Write through one tensor only, or pass them as arguments`,
  );
}
