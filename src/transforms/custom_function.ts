// Custom autograd Functions (torch.autograd.Function) on the level stack. A call goes, as a
// primitive's does, to the innermost level that owns one of its tensor arguments, which applies its
// rule and passes the call down (functorch's custom_function_call):
//  - eager (no level): forward runs without recording; a node whose backward is the Function's
//    backward is recorded for the inputs that require grad;
//  - grad level: the call goes below, then setupContext sees the level-below inputs and outputs and
//    the Function becomes one node of this level (so func.grad uses its backward);
//  - dual level: the call goes below, then the Function's jvp gives the output tangents;
//  - batch level: the Function's vmap rule, or with generateVmapRule a Function whose forward,
//    backward and jvp run the originals under a fresh vmap (the call then goes below);
//  - functionalize level: the call goes below on the unwrapped values.
// Saved tensors go through the one save point (SavedTensors), so saved-tensor hooks see them.
import { AutogradError, TransformError } from '../core/errors.js';
import { isFloating, type DType } from '../core/dtype.js';
import { shapesEqual } from '../core/shape.js';
import {
  Node, SavedTensors, Tensor, below, deviceOf, full, gradEdge, isGradEnabled, lax, setGradEnabled, withLevel, type Device, type Level,
} from '../primitives/index.js';
import { BatchLevel, DualLevel, GradLevel, makeBatched, makeDual, makeGradWrapper, type Randomness } from './levels_impl.js';
import { FunctionalizeLevel } from './functionalize_level.js';

/** What a Function's vmap rule learns about the vmap it runs under (PyTorch's `info`). */
export interface VmapInfo {
  /** The size of the vmapped dimension. */
  batchSize: number;
  /** The vmap's randomness option. */
  randomness: Randomness;
}

/**
 * The `ctx` a custom Function's forward/setupContext, backward and jvp share
 * (torch.autograd.function.FunctionCtx). Any other property may be set on it to pass non-tensor
 * values from forward to backward (`ctx.constant = 2`); tensors should go through
 * saveForBackward, so saved-tensor hooks and the in-place checks see them.
 */
export class FunctionCtx {
  /** For each argument of forward: whether backward must compute its gradient (false for non-tensors). */
  needsInputGrad: boolean[] = [];
  /** @internal */
  _saved: SavedTensors | null = null;
  /** @internal */
  _savedLayout: (number | null)[] = [];
  /** @internal */
  _nonDiff = new Set<Tensor>();
  /** @internal */
  _dirty = new Set<Tensor>();
  /** @internal */
  _materialize = true;
  /** @internal */
  _name = 'Function';
  [key: string]: any;

  /**
   * Saves tensors (or null) for backward/jvp; read them back with `ctx.savedTensors`. Call it at
   * most once, from forward or setupContext.
   * @example ctx.saveForBackward(x, result)
   */
  saveForBackward(...tensors: (Tensor | null | undefined)[]): void {
    const kept: Tensor[] = [];
    this._savedLayout = tensors.map((t) => {
      if (t === null || t === undefined) return null;
      if (!(t instanceof Tensor)) throw new AutogradError(`${this._name}: saveForBackward() expects Tensors or null, got ${typeof t}`);
      kept.push(t);
      return kept.length - 1;
    });
    this._saved = new SavedTensors(this._name, kept);
  }

  /** The tensors given to saveForBackward, in order (unpacked by the saved-tensor hooks). */
  get savedTensors(): (Tensor | null)[] {
    if (this._saved === null) return [];
    const got = this._saved.unpack();
    return this._savedLayout.map((i) => (i === null ? null : got[i]!));
  }

  /** Outputs that get no gradient: they do not require grad, and backward receives zeros for them. */
  markNonDifferentiable(...outputs: Tensor[]): void {
    for (const o of outputs) this._nonDiff.add(o);
  }

  /**
   * Whether backward receives zeros (default) or null for the gradients of outputs that got none.
   */
  setMaterializeGrads(value: boolean): void {
    this._materialize = value;
  }

  /** Inputs that forward modified in place (and returns): their history moves onto this Function. */
  markDirty(...tensors: Tensor[]): void {
    for (const t of tensors) this._dirty.add(t);
  }
}

