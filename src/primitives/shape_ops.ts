// Shape primitives. reshape (of a contiguous tensor), permute, expand and slice are views sharing
// storage; flip, concat, pad and sliceScatter produce new tensors.
import { AutogradError, DTypeError, ShapeError, fmtShape } from '../core/errors.js';
import { numel, shapesEqual, viewStrides } from '../core/shape.js';
import { release, runKernel, viewOf, writeInto } from './concrete.js';
import { bind, definePrimitive, registry, type Primitive } from './primitive.js';
import type { Tensor, ViewStep } from './value.js';
import * as L from './lax.js';

function asView(x: Tensor, prim: string, params: unknown, shape: number[], strides: number[], offset: number): Tensor {
  const v = viewOf(x, shape, strides, offset);
  v._base = x._base ?? x;
  v._viewSteps = [...(x._viewSteps ?? []), { prim, params }];
  v._viewVersion = x._storage!.version;
  return v;
}

/** Re-applies the view steps recorded on a view to another tensor of its base's shape. */
export function replayViewSteps(steps: readonly ViewStep[], x: Tensor): Tensor {
  for (const s of steps) x = bind(registry.get(s.prim)!, [x], s.params);
  return x;
}

const front = (x: Tensor, bd: number | null) => (bd === null ? x : L.moveDim(x, bd, 0));

export interface ShapeParams {
  shape: number[];
}

export const reshapeP: Primitive<ShapeParams> = definePrimitive<ShapeParams>({
  name: 'reshape',
  view: true,
  abstract: ([x], { shape }) => {
    if (numel(shape) !== numel(x!.shape)) {
      throw new ShapeError(`reshape(): shape '${fmtShape(shape)}' is invalid for input of size ${numel(x!.shape)}`);
    }
    return { shape, dtype: x!.dtype };
  },
  impl: ([x], params, av) => {
    const strides = viewStrides(x!.shape, x!._strides, params.shape);
    if (strides) return asView(x!, 'reshape', params, params.shape, strides, x!._offset);
    return runKernel([x!], av, (be, [xv]) => be.copy(xv!, x!.dtype));
  },
  vjp: (g, [x]) => [L.reshape(g, x!.shape)],
  jvp: ([t], _x, out) => (t ? L.reshape(t, out.shape) : null),
  batch: ([x], [bd], { shape }) => {
    const f = L.moveDim(x!, bd!, 0);
    return [bind(reshapeP, [f], { shape: [f.shape[0]!, ...shape] }), 0];
  },
});

export interface PermParams {
  perm: number[];
}
export const permuteP: Primitive<PermParams> = definePrimitive<PermParams>({
  name: 'permute',
  view: true,
  abstract: ([x], { perm }) => {
    if (perm.length !== x!.ndim || new Set(perm).size !== perm.length || perm.some((p) => p < 0 || p >= x!.ndim)) {
      throw new ShapeError(`permute(): dims [${perm.join(', ')}] are not a permutation of the ${x!.ndim} dims of a tensor of shape ${fmtShape(x!.shape)}`);
    }
    return { shape: perm.map((p) => x!.shape[p]!), dtype: x!.dtype };
  },
  impl: ([x], params, av) => asView(x!, 'permute', params, av.shape, params.perm.map((p) => x!._strides[p]!), x!._offset),
  vjp: (g, _x, _o, { perm }) => {
    const inv = new Array<number>(perm.length);
    perm.forEach((p, i) => (inv[p] = i));
    return [L.permute(g, inv)];
  },
  jvp: ([t], _x, _o, { perm }) => (t ? L.permute(t, perm) : null),
  batch: ([x], [bd], { perm }) => [bind(permuteP, [L.moveDim(x!, bd!, 0)], { perm: [0, ...perm.map((p) => p + 1)] }), 0],
});

