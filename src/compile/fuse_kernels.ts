// Fusion around the kernels that are not elementwise: a matmul takes the elementwise node that
// alone consumes its product, directly or through a reshape, as an epilogue (nn.Linear's or a
// convolution's bias add, an activation), and a reduction
// takes the elementwise node that alone feeds it as a prologue (softmax's exp(x - max), a loss's
// product) and the one that alone consumes its result as an epilogue (a mean's division). The
// backend then runs each as one call, never materializing what the fused parts exchange.
import type { FusedProgram, ReduceOp } from '../backend/backend.js';
import { shapesEqual } from '../core/shape.js';
import { fusedMatmulP, fusedP, fusedReduceP, type FusedReduceParams } from '../primitives/index.js';
import { fusedNode, fusedProgram, isElementwise, useCounts } from './fuse.js';
import type { Graph, GraphNode } from './graph.js';

const REDUCTIONS = new Set<string>(['sum', 'prod', 'max', 'min']);

/** An elementwise node as a fused program over its inputs (a fused node as it is). */
function asProgram(g: Graph, n: GraphNode): { program: FusedProgram; inputs: number[] } | null {
  if (n.prim === fusedP) return { program: n.params as FusedProgram, inputs: n.inputs };
  if (!isElementwise(n)) return null;
  const f = fusedNode(g, [n]);
  return { program: f.params as FusedProgram, inputs: f.inputs };
}

/** The program with the value `first` moved to input 0 (the slot an epilogue's main operand takes). */
function firstInput(p: { program: FusedProgram; inputs: number[] }, first: number): { program: FusedProgram; inputs: number[] } {
  const inputs = [first, ...p.inputs.filter((id) => id !== first)];
  const steps = p.program.steps.map((s) => (s.op === 'input' ? { ...s, index: inputs.indexOf(p.inputs[s.index]!) } : s));
  return { program: fusedProgram(steps), inputs };
}

/** The identity program over one input: the prologue of a reduction that only has an epilogue. */
const identity = (g: Graph, id: number): { program: FusedProgram; inputs: number[] } => ({
  program: fusedProgram([{ op: 'input', index: 0, dtype: g.values[id]!.dtype }]),
  inputs: [id],
});

/** Merges matmuls and reductions with the elementwise nodes around them (after fuseElementwise). */
export function fuseKernels(g: Graph): void {
  const uses = useCounts(g);
  const producer = new Map<number, number>();
  const consumer = new Map<number, number>();
  g.nodes.forEach((n, i) => {
    producer.set(n.out, i);
    for (const id of n.inputs) consumer.set(id, i);
  });
  const removed = new Set<number>();
  const replaced = new Map<number, GraphNode>();
  const sameValue = (a: number, b: number) => {
    const [x, y] = [g.values[a]!, g.values[b]!];
    return g.devices[a] === g.devices[b] && x.dtype === y.dtype && shapesEqual(x.shape, y.shape);
  };
  /** The elementwise node that alone uses `id`, producing a value of id's shape and dtype. */
  const soleEpilogue = (id: number): number | null => {
    const c = consumer.get(id);
    if (uses.get(id) !== 1 || c === undefined || replaced.has(c) || removed.has(c) || !sameValue(id, g.nodes[c]!.out)) return null;
    return asProgram(g, g.nodes[c]!) === null ? null : c;
  };
  g.nodes.forEach((n, i) => {
    if (removed.has(i)) return;
    if (n.prim.name === 'matmul') {
      // A convolution's product reaches its bias through a reshape to the image's shape.
      const r = uses.get(n.out) === 1 ? consumer.get(n.out) : undefined;
      const viaReshape = r !== undefined && g.nodes[r]!.prim.name === 'reshape' && !replaced.has(r) && !removed.has(r) ? r : null;
      const seen = viaReshape === null ? n.out : g.nodes[viaReshape]!.out;
      const e = soleEpilogue(seen);
      if (e === null) return;
      const epi = firstInput(asProgram(g, g.nodes[e]!)!, seen);
      removed.add(i);
      if (viaReshape !== null) removed.add(viaReshape);
      const shape = viaReshape === null ? null : [...g.values[seen]!.shape];
      replaced.set(e, { prim: fusedMatmulP, params: { epilogue: epi.program, shape }, inputs: [...n.inputs, ...epi.inputs.slice(1)], out: g.nodes[e]!.out });
      return;
    }
    if (!REDUCTIONS.has(n.prim.name)) return;
    const x = n.inputs[0]!;
    const p = producer.get(x);
    const pro = p !== undefined && uses.get(x) === 1 && !removed.has(p) && !replaced.has(p) && g.devices[x] === g.devices[n.out] ? asProgram(g, g.nodes[p]!) : null;
    const e = soleEpilogue(n.out);
    if (pro === null && e === null) return;
    const epi = e === null ? null : firstInput(asProgram(g, g.nodes[e]!)!, n.out);
    const prologue = pro ?? identity(g, x);
    const params: FusedReduceParams = {
      op: n.prim.name as ReduceOp,
      axes: (n.params as { axes: number[] }).axes,
      prologue: prologue.program,
      nPrologue: prologue.inputs.length,
      epilogue: epi?.program ?? null,
    };
    if (pro !== null) removed.add(p!);
    const node: GraphNode = { prim: fusedReduceP, params, inputs: [...prologue.inputs, ...(epi?.inputs.slice(1) ?? [])], out: e === null ? n.out : g.nodes[e]!.out };
    if (e === null) replaced.set(i, node);
    else {
      removed.add(i);
      replaced.set(e, node);
    }
  });
  g.nodes = g.nodes.flatMap((n, i) => (removed.has(i) ? [] : [replaced.get(i) ?? n]));
}
