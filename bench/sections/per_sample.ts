// Per-sample gradients of an MLP 784→128→10 (ReLU, softmax cross-entropy): the gradient of each
// example's loss w.r.t. all 101,770 parameters, stacked to [B, ...] per parameter, in ms per batch.
// torchfn computes them with vmap(grad(loss)) (one batched pass), and also with a loop of grad over
// the examples, the only way TensorFlow.js has (no vmap): a loop of tf.grads per example, stacked.
// Rows: "vmap" puts torchfn's vmap beside TF.js's loop; "loop" puts the three loops side by side.
// All engines start from the same weights and data; the results are compared once per batch size
// (torchfn vmap vs loop, and torchfn vs each TF.js backend on the first examples).
import * as torch from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { jax, tf, type Case, type Row, type Section } from '../harness.js';
import { C, D, H, mlpProblem } from './mlp.js';

const BATCHES = [64, 256];
/** Examples whose gradients are compared across engines. */
const CHECK = 4;

type P = { w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor };
const NAMES = ['w1', 'b1', 'w2', 'b2'] as const;


/** Per-batch-size results of the one-time checks, filled as the cases set up. */
const checks = new Map<number, { vmapVsLoop?: number; vsPeers: Record<string, number> }>();
/** torchfn's per-sample gradients of the first CHECK examples, flattened per parameter. */
const reference = new Map<number, Float32Array[]>();

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

function torchfnSetup(B: number, mode: 'vmap' | 'loop') {
  return () => {
    const p = mlpProblem(B, 5);
    const params: P = {
      w1: torch.tensor(p.w1, { shape: [D, H] }),
      b1: torch.tensor(p.b1),
      w2: torch.tensor(p.w2, { shape: [H, C] }),
      b2: torch.tensor(p.b2),
    };
    const x = torch.tensor(p.x, { shape: [B, D] });
    const y = torch.tensor(p.y);
    // One example's loss: x_i [784], y_i a 0-d label.
    const lossOne = (q: P, xi: Tensor, yi: Tensor) =>
      torch.crossEntropy(xi.unsqueeze(0).matmul(q.w1).add(q.b1).relu().matmul(q.w2).add(q.b2), yi.unsqueeze(0));
    const perSample = torch.func.vmap(torch.func.grad(lossOne), { inDims: [null, 0, 0] });
    const gradOne = torch.func.grad(lossOne);
    const vmapRun = () => perSample(params, x, y) as P;
    const loopRun = (): P => {
      const gs: P[] = [];
      for (let i = 0; i < B; i++) gs.push(gradOne(params, x.index(i), y.index(i)) as P);
      return Object.fromEntries(NAMES.map((k) => [k, torch.stack(gs.map((g) => g[k]))])) as P;
    };
    if (mode === 'vmap') {
      // Once: vmap against the loop (all examples), and keep the first examples for the TF.js checks.
      const a = vmapRun();
      const b = loopRun();
      const d = Math.max(...NAMES.map((k) => a[k].sub(b[k]).abs().max().item()));
      checks.set(B, { vmapVsLoop: d, vsPeers: {} });
      reference.set(B, NAMES.map((k) => a[k].index(`:${CHECK}`).contiguous().toArray() as Float32Array));
      if (!(d < 1e-5)) throw new Error(`vmap and loop per-sample gradients differ by ${d}`);
    }
    const run = mode === 'vmap' ? vmapRun : loopRun;
    return {
      run() {
        const g = run();
        for (const k of NAMES) g[k].dispose();
      },
    };
  };
}

export function tfjsSetup(B: number, engine: 'tfjs-cpu' | 'tfjs-wasm' | 'tfjs-webgpu', check: boolean) {
  return () => {
    const p = mlpProblem(B, 5);
    const w1 = tf.tensor2d(p.w1, [D, H]);
    const b1 = tf.tensor1d(p.b1);
    const w2 = tf.tensor2d(p.w2, [H, C]);
    const b2 = tf.tensor1d(p.b2);
    const x = tf.tensor2d(p.x, [B, D]);
    const onehot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(p.y, 'int32'), C), 'float32'));
    const params = [w1, b1, w2, b2];
    // A loop of tf.grads, one example at a time, the per-parameter results stacked to [B, ...].
    const perSample = (): tf.Tensor[] =>
      tf.tidy(() => {
        const per: tf.Tensor[][] = [[], [], [], []];
        for (let i = 0; i < B; i++) {
          const xi = tf.slice(x, [i, 0], [1, D]);
          const oi = tf.slice(onehot, [i, 0], [1, C]);
          const lossOne = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => {
            const logits = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(xi, a), b)), c), d);
            return tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), oi))) as tf.Scalar;
          };
          tf.grads(lossOne)(params).forEach((g, k) => per[k]!.push(g));
        }
        return per.map((gs) => tf.stack(gs));
      });
    if (check) {
      const ref = reference.get(B);
      const got = perSample();
      if (ref) {
        const d = Math.max(...got.map((g, k) => maxAbsDiff(tf.tidy(() => tf.slice(g, 0, CHECK)).dataSync(), ref[k]!)));
        checks.get(B)!.vsPeers[engine] = d;
      }
      tf.dispose(got);
    }
    return {
      run: () => tf.dispose(perSample()),
      dispose: () => tf.dispose([...params, x, onehot]),
    };
  };
}

