// A fused elementwise program run one step at a time with a backend's own kernels: the reference
// backend's `fused` kernel, and the wasm backend's for programs it generates no single loop for
// (those then cost what the unfused ops would, never more).
import type { DType } from '../core/dtype.js';
import { broadcastShapes, contiguousStrides } from '../core/shape.js';
import type { Backend, FusedProgram, View } from './backend.js';

export function fusedBySteps<B>(be: Backend<B>, program: FusedProgram, inputs: readonly View<B>[], outShape: readonly number[], outDtype: DType): B {
  const vals: View<B>[] = [];
  const temps: B[] = [];
  const fresh = (buf: B, shape: readonly number[], dtype: DType): View<B> => {
    temps.push(buf);
    return { buf, dtype, shape, strides: contiguousStrides([...shape]), offset: 0 };
  };
  try {
    for (const s of program.steps) {
      if (s.op === 'input') {
        vals.push(inputs[s.index]!);
        continue;
      }
      if (s.op === 'literal') {
        vals.push(fresh(be.full(s.dtype, 1, s.value), [], s.dtype));
        continue;
      }
      const args = s.args.map((i) => vals[i]!);
      const shape = broadcastShapes('fused', ...args.map((a) => a.shape));
      const buf =
        s.op === 'unary' ? be.unary(s.fn, args[0]!, s.dtype)
        : s.op === 'binary' ? be.binary(s.fn, args[0]!, args[1]!, shape, s.dtype)
        : s.op === 'where' ? be.where(args[0]!, args[1]!, args[2]!, shape, s.dtype)
        : be.copy(args[0]!, s.dtype);
      vals.push(fresh(buf, shape, s.dtype));
    }
    const last = vals[vals.length - 1]!;
    const i = temps.indexOf(last.buf);
    if (i >= 0 && last.dtype === outDtype && last.shape.length === outShape.length && last.shape.every((d, k) => d === outShape[k])) {
      temps.splice(i, 1);
      return last.buf;
    }
    const shaped: View<B> = { ...last, shape: outShape, strides: broadcastTo(last, outShape) };
    return be.copy(shaped, outDtype);
  } finally {
    for (const t of temps) be.free(t);
  }
}

/** Strides reading `v` broadcast (right-aligned) to `shape`. */
function broadcastTo(v: View<unknown>, shape: readonly number[]): number[] {
  const lead = shape.length - v.shape.length;
  return shape.map((_, d) => (d < lead || v.shape[d - lead] === 1 ? 0 : v.strides[d - lead]!));
}
