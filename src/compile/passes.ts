// Graph passes before fusion: dead-code elimination, common-subexpression elimination and folding of
// scalar constants. Each returns a new node list over the same values; random nodes are never
// removed or merged, so a compiled run draws from the generator exactly as the eager one does.
import { numel } from '../core/shape.js';
import { Tensor, bind, full, knownValue, outputDevice } from '../primitives/index.js';
import { noGrad } from '../ops/autograd.js';
import type { Graph, GraphNode } from './graph.js';

/** Value ids a run must produce: outputs, values written to captured tensors, new .grad values. */
function results(g: Graph): Set<number> {
  const live = new Set(g.outputs);
  for (const [, id] of g.writes) live.add(id);
  for (const [, id] of g.grads) if (id !== null) live.add(id);
  return live;
}

/** Drops nodes whose output nobody uses, and unused constants. */
export function eliminateDeadCode(g: Graph): void {
  const live = results(g);
  const kept: GraphNode[] = [];
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const n = g.nodes[i]!;
    if (!live.has(n.out) && !n.prim.random) continue;
    kept.push(n);
    for (const x of n.inputs) live.add(x);
  }
  g.nodes = kept.reverse();
  for (const id of [...g.consts.keys()]) {
    if (live.has(id)) continue;
    g.consts.delete(id);
    g.gradReads.delete(id);
    g.owned.delete(id);
  }
}

/** A key naming params exactly, or null when they hold something JSON cannot tell apart (functions, tensors). */
function paramsKey(p: unknown): string | null {
  let exact = true;
  const s = JSON.stringify(p, (_k, v) => {
    if (typeof v === 'function' || v instanceof Tensor || typeof v === 'symbol' || typeof v === 'bigint') exact = false;
    if (typeof v === 'number' && !Number.isFinite(v)) return `#${String(v)}`;
    return v;
  });
  return exact ? (s ?? 'undefined') : null;
}

/** Renames value ids everywhere after the node list changed. */
function rename(g: Graph, map: Map<number, number>): void {
  if (map.size === 0) return;
  const r = (id: number) => map.get(id) ?? id;
  for (const n of g.nodes) n.inputs = n.inputs.map(r);
  g.outputs = g.outputs.map(r);
  g.writes = g.writes.map(([t, id]) => [t, r(id)]);
  g.grads = g.grads.map(([t, id]) => [t, id === null ? null : r(id)]);
}

/** Merges nodes that apply the same primitive with the same params to the same inputs. */
export function eliminateCommonSubexpressions(g: Graph): void {
  const seen = new Map<string, number>();
  const map = new Map<number, number>();
  const kept: GraphNode[] = [];
  for (const n of g.nodes) {
    n.inputs = n.inputs.map((id) => map.get(id) ?? id);
    const pk = n.prim.random ? null : paramsKey(n.params);
    if (pk !== null) {
      const key = `${n.prim.name}|${n.inputs.join(',')}|${pk}`;
      const prev = seen.get(key);
      if (prev !== undefined) {
        map.set(n.out, prev);
        continue;
      }
      seen.set(key, n.out);
    }
    kept.push(n);
  }
  g.nodes = kept;
  rename(g, map);
}

/**
 * A node over one-element constants computed now: on their device when the host can read it, else on
 * the host from the values they were made with, the result placed back on the device (null: a value
 * is not known on the host).
 */
function foldOnHost(n: GraphNode, inputs: Tensor[]): Tensor | null {
  const device = outputDevice(inputs, n.params);
  if (device === 'cpu') return bind(n.prim, inputs, n.params);
  const values = inputs.map(knownValue);
  if (values.some((v) => v === undefined)) return null;
  const r = bind(n.prim, inputs.map((x, i) => full([...x.shape], values[i]!, x.dtype)), n.params);
  return full([...r.shape], knownValue(r)!, r.dtype, device);
}

/**
 * Computes, once, nodes whose inputs are all scalar constants made while tracing (the constants of
 * `x * 2 + 1` and of gradient rules), so fusion sees literals.
 */
export function foldScalarConstants(g: Graph): void {
  const kept: GraphNode[] = [];
  noGrad(() => {
    for (const n of g.nodes) {
      const scalarConsts = n.inputs.length > 0 && n.inputs.every((id) => g.owned.has(id) && numel(g.values[id]!.shape) <= 1);
      if (!scalarConsts || n.prim.random || numel(g.values[n.out]!.shape) > 1) {
        kept.push(n);
        continue;
      }
      const folded = foldOnHost(n, n.inputs.map((id) => g.consts.get(id)!));
      if (folded === null) {
        kept.push(n);
        continue;
      }
      g.consts.set(n.out, folded);
      g.owned.add(n.out);
    }
  });
  g.nodes = kept;
}

/**
 * Layout: a transposed matmul result, permute(a @ b), becomes bᵀ @ aᵀ: the same GEMM on transposed
 * views of its operands, and a contiguous result in the layout its consumers read (a weight's
 * gradient, which an optimizer then reads beside the weight, would otherwise be a strided view).
 */
export function transposeMatmuls(g: Graph): void {
  const producer = new Map<number, GraphNode>();
  const uses = new Map<number, number>();
  for (const n of g.nodes) {
    producer.set(n.out, n);
    for (const id of n.inputs) uses.set(id, (uses.get(id) ?? 0) + 1);
  }
  for (const id of [...g.outputs, ...g.writes.map(([, w]) => w), ...g.grads.flatMap(([, v]) => (v === null ? [] : [v]))]) uses.set(id, (uses.get(id) ?? 0) + 1);
  const swap = [1, 0];
  const isSwap = (n: GraphNode) => n.prim.name === 'permute' && JSON.stringify((n.params as { perm: number[] }).perm) === JSON.stringify(swap);
  const out: GraphNode[] = [];
  const replaced = new Map<GraphNode, GraphNode[]>();
  for (const n of g.nodes) {
    const m = isSwap(n) ? producer.get(n.inputs[0]!) : undefined;
    if (m === undefined || m.prim.name !== 'matmul' || uses.get(m.out) !== 1 || m.inputs.some((i) => g.values[i]!.shape.length !== 2)) continue;
    const t = (id: number): GraphNode => {
      const v = g.values[id]!;
      g.values.push({ shape: [v.shape[1]!, v.shape[0]!], dtype: v.dtype });
      g.devices.push(g.devices[id]!);
      return { prim: n.prim, params: { perm: swap }, inputs: [id], out: g.values.length - 1 };
    };
    const [ta, tb] = [t(m.inputs[0]!), t(m.inputs[1]!)];
    replaced.set(m, []);
    replaced.set(n, [tb, ta, { prim: m.prim, params: m.params, inputs: [tb.out, ta.out], out: n.out }]);
  }
  if (replaced.size === 0) return;
  for (const n of g.nodes) out.push(...(replaced.get(n) ?? [n]));
  g.nodes = out;
}
