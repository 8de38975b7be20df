// torch.nn.functional.multi_head_attention_forward: multi-head scaled dot-product attention with
// PyTorch's input / output projections, bias_k / bias_v rows, a zero attention row, static keys and
// values, boolean or additive masks, and head-averaged weights, all on sequence-first [L, N, E] inputs.
// nn.MultiheadAttention's forward is this function applied to the module's parameters.
import { DTypeError, ShapeError, ValueError, fmtShape } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import type { DType } from '../../core/dtype.js';
import type { Tensor } from '../../primitives/index.js';
import { full, zeros } from '../creation.js';
import { where } from '../elementwise.js';
import { cat, pad } from '../shape.js';
import { softmax } from '../softmax.js';
import { dropout } from './dropout.js';
import { linear } from './linear.js';

/** Options of multiHeadAttentionForward (PyTorch's keyword arguments after out_proj_bias). */
export interface MultiHeadAttentionForwardOptions {
  /** Apply dropout to the attention weights (default true, as PyTorch's functional). */
  training?: boolean;
  /** [N, S] (or [S] unbatched): true (or -inf) marks keys to ignore. */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights (default true). */
  needWeights?: boolean;
  /** [L, S] or [N·numHeads, L, S]: bool (true = not allowed) or float (added to the scores). */
  attnMask?: Tensor | null;
  /** Project q, k, v with qProjWeight, kProjWeight, vProjWeight instead of inProjWeight (default false). */
  useSeparateProjWeight?: boolean;
  /** [E, E] query projection (with useSeparateProjWeight). */
  qProjWeight?: Tensor | null;
  /** [E, kdim] key projection (with useSeparateProjWeight). */
  kProjWeight?: Tensor | null;
  /** [E, vdim] value projection (with useSeparateProjWeight). */
  vProjWeight?: Tensor | null;
  /** Projected keys [N·numHeads, S, E/numHeads] used instead of projecting `key`. */
  staticK?: Tensor | null;
  /** Projected values [N·numHeads, S, E/numHeads] used instead of projecting `value`. */
  staticV?: Tensor | null;
  /** Average the weights over heads (default true), else [N, numHeads, L, S]. */
  averageAttnWeights?: boolean;
  /** Apply a causal mask when no attnMask is given (default false). */
  isCausal?: boolean;
}

/** A bool mask as a float one (-inf where true); a float mask as is. */
function floatMask(fn: string, name: string, m: Tensor | null | undefined, dtype: DType): Tensor | null {
  if (m === null || m === undefined) return null;
  if (m.dtype === 'bool') return where(m, full([], -Infinity, { dtype, device: m.device }), full([], 0, { dtype, device: m.device }));
  if (m.dtype !== dtype) throw new DTypeError(`${fn}: ${name} must be a bool tensor or have the query's dtype ${dtype}, got ${m.dtype}`);
  return m;
}

/**
 * multiHeadAttentionForward with the caller's name in its errors (nn.MultiheadAttention passes its own).
 * @internal
 */
