// Activation checkpointing (torch.utils.checkpoint, the non-reentrant variant), written on the public
// saved-tensor hooks: forward runs normally but every tensor its graph would save is replaced by an
// index, so only the inputs are kept; the first time backward asks for a saved tensor, the forward
// is run again (same RNG state, grad mode on) and the tensors it saves fill those indices.
import { TorchfnError, ValueError } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import { Module } from '../nn/module.js';
import { enableGrad, isGradEnabled } from '../ops/autograd.js';
import { savedTensorsHooks } from '../ops/autograd_function.js';
import { getRngState, setRngState, type RngState } from '../primitives/random.js';

/** Options of {@link checkpoint} (a trailing options object). */
export interface CheckpointOptions {
  /** Must be false (the default here): the reentrant variant is not provided. */
  useReentrant?: boolean;
  /** Restore the random generator's state for the recomputation, so dropout draws the same mask (default true). */
  preserveRngState?: boolean;
  /** 'default' checks that the recomputation saves tensors of the same shapes and dtypes; 'none' skips it. */
  determinismCheck?: 'default' | 'none';
}

const OPTION_KEYS = ['useReentrant', 'preserveRngState', 'determinismCheck'];

/** An error of checkpoint's recomputation (torch.utils.checkpoint.CheckpointError). */
export class CheckpointError extends TorchfnError {
  override name = 'CheckpointError';
}

interface Frame {
  fn: (...args: any[]) => unknown;
  args: unknown[];
  rng: RngState | null;
  check: boolean;
  /** Shape and dtype of each tensor saved during forward. */
  meta: [number[], string][];
  /** Tensors saved by the latest recomputation not yet handed to backward. */
  recomputed: (Tensor | undefined)[] | null;
}

function recompute(frame: Frame): (Tensor | undefined)[] {
  const store: (Tensor | undefined)[] = [];
  // A backward pass that records itself (createGraph, func.grad's pullback) may differentiate the
  // recomputed values again: then their graph keeps its saved tensors as usual.
  const keep = isGradEnabled();
  const now = frame.rng ? getRngState() : null;
  if (frame.rng) setRngState(frame.rng);
  try {
    enableGrad(() =>
      savedTensorsHooks(
        (t) => {
          store.push(t);
          return keep ? t : null;
        },
        (t: Tensor | null) => {
          if (t === null) throw new CheckpointError('torch.utils.checkpoint: a tensor saved during recomputation was unpacked (differentiate with createGraph: true to go through a checkpoint twice)');
          return t;
        },
        () => frame.fn(...frame.args),
      ),
    );
  } finally {
    if (now) setRngState(now);
  }
  if (store.length !== frame.meta.length) {
    throw new CheckpointError(
      `torch.utils.checkpoint: A different number of tensors was saved during the original forward and recomputation.\nNumber of tensors saved during forward: ${frame.meta.length}\nNumber of tensors saved during recomputation: ${store.length}` +
        // The one known way to get nothing recorded: the recomputation ran after its grad transform had returned.
        (store.length === 0
          ? '\nUnder torch.func.vjp or jacrev the backward runs after the transform has returned, which checkpoint does not support; use func.grad, vmap(grad(...)) or eager backward.'
          : ''),
    );
  }
  if (frame.check) {
    const bad = store.flatMap((t, i) => {
      const [shape, dtype] = frame.meta[i]!;
      const same = t!.dtype === dtype && t!.shape.length === shape.length && t!.shape.every((d, k) => d === shape[k]);
      return same ? [] : [`tensor at position ${i}:\nsaved metadata: {'shape': [${shape}], 'dtype': ${dtype}}\nrecomputed metadata: {'shape': [${t!.shape}], 'dtype': ${t!.dtype}}`];
    });
    if (bad.length) {
      throw new CheckpointError(`torch.utils.checkpoint: Recomputed values for the following tensors have different metadata than during the forward pass.\n${bad.join('\n')}`);
    }
  }
  return store;
}

/**
 * Runs `fn(...args)` without keeping the tensors its backward needs: they are recomputed by running
 * fn again during backward (torch.utils.checkpoint with use_reentrant=False). Gradients are the same
 * as without it — in eager autograd, under func.grad and under vmap(grad) — while the graph holds only
 * the inputs. With `preserveRngState` (default) random ops (dropout) draw the same values again.
 * A trailing plain object with only option keys is taken as the options.
 * fn must compute the same thing when run again (no side effects that change its result).
 * @example
 * const y = torch.utils.checkpoint((x: Tensor) => block.call(x), x, { useReentrant: false });
 * y.sum().backward();
 */
export function checkpoint<A extends unknown[], R>(fn: (...args: A) => R, ...rest: [...A] | [...A, CheckpointOptions]): R {
  if (typeof fn !== 'function') throw new ValueError(`checkpoint(): function must be callable, got ${typeof fn}`);
  const last = rest[rest.length - 1];
  let args: unknown[] = rest;
  let opts: CheckpointOptions = {};
  if (
    last !== null && typeof last === 'object' && Object.getPrototypeOf(last) === Object.prototype &&
    Object.keys(last).length > 0 && Object.keys(last).every((k) => OPTION_KEYS.includes(k))
  ) {
    args = rest.slice(0, -1);
    opts = last as CheckpointOptions;
  }
  if (opts.useReentrant === true) {
    throw new ValueError('checkpoint(): useReentrant: true is not supported; use the non-reentrant checkpoint (useReentrant: false)');
  }
  const dc = opts.determinismCheck ?? 'default';
  if (dc !== 'default' && dc !== 'none') throw new ValueError(`checkpoint(): determinismCheck must be 'default' or 'none', got ${String(dc)}`);
  const frame: Frame = {
    fn: fn as (...args: any[]) => unknown,
    args,
    rng: opts.preserveRngState ?? true ? getRngState() : null,
    check: dc === 'default',
    meta: [],
    recomputed: null,
  };
  return savedTensorsHooks(
    (t) => {
      frame.meta.push([[...t.shape], t.dtype]);
      return frame.meta.length - 1;
    },
    (i: number) => {
      let t = frame.recomputed?.[i];
      if (t === undefined) {
        // First use in this backward pass (or a later pass through a retained graph): run fn again.
        frame.recomputed = recompute(frame);
        t = frame.recomputed[i]!;
      }
      frame.recomputed![i] = undefined;
      return t;
    },
    () => fn(...(args as A)),
  );
}

/**
 * Runs modules (or functions) in sequence, checkpointing all but the last of `segments` chunks
 * (torch.utils.checkpoint_sequential).
 * @example const y = torch.utils.checkpointSequential(model, 2, x, { useReentrant: false });
 */
export function checkpointSequential(
  functions: Iterable<Module | ((x: any) => any)>, segments: number, input: unknown, opts: CheckpointOptions = {},
): any {
  const fns = [...functions];
  if (!Number.isInteger(segments) || segments < 1) throw new ValueError(`checkpointSequential(): segments must be a positive integer, got ${String(segments)}`);
  const run = (start: number, end: number) => (x: unknown) => {
    for (let j = start; j <= end; j++) {
      const f = fns[j]!;
      x = f instanceof Module ? (f as Module & { call(x: unknown): unknown }).call(x) : f(x);
    }
    return x;
  };
  const size = Math.floor(fns.length / segments);
  let end = -1;
  for (let start = 0; start < size * (segments - 1); start += size) {
    end = start + size - 1;
    input = Object.keys(opts).length ? checkpoint(run(start, end), input, opts) : checkpoint(run(start, end), input);
  }
  return run(end + 1, fns.length - 1)(input);
}
