// linear and bilinear (torch.nn.functional), as matmuls over the flattened leading dims.
import { ShapeError, fmtShape } from '../../core/errors.js';
import { numel } from '../../core/shape.js';
import { Tensor, lax } from '../../primitives/index.js';
import { floatArg, optArg, sameDType } from './_util.js';

/**
 * y = x W^T + b, for x [*, in], weight [out, in] (or [in], giving [*]) and bias [out].
 * @example
 * const y = torch.linear(torch.randn([8, 4]), torch.randn([3, 4]), torch.zeros([3])); // [8, 3]
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const fn = 'linear';
  floatArg(fn, 'input', x);
  floatArg(fn, 'weight', weight);
  sameDType(fn, ['input', 'weight'], x, weight);
  const b = optArg(fn, 'bias', bias, x.dtype);
  if (weight.ndim !== 1 && weight.ndim !== 2) throw new ShapeError(`linear(): expected weight to be 1-D or 2-D, got ${fmtShape(weight.shape)}`);
  if (x.ndim === 0) throw new ShapeError('linear(): expected input to have at least 1 dimension, got a 0-D tensor');
  const inF = x.shape[x.ndim - 1]!;
  const wIn = weight.shape[weight.ndim - 1]!;
  const lead = x.shape.slice(0, -1);
  const m = numel(lead);
  if (inF !== wIn) {
    throw new ShapeError(
      `linear(): input and weight.T shapes cannot be multiplied (${m}x${inF} and ${wIn}x${weight.ndim === 2 ? weight.shape[0] : 1}); input ${fmtShape(x.shape)}, weight ${fmtShape(weight.shape)}`,
    );
  }
  const out = weight.ndim === 2 ? weight.shape[0]! : 1;
  const outShape = weight.ndim === 2 ? [...lead, out] : lead;
  if (b !== null && !(numel(b.shape) === out && b.ndim <= 1) && !(b.ndim === 0 && weight.ndim === 1)) {
    throw new ShapeError(`linear(): expected bias of shape [${out}] for weight ${fmtShape(weight.shape)}, got ${fmtShape(b.shape)}`);
  }
  const w2 = weight.ndim === 2 ? weight : lax.reshape(weight, [1, wIn]);
  let y = lax.matmul(lax.reshape(x, [m, inF]), lax.mT(w2));
  if (b !== null) y = lax.add(y, lax.reshape(b, [1, out]));
  return lax.reshape(y, outShape);
}

/**
 * y_k = x1^T A_k x2 + b_k, for x1 [*, in1], x2 [*, in2], weight [out, in1, in2] and bias [out].
 * @example
 * const y = torch.bilinear(torch.randn([5, 2]), torch.randn([5, 3]), torch.randn([4, 2, 3])); // [5, 4]
 */
export function bilinear(x1: Tensor, x2: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const fn = 'bilinear';
  floatArg(fn, 'input1', x1);
  floatArg(fn, 'input2', x2);
  floatArg(fn, 'weight', weight);
  sameDType(fn, ['input1', 'weight'], x1, weight);
  sameDType(fn, ['input2', 'weight'], x2, weight);
  const b = optArg(fn, 'bias', bias, weight.dtype);
  if (weight.ndim !== 3) throw new ShapeError(`bilinear(): expected weight to be 3-D [out, in1, in2], got ${fmtShape(weight.shape)}`);
  const [out, in1, in2] = weight.shape as [number, number, number];
  if (x1.ndim === 0 || x1.ndim !== x2.ndim || x1.shape.slice(0, -1).some((d, i) => d !== x2.shape[i])) {
    throw new ShapeError(`bilinear(): input1 and input2 must have the same size except for the last dimension, but got ${fmtShape(x1.shape)} and ${fmtShape(x2.shape)}`);
  }
  if (x1.shape[x1.ndim - 1] !== in1) {
    throw new ShapeError(`bilinear(): input1 size does not match weight size: got ${x1.shape[x1.ndim - 1]} but expected ${in1} (input1 ${fmtShape(x1.shape)}, weight ${fmtShape(weight.shape)})`);
  }
  if (x2.shape[x2.ndim - 1] !== in2) {
    throw new ShapeError(`bilinear(): input2 size does not match weight size: got ${x2.shape[x2.ndim - 1]} but expected ${in2} (input2 ${fmtShape(x2.shape)}, weight ${fmtShape(weight.shape)})`);
  }
  if (b !== null && (b.ndim !== 1 || b.shape[0] !== out)) {
    throw new ShapeError(`bilinear(): bias size does not match weight size: got ${fmtShape(b.shape)} but expected [${out}]`);
  }
  const lead = x1.shape.slice(0, -1);
  const m = numel(lead);
  // t[m, o*in2] = x1 [m, in1] @ W' [in1, o*in2];  y[m, o] = t[m, o, in2] @ x2[m, in2, 1].
  const wp = lax.reshape(lax.permute(weight, [1, 0, 2]), [in1, out * in2]);
  const t = lax.reshape(lax.matmul(lax.reshape(x1, [m, in1]), wp), [m, out, in2]);
  let y = lax.reshape(lax.matmul(t, lax.reshape(x2, [m, in2, 1])), [m, out]);
  if (b !== null) y = lax.add(y, lax.reshape(b, [1, out]));
  return lax.reshape(y, [...lead, out]);
}