export const expandP: Primitive<ShapeParams> = definePrimitive<ShapeParams>({
  name: 'expand',
  view: true,
  abstract: ([x], { shape }) => {
    const off = shape.length - x!.ndim;
    const bad = off < 0 || x!.shape.some((d, i) => d !== 1 && d !== shape[off + i]);
    if (bad) {
      throw new ShapeError(
        `expand(): the expanded size of the tensor must match the existing size at non-singleton dimensions. ` +
          `Target sizes: ${fmtShape(shape)}. Tensor sizes: ${fmtShape(x!.shape)}`,
      );
    }
    return { shape, dtype: x!.dtype };
  },
  impl: ([x], params) => {
    const { shape } = params;
    const off = shape.length - x!.ndim;
    // A broadcast dim (size 1 in x, or a new leading one, which x has no size for) gets stride 0.
    const strides = shape.map((d, i) => (x!.shape[i - off] === d ? x!._strides[i - off]! : 0));
    return asView(x!, 'expand', params, shape, strides, x!._offset);
  },
  vjp: (g, [x]) => [L.sumTo(g, x!.shape)],
  jvp: ([t], _x, _o, { shape }) => (t ? L.broadcastTo(t, shape) : null),
  batch: ([x], [bd], { shape }) => {
    const f = L.moveDim(x!, bd!, 0);
    const lead = shape.length - (f.ndim - 1);
    const padded = L.reshape(f, [f.shape[0]!, ...new Array<number>(lead).fill(1), ...f.shape.slice(1)]);
    return [bind(expandP, [padded], { shape: [f.shape[0]!, ...shape] }), 0];
  },
});

export interface SliceParams {
  dim: number;
  start: number;
  end: number;
  step: number;
}
const sliceLen = ({ start, end, step }: SliceParams) => Math.max(0, Math.ceil((end - start) / step));

export const sliceP: Primitive<SliceParams> = definePrimitive<SliceParams>({
  name: 'slice',
  view: true,
  abstract: ([x], p) => {
    const shape = [...x!.shape];
    shape[p.dim] = sliceLen(p);
    return { shape, dtype: x!.dtype };
  },
  impl: ([x], p, av) => {
    const strides = [...x!._strides];
    const st = strides[p.dim]!;
    strides[p.dim] = st * p.step;
    return asView(x!, 'slice', p, av.shape, strides, x!._offset + (av.shape[p.dim]! > 0 ? p.start * st : 0));
  },
  vjp: (g, [x], _o, p) => [L.sliceScatter(L.zerosLike(x!), g, p)],
  jvp: ([t], _x, _o, p) => (t ? L.slice(t, p) : null),
  batch: ([x], [bd], p) => [bind(sliceP, [L.moveDim(x!, bd!, 0)], { ...p, dim: p.dim + 1 }), 0],
});

/** base with base[slice] replaced by src (out of place). */
export const sliceScatterP: Primitive<SliceParams> = definePrimitive<SliceParams>({
  name: 'sliceScatter',
  abstract: ([base, src], p) => {
    const want = [...base!.shape];
    want[p.dim] = sliceLen(p);
    if (!shapesEqual(want, src!.shape)) {
      throw new ShapeError(`sliceScatter(): expected src to have shape ${fmtShape(want)}, got ${fmtShape(src!.shape)}`);
    }
    return { shape: base!.shape, dtype: base!.dtype };
  },
  impl: ([base, src], p, av) => {
    const out = runKernel([base!], av, (be, [vb]) => be.copy(vb!, av.dtype));
    const strides = [...out._strides];
    const st = strides[p.dim]!;
    strides[p.dim] = st * p.step;
    const shape = [...av.shape];
    shape[p.dim] = sliceLen(p);
    if (numel(shape) > 0) {
      const window = viewOf(out, shape, strides, p.start * st);
      writeInto(window, src!);
      release(window);
    }
    return out;
  },
  vjp: (g, [, src], _o, p) => [L.sliceScatter(g, L.zerosLike(src!), p), L.slice(g, p)],
  jvp: ([tb, ts], [base, src], _o, p) => {
    if (!tb && !ts) return null;
    return L.sliceScatter(tb ?? L.zerosLike(base!), ts ?? L.zerosLike(src!), p);
  },
  batch: ([base, src], [bb, bs], p, size) => {
    const b = bb === null ? L.broadcastTo(base!, [size, ...base!.shape]) : L.moveDim(base!, bb!, 0);
    const s = bs === null ? L.broadcastTo(src!, [size, ...src!.shape]) : L.moveDim(src!, bs!, 0);
    return [bind(sliceScatterP, [b, s], { ...p, dim: p.dim + 1 }), 0];
  },
});

export interface DimsParams {
  dims: number[];
}
export const flipP: Primitive<DimsParams> = definePrimitive<DimsParams>({
  name: 'flip',
  abstract: ([x]) => ({ shape: x!.shape, dtype: x!.dtype }),
  impl: ([x], { dims }, av) => {
    let offset = x!._offset;
    const strides = [...x!._strides];
    for (const d of dims) {
      if (x!.shape[d]! > 0) offset += (x!.shape[d]! - 1) * strides[d]!;
      strides[d] = -strides[d]!;
    }
    const flipped = viewOf(x!, x!.shape, strides, offset);
    const out = runKernel([flipped], av, (be, [v]) => be.copy(v!, av.dtype));
    release(flipped);
    return out;
  },
  vjp: (g, _x, _o, { dims }) => [L.flip(g, dims)],
  jvp: ([t], _x, _o, { dims }) => (t ? L.flip(t, dims) : null),
  batch: ([x], [bd], { dims }) => [bind(flipP, [L.moveDim(x!, bd!, 0)], { dims: dims.map((d) => d + 1) }), 0],
});

