// Full backward hooks (PyTorch's torch.utils.hooks.BackwardHook) on torchfn's autograd graph.
//
// PyTorch passes a module's tensor inputs and outputs through one multi-output identity node
// (BackwardHookFunction) each. torchfn's graph nodes have a single output, so each side is built
// from one small identity node per tensor plus a "hub" node they all feed:
//
//   loss ... -> out_k (stores dL/dout_k) -> outHub -> module's own graph -> in_k (stores dL/din_k) -> inHub -> inputs
//
// The per-tensor nodes record their gradient in the call's state and pass a dummy scalar to the
// hub; the engine runs a hub after every node feeding it, so the hub sees all gradients at once.
// outHub packs gradOutput (null where an output got no gradient), runs the backward pre-hooks
// (which may replace it) and forwards it into the module's graph. inHub packs gradInput (one slot
// per positional argument: null for non-tensors, zeros for a tensor that does not require grad
// next to one that does, as PyTorch 2.11), runs the full backward hooks (which may replace it) and
// forwards it to the inputs. Each call of a module builds its own state, so a module used twice
// fires its hooks once per call.
//
// Under torch.func transforms the nodes are built on the innermost grad level (func.grad/vjp), the
// level whose backward pass runs them: tensors of that level are aliased with grad-level wrappers,
// wrappers of levels above it (vmap, jvp inside grad) are rebuilt around an aliased inner value.
// With no grad level active they hook eager autograd, looking through vmap/jvp wrappers.
import { AutogradError, ShapeError, fmtShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { Node, Tensor, full, gradEdge, innermost, isGradEnabled, type Level } from '../primitives/index.js';
import { detach } from '../transforms/detach.js';
import { makeBatched, makeDual, makeGradWrapper, type BatchLevel, type DualLevel, type GradLevel } from '../transforms/levels_impl.js';
import { warn, type BackwardHook, type BackwardPreHook } from './hooks.js';
import type { Module } from './module.js';

const NODE_NAME = 'backwardHookFunction';

/** The value at reverse level `R` that `t` carries (looking through wrappers of levels above R), or null. */
function atLevel(t: Tensor, R: Level | null): Tensor | null {
  let x = t;
  for (;;) {
    const l = x._level;
    if (l === R) return x;
    if (l === null) return null;
    if (!l.alive) {
      x = x._inner!;
      continue;
    }
    if (R !== null && l.depth <= R.depth) return null;
    if (l.kind !== 'batch' && l.kind !== 'dual') return null;
    x = x._inner!;
  }
}

/** `t` with its value at level R replaced by `alias(value)`, the wrappers above R rebuilt. */
function rebuild(t: Tensor, R: Level | null, alias: (b: Tensor) => Tensor): Tensor {
  const l = t._level;
  if (l === R) return alias(t);
  if (!l!.alive) return rebuild(t._inner!, R, alias);
  const inner = rebuild(t._inner!, R, alias);
  return l!.kind === 'batch' ? makeBatched(l as BatchLevel, inner, t._bdim) : makeDual(l as DualLevel, inner, t._tangent);
}

function aliasOf(b: Tensor, R: Level | null, node: Node): Tensor {
  const a = R === null ? detach(b) : makeGradWrapper(R as GradLevel, b._inner!);
  a._requiresGrad = true;
  a._gradFn = node;
  return a;
}

const dummy = () => full([], 0, 'float32');

function packWithNone(indices: readonly number[], values: readonly (Tensor | null)[], size: number): (Tensor | null)[] {
  const res: (Tensor | null)[] = new Array(size).fill(null);
  indices.forEach((idx, k) => (res[idx] = values[k] ?? null));
  return res;
}

function checkGrad(what: string, g: unknown, like: Tensor): Tensor | null {
  if (g === null || g === undefined) return null;
  if (!(g instanceof Tensor)) throw new AutogradError(`${what}: expected a Tensor or null, got ${typeof g}`);
  if (!shapesEqual(g.shape, like.shape)) {
    throw new ShapeError(`${what}: hook changed the size of a gradient from ${fmtShape(like.shape)} to ${fmtShape(g.shape)}`);
  }
  return g;
}

interface Wrapped {
  args: unknown[];
  /** Positions of the tensors among args. */
  tensorsIdx: number[];
  /** Per tensor: its value at the hooked level when it requires grad there, else null. */
  bases: (Tensor | null)[];
  /** Per tensor: the gradient its identity node received in this backward pass. */
  collected: (Tensor | null)[];
  /** The aliases handed out (at the hooked level) with their identity nodes. */
  aliases: [Tensor, Node][];
}

/** One module call's backward hooks: set up on its inputs before forward and on its output after. */
export class BackwardHookState {
  gradOutputs: (Tensor | null)[] | null = null;
  nInputs = -1;
  inputTensorsIndex: number[] | null = null;
  nOutputs = -1;
  outputTensorsIndex: number[] | null = null;
  private readonly level: Level | null = innermost('grad');

  constructor(
    readonly module: Module,
    readonly userHooks: BackwardHook[],
    readonly userPreHooks: BackwardPreHook[],
  ) {}

  /** Wraps the tensors of `args` in identity nodes feeding a hub node; null when none requires grad. */
  private applyOnTensors(args: readonly unknown[], makeHub: (w: Wrapped) => Node): Wrapped | null {
    const R = this.level;
    const tensorsIdx: number[] = [];
    const bases: (Tensor | null)[] = [];
    let requiresGrad = false;
    args.forEach((a, i) => {
      if (!(a instanceof Tensor)) return;
      tensorsIdx.push(i);
      const b = atLevel(a, R);
      const rg = b !== null && b._requiresGrad;
      bases.push(rg ? b : null);
      requiresGrad ||= rg;
    });
    if (!(requiresGrad && isGradEnabled())) return null;
    const w: Wrapped = { args: [...args], tensorsIdx, bases, collected: bases.map(() => null), aliases: [] };
    const hub = makeHub(w);
    tensorsIdx.forEach((i, k) => {
      if (bases[k] === null) return;
      const node = new Node(NODE_NAME, [hub], (g) => {
        w.collected[k] = g;
        return [dummy()];
      });
      w.args[i] = rebuild(args[i] as Tensor, R, (b) => {
        const a = aliasOf(b, R, node);
        w.aliases.push([a, node]);
        return a;
      });
    });
    return w;
  }

  private inputs: Wrapped | null = null;

  /**
   * After forward: an in-place op on an input alias would bypass the hooks (and the alias shares
   * the caller's storage); PyTorch forbids it, and so do we.
   */
  checkInputsUnmodified(): void {
    this.inputs?.aliases.forEach(([a, node], k) => {
      if (a._gradFn !== node) {
        throw new AutogradError(
          `Output ${k} of BackwardHookFunctionBackward is a view and is being modified inplace. This view was created inside a custom Function (or because an input was returned as-is) and the autograd logic to handle view+inplace would override the custom backward associated with the custom Function, leading to incorrect gradients. This behavior is forbidden. You can fix this by cloning the output of the custom Function.`,
        );
      }
    });
  }

  /** Before forward: returns the args with their tensors routed through the input hub. */
  setupInputHook(args: unknown[]): unknown[] {
    const w = this.applyOnTensors(args, (w) => {
      const edges = w.bases.map((b) => (b ? gradEdge(b) : null));
      // Shape and dtype of each tensor's gradient, for the zeros of inputs that get none.
      const likes = w.tensorsIdx.map((i, k) => {
        const t = w.bases[k] ?? (args[i] as Tensor);
        return [[...t.shape], t.dtype, t.device] as const;
      });
      return new Node(NODE_NAME, edges, () => this.inputHub(w, likes));
    });
    this.nInputs = args.length;
    this.inputTensorsIndex = w ? w.tensorsIdx : null;
    this.inputs = w;
    return w ? w.args : args;
  }

  private inputHub(w: Wrapped, likes: readonly (readonly [readonly number[], Tensor['dtype'], Tensor['device']])[]): (Tensor | null)[] {
    // Gradients w.r.t. the inputs; a tensor input that got none (or does not require grad) gets zeros.
    const grads = w.tensorsIdx.map((_, k) => w.collected[k] ?? full([...likes[k]![0]], 0, likes[k]![1], likes[k]![2]));
    w.collected.fill(null);
    const forward = (res: readonly (Tensor | null)[]) => w.bases.map((b, k) => (b ? res[k] ?? null : null));
    // The gradient reached the inputs without passing through the outputs (e.g. double backward).
    if (this.gradOutputs === null) return forward(grads);
    let res = packWithNone(w.tensorsIdx, grads, this.nInputs);
    for (const hook of this.userHooks) {
      const out = hook(this.module, res, this.gradOutputs);
      if (out === undefined || out === null) continue;
      if (!Array.isArray(out) || out.length !== res.length) {
        throw new AutogradError(
          `Backward hook returned an invalid number of grad_input, got ${Array.isArray(out) ? out.length : typeof out}, but expected ${res.length}`,
        );
      }
      res = out;
    }
    this.gradOutputs = null;
    return forward(w.tensorsIdx.map((i, k) => checkGrad('backward hook', res[i], grads[k]!)));
  }

  /** After forward (and the forward hooks): routes the output's tensors through the output hub. */
  setupOutputHook<T>(result: T): T {
    const isTuple = Array.isArray(result);
    const args: unknown[] = isTuple ? (result as unknown[]) : [result];
    const w = this.applyOnTensors(args, (w) => {
      const edges = w.bases.map((b) => (b ? gradEdge(b) : null));
      return new Node(NODE_NAME, edges, () => this.outputHub(w));
    });
    this.nOutputs = args.length;
    this.outputTensorsIndex = w ? w.tensorsIdx : null;
    if (!w) return result;
    return (isTuple ? w.args : w.args[0]) as T;
  }

  private outputHub(w: Wrapped): (Tensor | null)[] {
    const collected = [...w.collected];
    w.collected.fill(null);
    this.gradOutputs = packWithNone(w.tensorsIdx, collected, this.nOutputs);
    const expected = this.gradOutputs.length;
    for (const hook of this.userPreHooks) {
      const out = hook(this.module, this.gradOutputs);
      if (out === undefined || out === null) continue;
      if (!Array.isArray(out) || out.length !== expected) {
        throw new AutogradError(
          `Backward pre hook returned an invalid number of grad_output, got ${Array.isArray(out) ? out.length : typeof out}, but expected ${expected}`,
        );
      }
      this.gradOutputs = out;
    }
    const local = this.gradOutputs;
    if (this.inputTensorsIndex === null) {
      // No input requires grad: the full backward hooks fire here, with gradInput all null.
      warn(
        'Full backward hook is firing when gradients are computed with respect to module outputs since no inputs require gradients. ' +
          'See https://docs.pytorch.org/docs/main/generated/torch.nn.Module.html#torch.nn.Module.register_full_backward_hook for more details.',
      );
      const gradInputs: (Tensor | null)[] = new Array(this.nInputs).fill(null);
      for (const hook of this.userHooks) {
        const r = hook(this.module, gradInputs, local);
        if (r !== undefined && r !== null && !(Array.isArray(r) && r.every((e) => e === null || e === undefined))) {
          throw new AutogradError('Backward hook for Modules where no input requires gradient should always return None or None for all gradients.');
        }
      }
      this.gradOutputs = null;
    }
    return w.bases.map((b, k) => (b ? checkGrad('backward pre hook', local[w.tensorsIdx[k]!], b) : null));
  }
}
