// matmul on >= 2-D operands with broadcast batch dims; 1-D promotion lives in ops/.
import { DTypeError, ShapeError, fmtShape } from '../core/errors.js';
import { broadcastShapes } from '../core/shape.js';
import { isColumnMajor, runKernel } from './concrete.js';
import { alignForBroadcast } from './elementwise.js';
import { bind, definePrimitive, type Primitive } from './primitive.js';
import * as L from './lax.js';

export const matmulP: Primitive<void> = definePrimitive<void>({
  name: 'matmul',
  saves: [[1, 0], [0, 1]],
  abstract: ([a, b]) => {
    if (a!.ndim < 2 || b!.ndim < 2) throw new ShapeError(`matmul(): both operands need >= 2 dims here, got ${fmtShape(a!.shape)} and ${fmtShape(b!.shape)}`);
    if (a!.dtype !== b!.dtype) throw new DTypeError(`matmul(): expected both operands to have the same dtype, got ${a!.dtype} and ${b!.dtype}`);
    const [m, k] = a!.shape.slice(-2) as [number, number];
    const [k2, n] = b!.shape.slice(-2) as [number, number];
    if (k !== k2) {
      throw new ShapeError(
        `matmul(): mat1 and mat2 shapes cannot be multiplied (${m}x${k} and ${k2}x${n}); operand shapes ${fmtShape(a!.shape)} and ${fmtShape(b!.shape)}`,
      );
    }
    const batch = broadcastShapes('matmul', a!.shape.slice(0, -2), b!.shape.slice(0, -2));
    return { shape: [...batch, m, n], dtype: a!.dtype };
  },
  impl: ([a, b], _p, av) => runKernel([a!, b!], av, (be, [va, vb]) => be.matmul(va!, vb!, av.shape, av.dtype)),
  // An operand stored transposed (nn.Linear's weight.T) gets its gradient computed transposed, so it
  // comes out in the operand's own layout (PyTorch's mm backward does the same): the weight's
  // gradient is then contiguous [out, in], with no transpose copy, in eager mode and under vmap.
  vjp: (g, [a, b], _o, _p, needs) => [
    needs?.[0] === false ? null : L.sumTo(isColumnMajor(a!) ? L.mT(L.matmul(b!, L.mT(g))) : L.matmul(g, L.mT(b!)), a!.shape),
    needs?.[1] === false ? null : L.sumTo(isColumnMajor(b!) ? L.mT(L.matmul(L.mT(g), a!)) : L.matmul(L.mT(a!), g), b!.shape),
  ],
  jvp: ([ta, tb], [a, b]) => {
    const x = ta ? L.matmul(ta, b!) : null;
    const y = tb ? L.matmul(a!, tb) : null;
    return x === null ? y : y === null ? x : L.add(x, y);
  },
  // Batch dims join the broadcast batch dims: one batched-matmul kernel call.
  batch: (inputs, bdims) => [bind(matmulP, alignForBroadcast(inputs, bdims), undefined), 0],
});
