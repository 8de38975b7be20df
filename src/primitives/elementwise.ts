// Elementwise primitives: unary maps, broadcasting binary ops, where, and cast. Rules come from
// small factories; each entry only states its derivative.
import type { BinaryOp, UnaryOp } from '../backend/backend.js';
import type { DType } from '../core/dtype.js';
import { DTypeError } from '../core/errors.js';
import { broadcastShapes } from '../core/shape.js';
import { runKernel } from './concrete.js';
import { bind, definePrimitive, NO_DERIVATIVE, type Primitive, type BatchResult, type SaveSpec } from './primitive.js';
import type { Tensor } from './value.js';
import * as L from './lax.js';

type Deriv = (x: Tensor, out: Tensor) => Tensor;

/** Every elementwise primitive by name, with its kind (compile fuses chains of them). */
export const elementwiseKind = new Map<string, 'unary' | 'binary' | 'where' | 'cast'>([['where', 'where'], ['cast', 'cast']]);

/** `reads`: what the derivative reads, x and/or out. */
function unary(op: UnaryOp, deriv: Deriv | 'zero' | 'none', reads: readonly ('x' | 'out')[] = [], outDtype?: DType): Primitive<void> {
  elementwiseKind.set(op, 'unary');
  const p: Primitive<void> = definePrimitive<void>({
    name: op,
    saves: reads.map((r) => (r === 'x' ? 0 : 'out')),
    abstract: ([x]) => ({ shape: x!.shape, dtype: outDtype ?? x!.dtype }),
    impl: ([x], _p, av) => runKernel([x!], av, (be, [xv]) => be.unary(op, xv!, av.dtype)),
    ...(deriv === 'none'
      ? NO_DERIVATIVE
      : {
          vjp: (g: Tensor, [x]: readonly Tensor[], out: Tensor) => [deriv === 'zero' ? L.zerosLike(x!) : L.mul(g, deriv(x!, out))],
          jvp: ([t]: readonly (Tensor | null)[], [x]: readonly Tensor[], out: Tensor) => (t === null || deriv === 'zero' ? null : L.mul(t, deriv(x!, out))),
        }),
    batch: ([x], [bd]) => [bind(p, [x!], undefined), bd!],
  });
  return p;
}

const c = (like: Tensor, v: number) => L.scalarLike(like, v);

export const negP = unary('neg', (x) => c(x, -1));
export const absP = unary('abs', (x) => L.sign(x), ['x']);
export const signP = unary('sign', 'zero');
export const expP = unary('exp', (_x, out) => out, ['out']);
export const logP = unary('log', (x) => L.reciprocal(x), ['x']);
export const log1pP = unary('log1p', (x) => L.reciprocal(L.add(x, c(x, 1))), ['x']);
export const expm1P = unary('expm1', (x, out) => L.add(out, c(x, 1)), ['out']);
export const sqrtP = unary('sqrt', (x, out) => L.div(c(x, 0.5), out), ['out']);
export const rsqrtP = unary('rsqrt', (x, out) => L.mul(c(x, -0.5), L.mul(out, L.mul(out, out))), ['out']);
export const sinP = unary('sin', (x) => L.cos(x), ['x']);
export const cosP = unary('cos', (x) => L.neg(L.sin(x)), ['x']);
export const tanP = unary('tan', (x, out) => L.add(c(x, 1), L.mul(out, out)), ['out']);
export const tanhP = unary('tanh', (x, out) => L.sub(c(x, 1), L.mul(out, out)), ['out']);
export const sigmoidP = unary('sigmoid', (x, out) => L.mul(out, L.sub(c(x, 1), out)), ['out']);
export const erfP = unary('erf', (x) => L.mul(c(x, 2 / Math.sqrt(Math.PI)), L.exp(L.neg(L.mul(x, x)))), ['x']);
// 0 where x <= 0, else 1 (NaN included: PyTorch's threshold_backward(grad, result, 0) passes grad at NaN).
export const reluP = unary('relu', (x) => L.sub(c(x, 1), L.cast(L.le(x, c(x, 0)), x.dtype)), ['x']);
export const reciprocalP = unary('reciprocal', (_x, out) => L.neg(L.mul(out, out)), ['out']);
export const squareP = unary('square', (x) => L.mul(c(x, 2), x), ['x']);
export const asinP = unary('asin', (x) => L.rsqrt(L.sub(c(x, 1), L.mul(x, x))), ['x']);
export const acosP = unary('acos', (x) => L.neg(L.rsqrt(L.sub(c(x, 1), L.mul(x, x)))), ['x']);
export const atanP = unary('atan', (x) => L.reciprocal(L.add(c(x, 1), L.mul(x, x))), ['x']);
export const sinhP = unary('sinh', (x) => L.cosh(x), ['x']);
export const coshP = unary('cosh', (x) => L.sinh(x), ['x']);
export const floorP = unary('floor', 'zero');
export const ceilP = unary('ceil', 'zero');
export const roundP = unary('round', 'zero');
export const logicalNotP = unary('logicalNot', 'none', [], 'bool');
export const isnanP = unary('isnan', 'none', [], 'bool');