/** A custom Function as the transforms see it (built from a user class by ops/autograd_function.ts). */
export interface FunctionSpec {
  name: string;
  /** PyTorch-2 style forward (no ctx); with setupContext. */
  forward?: (args: unknown[]) => unknown;
  /** Old-style forward(ctx, ...args): eager autograd only. */
  forwardWithCtx?: (ctx: FunctionCtx, args: unknown[]) => unknown;
  setupContext?: (ctx: FunctionCtx, args: unknown[], output: unknown) => void;
  backward: (ctx: FunctionCtx, grads: (Tensor | null)[]) => unknown;
  jvp?: (ctx: FunctionCtx, tangents: (Tensor | null)[]) => unknown;
  vmap?: (info: VmapInfo, inDims: (number | null)[], args: unknown[]) => unknown;
  generateVmapRule: boolean;
}

function liveInner(x: Tensor): Tensor {
  while (x._level !== null && !x._level.alive) x = x._inner!;
  return x;
}

/** Output tensors of a forward result (a Tensor or an array whose tensor entries are outputs). */
function outputList(out: unknown): unknown[] {
  return Array.isArray(out) ? out : [out];
}

function rebuild(out: unknown, list: unknown[]): unknown {
  return Array.isArray(out) ? list : list[0];
}

/** Applies a custom Function to `args` at the innermost level that owns one of its tensors. */
export function applyFunction(spec: FunctionSpec, args: unknown[]): unknown {
  let top: Level | null = null;
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    if (!(a instanceof Tensor) || a._level === null) continue;
    if (!a._level.alive) args[i] = a = liveInner(a);
    const l = (a as Tensor)._level;
    if (l !== null && (top === null || l.depth > top.depth)) top = l;
  }
  if (top === null) return eager(spec, args);
  if (!spec.forward || !spec.setupContext) {
    throw new TransformError(
      `${spec.name}: In order to use an autograd.Function with functorch transforms (vmap, grad, jvp, jacrev, ...), it must override the setupContext staticmethod (and take no ctx in forward).`,
    );
  }
  if (top instanceof GradLevel) return gradRule(top, spec, args);
  if (top instanceof DualLevel) return dualRule(top, spec, args);
  if (top instanceof BatchLevel) return batchRule(top, spec, args);
  if (top instanceof FunctionalizeLevel) {
    const level = top;
    const inners = args.map((a) => (a instanceof Tensor && a._level === level ? (level.sync(a), a._inner!) : a));
    const out = below(level, () => applyFunction(spec, inners));
    return rebuild(out, outputList(out).map((o) => (o instanceof Tensor ? level.wrap(o) : o)));
  }
  throw new TransformError(`${spec.name}: autograd.Function is not supported under a ${top.kind} transform`);
}

function newCtx(spec: FunctionSpec, needs: boolean[]): FunctionCtx {
  const ctx = new FunctionCtx();
  ctx._name = spec.name;
  ctx.needsInputGrad = needs;
  return ctx;
}

function noGradDo<R>(fn: () => R): R {
  const prev = setGradEnabled(false);
  try {
    return fn();
  } finally {
    setGradEnabled(prev);
  }
}

/** Eager autograd: forward without recording, then one node for the inputs that require grad. */
function eager(spec: FunctionSpec, args: unknown[]): unknown {
  const edges = args.map((a) => (a instanceof Tensor && isGradEnabled() ? gradEdge(a) : null));
  const record = edges.some((e) => e !== null);
  const ctx = newCtx(spec, edges.map((e) => e !== null));
  let out: unknown;
  if (spec.forwardWithCtx) {
    out = noGradDo(() => spec.forwardWithCtx!(ctx, args));
  } else {
    out = noGradDo(() => spec.forward!(args));
    if (record) noGradDo(() => spec.setupContext!(ctx, args, out));
  }
  if (!record) return out;
  const list = outputList(out).map((o) => {
    if (!(o instanceof Tensor) || ctx._dirty.has(o) || !args.includes(o)) return o;
    // An input returned as is gets a new identity, so its own history stays untouched.
    const alias = noGradDo(() => lax.copyOf(o));
    if (ctx._nonDiff.has(o)) ctx._nonDiff.add(alias);
    return alias;
  });
  for (const d of ctx._dirty) {
    if (d._gradFn === null && d._requiresGrad) {
      throw new AutogradError('a leaf Variable that requires grad is being used in an in-place operation.');
    }
  }
  connect(spec, ctx, args, edges, list, (o) => o);
  return rebuild(out, list);
}

