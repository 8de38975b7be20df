// The three wrapper levels: batch (vmap), dual (jvp, forward mode) and grad (func.grad/vjp, reverse
// mode). Each unwraps the inputs it owns, applies its rule one level down, and wraps the result.
import { TransformError } from '../core/errors.js';
import { checkLeaf, rewireHistory } from './inplace.js';
import { numel } from '../core/shape.js';
import {
  Level, Tensor, bind, below, isGradEnabled, lax, recordNode, reserve, savedOf, vjpOf, scatterThroughView, type Primitive, type RandomParams,
} from '../primitives/index.js';

/**
 * Random ops under vmap: 'error' (the default) throws, 'different' draws independently for each
 * batch member, 'same' draws once for the whole batch.
 */
export type Randomness = 'error' | 'different' | 'same';

export class BatchLevel extends Level {
  readonly kind = 'batch' as const;
  constructor(readonly size: number, readonly randomness: Randomness) {
    super();
  }
  process(prim: Primitive, inputs: Tensor[], params: unknown): Tensor {
    const vals = new Array<Tensor>(inputs.length);
    const bdims = new Array<number | null>(inputs.length);
    for (let i = 0; i < inputs.length; i++) {
      const x = inputs[i]!;
      if (x._level === this) {
        vals[i] = x._inner!;
        bdims[i] = x._bdim;
      } else {
        vals[i] = x;
        bdims[i] = null;
      }
    }
    const [out, bd] = below(this, () => prim.batch(vals, bdims, params, this.size));
    return bd === null ? out : makeBatched(this, out, bd);
  }
  override processNullary(prim: Primitive, params: unknown): Tensor | null {
    if (!prim.random || this.randomness === 'same') return null;
    if (this.randomness === 'error') {
      throw new TransformError(
        "vmap: called random operation while in randomness error mode. Please either use the 'same' or 'different' randomness flags on vmap or perform the randomness operation out of vmap",
      );
    }
    const p = params as RandomParams;
    const shape = [this.size, ...p.shape];
    const { seed, offset } = reserve(numel(shape));
    const out = below(this, () => bind(prim, [], { ...p, shape, seed, offset }));
    return makeBatched(this, out, 0);
  }
  assign(_fn: string, x: Tensor, r: Tensor, own: boolean, assignBelow: (x: Tensor, r: Tensor) => void): void {
    // An unbatched value written into a batched tensor is broadcast along the batch dim.
    const inner = own
      ? lax.moveDim(r._inner!, r._bdim, x._bdim)
      : lax.moveDim(lax.broadcastTo(r, [this.size, ...x.shape]), 0, x._bdim);
    assignBelow(x._inner!, inner);
  }
}

export function makeBatched(level: BatchLevel, inner: Tensor, bdim: number): Tensor {
  const shape = inner.shape.filter((_, i) => i !== bdim);
  const t = new Tensor(shape, inner.dtype);
  t._level = level;
  t._inner = inner;
  t._bdim = bdim;
  return t;
}

export class DualLevel extends Level {
  readonly kind = 'dual' as const;
  process(prim: Primitive, inputs: Tensor[], params: unknown): Tensor {
    const primals = new Array<Tensor>(inputs.length);
    const tangents = new Array<Tensor | null>(inputs.length);
    let any = false;
    for (let i = 0; i < inputs.length; i++) {
      const x = inputs[i]!;
      if (x._level === this) {
        primals[i] = x._inner!;
        tangents[i] = x._tangent;
        any ||= x._tangent !== null;
      } else {
        primals[i] = x;
        tangents[i] = null;
      }
    }
    return below(this, () => {
      const out = bind(prim, primals, params);
      if (prim.nondiff || !any) return out;
      const t = prim.jvp(tangents, primals, out, params);
      if (t === null) return out;
      const d = makeDual(this, out, t);
      const src = inputs[0]!;
      if (prim.view && src._level === this) {
        // Views remember their base at this level, so a write through them updates its tangent.
        d._base = src._base ?? src;
        d._viewSteps = [...(src._viewSteps ?? []), { prim: prim.name, params }];
      }
      return d;
    });
  }
  assign(fn: string, x: Tensor, r: Tensor, own: boolean, assignBelow: (x: Tensor, r: Tensor) => void): void {
    assignBelow(x._inner!, own ? r._inner! : r);
    const t = own ? r._tangent : null;
    x._tangent = t;
    const base = x._base;
    if (base === null) return;
    below(this, () => {
      const bt = base._tangent ?? lax.zerosLike(base._inner!);
      base._tangent = scatterThroughView(fn, x._viewSteps!, bt, t ?? lax.zerosLike(x._inner!));
    });
  }
}

export function makeDual(level: DualLevel, primal: Tensor, tangent: Tensor | null): Tensor {
  const t = new Tensor(primal.shape, primal.dtype);
  t._level = level;
  t._inner = primal;
  t._tangent = tangent;
  return t;
}

export class GradLevel extends Level {
  readonly kind = 'grad' as const;
  process(prim: Primitive, inputs: Tensor[], params: unknown): Tensor {
    const inners = inputs.map((x) => (x._level === this ? x._inner! : x));
    const out = below(this, () => bind(prim, inners, params));
    if (prim.nondiff) return out;
    const w = makeGradWrapper(this, out);
    const own = inputs.map((x) => (x._level === this ? x : null));
    if (!recordNode(prim.name, own, w, vjpOf(prim, inners, out, params), savedOf(prim, inners, out))) return out;
    const src = own[0];
    if (prim.view && src) {
      // Views remember their base at this level, so an in-place write through them rewires it.
      w._base = src._base ?? src;
      w._viewSteps = [...(src._viewSteps ?? []), { prim: prim.name, params }];
    }
    return w;
  }
  assign(_fn: string, x: Tensor, r: Tensor, own: boolean, assignBelow: (x: Tensor, r: Tensor) => void): void {
    const value = own ? r : null;
    const recording = isGradEnabled() && ((value?._requiresGrad ?? false) || x._requiresGrad);
    if (recording) checkLeaf(x);
    assignBelow(x._inner!, own ? r._inner! : r);
    if (recording) rewireHistory(x, value);
  }
}

export function makeGradWrapper(level: GradLevel, inner: Tensor): Tensor {
  const t = new Tensor(inner.shape, inner.dtype);
  t._level = level;
  t._inner = inner;
  return t;
}
