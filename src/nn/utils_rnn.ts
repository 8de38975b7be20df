// nn.utils.rnn (torch/nn/utils/rnn.py): padSequence / unpadSequence and PyTorch's PackedSequence with
// packPaddedSequence / padPackedSequence / packSequence / unpackSequence, built from gathers so
// gradients flow through them. torchfn's RNN, LSTM and GRU take variable-length batches as the padded
// tensor plus `{ lengths }` (the same result as running PyTorch's RNN on a PackedSequence), so a packed
// batch goes in as `const [x, lengths] = padPackedSequence(packed); rnn.call(x, null, { lengths })`.
import { checkOptions } from '../core/options.js';
import { ShapeError, ValueError, fmtShape, fmtValue } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import { tensor, zeros } from '../ops/creation.js';
import { cat, stack } from '../ops/shape.js';

/**
 * A batch of variable-length sequences packed time step by time step (PyTorch's PackedSequence):
 * `data` holds, for t = 0, 1, ..., the step-t entries of the batchSizes[t] sequences still running,
 * longest sequences first.
 * @example const packed = nn.utils.rnn.packPaddedSequence(x, [3, 2], { enforceSorted: false }); packed.batchSizes // [2, 2, 1]
 */
export class PackedSequence {
  /**
   * @param data [Σ lengths, *] the packed entries.
   * @param batchSizes int32 [T]: how many sequences run at each step.
   * @param sortedIndices int32 [B]: the batch order by decreasing length (null when already sorted).
   * @param unsortedIndices int32 [B]: its inverse permutation (null when already sorted).
   */
  constructor(
    readonly data: Tensor,
    readonly batchSizes: Tensor,
    readonly sortedIndices: Tensor | null = null,
    readonly unsortedIndices: Tensor | null = null,
  ) {}
}

// The order packSequence chose, kept on the host so that unpacking a sequence on a device that cannot be
// read synchronously (webgpu) needs no read.
const hostOrder = new WeakMap<Tensor, number[]>();
const ints = (t: Tensor | null): number[] | null => (t === null ? null : hostOrder.get(t) ?? Array.from(t.toArray() as ArrayLike<number>));

function lengthList(fn: string, lengths: Tensor | readonly number[]): number[] {
  const list = lengths instanceof Tensor ? Array.from(lengths.toArray() as ArrayLike<number>) : Array.isArray(lengths) ? [...lengths] : null;
  if (list === null || list.some((v) => !Number.isInteger(v))) throw new ValueError(`${fn}(): lengths must be integers (an array or a tensor), got ${fmtValue(lengths)}`);
  return list;
}

/** Options of padSequence. */
export interface PadSequenceOptions {
  /** Output [B, T, *] instead of [T, B, *] (default false). */
  batchFirst?: boolean;
  /** The value of padded positions (default 0). */
  paddingValue?: number;
}

/**
 * Stacks sequences [L_i, *] into one padded tensor [T, B, *] (T the longest length; [B, T, *] with batchFirst).
 * @example nn.utils.rnn.padSequence([torch.ones([3, 2]), torch.ones([1, 2])]).shape // [3, 2, 2]
 */
export function padSequence(sequences: Tensor[], opts: PadSequenceOptions = {}): Tensor {
  const fn = 'padSequence';
  checkOptions(`${fn}()`, opts, ['batchFirst', 'paddingValue']);
  if (!Array.isArray(sequences) || sequences.length === 0) throw new ValueError(`${fn}(): expected a non-empty array of tensors`);
  sequences.forEach((s, i) => {
    if (!(s instanceof Tensor)) throw new ValueError(`${fn}(): sequences[${i}] is not a Tensor`);
    if (s.ndim < 1) throw new ShapeError(`${fn}(): sequences[${i}] must have a time dim, got a 0-d tensor`);
    if (fmtShape(s.shape.slice(1)) !== fmtShape(sequences[0]!.shape.slice(1))) {
      throw new ShapeError(`${fn}(): sequences[${i}] has trailing shape ${fmtShape(s.shape.slice(1))}, sequences[0] ${fmtShape(sequences[0]!.shape.slice(1))}`);
    }
  });
  const T = Math.max(...sequences.map((s) => s.shape[0]!));
  const value = opts.paddingValue ?? 0;
  const padded = sequences.map((s) => {
    const missing = T - s.shape[0]!;
    if (missing === 0) return s;
    return cat([s, zeros([missing, ...s.shape.slice(1)], { dtype: s.dtype, device: s.device }).add(value)], 0);
  });
  return stack(padded, opts.batchFirst ? 0 : 1);
}