/** Moves each batched input's batch dim to the front and pads its logical dims to the output rank. */
export function alignForBroadcast(inputs: readonly Tensor[], bdims: readonly (number | null)[]): Tensor[] {
  let rank = 0;
  inputs.forEach((x, i) => (rank = Math.max(rank, x.ndim - (bdims[i] === null ? 0 : 1))));
  return inputs.map((x, i) => {
    const bd = bdims[i];
    if (bd === null || bd === undefined) return x;
    const front = L.moveDim(x, bd, 0);
    const logical = front.shape.slice(1);
    if (logical.length === rank) return front;
    return L.reshape(front, [front.shape[0]!, ...new Array<number>(rank - logical.length).fill(1), ...logical]);
  });
}

function batchBroadcasting(p: Primitive<any>) {
  return (inputs: readonly Tensor[], bdims: readonly (number | null)[], params: unknown): BatchResult => [
    bind(p, alignForBroadcast(inputs, bdims), params),
    0,
  ];
}

type BinVjp = (g: Tensor, a: Tensor, b: Tensor, out: Tensor, needs: readonly boolean[]) => [Tensor | null, Tensor | null];
type BinJvp = (ta: Tensor | null, tb: Tensor | null, a: Tensor, b: Tensor, out: Tensor) => Tensor | null;

