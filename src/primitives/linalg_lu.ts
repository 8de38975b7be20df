// torch.linalg's LU-based primitives, on batches of square matrices [..., n, n] (float32 / float64):
// `linalgSolve` (A X = B, batch dims broadcast; inv is solve(A, I)) and `slogdet` (sign and log|det|
// packed as [..., 2]; det is sign * exp(logabsdet)). Both are LU with partial pivoting in the kernel.
// Derivatives are PyTorch's: for X = A⁻¹B, gB = A⁻ᵀ g and gA = -gB Xᵀ, dX = A⁻¹(dB - dA X);
// d log|det A| = tr(A⁻¹ dA), so its cotangent is g A⁻ᵀ; the sign is piecewise constant.
import { DTypeError, ShapeError, fmtShape } from '../core/errors.js';
import { LinAlgError } from '../core/linalg_errors.js';
import { broadcastShapes } from '../core/shape.js';
import type { DType } from '../core/dtype.js';
import type { Device } from '../backend/backend.js';
import { deviceOf, fromHost, runKernel } from './concrete.js';
import { alignForBroadcast } from './elementwise.js';
import { bind, definePrimitive, type Primitive } from './primitive.js';
import type { Tensor } from './value.js';
import * as L from './lax.js';

/** Which public function a solve serves: it picks PyTorch's wording of the singular-matrix error. */
export interface SolveParams {
  fn: 'linalg.solve' | 'linalg.inv';
}

/** Checks that `a` is a batch of square float matrices; returns n. */
export function checkSquare(fn: string, a: Tensor): number {
  if (a.ndim < 2) throw new ShapeError(`${fn}: The input tensor A must have at least 2 dimensions.`);
  const [m, n] = a.shape.slice(-2) as [number, number];
  if (m !== n) throw new ShapeError(`${fn}: A must be batches of square matrices, but they are ${m} by ${n} matrices`);
  if (a.dtype !== 'float32' && a.dtype !== 'float64') {
    throw new DTypeError(`${fn}: Expected a floating point tensor as input. Got ${a.dtype}`);
  }
  return n;
}

/** The n x n identity of `dtype` (a constant) on `device` (pass the device of the matrix it meets). */
export function eyeOf(n: number, dtype: DType, device: Device): Tensor {
  const data = new Array<number>(n * n).fill(0);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return fromHost(data, [n, n], dtype, device);
}

/** The trace over the last two dims. */
function trace(m: Tensor): Tensor {
  const r = m.ndim;
  return L.sum(L.mul(m, eyeOf(m.shape[r - 1]!, m.dtype, deviceOf(m))), [r - 2, r - 1]);
}

function singular(p: SolveParams, e: LinAlgError): LinAlgError {
  const batch = e.batchIndex >= 0 ? `(Batch element ${e.batchIndex}): ` : '';
  return p.fn === 'linalg.inv'
    ? new LinAlgError(`linalg.inv: ${batch}The diagonal element ${e.info} is zero, the inversion could not be completed because the input matrix is singular.`, e.info, e.batchIndex)
    : new LinAlgError(`torch.linalg.solve: ${batch}The solver failed because the input matrix is singular.`, e.info, e.batchIndex);
}

export const solve = (a: Tensor, b: Tensor, p: SolveParams = { fn: 'linalg.solve' }): Tensor => bind(linalgSolveP, [a, b], p);

export const linalgSolveP: Primitive<SolveParams> = definePrimitive<SolveParams>({
  name: 'linalgSolve',
  saves: [0, ['out', 0]],
  abstract: ([a, b], p) => {
    const n = checkSquare(p.fn, a!);
    if (b!.ndim < 2 || b!.shape[b!.ndim - 2] !== n) {
      const [bn, k] = b!.ndim < 2 ? [b!.shape[0] ?? 1, 1] : b!.shape.slice(-2);
      throw new ShapeError(`${p.fn}: Incompatible shapes of A and B for the equation AX = B (${n}x${n} and ${bn}x${k}); A ${fmtShape(a!.shape)}, B ${fmtShape(b!.shape)}`);
    }
    if (a!.dtype !== b!.dtype) {
      throw new DTypeError(`${p.fn}: Expected A and B to have the same dtype, but found A of type ${a!.dtype} and B of type ${b!.dtype} instead`);
    }
    const batch = broadcastShapes(p.fn, a!.shape.slice(0, -2), b!.shape.slice(0, -2));
    return { shape: [...batch, n, b!.shape[b!.ndim - 1]!], dtype: a!.dtype };
  },
  impl: ([a, b], p, av) => {
    try {
      return runKernel([a!, b!], av, (be, [va, vb]) => be.linalgSolve(va!, vb!, av.shape, av.dtype));
    } catch (e) {
      throw e instanceof LinAlgError ? singular(p, e) : e;
    }
  },
  vjp: (g, [a, b], x, p, needs) => {
    const gb = solve(L.mT(a!), g, p);
    return [
      needs?.[0] === false ? null : L.sumTo(L.neg(L.matmul(gb, L.mT(x))), a!.shape),
      needs?.[1] === false ? null : L.sumTo(gb, b!.shape),
    ];
  },
  jvp: ([ta, tb], [a], x, p) => {
    if (ta === null && tb === null) return null;
    const ax = ta === null ? null : L.matmul(ta, x);
    const rhs = ax === null ? tb! : tb === null ? L.neg(ax) : L.sub(tb, ax);
    return L.broadcastTo(solve(a!, rhs, p), x.shape);
  },
  // Batch dims join the broadcast batch dims: one batched kernel call.
  batch: (inputs, bdims, p) => [bind(linalgSolveP, alignForBroadcast(inputs, bdims), p), 0],
});

export const slogdetP: Primitive<void> = definePrimitive<void>({
  name: 'slogdet',
  saves: [0],
  abstract: ([a]) => {
    checkSquare('linalg.slogdet', a!);
    return { shape: [...a!.shape.slice(0, -2), 2], dtype: a!.dtype };
  },
  impl: ([a], _p, av) => runKernel([a!], av, (be, [va]) => be.slogdet(va!, av.dtype)),
  vjp: (g, [a]) => {
    const r = g.ndim;
    const gl = L.reshape(L.slice(g, { dim: r - 1, start: 1, end: 2, step: 1 }), [...g.shape.slice(0, -1), 1, 1]);
    const n = a!.shape[a!.ndim - 1]!;
    return [L.mul(gl, solve(L.mT(a!), eyeOf(n, a!.dtype, deviceOf(a!)), { fn: 'linalg.inv' }))];
  },
  jvp: ([ta], [a]) => {
    if (ta === null) return null;
    const t = trace(solve(a!, ta!, { fn: 'linalg.inv' }));
    const col = L.reshape(t, [...t.shape, 1]);
    return L.pad(col, col.shape.map((_, i) => (i === col.ndim - 1 ? [1, 0] : [0, 0])), 0);
  },
  batch: ([a], [bd]) => [bind(slogdetP, [L.moveDim(a!, bd!, 0)], undefined), 0],
});
