// torch.nn.functional.unfold (im2col: sliding blocks of [N, C, H, W] as columns [N, C·kH·kW, L]) and
// fold (col2im: the columns summed back into an image), over the unfold / fold primitives that conv2d
// and convTranspose2d already use, plus PyTorch's padding and its size checks.
import { ShapeError, fmtShape } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { lax, type Tensor } from '../../primitives/index.js';
import { floatArg, pair, type Pair } from './_util.js';

/** Options of unfold and fold (PyTorch's keyword arguments). */
export interface FoldOptions {
  /** Spacing between block elements (default 1). */
  dilation?: Pair;
  /** Implicit zero padding on both sides of H and W (default 0). */
  padding?: Pair;
  /** Step between blocks (default 1). */
  stride?: Pair;
}

function geometry(fn: string, kernelSize: Pair, opts: FoldOptions) {
  checkOptions(`${fn}()`, opts, ['dilation', 'padding', 'stride']);
  const k = pair(fn, 'kernelSize', kernelSize, [1, 1], 1);
  const d = pair(fn, 'dilation', opts.dilation, [1, 1], 1);
  const p = pair(fn, 'padding', opts.padding, [0, 0], 0);
  const s = pair(fn, 'stride', opts.stride, [1, 1], 1);
  return { k, d, p, s, g: { kh: k[0], kw: k[1], sh: s[0], sw: s[1], dh: d[0], dw: d[1] } };
}

/**
 * Sliding blocks of x [N, C, H, W] (or [C, H, W]) as columns [N, C·kH·kW, L] (im2col), L the number
 * of block positions; `fold` is its adjoint.
 * @example torch.unfold(torch.randn([1, 2, 4, 4]), 2) // [1, 8, 9]
 */
export function unfold(x: Tensor, kernelSize: Pair, opts: FoldOptions = {}): Tensor {
  const fn = 'unfold';
  const { k, d, p, s, g } = geometry(fn, kernelSize, opts);
  floatArg(fn, 'input', x);
  if (x.ndim !== 3 && x.ndim !== 4) throw new ShapeError(`${fn}(): Expected 3D or 4D (batch mode) tensor for input with possibly 0 batch size and non-zero dimensions, but got: ${fmtShape(x.shape)}`);
  const xb = x.ndim === 3 ? lax.reshape(x, [1, ...x.shape]) : x;
  const [h, w] = xb.shape.slice(2) as [number, number];
  const oh = Math.floor((h + 2 * p[0] - (d[0] * (k[0] - 1) + 1)) / s[0]) + 1;
  const ow = Math.floor((w + 2 * p[1] - (d[1] * (k[1] - 1) + 1)) / s[1]) + 1;
  if (oh < 1 || ow < 1) {
    throw new ShapeError(
      `${fn}(): Given input with spatial size (${h}, ${w}), kernel_size=(${k.join(', ')}), dilation=(${d.join(', ')}), padding=(${p.join(', ')}), calculated shape of the array of sliding blocks as (${oh}, ${ow}), but its components must be at least one.`,
    );
  }
  const xp = p[0] || p[1] ? lax.pad(xb, [[0, 0], [0, 0], [p[0], p[0]], [p[1], p[1]]], 0) : xb;
  const cols = lax.unfold(xp, g);
  return x.ndim === 3 ? lax.reshape(cols, cols.shape.slice(1)) : cols;
}

/**
 * Sums columns [N, C·kH·kW, L] (or [C·kH·kW, L]) back into an image [N, C, *outputSize] (col2im):
 * the adjoint of unfold, so `fold(unfold(x))` counts each pixel once per block holding it.
 * @example torch.fold(torch.unfold(x, 2), [4, 4], 2) // [1, 2, 4, 4]
 */
export function fold(x: Tensor, outputSize: Pair, kernelSize: Pair, opts: FoldOptions = {}): Tensor {
  const fn = 'fold';
  const { k, d, p, s, g } = geometry(fn, kernelSize, opts);
  const [h, w] = pair(fn, 'outputSize', outputSize, [1, 1], 1);
  floatArg(fn, 'input', x);
  if (x.ndim !== 2 && x.ndim !== 3) throw new ShapeError(`${fn}(): Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero dimensions, but got: ${fmtShape(x.shape)}`);
  const xb = x.ndim === 2 ? lax.reshape(x, [1, ...x.shape]) : x;
  const kk = k[0] * k[1];
  const rows = xb.shape[1]!;
  if (rows % kk !== 0) {
    throw new ShapeError(`${fn}(): Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)=${rows} and kernel_size=(${k.join(', ')})`);
  }
  const bh = Math.floor((h + 2 * p[0] - (d[0] * (k[0] - 1) + 1)) / s[0]) + 1;
  const bw = Math.floor((w + 2 * p[1] - (d[1] * (k[1] - 1) + 1)) / s[1]) + 1;
  if (bh < 1 || bw < 1 || xb.shape[2] !== bh * bw) {
    throw new ShapeError(
      `${fn}(): Given output_size=(${h}, ${w}), kernel_size=(${k.join(', ')}), dilation=(${d.join(', ')}), padding=(${p.join(', ')}), stride=(${s.join(', ')}), expected size of input's dimension 2 to match the calculated number of sliding blocks ${bh} * ${bw} = ${bh * bw}, but got input.size(2)=${xb.shape[2]}.`,
    );
  }
  let y = lax.fold(xb, rows / kk, h + 2 * p[0], w + 2 * p[1], g);
  if (p[0]) y = lax.slice(y, { dim: 2, start: p[0], end: p[0] + h, step: 1 });
  if (p[1]) y = lax.slice(y, { dim: 3, start: p[1], end: p[1] + w, step: 1 });
  return x.ndim === 2 ? lax.reshape(y, y.shape.slice(1)) : y;
}