/** func.grad / vjp: the call goes below; the Function becomes one node of this level. */
function gradRule(level: GradLevel, spec: FunctionSpec, args: unknown[]): unknown {
  const inners = args.map((a) => (a instanceof Tensor && a._level === level ? a._inner! : a));
  const out = below(level, () => applyFunction(spec, inners));
  const edges = args.map((a) => (a instanceof Tensor && a._level === level && isGradEnabled() ? gradEdge(a) : null));
  if (!edges.some((e) => e !== null)) return out;
  const ctx = newCtx(spec, edges.map((e) => e !== null));
  below(level, () => spec.setupContext!(ctx, inners, out));
  const list = outputList(out);
  const wrapped = connect(spec, ctx, inners, edges, list, (o) => makeGradWrapper(level, o));
  return rebuild(out, wrapped);
}

/**
 * Links the outputs to a node running the Function's backward: one node for a single output; with
 * several, a node per output that collects its gradient for a shared node that runs backward.
 * `wrap` gives the tensor that carries the history (the output itself in eager mode).
 */
function connect(
  spec: FunctionSpec, ctx: FunctionCtx, args: unknown[], edges: (Node | null)[], list: unknown[], wrap: (o: Tensor) => Tensor,
): unknown[] {
  const name = `${spec.name}Backward`;
  const argMeta = args.map((a) => (a instanceof Tensor ? ([[...a.shape], a.dtype] as const) : null));
  const outMeta: [number[], DType, Device][] = [];
  const diff: boolean[] = [];
  for (const o of list) {
    if (!(o instanceof Tensor)) continue;
    outMeta.push([[...o.shape], o.dtype, deviceOf(o)]);
    diff.push(!ctx._nonDiff.has(o) && isFloating(o.dtype));
  }
  const run = (grads: (Tensor | null)[]) => callBackward(name, spec, ctx, grads, outMeta, argMeta);
  const nDiff = diff.filter(Boolean).length;
  let nodeFor: (k: number) => Node;
  if (nDiff <= 1) {
    const node = new Node(name, edges, (g) => run(outMeta.map((_, k) => (diff[k] ? g : null))));
    node.saved = ctx._saved;
    nodeFor = () => node;
  } else {
    const collected: (Tensor | null)[] = outMeta.map(() => null);
    const hub = new Node(name, edges, () => {
      const gs = [...collected];
      collected.fill(null);
      return run(gs);
    });
    hub.saved = ctx._saved;
    const dummy = full([], 0, 'float32');
    nodeFor = (k) =>
      new Node(`${name}Output${k}`, [hub], (g) => {
        collected[k] = g;
        return [dummy];
      });
  }
  let k = 0;
  return list.map((o) => {
    if (!(o instanceof Tensor)) return o;
    const i = k++;
    const w = wrap(o);
    if (diff[i]) {
      w._requiresGrad = true;
      w._gradFn = nodeFor(i);
    }
    return w;
  });
}

function callBackward(
  name: string, spec: FunctionSpec, ctx: FunctionCtx, grads: (Tensor | null)[], outMeta: [number[], DType, Device][],
  argMeta: (readonly [readonly number[], DType] | null)[],
): (Tensor | null)[] {
  const gs = grads.map((g, k) => g ?? (ctx._materialize ? full([...outMeta[k]![0]], 0, outMeta[k]![1], outMeta[k]![2]) : null));
  const res = spec.backward(ctx, gs);
  const list = Array.isArray(res) ? res : [res];
  const n = argMeta.length;
  if (list.length < n || list.slice(n).some((g) => g !== null && g !== undefined)) {
    throw new AutogradError(`function ${name} returned an incorrect number of gradients (expected ${n}, got ${list.length})`);
  }
  return argMeta.map((meta, i) => {
    const g = list[i];
    if (g === null || g === undefined) return null;
    if (meta === null) {
      throw new AutogradError(
        `function ${name} returned a gradient different than None at position ${i + 1}, but the corresponding forward input was not a Variable`,
      );
    }
    if (!(g instanceof Tensor)) throw new AutogradError(`function ${name} returned a gradient of type ${typeof g} at position ${i + 1}; expected a Tensor or null`);
    if (!ctx.needsInputGrad[i]) return null;
    if (shapesEqual(g.shape, meta[0])) return g;
    const ok = g.shape.length >= meta[0].length && meta[0].every((d, j) => {
      const gd = g.shape[g.shape.length - meta[0].length + j]!;
      return d === gd || d === 1;
    });
    if (!ok) {
      throw new AutogradError(`Function ${name} returned an invalid gradient at index ${i} - got [${g.shape.join(', ')}] but expected shape compatible with [${meta[0].join(', ')}]`);
    }
    return lax.sumTo(g, meta[0]);
  });
}

