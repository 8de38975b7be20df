// The fused elementwise primitive compile emits for a chain of elementwise ops: its kernel runs the
// whole chain in one pass (the backend's `fused`), and its rules come from the chain itself: the
// vjp walks the steps backwards with each op's own vjp rule, the jvp forwards with each op's jvp,
// so a fused group differentiates (and differentiates again) exactly as the ops it replaced.
import { resultDtype, type FusedProgram, type FusedStep } from '../backend/backend.js';
import { broadcastShapes } from '../core/shape.js';
import { DTypeError } from '../core/errors.js';
import { runKernel, runKernelInto, scalar } from './concrete.js';
import { alignForBroadcast } from './elementwise.js';
import { bind, definePrimitive, registry, type Primitive } from './primitive.js';
import type { Tensor } from './value.js';
import * as L from './lax.js';

/** The primitive and params that compute one non-input step. */
function stepCall(s: FusedStep): [Primitive, unknown] {
  if (s.op === 'unary' || s.op === 'binary') return [registry.get(s.fn)!, undefined];
  if (s.op === 'where') return [registry.get('where')!, undefined];
  return [registry.get('cast')!, { dtype: s.dtype }];
}

/** Every step's value on `inputs`, computed op by op (at whatever level the inputs live). */
function evaluate(program: FusedProgram, inputs: readonly Tensor[]): Tensor[] {
  const vals: Tensor[] = [];
  for (const s of program.steps) {
    if (s.op === 'input') vals.push(inputs[s.index]!);
    else if (s.op === 'literal') vals.push(scalar(s.value, s.dtype));
    else {
      const [p, params] = stepCall(s);
      vals.push(bind(p, s.args.map((i) => vals[i]!), params));
    }
  }
  return vals;
}

const addT = (a: Tensor | null, b: Tensor | null): Tensor | null => (a === null ? b : b === null ? a : L.add(a, b));

/** Inputs the primitive's vjp may read: all of them, however many (the table ignores indices past the inputs). */
export const SAVES_ALL = Array.from({ length: 64 }, (_, i) => i);

export const fusedP: Primitive<FusedProgram> = definePrimitive<FusedProgram>({
  name: 'fused',
  saves: SAVES_ALL,
  abstract: (inputs, program) => {
    for (const st of program.steps) {
      const x = st.op === 'input' ? inputs[st.index] : undefined;
      if (st.op === 'input' && x?.dtype !== st.dtype) {
        throw new DTypeError(`fused(): input ${st.index} should have dtype ${st.dtype}, got ${x === undefined ? 'no input' : x.dtype}`);
      }
    }
    return { shape: broadcastShapes('fused', ...inputs.map((x) => x.shape)), dtype: resultDtype(program) };
  },
  impl: (inputs, program, av) => runKernel(inputs, av, (be, views) => be.fused(program, views, av.shape, av.dtype)),
  vjp: (g, inputs, _out, program) => {
    const vals = evaluate(program, inputs);
    const cot: (Tensor | null)[] = vals.map(() => null);
    cot[vals.length - 1] = g;
    const res: (Tensor | null)[] = inputs.map(() => null);
    for (let i = program.steps.length - 1; i >= 0; i--) {
      const s = program.steps[i]!;
      const c = cot[i];
      if (c === null || c === undefined || s.op === 'literal') continue;
      if (s.op === 'input') {
        res[s.index] = addT(res[s.index]!, c);
        continue;
      }
      const [p, params] = stepCall(s);
      if (p.nondiff) continue;
      const gs = p.vjp(c, s.args.map((a) => vals[a]!), vals[i]!, params);
      s.args.forEach((a, k) => (cot[a] = addT(cot[a]!, gs[k] ?? null)));
    }
    return res.map((r, k) => r && L.sumTo(r, inputs[k]!.shape));
  },
  jvp: (tangents, inputs, out, program) => {
    const vals = evaluate(program, inputs);
    const ts: (Tensor | null)[] = [];
    program.steps.forEach((s, i) => {
      if (s.op === 'input') return void ts.push(tangents[s.index] ?? null);
      if (s.op === 'literal') return void ts.push(null);
      const [p, params] = stepCall(s);
      const args = s.args.map((a) => ts[a]!);
      ts.push(p.nondiff || args.every((t) => t === null) ? null : p.jvp(args, s.args.map((a) => vals[a]!), vals[i]!, params));
    });
    const t = ts[ts.length - 1];
    return t ? L.broadcastTo(t, out.shape) : null;
  },
  batch: (inputs, bdims, program) => [bind(fusedP, alignForBroadcast(inputs, bdims), program), 0],
});

/**
 * Runs `program` on concrete inputs and stores its result into `dst`'s window (an in-place update
 * compile plans when nothing reads dst's old value afterwards); dst may be one of the inputs.
 */
export function fusedInto(program: FusedProgram, inputs: readonly Tensor[], dst: Tensor): void {
  runKernelInto(dst, inputs, (be, into, views) => be.fusedInto(program, views, into));
}
