// Dense matmul, float32, square n×n: GFLOP/s counted as 2n³ per product.
import * as torch from '../../src/index.js';
import { jax, randomArray, tf, type Case, type Section } from '../harness.js';

/** threads: torchfn's thread count for this row (null: the default, all cores); the peers run as always. */
export function matmulCase(n: number, threads: number | null = null): Case {
  const flops = 2 * n ** 3;
  return {
    name: `matmul ${n}×${n} float32${threads === null ? '' : `, torchfn on ${threads} thread${threads > 1 ? 's' : ''}`}`,
    unit: 'GFLOP/s',
    better: 'higher',
    metric: (s) => flops / s / 1e9,
    budgetMs: n >= 1024 ? 3000 : 1500,
    setup: {
      torchfn: () => {
        torch.manualSeed(1);
        const a = torch.randn([n, n]);
        const b = torch.randn([n, n]);
        const all = torch.getNumThreads();
        return {
          run: () => {
            if (threads !== null) torch.setNumThreads(threads);
            a.matmul(b).dispose();
          },
          dispose: () => torch.setNumThreads(all),
        };
      },
      'tfjs-cpu': () => tfMatmul(n),
      'tfjs-wasm': () => tfMatmul(n),
      'jax-js': () => jaxMatmul(n),
    },
  };
}

function tfMatmul(n: number) {
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  return {
    run: () => tf.matMul(a, b).dispose(),
    dispose: () => tf.dispose([a, b]),
  };
}

function jaxMatmul(n: number) {
  const np = jax.numpy;
  const a = np.array(randomArray(n * n, 1)).reshape([n, n]);
  const b = np.array(randomArray(n * n, 2)).reshape([n, n]);
  return {
    run: async () => (await jax.blockUntilReady(np.matmul(a.ref, b.ref))).dispose(),
    dispose: () => {
      a.dispose();
      b.dispose();
    },
  };
}

export const section: Section = {
  id: 'matmul',
  title: 'matmul',
  cases: () => [...[128, 256, 512, 1024].map((n) => matmulCase(n)), matmulCase(1024, 1)],
};
