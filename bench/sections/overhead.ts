// Fixed cost of one eager op: a + b on 1-element float32 tensors, in µs per op. torchfn results are left
// to the garbage collector (as user code would); TF.js results are disposed (as TF.js requires); jax-js
// computes lazily, so its op is awaited until ready and then disposed.
import * as torch from '../../src/index.js';
import { jax, tf, type Case, type Section } from '../harness.js';

const INNER = 2000;

const overheadCase: Case = {
  name: 'add of two 1-element tensors',
  unit: 'µs/op',
  better: 'lower',
  metric: (s) => s * 1e6,
  inner: INNER,
  setup: {
    torchfn: () => {
      const a = torch.tensor([1.5]);
      const b = torch.tensor([2.5]);
      return { run: () => void a.add(b) };
    },
    'tfjs-cpu': tfAdd,
    'tfjs-wasm': tfAdd,
    'jax-js': () => {
      const np = jax.numpy;
      const a = np.array(new Float32Array([1.5]));
      const b = np.array(new Float32Array([2.5]));
      return {
        run: async () => (await jax.blockUntilReady(np.add(a.ref, b.ref))).dispose(),
        dispose: () => {
          a.dispose();
          b.dispose();
        },
      };
    },
  },
};

function tfAdd() {
  const a = tf.tensor1d([1.5]);
  const b = tf.tensor1d([2.5]);
  return { run: () => tf.add(a, b).dispose(), dispose: () => tf.dispose([a, b]) };
}

export const section: Section = { id: 'overhead', title: 'per-op overhead', cases: () => [overheadCase] };