export interface DimParams {
  dim: number;
}
export const concatP: Primitive<DimParams> = definePrimitive<DimParams>({
  name: 'concat',
  abstract: (xs, { dim }) => {
    const first = xs[0]!;
    let total = 0;
    for (const x of xs) {
      const ok = x.ndim === first.ndim && x.shape.every((d, i) => i === dim || d === first.shape[i]);
      if (!ok) {
        throw new ShapeError(
          `cat(): Sizes of tensors must match except in dimension ${dim}. Got tensors of shape ${fmtShape(first.shape)} and ${fmtShape(x.shape)}`,
        );
      }
      if (x.dtype !== first.dtype) throw new DTypeError(`cat(): expected all tensors to have dtype ${first.dtype}, got ${x.dtype}`);
      total += x.shape[dim]!;
    }
    const shape = [...first.shape];
    shape[dim] = total;
    return { shape, dtype: first.dtype };
  },
  impl: (xs, { dim }, av) => runKernel(xs, av, (be, vs) => be.concat(vs, dim, av.shape, av.dtype)),
  vjp: (g, xs, _o, { dim }) => {
    let start = 0;
    return xs.map((x) => {
      const n = x.shape[dim]!;
      const s = L.slice(g, { dim, start, end: start + n, step: 1 });
      start += n;
      return s;
    });
  },
  jvp: (ts, xs, _o, { dim }) => {
    if (ts.every((t) => t === null)) return null;
    return L.concat(xs.map((x, i) => ts[i] ?? L.zerosLike(x)), dim);
  },
  batch: (xs, bds, { dim }, size) => {
    const fs = xs.map((x, i) => (bds[i] === null ? L.broadcastTo(x, [size, ...x.shape]) : front(x, bds[i]!)));
    return [bind(concatP, fs, { dim: dim + 1 }), 0];
  },
});

export interface PadParams {
  pads: [number, number][];
  value: number;
}
export const padP: Primitive<PadParams> = definePrimitive<PadParams>({
  name: 'pad',
  abstract: ([x], { pads }) => ({ shape: x!.shape.map((d, i) => d + pads[i]![0] + pads[i]![1]), dtype: x!.dtype }),
  impl: ([x], { pads, value }, av) => runKernel([x!], av, (be, [xv]) => be.pad(xv!, pads, value)),
  vjp: (g, [x], _o, { pads }) => {
    let r = g;
    pads.forEach(([b], d) => {
      if (g.shape[d] !== x!.shape[d]) r = L.slice(r, { dim: d, start: b, end: b + x!.shape[d]!, step: 1 });
    });
    return [r];
  },
  jvp: ([t], _x, _o, { pads }) => (t ? L.pad(t, pads, 0) : null),
  batch: ([x], [bd], { pads, value }) => [bind(padP, [L.moveDim(x!, bd!, 0)], { pads: [[0, 0], ...pads], value }), 0],
});

/** The base value with the view given by `steps` replaced by `v`. */
export function scatterThroughView(fn: string, steps: readonly ViewStep[], base: Tensor, v: Tensor): Tensor {
  const vals = [base];
  for (const st of steps) vals.push(bind(registry.get(st.prim)!, [vals[vals.length - 1]!], st.params));
  for (let i = steps.length - 1; i >= 0; i--) {
    const st = steps[i]!;
    const before = vals[i]!;
    switch (st.prim) {
      case 'slice':
        v = L.sliceScatter(before, v, st.params as SliceParams);
        break;
      case 'reshape':
        v = L.reshape(v, before.shape);
        break;
      case 'permute': {
        const perm = (st.params as { perm: number[] }).perm;
        const inv = new Array<number>(perm.length);
        perm.forEach((p, k) => (inv[p] = k));
        v = L.permute(v, inv);
        break;
      }
      default:
        throw new AutogradError(`${fn}(): functionalize cannot write through a view made by ${st.prim} (more than one element of the written-to tensor refers to a single memory location)`);
    }
  }
  return v;
}
