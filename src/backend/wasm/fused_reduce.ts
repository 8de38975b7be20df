// A reduction of a fused elementwise program (softmax's sum of exp(x - max), a loss's sum of a
// product) in cache-sized tiles: each tile of the program's result is computed into one scratch
// region by the generated SIMD loop and folded into the float64 accumulator by the reduce kernel
// before the next tile overwrites it, so the program's result is never materialized whole.
import { resultDtype, type FusedProgram, type ReduceOp, type View } from '../backend.js';
import { contiguousStrides, numel } from '../../core/shape.js';
import { broadcastStrides } from '../cpu/strided.js';
import { ELEM_BYTES, WasmBuf, acquire, free, settle, typed } from './buffers.js';
import { fusable, fused } from './fused.js';
import { accumulate, accumulatorStrides, identityOf } from './reduce.js';

/** Elements per tile: 256 KiB of float32, within a core's L2 next to the inputs' lines. */
const TILE = 1 << 16;

/** The tiles of `shape`: ranges of one dim d with every dim after d whole and each dim before it one index. */
function* tiles(shape: readonly number[]): Generator<{ start: number[]; shape: number[] }> {
  let d = 0;
  while (d < shape.length - 1 && numel(shape.slice(d + 1)) > TILE) d++;
  const rest = numel(shape.slice(d + 1));
  const chunk = Math.max(1, Math.floor(TILE / Math.max(1, rest)));
  const idx = new Array<number>(d).fill(0);
  for (;;) {
    const len = shape[d] ?? 1;
    for (let c = 0; c < len; c += chunk) {
      const start = [...idx, c, ...new Array<number>(Math.max(0, shape.length - d - 1)).fill(0)].slice(0, shape.length);
      const tshape = shape.map((n, i) => (i < d ? 1 : i === d ? Math.min(chunk, n - c) : n));
      yield { start, shape: tshape };
    }
    let k = d - 1;
    for (; k >= 0; k--) {
      if (++idx[k]! < shape[k]!) break;
      idx[k] = 0;
    }
    if (k < 0) return;
  }
}

const offsetAt = (start: readonly number[], strides: readonly number[]) => start.reduce((s, v, i) => s + v * strides[i]!, 0);

/**
 * reduce(op) over `axes` of `prologue` over the inputs broadcast to `inShape`, tile by tile; null
 * for what the generated loops do not cover (the reference runs those).
 */
export function fusedReduce(op: ReduceOp, prologue: FusedProgram, inputs: readonly View<WasmBuf>[], inShape: readonly number[], axes: readonly number[]): WasmBuf | null {
  const dt = resultDtype(prologue);
  const size = numel(inShape);
  if (!fusable(prologue, dt) || size === 0 || size * ELEM_BYTES[dt] <= 4096) return null;
  const accStrides = accumulatorStrides(inShape, axes);
  const strides = inputs.map((x) => broadcastStrides('fusedReduce', x, inShape));
  const acc = new WasmBuf('float64', numel(inShape.filter((_, d) => !axes.includes(d))));
  const scratch = new WasmBuf(dt, Math.min(size, TILE));
  acquire([], [acc]);
  typed(acc).fill(identityOf(op));
  settle();
  let result: WasmBuf | null = null;
  try {
    for (const t of tiles(inShape)) {
      const views = inputs.map((x, i) => ({ ...x, shape: t.shape, strides: strides[i]!, offset: x.offset + offsetAt(t.start, strides[i]!) }));
      const into = { buf: scratch, shape: t.shape, strides: contiguousStrides(t.shape), offset: 0 };
      if (fused(prologue, views, t.shape, dt, into) === null) return null;
      acquire([scratch], [acc]);
      const ok = accumulate(op, acc, offsetAt(t.start, accStrides), accStrides, { ...into, dtype: dt });
      settle();
      if (!ok) return null;
    }
    if (dt === 'float64') return (result = acc);
    result = new WasmBuf(dt, acc.length);
    acquire([acc], [result]);
    typed(result).set(typed(acc) as never);
    settle();
    return result;
  } finally {
    free(scratch);
    if (result !== acc) free(acc);
  }
}
