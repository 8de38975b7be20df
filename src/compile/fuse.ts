// Fusion: chains of elementwise nodes (with broadcasting) become one `fused` node whose kernel runs
// the chain in one pass, so the intermediates are never materialized. A node joins the group of its
// consumer when its result is used by that group alone; scalar constants made while tracing become
// literals of the program.
import type { BinaryOp, FusedProgram, FusedStep, UnaryOp } from '../backend/backend.js';
import type { DType } from '../core/dtype.js';
import { numel } from '../core/shape.js';
import { elementwiseKind, fusedP, knownValue, type AbstractValue } from '../primitives/index.js';
import type { Graph, GraphNode } from './graph.js';

export const isElementwise = (n: GraphNode) => elementwiseKind.has(n.prim.name);

/** How many times each value is used: by nodes, and once more for each use outside the graph's nodes. */
export function useCounts(g: Graph): Map<number, number> {
  const uses = new Map<number, number>();
  const use = (id: number) => uses.set(id, (uses.get(id) ?? 0) + 1);
  for (const n of g.nodes) n.inputs.forEach(use);
  g.outputs.forEach(use);
  for (const [, id] of g.writes) use(id);
  for (const [, id] of g.grads) if (id !== null) use(id);
  return uses;
}

/** Results up to this many elements run as one small loop whatever their steps; a node costs more there. */
const SMALL = 4096;

/**
 * Whether a producer's value may be computed inside its consumer's group rooted at `root`: only on
 * the same device, and never a scalar into a tensor's group, where it would be recomputed for every
 * element (a scalar chain, such as an optimizer's bias correction with its float64 pow, fuses on its
 * own and enters as an input). Otherwise any value for a small result; for a large one, one of the
 * root's dtype (or a bool mask), so the program runs in one SIMD lane type.
 */
function joins(v: AbstractValue, root: AbstractValue, sameDevice: boolean): boolean {
  if (!sameDevice || (numel(v.shape) <= 1 && numel(root.shape) > 1)) return false;
  return numel(root.shape) <= SMALL || v.dtype === root.dtype || v.dtype === 'bool';
}

/** Replaces maximal elementwise chains (two nodes or more) with fused nodes. */
export function fuseElementwise(g: Graph): void {
  const uses = useCounts(g);
  const producer = new Map<number, number>();
  g.nodes.forEach((n, i) => producer.set(n.out, i));
  const groupOf = new Array<number>(g.nodes.length).fill(-1);
  const groups: number[][] = [];
  for (let root = g.nodes.length - 1; root >= 0; root--) {
    if (groupOf[root] !== -1 || !isElementwise(g.nodes[root]!)) continue;
    const members = [root];
    const rootValue = g.values[g.nodes[root]!.out]!;
    groupOf[root] = root;
    // Uses of each value from inside the group; a producer joins once all its uses are inside.
    const inside = new Map<number, number>();
    const frontier = [root];
    while (frontier.length > 0) {
      const m = frontier.pop()!;
      for (const id of g.nodes[m]!.inputs) {
        inside.set(id, (inside.get(id) ?? 0) + 1);
        const p = producer.get(id);
        if (p === undefined || groupOf[p] !== -1 || !isElementwise(g.nodes[p]!)) continue;
        if (inside.get(id) !== uses.get(id) || !joins(g.values[id]!, rootValue, g.devices[id] === g.devices[g.nodes[root]!.out])) continue;
        groupOf[p] = root;
        members.push(p);
        frontier.push(p);
      }
    }
    if (members.length >= 2) groups.push(members.sort((a, b) => a - b));
    else groupOf[root] = -2;
  }
  if (groups.length === 0) return;
  const replaced = new Map<number, GraphNode>();
  for (const members of groups) replaced.set(members[members.length - 1]!, fusedNode(g, members.map((i) => g.nodes[i]!)));
  g.nodes = g.nodes.flatMap((n, i) => (replaced.has(i) ? [replaced.get(i)!] : groupOf[i] >= 0 ? [] : [n]));
}

/** One fused node computing the last of `members` (in graph order) from the values they read from outside. */
export function fusedNode(g: Graph, members: GraphNode[]): GraphNode {
  const steps: FusedStep[] = [];
  const stepOf = new Map<number, number>();
  const inputs: number[] = [];
  const dtypeOf = (id: number): DType => g.values[id]!.dtype;
  const ref = (id: number): number => {
    const known = stepOf.get(id);
    if (known !== undefined) return known;
    const c = g.owned.has(id) ? g.consts.get(id) : undefined;
    const value = c !== undefined && c.ndim === 0 ? knownValue(c) : undefined;
    if (value !== undefined) steps.push({ op: 'literal', value, dtype: c!.dtype });
    else {
      steps.push({ op: 'input', index: inputs.length, dtype: dtypeOf(id) });
      inputs.push(id);
    }
    stepOf.set(id, steps.length - 1);
    return steps.length - 1;
  };
  for (const n of members) {
    const args = n.inputs.map(ref);
    const dtype = dtypeOf(n.out);
    const name = n.prim.name;
    const kind = elementwiseKind.get(name);
    if (kind === 'where') steps.push({ op: 'where', args: args as [number, number, number], dtype });
    else if (kind === 'cast') steps.push({ op: 'cast', args: [args[0]!], dtype });
    else if (kind === 'unary') steps.push({ op: 'unary', fn: name as UnaryOp, args: [args[0]!], dtype });
    else steps.push({ op: 'binary', fn: name as BinaryOp, args: args as [number, number], dtype });
    stepOf.set(n.out, steps.length - 1);
  }
  return { prim: fusedP, params: fusedProgram(steps), inputs, out: members[members.length - 1]!.out };
}

/** A program of these steps, with the key that names it exactly. */
export function fusedProgram(steps: readonly FusedStep[]): FusedProgram {
  const key = steps
    .map((s) => {
      if (s.op === 'input') return `in${s.index}:${s.dtype}`;
      if (s.op === 'literal') return `${Object.is(s.value, -0) ? '-0' : String(s.value)}:${s.dtype}`;
      const fn = s.op === 'unary' || s.op === 'binary' ? s.fn : s.op;
      return `${fn}(${s.args.join(',')}):${s.dtype}`;
    })
    .join(' ');
  return { steps, key };
}