/** jvp: the call goes below; the Function's jvp maps the input tangents to output tangents. */
function dualRule(level: DualLevel, spec: FunctionSpec, args: unknown[]): unknown {
  const primals = args.map((a) => (a instanceof Tensor && a._level === level ? a._inner! : a));
  const tangents = args.map((a) => (a instanceof Tensor && a._level === level ? a._tangent : null));
  const out = below(level, () => applyFunction(spec, primals));
  if (tangents.every((t) => t === null)) return out;
  if (!spec.jvp) {
    throw new AutogradError(
      `${spec.name}: jvp is not implemented. You must implement the jvp function for custom autograd.Function to use it with forward mode AD.`,
    );
  }
  return below(level, () => {
    const ctx = newCtx(spec, args.map((a) => a instanceof Tensor));
    spec.setupContext!(ctx, primals, out);
    const ts = args.map((a, i) => (a instanceof Tensor ? tangents[i] ?? lax.zerosLike(primals[i] as Tensor) : null));
    const res = spec.jvp!(ctx, ts);
    const list = outputList(out);
    const tl = Array.isArray(out) ? outputList(res) : [res];
    return rebuild(out, list.map((o, k) => {
      if (!(o instanceof Tensor) || ctx._nonDiff.has(o) || !isFloating(o.dtype)) return o;
      const t = tl[k];
      if (t === null || t === undefined) return o;
      if (!(t instanceof Tensor) || !shapesEqual(t.shape, o.shape)) {
        throw new AutogradError(`${spec.name}: jvp returned an invalid tangent for output ${k}: expected a Tensor of shape [${o.shape.join(', ')}]`);
      }
      return makeDual(level, o, t);
    }));
  });
}

/** vmap: the Function's vmap rule, or the generated rule (the vmapped Function called below). */
function batchRule(level: BatchLevel, spec: FunctionSpec, args: unknown[]): unknown {
  const vals = args.map((a) => (a instanceof Tensor && a._level === level ? a._inner! : a));
  const inDims = args.map((a) => (a instanceof Tensor && a._level === level ? a._bdim : null));
  if (spec.vmap) {
    const info: VmapInfo = { batchSize: level.size, randomness: level.randomness };
    const res = below(level, () => spec.vmap!(info, inDims, vals));
    if (!Array.isArray(res) || res.length !== 2) {
      throw new TransformError(`${spec.name}.vmap: expected the vmap staticmethod to return [output, outDims]`);
    }
    const [out, outDims] = res as [unknown, unknown];
    const list = outputList(out);
    const dims = Array.isArray(out) && Array.isArray(outDims) ? outDims : list.map(() => outDims);
    if (dims.length !== list.length) {
      throw new TransformError(`${spec.name}.vmap: expected outDims to have one entry per output (${list.length}), got ${dims.length}`);
    }
    return rebuild(out, list.map((o, k) => {
      const d = dims[k];
      if (!(o instanceof Tensor) || d === null || d === undefined) return o;
      if (typeof d !== 'number') throw new TransformError(`${spec.name}.vmap: outDims entries must be numbers or null`);
      return makeBatched(level, o, d < 0 ? d + o.ndim : d);
    }));
  }
  if (!spec.generateVmapRule) {
    throw new TransformError(
      `vmap: ${spec.name}: To use autograd.Function with vmap, you must either override the vmap staticmethod or set generateVmapRule=True.`,
    );
  }
  const out = below(level, () => applyFunction(vmapified(spec, inDims, level.size, level.randomness), vals));
  return rebuild(out, outputList(out).map((o) => (o instanceof Tensor ? makeBatched(level, o, 0) : o)));
}

/** The ctx the original Function sees inside the generated vmap rule: saved tensors stay batched. */
class BatchedCtx extends FunctionCtx {
  /** @internal */
  _outer: FunctionCtx | null = null;
  /** @internal */
  _savedDims: (number | null)[] = [];
  /** @internal */
  _level: BatchLevel | null = null;
  /** @internal */
  _phys = new Map<Tensor, Tensor>();

  override saveForBackward(...tensors: (Tensor | null | undefined)[]): void {
    const lvl = this._level!;
    this._savedDims = tensors.map((t) => (t instanceof Tensor && t._level === lvl ? t._bdim : null));
    this._outer!.saveForBackward(...tensors.map((t) => (t instanceof Tensor && t._level === lvl ? t._inner! : t)));
  }

