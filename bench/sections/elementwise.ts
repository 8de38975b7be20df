// A chain of elementwise ops, y = tanh(x)·2 + 1, over float32 vectors. GB/s counts only the bytes of
// the input read and the final output written (8 bytes per element); intermediates are not counted.
import * as torch from '../../src/index.js';
import { jax, randomArray, tf, type Case, type Section } from '../harness.js';

export function elementwiseCase(n: number, label: string): Case {
  return {
    name: `tanh(x)·2+1, ${label} float32`,
    unit: 'GB/s',
    better: 'higher',
    metric: (s) => (8 * n) / s / 1e9,
    setup: {
      torchfn: () => {
        torch.manualSeed(2);
        const x = torch.randn([n]);
        return { run: () => void x.tanh().mul(2).add(1).dispose() };
      },
      'tfjs-cpu': () => tfChain(n),
      'tfjs-wasm': () => tfChain(n),
      'jax-js': () => {
        const np = jax.numpy;
        const x = np.array(randomArray(n, 3));
        return {
          run: async () => (await jax.blockUntilReady(np.tanh(x.ref).mul(2).add(1))).dispose(),
          dispose: () => x.dispose(),
        };
      },
    },
  };
}

function tfChain(n: number) {
  const x = tf.randomNormal([n], 0, 1, 'float32', 3);
  return {
    run: () => tf.tidy(() => tf.add(tf.mul(tf.tanh(x), 2), 1)).dispose(),
    dispose: () => x.dispose(),
  };
}

export const section: Section = {
  id: 'elementwise',
  title: 'elementwise chain',
  cases: () => [elementwiseCase(1e6, '1e6'), elementwiseCase(1e7, '1e7')],
};