/**
 * jax-js: its idiomatic way for the vmap row, jit(vmap(grad(loss))); for the loop row, a loop of
 * jit(grad(loss)) over the examples, stacked. Lazy results are awaited until ready.
 */
export function jaxSetup(B: number, mode: 'vmap' | 'loop') {
  return async () => {
    const np = jax.numpy;
    const p = mlpProblem(B, 5);
    const arr = (a: Float32Array) => np.array(new Float32Array(a));
    type P = { w1: jax.Array; b1: jax.Array; w2: jax.Array; b2: jax.Array };
    const params: P = { w1: arr(p.w1).reshape([D, H]), b1: arr(p.b1), w2: arr(p.w2).reshape([H, C]), b2: arr(p.b2) };
    const x = arr(p.x).reshape([B, D]);
    const oh = new Float32Array(B * C);
    p.y.forEach((c, i) => (oh[i * C + c] = 1));
    const onehot = np.array(oh).reshape([B, C]);
    const lossOne = (q: P, xi: jax.Array, yi: jax.Array) => {
      const logits = np.matmul(jax.nn.relu(np.matmul(xi, q.w1).add(q.b1)), q.w2).add(q.b2);
      return jax.nn.logSoftmax(logits).mul(yi).sum().mul(-1);
    };
    const refs = () => jax.tree.map((a: jax.Array) => a.ref, params) as P;
    const perSample = jax.jit(jax.vmap(jax.grad(lossOne), [null, 0, 0]));
    const gradOne = jax.jit(jax.grad(lossOne));
    const compute = (): P => {
      if (mode === 'vmap') return perSample(refs(), x.ref, onehot.ref) as P;
      const per: P[] = [];
      for (let i = 0; i < B; i++) per.push(gradOne(refs(), x.ref.slice(i), onehot.ref.slice(i)) as P);
      return Object.fromEntries(NAMES.map((k) => [k, np.stack(per.map((g) => g[k]))])) as P;
    };
    if (mode === 'vmap') {
      const ref = reference.get(B);
      const got = compute();
      if (ref) {
        const firsts = await Promise.all(NAMES.map((k) => got[k].slice([0, CHECK]).data()));
        const d = Math.max(...firsts.map((g, j) => maxAbsDiff(g, ref[j]!)));
        checks.get(B)!.vsPeers['jax-js'] = d;
      } else jax.tree.dispose(got);
    }
    return {
      run: async () => jax.tree.dispose(await jax.blockUntilReady(compute())),
      dispose: () => {
        jax.tree.dispose(params);
        x.dispose();
        onehot.dispose();
      },
    };
  };
}

function perSampleCase(B: number, mode: 'vmap' | 'loop'): Case {
  return {
    name:
      mode === 'vmap'
        ? `per-sample grads, MLP ${D}→${H}→${C}, batch ${B}: vmap(grad) (torchfn; jax-js jit) vs TF.js loop`
        : `per-sample grads, MLP ${D}→${H}→${C}, batch ${B}: loop of grad, every engine`,
    unit: 'ms/batch',
    better: 'lower',
    metric: (s) => s * 1e3,
    budgetMs: B >= 256 ? 3000 : 2000,
    setup: {
      torchfn: torchfnSetup(B, mode),
      'tfjs-cpu': tfjsSetup(B, 'tfjs-cpu', mode === 'vmap'),
      'tfjs-wasm': tfjsSetup(B, 'tfjs-wasm', mode === 'vmap'),
      'jax-js': jaxSetup(B, mode),
    },
  };
}

/** Lines for under the table: torchfn's vmap/loop speed-up per batch size, and the checks. */
export function notes(rows: Row[]): string[] {
  const out: string[] = [];
  for (const B of BATCHES) {
    const cell = (mode: 'vmap' | 'loop') => rows.find((r) => r.c.name === perSampleCase(B, mode).name)?.cells.torchfn;
    const v = cell('vmap');
    const l = cell('loop');
    const c = checks.get(B);
    if (!v && !l && !c) continue;
    const parts: string[] = [];
    if (v && l && !('na' in v) && !('na' in l)) {
      parts.push(`torchfn vmap(grad) ${v.value.toPrecision(3)} ms vs loop of grad ${l.value.toPrecision(3)} ms: ${(l.value / v.value).toFixed(1)}× faster with vmap`);
    }
    if (c?.vmapVsLoop !== undefined) parts.push(`max |vmap − loop| ${c.vmapVsLoop.toExponential(1)}`);
    for (const [e, d] of Object.entries(c?.vsPeers ?? {})) parts.push(`max |torchfn − ${e}| ${d.toExponential(1)} (first ${CHECK} examples)`);
    out.push(`Per-sample grads, batch ${B}: ${parts.join('; ')}`);
  }
  return out;
}

export const section: Section = {
  id: 'per_sample',
  title: 'per-sample gradients',
  cases: () => BATCHES.flatMap((B) => [perSampleCase(B, 'vmap'), perSampleCase(B, 'loop')]),
};