  override get savedTensors(): (Tensor | null)[] {
    const lvl = this._level!;
    return this._outer!.savedTensors.map((t, i) => {
      const d = this._savedDims[i];
      return t === null || d === null || d === undefined ? t : makeBatched(lvl, t, d);
    });
  }

  override markNonDifferentiable(...outputs: Tensor[]): void {
    this._outer!.markNonDifferentiable(...outputs.map((o) => this._phys.get(o) ?? o));
  }

  override setMaterializeGrads(value: boolean): void {
    this._outer!.setMaterializeGrads(value);
  }
}

/**
 * generateVmapRule: a Function on the physical (batch-dim-carrying) values whose forward, setupContext,
 * backward and jvp run the original's under a fresh vmap of the same size, outputs at batch dim 0.
 */
function vmapified(spec: FunctionSpec, inDims: (number | null)[], size: number, randomness: Randomness): FunctionSpec {
  const inVmap = <R>(fn: (lvl: BatchLevel) => R): R => withLevel(new BatchLevel(size, randomness), fn);
  const wrapArgs = (lvl: BatchLevel, xs: unknown[], dims: (number | null)[]) =>
    xs.map((x, i) => (x instanceof Tensor && dims[i] !== null && dims[i] !== undefined ? makeBatched(lvl, x, dims[i]!) : x));
  const toPhysical = (lvl: BatchLevel, o: unknown): unknown => {
    if (!(o instanceof Tensor)) return o;
    if (o._level === lvl) return lax.moveDim(o._inner!, o._bdim, 0);
    return lax.broadcastTo(lax.reshape(o, [1, ...o.shape]), [size, ...o.shape]);
  };
  /** A gradient for input i, laid out as that input (summed over the batch for an unbatched one). */
  const gradFor = (lvl: BatchLevel, g: unknown, i: number): unknown => {
    if (!(g instanceof Tensor)) return g;
    const d = inDims[i] ?? null;
    if (g._level !== lvl) return d === null ? g : lax.moveDim(lax.broadcastTo(lax.reshape(g, [1, ...g.shape]), [size, ...g.shape]), 0, d);
    if (d === null) return lax.sum(g._inner!, [g._bdim]);
    return lax.moveDim(g._inner!, g._bdim, d);
  };
  const outerOf = (ctx: FunctionCtx): BatchedCtx => {
    const b = ctx._vmapCtx as BatchedCtx | undefined;
    if (!b) throw new AutogradError(`${spec.name}: the generated vmap rule lost its context`);
    return b;
  };
  return {
    name: spec.name,
    generateVmapRule: true,
    forward: (args) =>
      inVmap((lvl) => {
        const out = spec.forward!(wrapArgs(lvl, args, inDims));
        return rebuild(out, outputList(out).map((o) => toPhysical(lvl, o)));
      }),
    setupContext: (ctx, args, output) => {
      const b = new BatchedCtx();
      b._name = spec.name;
      b._outer = ctx;
      b.needsInputGrad = ctx.needsInputGrad;
      ctx._vmapCtx = b;
      inVmap((lvl) => {
        b._level = lvl;
        const outs = outputList(output).map((o) => {
          if (!(o instanceof Tensor)) return o;
          const w = makeBatched(lvl, o, 0);
          b._phys.set(w, o);
          return w;
        });
        spec.setupContext!(b, wrapArgs(lvl, args, inDims), rebuild(output, outs));
        b._phys.clear();
      });
    },
    backward: (ctx, grads) =>
      inVmap((lvl) => {
        const b = outerOf(ctx);
        b._level = lvl;
        const res = spec.backward(b, grads.map((g) => (g === null ? null : makeBatched(lvl, g, 0))));
        const list = Array.isArray(res) ? res : [res];
        return list.map((g, i) => gradFor(lvl, g, i));
      }),
    jvp: spec.jvp
      ? (ctx, tangents) =>
          inVmap((lvl) => {
            const b = outerOf(ctx);
            b._level = lvl;
            const res = spec.jvp!(b, wrapArgs(lvl, tangents, inDims) as (Tensor | null)[]);
            return Array.isArray(res) ? res.map((t) => toPhysical(lvl, t)) : toPhysical(lvl, res);
          })
      : undefined,
  };
}