const ALL: readonly boolean[] = [true, true, true];
const COMPARE = new Set<BinaryOp>(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr', 'logicalXor']);

function binary(op: BinaryOp, vjp: BinVjp | null, jvp: BinJvp | null, saves: readonly SaveSpec[] = []): Primitive<void> {
  elementwiseKind.set(op, 'binary');
  const p: Primitive<void> = definePrimitive<void>({
    name: op,
    saves,
    abstract: ([a, b]) => {
      if (a!.dtype !== b!.dtype) {
        throw new DTypeError(`${op}(): expected both inputs to have the same dtype, got ${a!.dtype} and ${b!.dtype}`);
      }
      return { shape: broadcastShapes(op, a!.shape, b!.shape), dtype: COMPARE.has(op) ? 'bool' : a!.dtype };
    },
    impl: ([a, b], _p, av) =>
      runKernel([a!, b!], av, (be, [va, vb]) => be.binary(op, va!, vb!, av.shape, av.dtype)),
    ...(vjp === null || jvp === null
      ? NO_DERIVATIVE
      : {
          vjp: (g: Tensor, [a, b]: readonly Tensor[], out: Tensor, _p: void, needs: readonly boolean[] = ALL) => {
            const [ga, gb] = vjp(g, a!, b!, out, needs);
            return [ga && L.sumTo(ga, a!.shape), gb && L.sumTo(gb, b!.shape)];
          },
          jvp: ([ta, tb]: readonly (Tensor | null)[], [a, b]: readonly Tensor[], out: Tensor) => {
            const t = jvp(ta ?? null, tb ?? null, a!, b!, out);
            return t && L.broadcastTo(t, out.shape);
          },
        }),
    batch: (inputs, bdims) => batchBroadcasting(p)(inputs, bdims, undefined),
  });
  return p;
}

const addT = (x: Tensor | null, y: Tensor | null): Tensor | null => (x === null ? y : y === null ? x : L.add(x, y));
const mulT = (t: Tensor | null, f: () => Tensor): Tensor | null => (t === null ? null : L.mul(t, f()));

export const addP = binary('add', (g) => [g, g], (ta, tb) => addT(ta, tb));
export const subP = binary('sub', (g) => [g, L.neg(g)], (ta, tb) => addT(ta, tb && L.neg(tb)));
export const mulP = binary(
  'mul',
  (g, a, b, _o, needs) => [needs[0] ? L.mul(g, b) : null, needs[1] ? L.mul(g, a) : null],
  (ta, tb, a, b) => addT(mulT(ta, () => b), mulT(tb, () => a)),
  [[1, 0], [0, 1]],
);
export const divP = binary(
  'div',
  (g, _a, b, out, needs) => [needs[0] ? L.div(g, b) : null, needs[1] ? L.neg(L.div(L.mul(g, out), b)) : null],
  (ta, tb, _a, b, out) => {
    const t = addT(ta, tb && L.neg(L.mul(tb, out)));
    return t && L.div(t, b);
  },
  [1, ['out', 1]],
);
// d/db a^b = a^b log a, taken as 0 where a == 0 (as PyTorch does, so 0^b stays finite).
const powDb = (a: Tensor, out: Tensor) =>
  L.where(L.eq(a, c(a, 0)), L.zerosLike(out), L.mul(out, L.log(a)));
// d/da a^b = b a^(b-1), masked to 0 where b == 0 (PyTorch's pow_backward: 0^-1 * 0 would be NaN).
const powDa = (a: Tensor, b: Tensor) => {
  const d = L.mul(b, L.pow(a, L.sub(b, c(b, 1))));
  return L.where(L.eq(b, c(b, 0)), L.zerosLike(d), d);
};
export const powP = binary(
  'pow',
  (g, a, b, out, needs) => [needs[0] ? L.mul(g, powDa(a, b)) : null, needs[1] ? L.mul(g, powDb(a, out)) : null],
  (ta, tb, a, b, out) => addT(mulT(ta, () => powDa(a, b)), mulT(tb, () => powDb(a, out))),
  [0, 1, ['out', 1]],
);
// Ties split the gradient in half, as torch.maximum/minimum do.
function extremumShare(a: Tensor, b: Tensor, pick: (a: Tensor, b: Tensor) => Tensor): [Tensor, Tensor] {
  const half = L.mul(L.cast(L.eq(a, b), a.dtype), c(a, 0.5));
  const wa = L.add(L.cast(pick(a, b), a.dtype), half);
  const wb = L.add(L.cast(pick(b, a), a.dtype), half);
  return [wa, wb];
}
const extremum = (pick: (a: Tensor, b: Tensor) => Tensor): [BinVjp, BinJvp] => [
  (g, a, b) => {
    const [wa, wb] = extremumShare(a, b, pick);
    return [L.mul(g, wa), L.mul(g, wb)];
  },
  (ta, tb, a, b) => {
    const [wa, wb] = extremumShare(a, b, pick);
    return addT(mulT(ta, () => wa), mulT(tb, () => wb));
  },
];
export const maximumP = binary('maximum', ...extremum((a, b) => L.gt(a, b)), [0, 1]);
export const minimumP = binary('minimum', ...extremum((a, b) => L.lt(a, b)), [0, 1]);
const atan2D = (a: Tensor, b: Tensor): [Tensor, Tensor] => {
  const r = L.add(L.mul(a, a), L.mul(b, b));
  return [L.div(b, r), L.neg(L.div(a, r))];
};
export const atan2P = binary(
  'atan2',
  (g, a, b) => {
    const [da, db] = atan2D(a, b);
    return [L.mul(g, da), L.mul(g, db)];
  },
  (ta, tb, a, b) => {
    const [da, db] = atan2D(a, b);
    return addT(mulT(ta, () => da), mulT(tb, () => db));
  },
  [0, 1],
);
export const remainderP = binary(
  'remainder',
  (g, a, b) => [g, L.neg(L.mul(g, L.floor(L.div(a, b))))],
  (ta, tb, a, b) => addT(ta, tb && L.neg(L.mul(tb, L.floor(L.div(a, b))))),
  [[0, 1], [1, 1]],
);
export const eqP = binary('eq', null, null);
export const neP = binary('ne', null, null);
export const ltP = binary('lt', null, null);
export const leP = binary('le', null, null);
export const gtP = binary('gt', null, null);
export const geP = binary('ge', null, null);
export const logicalAndP = binary('logicalAnd', null, null);
export const logicalOrP = binary('logicalOr', null, null);
export const logicalXorP = binary('logicalXor', null, null);

export const whereP: Primitive<void> = definePrimitive<void>({
  name: 'where',
  saves: [0],
  abstract: ([cond, a, b]) => {
    if (cond!.dtype !== 'bool') throw new DTypeError(`where(): expected condition to be bool, got ${cond!.dtype}`);
    if (a!.dtype !== b!.dtype) {
      throw new DTypeError(`where(): expected input and other to have the same dtype, got ${a!.dtype} and ${b!.dtype}`);
    }
    return { shape: broadcastShapes('where', cond!.shape, a!.shape, b!.shape), dtype: a!.dtype };
  },
  impl: ([cond, a, b], _p, av) =>
    runKernel([cond!, a!, b!], av, (be, [vc, va, vb]) => be.where(vc!, va!, vb!, av.shape, av.dtype)),
  vjp: (g, [cond, a, b]) => {
    const z = L.zerosLike(g);
    return [null, L.sumTo(L.where(cond!, g, z), a!.shape), L.sumTo(L.where(cond!, z, g), b!.shape)];
  },
  jvp: ([, ta, tb], [cond, a, b], out) => {
    if (!ta && !tb) return null;
    const t = L.where(cond!, ta ?? L.zerosLike(a!), tb ?? L.zerosLike(b!));
    return L.broadcastTo(t, out.shape);
  },
  batch: (inputs, bdims) => [bind(whereP, alignForBroadcast(inputs, bdims), undefined), 0],
});

export const castP: Primitive<{ dtype: DType }> = definePrimitive<{ dtype: DType }>({
  name: 'cast',
  abstract: ([x], { dtype }) => ({ shape: x!.shape, dtype }),
  impl: ([x], { dtype }, av) => runKernel([x!], av, (be, [xv]) => be.copy(xv!, dtype)),
  vjp: (g, [x]) => [isDiffDType(x!.dtype) && isDiffDType(g.dtype) ? L.cast(g, x!.dtype) : null],
  jvp: ([t], [x], out) => (t && isDiffDType(out.dtype) && isDiffDType(x!.dtype) ? L.cast(t, out.dtype) : null),
  batch: ([x], [bd], params) => [bind(castP, [x!], params), bd!],
});

function isDiffDType(d: DType): boolean {
  return d === 'float32' || d === 'float64';
}

/** A contiguous copy (clone/contiguous). */
export const copyP: Primitive<void> = definePrimitive<void>({
  name: 'copy',
  abstract: ([x]) => ({ shape: x!.shape, dtype: x!.dtype }),
  impl: ([x], _p, av) => runKernel([x!], av, (be, [xv]) => be.copy(xv!, av.dtype)),
  vjp: (g) => [g],
  jvp: ([t]) => t ?? null,
  batch: ([x], [bd]) => [bind(copyP, [x!], undefined), bd!],
});
