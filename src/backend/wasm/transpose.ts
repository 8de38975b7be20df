// The cache-blocked path of strided copies: when the output is contiguous along its last dim but the
// input is contiguous along the one before (a transpose), element order walks one of the two with a
// large stride. Copying 32×32 tiles keeps both sides' lines in L1 (2048² float32: 32 ms → a few).
import { Fn, type MemOp } from './asm.js';
import { kernelFor } from './memory.js';

const T = 32;
const OUTER = 4;
const cache = new Map<string, (...a: number[]) => void>();

/** k(out, in, n0..n3, A, B, out strides (6), in strides (6)): strides in bytes; tiles over the last two dims. */
export function tiledCopy(bytes: 1 | 4 | 8): (...a: number[]) => void {
  return kernelFor(`transpose:${bytes}`, () => {
    const load: MemOp = bytes === 8 ? 'f64.load' : bytes === 4 ? 'i32.load' : 'i32.load8_u';
    const store: MemOp = bytes === 8 ? 'f64.store' : bytes === 4 ? 'i32.store' : 'i32.store8';
    const f = new Fn(new Array(2 + OUTER + 2 + 12).fill('i32'));
    const n = (d: number) => 2 + d; // d = 0..5 (4 outer, then A, B)
    const so = (d: number) => 2 + OUTER + 2 + d;
    const si = (d: number) => 2 + OUTER + 2 + 6 + d;
    const idx = Array.from({ length: OUTER }, () => f.local('i32'));
    const [a0, b0, a, b, aEnd, bEnd, bo, bi, po, pi] = Array.from({ length: 10 }, () => f.local('i32'));
    const end = (start: number, dim: number, out: number) =>
      f.get(start).i32(T).op('i32.add').get(n(dim)).get(start).i32(T).op('i32.add').get(n(dim)).op('i32.lt_s').op('select').set(out);
    f.nest(idx, n, () => {
      f.address(bo, 0, idx, so);
      f.address(bi, 1, idx, si);
      f.forLoop(a0, (g) => g.i32(0), (g) => g.get(n(4)), T, () => {
        end(a0, 4, aEnd);
        f.forLoop(b0, (g) => g.i32(0), (g) => g.get(n(5)), T, () => {
          end(b0, 5, bEnd);
          f.forLoop(a, (g) => g.get(a0), (g) => g.get(aEnd), 1, () => {
            f.get(bo).get(a).get(so(4)).op('i32.mul', 'i32.add').get(b0).get(so(5)).op('i32.mul', 'i32.add').set(po);
            f.get(bi).get(a).get(si(4)).op('i32.mul', 'i32.add').get(b0).get(si(5)).op('i32.mul', 'i32.add').set(pi);
            f.forLoop(b, (g) => g.get(b0), (g) => g.get(bEnd), 1, () => {
              f.get(po).get(pi).mem(load).mem(store);
              f.get(po).get(so(5)).op('i32.add').set(po);
              f.get(pi).get(si(5)).op('i32.add').set(pi);
            });
          });
        });
      });
    });
    return f;
  }).k;
}
