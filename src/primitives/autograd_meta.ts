// Autograd graph nodes and grad mode, shared by eager autograd (the bottom reverse-mode level) and
// the grad levels of func.grad/vjp. The engine that walks the graph lives in ../transforms/.
import type { Tensor } from './value.js';

export type TensorHook = (grad: Tensor) => Tensor | undefined | void;

let nodeSeq = 0;

export class Node {
  readonly seq = nodeSeq++;
  /** Tensor hooks of the tensor this node produces (or of the leaf it accumulates into). */
  preHooks: Map<number, TensorHook> | null = null;
  /** Non-leaf tensor whose .grad is kept (retainGrad). */
  retained: Tensor | null = null;
  constructor(
    readonly name: string,
    readonly next: (Node | null)[],
    /** Cotangent of the output -> cotangent of each input; null once the graph is freed. */
    public apply: ((g: Tensor) => (Tensor | null)[]) | null,
    /** For an accumulate node: the leaf tensor. */
    readonly leaf: Tensor | null = null,
  ) {}
}

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

export function setGradEnabled(on: boolean): boolean {
  const prev = gradEnabled;
  gradEnabled = on;
  return prev;
}

/** The node a gradient for `t` flows into, or null when t does not require grad. */
export function gradEdge(t: Tensor): Node | null {
  if (!t._requiresGrad) return null;
  if (t._gradFn) return t._gradFn;
  return (t._accNode ??= new Node('AccumulateGrad', [], null, t));
}

/**
 * Records `out = prim(inputs)` on the graph of the level the `inputs` live on. `vjp` receives the
 * output cotangent and which inputs need a gradient. Returns true when a node was recorded.
 */
export function recordNode(
  name: string,
  inputs: readonly (Tensor | null)[],
  out: Tensor,
  vjp: (g: Tensor, needs: readonly boolean[]) => (Tensor | null)[],
): boolean {
  if (!gradEnabled) return false;
  let any = false;
  const next = new Array<Node | null>(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i];
    const e = x ? gradEdge(x) : null;
    if (e) any = true;
    next[i] = e;
  }
  if (!any) return false;
  out._requiresGrad = true;
  const needs = next.map((e) => e !== null);
  out._gradFn = new Node(name, next, (g) => vjp(g, needs));
  return true;
}