/**
 * The sequences of a padded batch, each cut to its length: padSequence's inverse.
 * @example const [a, b] = nn.utils.rnn.unpadSequence(padded, [3, 1]);
 */
export function unpadSequence(padded: Tensor, lengths: Tensor | readonly number[], opts: { batchFirst?: boolean } = {}): Tensor[] {
  checkOptions('unpadSequence()', opts, ['batchFirst']);
  const lens = lengthList('unpadSequence', lengths);
  const x = opts.batchFirst ? padded : padded.transpose(0, 1);
  return lens.map((l, i) => x.select(0, i).narrow(0, 0, l));
}

/** Options of packPaddedSequence. */
export interface PackOptions {
  /** The input is [B, T, *] instead of [T, B, *] (default false). */
  batchFirst?: boolean;
  /** Require lengths in decreasing order (default true); false sorts the batch and records the order. */
  enforceSorted?: boolean;
}

/**
 * Packs a padded batch [T, B, *] (or [B, T, *]) with the given lengths into a PackedSequence.
 * @example const packed = nn.utils.rnn.packPaddedSequence(x, [5, 3, 2]);
 */
export function packPaddedSequence(input: Tensor, lengths: Tensor | readonly number[], opts: PackOptions = {}): PackedSequence {
  const fn = 'packPaddedSequence';
  checkOptions(`${fn}()`, opts, ['batchFirst', 'enforceSorted']);
  if (!(input instanceof Tensor) || input.ndim < 2) throw new ShapeError(`${fn}(): expected a padded batch of at least 2 dims, got ${input instanceof Tensor ? fmtShape(input.shape) : fmtValue(input)}`);
  const lens = lengthList(fn, lengths);
  const x = opts.batchFirst ? input.transpose(0, 1) : input; // [T, B, *]
  const [T, B] = x.shape as [number, number];
  if (lens.length !== B) throw new ShapeError(`${fn}(): expected ${B} lengths (the batch size of ${fmtShape(input.shape)}), got ${lens.length}`);
  if (lens.some((l) => l <= 0)) throw new ValueError(`${fn}(): Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0`);
  if (lens.some((l) => l > T)) throw new ValueError(`${fn}(): lengths must be at most the sequence length ${T}, got ${lens.join(', ')}`);
  let order = lens.map((_, i) => i);
  let sorted: Tensor | null = null;
  let unsorted: Tensor | null = null;
  if (opts.enforceSorted ?? true) {
    if (lens.some((l, i) => i > 0 && l > lens[i - 1]!)) {
      throw new ValueError(
        `${fn}(): \`lengths\` array must be sorted in decreasing order when \`enforceSorted\` is true. You can pass \`enforceSorted: false\` to packPaddedSequence and/or packSequence to sidestep this requirement.`,
      );
    }
  } else {
    order = [...order].sort((a, b) => lens[b]! - lens[a]! || a - b);
    const inverse = new Array<number>(B);
    order.forEach((o, i) => (inverse[o] = i));
    sorted = tensor(order, { dtype: 'int32', device: x.device });
    unsorted = tensor(inverse, { dtype: 'int32', device: x.device });
    hostOrder.set(sorted, order);
    hostOrder.set(unsorted, inverse);
  }
  const sortedLens = order.map((o) => lens[o]!);
  const batchSizes = Array.from({ length: sortedLens[0]! }, (_, t) => sortedLens.filter((l) => l > t).length);
  // Flat row t·B + b of x for each packed entry.
  const rows: number[] = [];
  batchSizes.forEach((n, t) => {
    for (let i = 0; i < n; i++) rows.push(t * B + order[i]!);
  });
  const flat = x.reshape([T * B, ...x.shape.slice(2)]);
  const data = flat.indexSelect(0, tensor(rows, { dtype: 'int32', device: x.device }));
  // batchSizes stays on the CPU, as PyTorch keeps it: the packing is planned on the host.
  return new PackedSequence(data, tensor(batchSizes, { dtype: 'int32', device: 'cpu' }), sorted, unsorted);
}

