// torch.nn.functional.ctc_loss (Graves et al. 2006): the negative log-likelihood of each target under
// all alignments, by the forward (alpha) recursion in log space over the blank-extended target
// l' = (blank, l1, blank, l2, ..., blank). The recursion is a loop over time steps (never over examples)
// of elementwise ops on [N, 2S+1], with sequences shorter than T frozen at their own length, so grad,
// vmap (per-sample gradients) and jvp reach it as a composite. Its gradient is the true derivative with
// respect to log_probs; PyTorch's kernel returns the derivative with respect to the logits of a
// log_softmax instead (exp(log_probs) − ...), which is the same once the log_softmax's backward is applied.
import { INT_HINT } from '../../core/dtype.js';
import { checkOptions } from '../../core/options.js';
import { DTypeError, ShapeError, ValueError, fmtShape, fmtValue } from '../../core/errors.js';
import { Tensor, lax } from '../../primitives/index.js';
import { detach } from '../../transforms/detach.js';
import { full, tensor } from '../creation.js';
import * as E from '../elementwise.js';
import { mean, sum } from '../reduce.js';
import { gather, reshape, select, sliceDim, stack } from '../shape.js';
import { checkTensor } from '../scalars.js';
import { checkReduction, floatArg, valuesIfConcrete, type Reduction } from './_util.js';

/** Options of ctcLoss (torch.nn.functional.ctc_loss's keyword arguments). */
export interface CtcLossOptions {
  /** The blank label (default 0). */
  blank?: number;
  /** 'mean' (default: each loss divided by its target length, then the batch mean), 'sum' or 'none'. */
  reduction?: Reduction;
  /** Replace infinite losses (no alignment possible) and their gradients by zero (default false). */
  zeroInfinity?: boolean;
}

/** log Σ e^x over the given tensors; -Infinity (with zero gradients, not NaN) where all are -Infinity. */
function logAddExp(...xs: Tensor[]): Tensor {
  const m = xs.slice(1).reduce((a, b) => E.maximum(a, b), xs[0]!);
  const mf = detach(E.where(E.eq(m, -Infinity), 0, m));
  const s = xs.map((x) => E.exp(E.sub(x, mf))).reduce((a, b) => E.add(a, b));
  const pos = E.gt(s, 0);
  return E.where(pos, E.add(E.log(E.where(pos, s, 1)), mf), -Infinity);
}

function lengthsArg(fn: string, arg: string, v: Tensor | readonly number[] | number, n: number, unbatched: boolean, device: Tensor['device']): Tensor {
  let t: Tensor;
  if (v instanceof Tensor) {
    if (v.dtype !== 'int32') throw new DTypeError(`${fn}(): expected '${arg}' to have dtype int32, got ${v.dtype}${INT_HINT}`);
    // Lengths may stay on the CPU, as PyTorch lets them.
    t = v;
    if (t.device !== device) t = t.to(device);
  } else {
    const list = typeof v === 'number' ? [v] : Array.isArray(v) ? [...v] : null;
    if (list === null || list.some((x) => !Number.isInteger(x) || x < 0)) throw new ValueError(`${fn}(): '${arg}' must be non-negative integers or an int32 tensor, got ${fmtValue(v)}`);
    t = tensor(list, { dtype: 'int32', device });
  }
  if (unbatched ? t.numel() !== 1 : t.ndim !== 1 || t.shape[0] !== n) {
    throw new ShapeError(`${fn}(): ${arg} must be of size batch_size (${unbatched ? 1 : n}), got ${fmtShape(t.shape)}`);
  }
  return reshape(t, [n]);
}

/**
 * The CTC loss of logProbs [T, N, C] (log-softmax outputs; [T, C] unbatched) against targets, padded
 * [N, S] or concatenated [sum(targetLengths)], int32; inputLengths and targetLengths are [N] (numbers
 * or int32 tensors).
 * @example
 * const logProbs = torch.randn([50, 2, 20]).logSoftmax(2);
 * const targets = torch.randint(1, 20, [2, 30]);
 * const loss = torch.ctcLoss(logProbs, targets, [50, 45], [30, 25]);
 */
