// The backward engine: walks a graph of Nodes from the outputs, runs tensor hooks, accumulates
// into leaves (backward) or captures the gradients of given inputs (autograd.grad, func.grad/vjp).
// Eager autograd and the grad levels of torch.func share it. In eager mode without createGraph it
// frees the memory of what it makes as soon as it is consumed: a primitive rule's temporaries right
// after the rule, and each gradient once the nodes it flows into have used it, unless a hook,
// retainGrad, a leaf's .grad or a captured result has seen it.
import { AutogradError, fmtShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { Node, currentTracing, gradEdge, logCreations, registry, release, setGradEnabled, lax, type Tensor } from '../primitives/index.js';
import type { TraceLevel } from './trace_level.js';

export interface BackwardOptions {
  retainGraph?: boolean;
  createGraph?: boolean;
  /** Capture gradients for these tensors instead of accumulating into leaves' .grad. */
  inputs?: readonly Tensor[];
  allowUnused?: boolean;
  /** Name for error messages. */
  fn?: string;
}

/**
 * Work done by backward passes: graph nodes visited (walked to find what the requested gradients
 * need) and backward functions run. Tests read it to show that a pass touches only what it needs.
 */
export const engineStats = { visited: 0, applied: 0 };

export function runBackward(roots: readonly Tensor[], rootGrads: readonly Tensor[], opts: BackwardOptions = {}): (Tensor | null)[] {
  const fn = opts.fn ?? 'backward';
  const createGraph = opts.createGraph ?? false;
  const retainGraph = opts.retainGraph ?? createGraph;
  const rootNodes = roots.map((r, i) => {
    const e = gradEdge(r);
    if (!e) throw new AutogradError(`${fn}(): element ${i} of tensors does not require grad and does not have a grad_fn`);
    return e;
  });
  const inputs = opts.inputs;
  const capture = new Map<Node, number[]>();
  inputs?.forEach((x, i) => {
    const e = gradEdge(x);
    if (e) capture.set(e, [...(capture.get(e) ?? []), i]);
  });

  // Post-order DFS; `needed` prunes branches that reach no captured input. A node's inputs are
  // always older than it (lower seq), so with captured inputs no path to them goes below the oldest
  // one: the walk stops there instead of visiting the whole history (PyTorch's exec_info).
  let minSeq = -1;
  if (inputs) {
    minSeq = Infinity;
    for (const n of capture.keys()) minSeq = Math.min(minSeq, n.seq);
  }
  const order: Node[] = [];
  const needed = new Map<Node, boolean>();
  const toRun = new Set<Node>();
  const stack: [Node, number][] = [];
  for (const r of rootNodes) {
    if (needed.has(r)) continue;
    needed.set(r, false);
    stack.push([r, 0]);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const [node, i] = top;
      if (i < node.next.length) {
        top[1]++;
        const nx = node.next[i];
        if (nx && nx.seq >= minSeq && !needed.has(nx)) {
          needed.set(nx, false);
          stack.push([nx, 0]);
        }
        continue;
      }
      stack.pop();
      // With captured inputs, a node's backward runs only when it leads to one of them.
      let runs = !inputs;
      if (!runs) for (const nx of node.next) if (nx && needed.get(nx)) runs = true;
      needed.set(node, runs || capture.has(node));
      if (runs) toRun.add(node);
      order.push(node);
    }
  }
  engineStats.visited += needed.size;

  const buffers = new Map<Node, Tensor>();
  // Engine-made gradients nobody else can see, and how many buffers hold each.
  const owned = new Set<Tensor>();
  const uses = new Map<Tensor, number>();
  const hold = (t: Tensor, d: number) => uses.set(t, (uses.get(t) ?? 0) + d);
  const consumed = (t: Tensor) => {
    if (owned.has(t) && !uses.get(t)) {
      owned.delete(t);
      uses.delete(t);
      release(t);
    }
  };
  const addTo = (n: Node, g: Tensor) => {
    const prev = buffers.get(n);
    if (prev === undefined) {
      buffers.set(n, g);
      hold(g, 1);
      return;
    }
    const sum = lax.add(prev, g);
    if (!createGraph) owned.add(sum);
    buffers.set(n, sum);
    hold(sum, 1);
    hold(prev, -1);
    consumed(prev);
    consumed(g);
  };
  rootNodes.forEach((n, i) => {
    const g = rootGrads[i]!;
    if (!shapesEqual(g.shape, roots[i]!.shape)) {
      throw new AutogradError(`${fn}(): Mismatch in shape: grad_output[${i}] has a shape of ${fmtShape(g.shape)} and output[${i}] has a shape of ${fmtShape(roots[i]!.shape)}`);
    }
    addTo(n, g);
  });

  const results: (Tensor | null)[] = inputs ? inputs.map(() => null) : [];
  const prevMode = setGradEnabled(createGraph);
  try {
    for (let k = order.length - 1; k >= 0; k--) {
      const node = order[k]!;
      let g = buffers.get(node);
      if (g === undefined) continue;
      buffers.delete(node);
      hold(g, -1);
      if (node.preHooks) {
        owned.delete(g);
        for (const h of node.preHooks.values()) {
          const r = h(g);
          if (r) g = r;
        }
      }
      if (node.retained) {
        node.retained._grad = g;
        owned.delete(g);
      }
      const idx = capture.get(node);
      if (idx) {
        for (const i of idx) results[i] = g;
        owned.delete(g);
      }
      if (node.leaf) {
        if (!inputs) {
          const leaf = node.leaf;
          const tr = currentTracing();
          if (tr !== null) (tr as TraceLevel).touchGrad(leaf);
          if (leaf._grad) {
            leaf._grad = lax.add(leaf._grad, g);
            consumed(g);
          } else {
            leaf._grad = g;
            owned.delete(g);
          }
        }
        continue;
      }
      if (!toRun.has(node)) continue;
      if (!node.apply) {
        throw new AutogradError(
          'Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). ' +
            'Saved intermediate values of the graph are freed when you call backward() or autograd.grad(). ' +
            'Specify retainGraph: true if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.',
        );
      }
      // Only a primitive's own rule is known to keep nothing it makes; custom nodes (module backward
      // hooks) hand gradients to user code. Under transforms a rule's concrete tensors may live on
      // inside wrappers, so only concrete (eager) gradients are tracked.
      // While compile traces, a rule's concrete temporaries become the graph's constants.
      const fresh = !createGraph && registry.has(node.name) && g._storage !== null && currentTracing() === null;
      engineStats.applied++;
      const [gs, made] = fresh ? logCreations(() => node.apply!(g)) : [node.apply(g), []];
      if (!retainGraph) {
        node.apply = null;
        node.saved?.free();
      }
      const returned = new Set(gs);
      for (const t of made) {
        if (returned.has(t)) owned.add(t);
        else release(t);
      }
      for (let i = 0; i < node.next.length; i++) {
        const nx = node.next[i];
        const gi = gs[i];
        if (nx && gi) addTo(nx, gi);
      }
      if (!fresh) owned.delete(g);
      if (!gs.includes(g)) consumed(g);
    }
  } finally {
    setGradEnabled(prevMode);
  }
  if (inputs && !opts.allowUnused) {
    const i = results.findIndex((r) => r === null);
    if (i >= 0) {
      throw new AutogradError(
        `${fn}(): One of the differentiated Tensors (input ${i}) appears to not have been used in the graph. Set allowUnused: true if this is the desired behavior.`,
      );
    }
  }
  return results;
}
