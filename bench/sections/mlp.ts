// One training step of an MLP 784→128→10 (ReLU, softmax cross-entropy, batch 256): forward, backward and a
// plain SGD update, in ms. Both libraries start from the same weights and data; the first loss is
// compared as a sanity check that they compute the same thing.
import * as torch from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { jax, tf, type Case, type Section } from '../harness.js';

const B = 256;
export const D = 784;
export const H = 128;
export const C = 10;
const LR = 0.1;

/**
 * Initial weights and data of the 784→128→10 MLP (PyTorch nn.Linear-style uniform init), as plain
 * arrays every engine starts from.
 */
export function mlpProblem(batch = B, seed = 3) {
  torch.manualSeed(seed);
  // Drawn on the CPU whatever the default device, so that every engine and device starts alike.
  const cpu = { device: 'cpu' } as const;
  const u = (shape: number[], fanIn: number) =>
    torch.rand(shape, cpu).mul(2 / Math.sqrt(fanIn)).sub(1 / Math.sqrt(fanIn)).toArray() as Float32Array;
  return {
    w1: u([D, H], D),
    b1: u([H], D),
    w2: u([H, C], H),
    b2: u([C], H),
    x: torch.randn([batch, D], cpu).toArray() as Float32Array,
    y: torch.randint(0, C, [batch], cpu).toArray() as Int32Array,
  };
}

let firstLoss: Partial<Record<string, number>> = {};

function torchfnStep(): { run(): void } {
  const p = mlpProblem();
  const w1 = torch.tensor(p.w1, { shape: [D, H] }).requiresGrad_();
  const b1 = torch.tensor(p.b1).requiresGrad_();
  const w2 = torch.tensor(p.w2, { shape: [H, C] }).requiresGrad_();
  const b2 = torch.tensor(p.b2).requiresGrad_();
  const params = [w1, b1, w2, b2];
  const x = torch.tensor(p.x, { shape: [B, D] });
  const y = torch.tensor(p.y).unsqueeze(1); // [B, 1] int32
  const lossFn = (): Tensor => {
    const logits = x.matmul(w1).add(b1).relu().matmul(w2).add(b2);
    return logits.logSoftmax(1).gather(1, y).mean().neg();
  };
  firstLoss.torchfn = lossFn().item();
  return {
    run() {
      const loss = lossFn();
      loss.backward();
      torch.noGrad(() => {
        for (const q of params) {
          q.sub_(q.grad!, { alpha: LR });
          q.grad = null;
        }
      });
    },
  };
}

export function tfjsStep(engine: string) {
  return async () => {
    const p = mlpProblem();
    const w1 = tf.variable(tf.tensor2d(p.w1, [D, H]), true, `w1_${engine}`);
    const b1 = tf.variable(tf.tensor1d(p.b1), true, `b1_${engine}`);
    const w2 = tf.variable(tf.tensor2d(p.w2, [H, C]), true, `w2_${engine}`);
    const b2 = tf.variable(tf.tensor1d(p.b2), true, `b2_${engine}`);
    const vars = [w1, b1, w2, b2];
    const x = tf.tensor2d(p.x, [B, D]);
    const onehot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(p.y, 'int32'), C), 'float32'));
    const lossFn = () => {
      const logits = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2);
      return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), onehot), 1))) as tf.Scalar;
    };
    const first = tf.tidy(lossFn);
    firstLoss[engine] = (await first.data())[0]!;
    first.dispose();
    return {
      run() {
        tf.tidy(() => {
          const { grads } = tf.variableGrads(lossFn, vars);
          for (const v of vars) v.assign(tf.sub(v, tf.mul(grads[v.name]!, LR)));
        });
      },
      dispose: () => tf.dispose([...vars, x, onehot]),
    };
  };
}

/** jax-js's idiomatic step: jit(valueAndGrad) of the loss, params replaced by p - lr·g, awaited. */
export async function jaxStepSetup() {
  const np = jax.numpy;
  const p = mlpProblem();
  const arr = (a: Float32Array) => np.array(new Float32Array(a));
  const x = arr(p.x).reshape([B, D]);
  const oh = new Float32Array(B * C);
  p.y.forEach((c, i) => (oh[i * C + c] = 1));
  const onehot = np.array(oh).reshape([B, C]);
  type P = { w1: jax.Array; b1: jax.Array; w2: jax.Array; b2: jax.Array };
  let params: P = { w1: arr(p.w1).reshape([D, H]), b1: arr(p.b1), w2: arr(p.w2).reshape([H, C]), b2: arr(p.b2) };
  const lossFn = (q: P, xb: jax.Array, yb: jax.Array) => {
    const logits = np.matmul(jax.nn.relu(np.matmul(xb, q.w1).add(q.b1)), q.w2).add(q.b2);
    return jax.nn.logSoftmax(logits).mul(yb).sum(1).mean().mul(-1);
  };
  const step = jax.jit((q: P, xb: jax.Array, yb: jax.Array) => {
    const [loss, g] = jax.valueAndGrad(lossFn)(jax.tree.map((a: jax.Array) => a.ref, q) as P, xb, yb);
    const gp = g as P;
    return [loss, { w1: q.w1.sub(gp.w1.mul(LR)), b1: q.b1.sub(gp.b1.mul(LR)), w2: q.w2.sub(gp.w2.mul(LR)), b2: q.b2.sub(gp.b2.mul(LR)) }] as const;
  });
  firstLoss['jax-js'] = (await lossFn(jax.tree.map((a: jax.Array) => a.ref, params) as P, x.ref, onehot.ref).data())[0]!;
  return {
    run: async () => {
      const [loss, next] = step(params, x.ref, onehot.ref);
      params = (await jax.blockUntilReady(next)) as P;
      loss.dispose();
    },
    dispose: () => {
      jax.tree.dispose(params);
      x.dispose();
      onehot.dispose();
    },
  };
}

const mlpCase: Case = {
  name: `MLP ${D}→${H}→${C} train step, batch ${B}`,
  unit: 'ms',
  better: 'lower',
  metric: (s) => s * 1e3,
  budgetMs: 2000,
  setup: { torchfn: torchfnStep, 'tfjs-cpu': tfjsStep('tfjs-cpu'), 'tfjs-wasm': tfjsStep('tfjs-wasm'), 'jax-js': jaxStepSetup },
};

/** Initial losses seen by each engine (filled as the case runs); they should agree to ~1e-5. */
export const initialLosses = () => firstLoss;
export const resetInitialLosses = () => void (firstLoss = {});

export const section: Section = { id: 'mlp', title: 'MLP training step', cases: () => [mlpCase] };