export function ctcLoss(
  logProbs: Tensor,
  targets: Tensor,
  inputLengths: Tensor | readonly number[] | number,
  targetLengths: Tensor | readonly number[] | number,
  opts: CtcLossOptions = {},
): Tensor {
  const fn = 'ctcLoss';
  checkOptions(`${fn}()`, opts, ['blank', 'reduction', 'zeroInfinity']);
  const red = checkReduction(fn, opts.reduction);
  floatArg(fn, 'logProbs', logProbs);
  checkTensor(fn, 'targets', targets);
  if (targets.dtype !== 'int32') throw new DTypeError(`${fn}(): expected 'targets' to have dtype int32, got ${targets.dtype}${INT_HINT}`);
  if (logProbs.ndim !== 2 && logProbs.ndim !== 3) throw new ShapeError(`${fn}(): expected logProbs of shape [T, N, C] or [T, C], got ${fmtShape(logProbs.shape)}`);
  const unbatched = logProbs.ndim === 2;
  const lp = unbatched ? lax.reshape(logProbs, [logProbs.shape[0]!, 1, logProbs.shape[1]!]) : logProbs;
  const [T, N, C] = lp.shape as [number, number, number];
  const blank = opts.blank ?? 0;
  if (!Number.isInteger(blank) || blank < 0 || blank >= C) throw new ValueError(`${fn}(): blank must be in label range (got blank=${blank} for ${C} classes)`);
  const inLen = lengthsArg(fn, 'input_lengths', inputLengths, N, unbatched, lp.device);
  const tgtLen = lengthsArg(fn, 'target_lengths', targetLengths, N, unbatched, lp.device);
  const inVals = valuesIfConcrete(inLen);
  if (inVals) for (const v of Array.from(inVals)) if (v > T || v < 0) throw new ValueError(`${fn}(): Expected input_lengths to have value at most ${T}, but got value ${v}`);
  const tlVals = valuesIfConcrete(tgtLen);
  // Padded targets [N, S].
  let padded: Tensor;
  const concatenated = unbatched ? false : targets.ndim === 1;
  if (concatenated) {
    const total = targets.shape[0]!;
    const S = tlVals ? Math.max(0, ...Array.from(tlVals)) : total;
    if (tlVals && Array.from(tlVals).reduce((a, b) => a + b, 0) > total) {
      throw new ShapeError(`${fn}(): the target lengths add up to ${Array.from(tlVals).reduce((a, b) => a + b, 0)}, more than the ${total} concatenated targets`);
    }
    const starts = E.sub(lax.cumsum(tgtLen, 0), tgtLen); // [N]
    const idx = E.clamp(E.add(reshape(starts, [N, 1]), tensor(Array.from({ length: S }, (_, i) => i), { dtype: 'int32', device: lp.device })), { min: 0, max: Math.max(total - 1, 0) });
    padded = total === 0 ? full([N, S], blank, { dtype: 'int32', device: lp.device }) : reshape(lax.indexSelect(targets, reshape(idx, [N * S]), 0), [N, S]);
  } else {
    const want = unbatched ? 1 : 2;
    if (targets.ndim !== want) throw new ShapeError(`${fn}(): expected targets of shape ${unbatched ? '[S]' : '[N, S] or [sum(target_lengths)]'}, got ${fmtShape(targets.shape)}`);
    padded = unbatched ? reshape(targets, [1, targets.shape[0]!]) : targets;
    if (padded.shape[0] !== N) throw new ShapeError(`${fn}(): targets ${fmtShape(targets.shape)} must have batch size ${N} (logProbs ${fmtShape(logProbs.shape)})`);
    const S = padded.shape[1]!;
    if (tlVals) for (const v of Array.from(tlVals)) if (v > S) throw new ShapeError(`${fn}(): Expected tensor to have size at least ${v} at dimension 1, but got size ${S} for argument #2 'targets'`);
  }
  const S = padded.shape[1]!;
  const E2 = 2 * S + 1;
  // Blank-extended targets [N, 2S+1] and which positions may skip the one before (not blank, not a repeat).
  const blanks = full([N, S], blank, { dtype: 'int32', device: lp.device });
  const ext = lax.pad(reshape(stack([blanks, padded], 2), [N, 2 * S]), [[0, 0], [0, 1]], blank);
  const prev2 = lax.pad(sliceDim(ext, 1, 0, Math.max(E2 - 2, 0)), [[0, 0], [Math.min(2, E2), 0]], -1);
  const skip = E.logicalAnd(E.ne(ext, blank), E.ne(ext, prev2));
  const lpExt = gather(lp, 2, lax.broadcastTo(reshape(ext, [1, N, E2]), [T, N, E2])); // [T, N, 2S+1]
  const pos = tensor(Array.from({ length: E2 }, (_, i) => i), { dtype: 'int32', device: lp.device });
  let alpha = E.where(E.lt(pos, 2), select(lpExt, 0, 0), -Infinity); // [N, 2S+1]
  const shift = (a: Tensor, k: number) => lax.pad(sliceDim(a, 1, 0, Math.max(E2 - k, 0)), [[0, 0], [Math.min(k, E2), 0]], -Infinity);
  for (let t = 1; t < T; t++) {
    const next = E.add(logAddExp(alpha, shift(alpha, 1), E.where(skip, shift(alpha, 2), -Infinity)), select(lpExt, 0, t));
    alpha = E.where(reshape(E.gt(inLen, t), [N, 1]), next, alpha);
  }
  // log p(l | x) = logaddexp(alpha[2·len], alpha[2·len − 1]); a zero-length input has no alignment.
  const endIdx = E.mul(tgtLen, 2);
  const at = (i: Tensor) => reshape(gather(alpha, 1, reshape(E.clamp(i, { min: 0 }), [N, 1])), [N]);
  const lastBlank = at(endIdx);
  const lastLabel = E.where(E.gt(tgtLen, 0), at(E.sub(endIdx, 1)), -Infinity);
  const ll = E.where(E.gt(inLen, 0), logAddExp(lastBlank, lastLabel), E.where(E.eq(tgtLen, 0), 0, -Infinity));
  let loss = E.neg(ll);
  if (opts.zeroInfinity) loss = E.where(E.eq(loss, Infinity), 0, loss);
  if (red === 'none') return unbatched ? reshape(loss, []) : loss;
  if (red === 'sum') return sum(loss);
  return mean(E.div(loss, E.clamp(lax.cast(tgtLen, loss.dtype), { min: 1 })));
}
