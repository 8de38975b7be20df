// The `matrixExp` primitive: the matrix exponential of [..., n, n] (scaling and squaring with Padé
// approximants in the kernel). Its derivative is the upper-right block of the exponential of a block
// matrix, PyTorch's linalg_matrix_exp_differential, so the rules call the primitive itself and are
// differentiable again:
//   d exp(A)[dA] = exp([[A, dA], [0, A]])₁₂,  gA = exp([[Aᵀ, g], [0, Aᵀ]])₁₂.
import { deviceOf, runKernel } from './concrete.js';
import { checkSquare } from './linalg_lu.js';
import { cols, rows, zeros } from './linalg_util.js';
import { bind, definePrimitive, type Primitive } from './primitive.js';
import type { Tensor } from './value.js';
import * as L from './lax.js';

export const matrixExp = (a: Tensor): Tensor => bind(matrixExpP, [a], undefined);

/** exp([[X, Y], [0, X]]) upper-right block, for square X and Y of the same shape. */
function blockDifferential(x: Tensor, y: Tensor): Tensor {
  const n = x.shape[x.ndim - 1]!;
  const shape = [...x.shape];
  const top = L.concat([x, L.broadcastTo(y, shape)], x.ndim - 1);
  const bottom = L.concat([zeros(shape, x.dtype, deviceOf(x)), x], x.ndim - 1);
  const big = matrixExp(L.concat([top, bottom], x.ndim - 2));
  return cols(rows(big, 0, n), n, 2 * n);
}

export const matrixExpP: Primitive<void> = definePrimitive<void>({
  name: 'matrixExp',
  saves: [0],
  abstract: ([a]) => {
    checkSquare('linalg.matrix_exp', a!);
    return { shape: a!.shape, dtype: a!.dtype };
  },
  impl: ([a], _p, av) => runKernel([a!], av, (be, [va]) => be.matrixExp(va!, av.dtype)),
  vjp: (g, [a]) => [blockDifferential(L.mT(a!), g)],
  jvp: ([ta], [a]) => (ta === null ? null : blockDifferential(a!, ta)),
  batch: ([a], [bd]) => [bind(matrixExpP, [L.moveDim(a!, bd!, 0)], undefined), 0],
});
