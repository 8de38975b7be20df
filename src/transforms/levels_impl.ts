// The three wrapper levels: batch (vmap), dual (jvp, forward mode) and grad (func.grad/vjp, reverse
// mode). Each unwraps the inputs it owns, applies its rule one level down, and wraps the result.
import { TransformError } from '../core/errors.js';
import { numel } from '../core/shape.js';
import {
  Level, Tensor, bind, below, lax, recordNode, reserve, type Primitive, type RandomParams,
} from '../primitives/index.js';

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
      return t === null ? out : makeDual(this, out, t);
    });
  }
  assign(_fn: string, x: Tensor, r: Tensor, own: boolean, assignBelow: (x: Tensor, r: Tensor) => void): void {
    assignBelow(x._inner!, own ? r._inner! : r);
    x._tangent = own ? r._tangent : null;
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
    return recordNode(prim.name, own, w, (g, needs) => prim.vjp(g, inners, out, params, needs)) ? w : out;
  }
  assign(_fn: string, x: Tensor, r: Tensor, own: boolean, assignBelow: (x: Tensor, r: Tensor) => void): void {
    assignBelow(x._inner!, own ? r._inner! : r);
    x._gradFn = own ? r._gradFn : null;
    x._requiresGrad = own && r._requiresGrad;
  }
}

export function makeGradWrapper(level: GradLevel, inner: Tensor): Tensor {
  const t = new Tensor(inner.shape, inner.dtype);
  t._level = level;
  t._inner = inner;
  return t;
}
