// In-place ops: the new value is computed out of place, then written into the tensor's storage
// (so views and the base see it) and the tensor takes over the new value's autograd history.
// A write through a view rewires its base's history, as PyTorch's CopySlices does.
import { AutogradError, TransformError } from '../core/errors.js';
import {
  Node, Tensor, bind, currentTracing, deviceOf, full, gradEdge, isGradEnabled, lax, registry, replayViewSteps, writeInto, type ViewStep,
} from '../primitives/index.js';
import type { TraceLevel } from './trace_level.js';

/** The transpose of a chain of view steps: scatters a view-shaped gradient into a base-shaped zero tensor. */
function transposeSteps(steps: readonly ViewStep[], g: Tensor, baseShape: number[], dtype: Tensor['dtype']): Tensor {
  const shapes: Tensor[] = [];
  let x = full(baseShape, 0, dtype, deviceOf(g));
  for (const s of steps) {
    shapes.push(x);
    x = bind(registry.get(s.prim)!, [x], s.params);
  }
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i]!;
    g = registry.get(s.prim)!.vjp(g, [shapes[i]!], x, s.params)[0]!;
  }
  return g;
}

function capturedError(fn: string, kind: string): never {
  if (kind === 'batch') {
    throw new TransformError(
      `vmap: ${fn}(self, *extra_args) is not possible because there exists a Tensor \`other\` in extra_args that has more elements than \`self\`. ` +
        'This happened due to `other` being vmapped over but `self` not being vmapped over in a vmap. ' +
        "Please try to use out-of-place operators instead of in-place operators, or vmap over `self` too.",
    );
  }
  throw new TransformError(
    `${fn}(): mutating a tensor captured from outside a ${kind === 'grad' ? 'grad/vjp' : 'jvp'} transform with a value computed inside it is not supported; pass the tensor as an input or use an out-of-place op.`,
  );
}

/** Makes `x` hold `r` (same logical shape), in storage and in autograd history. */
export function assignInPlace(fn: string, x: Tensor, r: Tensor): Tensor {
  const tr = currentTracing();
  if (tr !== null && tr.alive && (x._level === null || x._level.depth < tr.depth)) {
    (tr as TraceLevel).assignCaptured(fn, x, r);
    return x;
  }
  const rl = r._level;
  if (rl !== null && rl.alive && (x._level === null || x._level.depth < rl.depth)) capturedError(fn, rl.kind);
  const xl = x._level;
  if (xl !== null) {
    xl.assign(fn, x, r, rl === xl, (inner, value) => assignInPlace(fn, inner, value));
    return x;
  }
  const recording = isGradEnabled() && (r._requiresGrad || x._requiresGrad);
  if (recording) checkLeaf(x);
  writeInto(x, r);
  markWritten(x);
  if (recording) rewireHistory(x, r);
  return x;
}

/** Records that x's memory was written (saved tensors of it are stale now). */
export function markWritten(x: Tensor): void {
  x._storage!.version++;
  x._viewVersion = x._storage!.version;
}

/**
 * After `x` took the value of `r` (null: a constant at x's level), x takes r's autograd history; when
 * x is a view, its base gets a CopySlices node (gradient outside the view to the old base, inside
 * it to r) and x becomes a view of the new base.
 */
export function rewireHistory(x: Tensor, r: Tensor | null): void {
  if (x._base === null) {
    x._gradFn = r?._gradFn ?? null;
    x._requiresGrad = r?._requiresGrad ?? false;
    return;
  }
  const base = x._base;
  const steps = x._viewSteps!;
  const shape = base.shape;
  const node = new Node('CopySlices', [gradEdge(base), r ? gradEdge(r) : null], (g) => {
    const gv = replayViewSteps(steps, g);
    return [lax.sub(g, transposeSteps(steps, gv, shape, g.dtype)), gv];
  });
  base._gradFn = node;
  base._requiresGrad = true;
  x._gradFn = new Node('ViewOfCopySlices', [node], (g) => [transposeSteps(steps, g, shape, g.dtype)]);
  x._requiresGrad = true;
}

export function checkLeaf(x: Tensor): void {
  const leafy = (t: Tensor) => t._requiresGrad && t._gradFn === null;
  if (x._base === null && leafy(x)) {
    throw new AutogradError(`a leaf Variable that requires grad is being used in an in-place operation.`);
  }
  if (x._base !== null && leafy(x._base)) {
    throw new AutogradError(`a view of a leaf Variable that requires grad is being used in an in-place operation.`);
  }
  if (x._viewSteps?.some((s) => s.prim === 'expand')) {
    throw new AutogradError(
      'unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.',
    );
  }
}
