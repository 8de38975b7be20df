// Moving a value between devices (PyTorch's `to(device)`, JAX's device_put) as a primitive, so that it is
// differentiable and batchable like any other op: the gradient goes back to the source device, a
// tangent moves along, and under vmap the whole batch moves at once.
import { checkDeviceDType, type Device } from '../backend/index.js';
import { deviceOf, moveTo } from './concrete.js';
import { bind, definePrimitive, type Primitive } from './primitive.js';
import type { Tensor } from './value.js';

/** Where a devicePut moves its input, and where it came from (the gradient goes back there). */
export interface DevicePutParams {
  /** The destination device. */
  device: Device;
  /** The source device. */
  from: Device;
}

export const devicePutP: Primitive<DevicePutParams> = definePrimitive<DevicePutParams>({
  name: 'devicePut',
  abstract: ([x], { device }) => {
    checkDeviceDType('to', device, x!.dtype);
    return { shape: x!.shape, dtype: x!.dtype };
  },
  impl: ([x], { device }) => moveTo(x!, device),
  vjp: (g, _x, _out, { from }) => [devicePut(g, from)],
  jvp: ([t], _x, _out, { device }) => (t ? devicePut(t, device) : null),
  batch: ([x], [bd], params) => [bind(devicePutP, [x!], params), bd!],
});

/** x on `device`: the same tensor when it already is there (as PyTorch's `to`), else a differentiable copy. */
export function devicePut(x: Tensor, device: Device, from: Device = deviceOf(x)): Tensor {
  return from === device ? x : bind(devicePutP, [x], { device, from });
}

