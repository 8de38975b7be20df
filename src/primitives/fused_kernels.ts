// compile's fusions around non-elementwise kernels: a matmul whose result goes straight into an
// elementwise epilogue (bias, activation), and a reduction of an elementwise prologue, optionally
// followed by an epilogue on the reduced values. Each kernel runs as one backend call; their rules
// are the rules of the parts (matmul or the reduction between two fused programs), applied in turn,
// so they differentiate and batch exactly as the nodes they replaced.
import type { FusedProgram, ReduceOp } from '../backend/backend.js';
import { ShapeError, fmtShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { alignForBroadcast } from './elementwise.js';
import { SAVES_ALL, fusedP } from './fused.js';
import { matmulP } from './linalg.js';
import { runKernel } from './concrete.js';
import { bind, definePrimitive, registry, type AbstractValue, type Primitive } from './primitive.js';
import type { Tensor } from './value.js';
import * as L from './lax.js';

/** Params of fusedMatmul: inputs are a, b, then the epilogue's inputs after its first (the product). */
export interface FusedMatmulParams {
  /** Applied to the product (seen in `shape`); keeps its shape. */
  epilogue: FusedProgram;
  /** The shape the epilogue sees the product in (a reshape of it: a convolution's image), or null for the product's own. */
  shape: number[] | null;
}

/** Params of fusedReduce: inputs are the prologue's, then the epilogue's after its first (the reduced value). */
export interface FusedReduceParams {
  /** The reduction. */
  op: ReduceOp;
  /** Reduced dims of the prologue's result (sorted, unique). */
  axes: number[];
  /** The elementwise program reduced. */
  prologue: FusedProgram;
  /** How many inputs the prologue reads. */
  nPrologue: number;
  /** Applied to the reduced value, or null. */
  epilogue: FusedProgram | null;
}

/** An abstract value where a rule wants a tensor: the shape rules read only shape and dtype. */
const like = (av: AbstractValue): Tensor => av as unknown as Tensor;
const reduceP = (op: ReduceOp): Primitive<{ axes: number[] }> => registry.get(op)! as Primitive<{ axes: number[] }>;

/** An epilogue's result, which must keep the shape of the value it is applied to (the kernels write it in place). */
function keeps(name: string, main: AbstractValue, result: AbstractValue): AbstractValue {
  if (!shapesEqual(result.shape, main.shape)) {
    throw new ShapeError(`${name}(): the epilogue's inputs broadcast its result to ${fmtShape(result.shape)}, past the kernel's ${fmtShape(main.shape)}`);
  }
  return result;
}

/** Each batched input with its batch dim first and ones padded up to `rank` logical dims. */
function alignTo(inputs: readonly Tensor[], bdims: readonly (number | null)[], rank: number): Tensor[] {
  return inputs.map((x, i) => {
    const bd = bdims[i];
    if (bd === null || bd === undefined) return x;
    const front = L.moveDim(x, bd, 0);
    const logical = front.shape.slice(1);
    return L.reshape(front, [front.shape[0]!, ...new Array<number>(rank - logical.length).fill(1), ...logical]);
  });
}

/** The product's abstract value, in the shape the epilogue sees it. */
function productOf(a: Tensor, b: Tensor, shape: number[] | null): AbstractValue {
  const p = matmulP.abstract([a, b], undefined);
  return shape === null ? p : { shape, dtype: p.dtype };
}

/** a @ b, seen in `shape` when it is given. */
const product = (a: Tensor, b: Tensor, shape: number[] | null): Tensor => {
  const p = bind(matmulP, [a, b], undefined);
  return shape === null ? p : L.reshape(p, shape);
};

export const fusedMatmulP: Primitive<FusedMatmulParams> = definePrimitive<FusedMatmulParams>({
  name: 'fusedMatmul',
  saves: SAVES_ALL,
  abstract: ([a, b, ...rest], { epilogue, shape }) => {
    const p = productOf(a!, b!, shape);
    return keeps('fusedMatmul', p, fusedP.abstract([like(p), ...rest], epilogue));
  },
  impl: ([a, b, ...rest], { epilogue, shape }, av) => {
    const p = matmulP.abstract([a!, b!], undefined);
    return runKernel([a!, b!, ...rest], av, (be, [va, vb, ...ve]) => be.matmul(va!, vb!, p.shape, p.dtype, { program: epilogue, inputs: ve, ...(shape === null ? {} : { shape }) }));
  },
  vjp: (g, [a, b, ...rest], out, { epilogue, shape }, needs) => {
    const p = product(a!, b!, shape);
    const [gp, ...gRest] = fusedP.vjp(g, [p, ...rest], out, epilogue);
    const gab = gp ? matmulP.vjp(shape === null ? gp : L.reshape(gp, matmulP.abstract([a!, b!], undefined).shape), [a!, b!], bind(matmulP, [a!, b!], undefined), undefined, needs?.slice(0, 2)) : [null, null];
    return [...gab, ...gRest];
  },
  jvp: ([ta, tb, ...tRest], [a, b, ...rest], out, { epilogue, shape }) => {
    const raw = bind(matmulP, [a!, b!], undefined);
    const tp = ta || tb ? matmulP.jvp([ta ?? null, tb ?? null], [a!, b!], raw, undefined) : null;
    return fusedP.jvp([tp && shape !== null ? L.reshape(tp, shape) : tp, ...tRest], [shape === null ? raw : L.reshape(raw, shape), ...rest], out, epilogue);
  },
  batch: (inputs, bdims, params) => {
    const [a, b, ...rest] = inputs;
    const { epilogue, shape } = params;
    // Batched epilogue inputs alone would widen the result past the product: the parts run apart.
    if (bdims[0] === null && bdims[1] === null) {
      const p = product(a!, b!, shape);
      return [bind(fusedP, alignTo([p, ...rest], [null, ...bdims.slice(2)], p.ndim), epilogue), 0];
    }
    const [ab, bb] = alignForBroadcast([a!, b!], bdims.slice(0, 2));
    const batched = matmulP.abstract([ab!, bb!], undefined).shape;
    const seen = shape === null ? null : [batched[0]!, ...shape];
    return [bind(fusedMatmulP, [ab!, bb!, ...alignTo(rest, bdims.slice(2), seen === null ? batched.length - 1 : shape!.length)], { epilogue, shape: seen }), 0];
  },
});

/** The prologue's inputs and the epilogue's. */
const split = <T>(xs: readonly T[], n: number): [T[], T[]] => [xs.slice(0, n), xs.slice(n)];

export const fusedReduceP: Primitive<FusedReduceParams> = definePrimitive<FusedReduceParams>({
  name: 'fusedReduce',
  saves: SAVES_ALL,
  abstract: (inputs, { op, axes, prologue, nPrologue, epilogue }) => {
    const [pro, epi] = split(inputs, nPrologue);
    const reduced = reduceP(op).abstract([like(fusedP.abstract(pro, prologue))], { axes });
    return epilogue === null ? reduced : keeps('fusedReduce', reduced, fusedP.abstract([like(reduced), ...epi], epilogue));
  },
  impl: (inputs, { op, axes, prologue, nPrologue, epilogue }, av) => {
    const inShape = fusedP.abstract(inputs.slice(0, nPrologue), prologue).shape;
    return runKernel(inputs, av, (be, views) => {
      const [pro, epi] = split(views, nPrologue);
      return be.fusedReduce(op, prologue, pro, inShape, axes, epilogue === null ? null : { program: epilogue, inputs: epi });
    });
  },
  vjp: (g, inputs, out, { op, axes, prologue, nPrologue, epilogue }) => {
    const [pro, epi] = split(inputs, nPrologue);
    const x = bind(fusedP, pro, prologue);
    const r = bind(reduceP(op), [x], { axes });
    const [gr, ...gEpi] = epilogue === null ? [g] : fusedP.vjp(g, [r, ...epi], out, epilogue);
    const gx = gr ? reduceP(op).vjp(gr, [x], r, { axes })[0]! : null;
    return [...(gx ? fusedP.vjp(gx, pro, x, prologue) : pro.map(() => null)), ...(epilogue === null ? [] : gEpi)];
  },
  jvp: (tangents, inputs, out, { op, axes, prologue, nPrologue, epilogue }) => {
    const [pro, epi] = split(inputs, nPrologue);
    const [tPro, tEpi] = split(tangents, nPrologue);
    const x = bind(fusedP, pro, prologue);
    const r = bind(reduceP(op), [x], { axes });
    const tx = tPro.some((t) => t) ? fusedP.jvp(tPro, pro, x, prologue) : null;
    const tr = tx ? reduceP(op).jvp([tx], [x], r, { axes }) : null;
    return epilogue === null ? tr : fusedP.jvp([tr, ...tEpi], [r, ...epi], out, epilogue);
  },
  batch: (inputs, bdims, params) => {
    const { axes, prologue, nPrologue } = params;
    const [pro, epi] = split(inputs, nPrologue);
    const [bPro, bEpi] = split(bdims, nPrologue);
    const batched = bPro.some((b) => b !== null);
    if (!batched) {
      // As for fusedMatmul: only the epilogue's inputs are batched, so the reduction runs unbatched.
      const r = bind(fusedReduceP, pro, { ...params, epilogue: null });
      return [bind(fusedP, alignTo([r, ...epi], [null, ...bEpi], r.ndim), params.epilogue!), 0];
    }
    // The batched prologue gets its batch dim first, so the reduced dims move one up.
    const alignedPro = alignForBroadcast(pro, bPro);
    const rank = fusedP.abstract(alignedPro, prologue).shape.length - 1;
    return [bind(fusedReduceP, [...alignedPro, ...alignTo(epi, bEpi, rank - axes.length)], { ...params, axes: axes.map((a) => a + 1) }), 0];
  },
});
