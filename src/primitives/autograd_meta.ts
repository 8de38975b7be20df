// Autograd graph nodes and grad mode, shared by eager autograd (the bottom reverse-mode level) and
// the grad levels of func.grad/vjp. The engine that walks the graph lives in ../transforms/.
import { isFloating } from '../core/dtype.js';
import type { Tensor } from './value.js';
import { SavedTensors } from './saved.js';

/** A tensor's gradient hook (Tensor.registerHook): gets the gradient, may return a replacement. */
export type TensorHook = (grad: Tensor) => Tensor | undefined | void;

let nodeSeq = 0;

/**
 * A node of the autograd graph (PyTorch's `grad_fn`): the backward function of the operation that
 * made a tensor, linked to the nodes of its inputs.
 */
export class Node {
  /** Creation order; the backward pass runs later nodes first. */
  readonly seq = nodeSeq++;
  /** Tensor hooks of the tensor this node produces (or of the leaf it accumulates into). */
  preHooks: Map<number, TensorHook> | null = null;
  /** Non-leaf tensor whose .grad is kept (retainGrad). */
  retained: Tensor | null = null;
  /** The tensors this node saved for its backward (freed with the graph). @internal */
  saved: SavedTensors | null = null;
  /**
   * @param name The operation's name ('mul', 'AccumulateGrad' for a leaf...).
   * @param next The nodes of the inputs' gradients (null for inputs that need none).
   */
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

/** Whether operations are recorded for autograd now (false inside noGrad). */
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
 * output cotangent, which inputs need a gradient, and the tensors `saved(needs)` named, as the
 * saved-tensor hooks give them back (the vjp reads saved tensors only through that argument).
 * Returns true when a node was recorded.
 */
export function recordNode(
  name: string,
  inputs: readonly (Tensor | null)[],
  out: Tensor,
  vjp: (g: Tensor, needs: readonly boolean[], saved: readonly Tensor[]) => (Tensor | null)[],
  saved: (needs: readonly boolean[]) => readonly Tensor[] = () => [],
): boolean {
  // As in PyTorch, only floating point results carry a gradient (x.to('int32') does not require grad).
  if (!gradEnabled || !isFloating(out.dtype)) return false;
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
  const kept = new SavedTensors(name, saved(needs));
  const node = new Node(name, next, (g) => vjp(g, needs, kept.unpack()));
  node.saved = kept;
  out._gradFn = node;
  return true;
}