export function mhaForward(
  fn: string, query: Tensor, key: Tensor, value: Tensor, E: number, H: number, inProjWeight: Tensor | null, inProjBias: Tensor | null,
  biasK: Tensor | null, biasV: Tensor | null, addZeroAttn: boolean, dropoutP: number, outProjWeight: Tensor, outProjBias: Tensor | null,
  opts: MultiHeadAttentionForwardOptions,
): [Tensor, Tensor | null] {
  const batched = query.ndim === 3;
  if (!batched && query.ndim !== 2) throw new ShapeError(`${fn}: query should be unbatched 2D or batched 3D tensor but received ${query.ndim}-D query tensor`);
  if (key.ndim !== query.ndim || value.ndim !== query.ndim) {
    throw new ShapeError(`${fn}: query, key and value must have the same number of dims, got ${fmtShape(query.shape)}, ${fmtShape(key.shape)}, ${fmtShape(value.shape)}`);
  }
  if (!Number.isInteger(H) || H <= 0 || E % H !== 0) throw new ValueError(`${fn}: embed_dim ${E} not divisible by num_heads ${H}`);
  const hd = E / H;
  let q = batched ? query : query.unsqueeze(1);
  let k = batched ? key : key.unsqueeze(1);
  let v = batched ? value : value.unsqueeze(1);
  const [L, N, Eq] = q.shape as [number, number, number];
  if (Eq !== E) throw new ShapeError(`${fn}: was expecting embedding dimension of ${E}, but got ${Eq} (query ${fmtShape(query.shape)})`);
  if (k.shape[0] !== v.shape[0] || k.shape[1] !== N || v.shape[1] !== N) {
    throw new ShapeError(`${fn}: key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)} must share their sequence length and batch size with query ${fmtShape(query.shape)}`);
  }
  const dtype = q.dtype;
  let attnMask = floatMask(fn, 'attnMask', opts.attnMask, dtype);
  let kpm = floatMask(fn, 'keyPaddingMask', opts.keyPaddingMask, dtype);
  if (kpm !== null && !batched) kpm = kpm.unsqueeze(0);

  // Input projections.
  const bq = inProjBias ? inProjBias.narrow(0, 0, E) : null;
  const bk = inProjBias ? inProjBias.narrow(0, E, E) : null;
  const bv = inProjBias ? inProjBias.narrow(0, 2 * E, E) : null;
  if (opts.useSeparateProjWeight) {
    if (!opts.qProjWeight || !opts.kProjWeight || !opts.vProjWeight) throw new ValueError(`${fn}: useSeparateProjWeight is true but qProjWeight, kProjWeight or vProjWeight is missing`);
    q = linear(q, opts.qProjWeight, bq);
    k = linear(k, opts.kProjWeight, bk);
    v = linear(v, opts.vProjWeight, bv);
  } else {
    if (!inProjWeight) throw new ValueError(`${fn}: useSeparateProjWeight is false but inProjWeight is null`);
    q = linear(q, inProjWeight.narrow(0, 0, E), bq);
    k = linear(k, inProjWeight.narrow(0, E, E), bk);
    v = linear(v, inProjWeight.narrow(0, 2 * E, E), bv);
  }
  if (biasK && biasV) {
    if (opts.staticK || opts.staticV) throw new ValueError(`${fn}: bias cannot be added to static key or value`);
    k = cat([k, biasK.expand(1, N, E)]);
    v = cat([v, biasV.expand(1, N, E)]);
    if (attnMask) attnMask = pad(attnMask, [0, 1]);
    if (kpm) kpm = pad(kpm, [0, 1]);
  } else if (biasK || biasV) {
    throw new ValueError(`${fn}: bias_k and bias_v must both be given or both be null`);
  }
  // [L, N, E] -> [N * H, L, hd]
  q = q.reshape(L, N * H, hd).transpose(0, 1);
  k = opts.staticK ?? k.reshape(k.shape[0]!, N * H, hd).transpose(0, 1);
  v = opts.staticV ?? v.reshape(v.shape[0]!, N * H, hd).transpose(0, 1);
  for (const [name, s] of [['staticK', opts.staticK], ['staticV', opts.staticV]] as const) {
    if (s && (s.ndim !== 3 || s.shape[0] !== N * H || s.shape[2] !== hd)) throw new ShapeError(`${fn}: expecting ${name} of shape [${N * H}, S, ${hd}], but got ${fmtShape(s.shape)}`);
  }
  if (addZeroAttn) {
    k = cat([k, zeros([N * H, 1, hd], { dtype, device: q.device })], 1);
    v = cat([v, zeros([N * H, 1, hd], { dtype, device: q.device })], 1);
    if (attnMask) attnMask = pad(attnMask, [0, 1]);
    if (kpm) kpm = pad(kpm, [0, 1]);
  }
  const S = k.shape[1]!;
  if (attnMask === null && opts.isCausal) {
    attnMask = floatMask(fn, 'causal mask', full([L, S], true, { dtype: 'bool', device: q.device }).triu(1), dtype);
  }
  if (attnMask !== null) {
    const ok = (attnMask.ndim === 2 && attnMask.shape[0] === L && attnMask.shape[1] === S) ||
      (attnMask.ndim === 3 && attnMask.shape[0] === N * H && attnMask.shape[1] === L && attnMask.shape[2] === S);
    if (!ok) throw new ShapeError(`${fn}: The shape of the attn_mask is ${fmtShape(attnMask.shape)}, but should be [${L}, ${S}] or [${N * H}, ${L}, ${S}].`);
  }
  if (kpm !== null) {
    if (kpm.ndim !== 2 || kpm.shape[0] !== N || kpm.shape[1] !== S) {
      throw new ShapeError(`${fn}: expected key_padding_mask of shape [${N}, ${S}], got ${fmtShape(kpm.shape)}`);
    }
    const m = kpm.reshape(N, 1, 1, S).expand(N, H, 1, S).reshape(N * H, 1, S);
    attnMask = attnMask === null ? m : attnMask.add(m);
  }

  let scores = q.mul(1 / Math.sqrt(hd)).matmul(k.transpose(1, 2));
  if (attnMask !== null) scores = scores.add(attnMask);
  let weights = softmax(scores, -1);
  if (dropoutP > 0 && (opts.training ?? true)) weights = dropout(weights, dropoutP, true);
  let out = weights.matmul(v); // [N * H, L, hd]
  out = out.transpose(0, 1).reshape(L * N, E);
  out = linear(out, outProjWeight, outProjBias).reshape(L, N, E);
  if (!batched) out = out.squeeze(1);
  if (!(opts.needWeights ?? true)) return [out, null];
  let w = weights.reshape(N, H, L, S);
  if (opts.averageAttnWeights ?? true) w = w.mean(1);
  if (!batched) w = w.squeeze(0);
  return [out, w];
}

/**
 * Multi-head attention on sequence-first query [L, N, E], key [S, N, kdim], value [S, N, vdim]
 * (or unbatched [L, E] ...) with PyTorch's positional parameters; returns `[output, weights | null]`,
 * weights [N, L, S] averaged over heads. nn.MultiheadAttention is this function on its parameters.
 * @example
 * const [out, w] = torch.multiHeadAttentionForward(x, x, x, 8, 2, mha.in_proj_weight, mha.in_proj_bias, null, null,
 *   false, 0, mha.out_proj.weight, mha.out_proj.bias, { training: false });
 */
export function multiHeadAttentionForward(
  query: Tensor, key: Tensor, value: Tensor, embedDimToCheck: number, numHeads: number, inProjWeight: Tensor | null, inProjBias: Tensor | null,
  biasK: Tensor | null, biasV: Tensor | null, addZeroAttn: boolean, dropoutP: number, outProjWeight: Tensor, outProjBias: Tensor | null,
  opts: MultiHeadAttentionForwardOptions = {},
): [Tensor, Tensor | null] {
  const fn = 'multiHeadAttentionForward()';
  checkOptions(fn, opts, [
    'training', 'keyPaddingMask', 'needWeights', 'attnMask', 'useSeparateProjWeight', 'qProjWeight', 'kProjWeight', 'vProjWeight', 'staticK', 'staticV',
    'averageAttnWeights', 'isCausal',
  ]);
  return mhaForward(fn, query, key, value, embedDimToCheck, numHeads, inProjWeight, inProjBias, biasK, biasV, addZeroAttn, dropoutP, outProjWeight, outProjBias, opts);
}
