// In-place results: an optimizer's new parameter (or moment) is computed by a fused node and then
// written into the captured tensor. When nothing after that node reads the tensor's old value, the
// node can store its result straight into the tensor's memory (the kernel reads each element before
// it writes it), saving the result's allocation and the copy of every updated tensor per step.
import { shapesEqual } from '../core/shape.js';
import { fusedP, type Tensor } from '../primitives/index.js';
import type { Graph } from './graph.js';

/** For each node (by index) that may store its result into a captured tensor, that tensor. */
export function planInPlaceWrites(g: Graph): Map<number, Tensor> {
  const plan = new Map<number, Tensor>();
  const producer = new Map<number, number>();
  g.nodes.forEach((n, i) => producer.set(n.out, i));
  const visible = new Set<number>([...g.outputs, ...g.grads.flatMap(([, id]) => (id === null ? [] : [id]))]);
  const captured = [...g.consts.values(), ...g.writes.map(([x]) => x)];
  for (const [x, id] of g.writes) {
    const k = producer.get(id);
    const node = k === undefined ? undefined : g.nodes[k]!;
    const v = g.values[id]!;
    if (node?.prim !== fusedP || visible.has(id) || v.dtype !== x.dtype || !shapesEqual(v.shape, x.shape)) continue;
    // No other captured tensor may share x's memory (a view read elsewhere, a second write).
    if (g.writes.filter(([y]) => y === x).length !== 1 || captured.some((t) => t !== x && t._storage === x._storage)) continue;
    const old = [...g.consts].flatMap(([c, t]) => (t === x ? [c] : []));
    if (old.some((c) => visible.has(c) || g.gradReads.has(c))) continue;
    if (g.nodes.slice(k! + 1).some((n) => n.inputs.some((i) => old.includes(i)))) continue;
    plan.set(k!, x);
  }
  return plan;
}