/** Options of padPackedSequence. */
export interface PadPackedOptions {
  /** Output [B, T, *] instead of [T, B, *] (default false). */
  batchFirst?: boolean;
  /** The value of padded positions (default 0). */
  paddingValue?: number;
  /** Pad to this many steps instead of the longest length. */
  totalLength?: number | null;
}

/**
 * Unpacks a PackedSequence into `[padded, lengths]`: the padded batch [T, B, *] (original batch
 * order) and the int32 lengths [B], ready for an RNN's `{ lengths }` option.
 * @example
 * const [x, lengths] = nn.utils.rnn.padPackedSequence(packed);
 * const [out, hN] = lstm.call(x, null, { lengths });
 */
export function padPackedSequence(sequence: PackedSequence, opts: PadPackedOptions = {}): [Tensor, Tensor] {
  const fn = 'padPackedSequence';
  checkOptions(`${fn}()`, opts, ['batchFirst', 'paddingValue', 'totalLength']);
  if (!(sequence instanceof PackedSequence)) throw new ValueError(`${fn}(): expected a PackedSequence, got ${fmtValue(sequence)}`);
  const sizes = ints(sequence.batchSizes)!;
  const B = sizes[0] ?? 0;
  let T = sizes.length;
  if (opts.totalLength !== undefined && opts.totalLength !== null) {
    if (opts.totalLength < T) {
      throw new ValueError(`${fn}(): Expected total_length to be at least the length of the longest sequence input, but got total_length=${opts.totalLength} and max sequence length being ${T}`);
    }
    T = opts.totalLength;
  }
  const order = ints(sequence.sortedIndices) ?? Array.from({ length: B }, (_, i) => i);
  const data = sequence.data;
  const rest = data.shape.slice(1);
  // Row of the padded [T·B] layout for each packed entry, then a gather with one padding row at the end.
  const src = new Array<number>(T * B).fill(data.shape[0]!);
  let k = 0;
  const lengths = new Array<number>(B).fill(0);
  sizes.forEach((n, t) => {
    for (let i = 0; i < n; i++) {
      src[t * B + order[i]!] = k++;
      lengths[order[i]!] = t + 1;
    }
  });
  const withPad = cat([data, zeros([1, ...rest], { dtype: data.dtype, device: data.device }).add(opts.paddingValue ?? 0)], 0);
  let padded = withPad.indexSelect(0, tensor(src, { dtype: 'int32', device: data.device })).reshape([T, B, ...rest]);
  if (opts.batchFirst) padded = padded.transpose(0, 1);
  return [padded, tensor(lengths, { dtype: 'int32', device: 'cpu' })];
}

/**
 * Packs a list of sequences [L_i, *] (padSequence, then packPaddedSequence).
 * @example const packed = nn.utils.rnn.packSequence([a, b, c], { enforceSorted: false });
 */
export function packSequence(sequences: Tensor[], opts: { enforceSorted?: boolean } = {}): PackedSequence {
  checkOptions('packSequence()', opts, ['enforceSorted']);
  return packPaddedSequence(padSequence(sequences), sequences.map((s) => s.shape[0]!), { enforceSorted: opts.enforceSorted ?? true });
}

/**
 * The sequences of a PackedSequence, in the original batch order: packSequence's inverse.
 * @example const [a, b, c] = nn.utils.rnn.unpackSequence(packed);
 */
export function unpackSequence(packed: PackedSequence): Tensor[] {
  const [padded, lengths] = padPackedSequence(packed, { batchFirst: true });
  return unpadSequence(padded, lengths, { batchFirst: true });
}
