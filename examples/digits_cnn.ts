// Shared by the hook demo sections: the 8×8 digits data set (UCI optical digits, as shipped by
// scikit-learn; examples/data/digits.json) and a small CNN trained on it with torch.optim.Adam.
// The trained model is cached, so the sections that use it train it once per `npm run demo`.
import { loadDigits as loadAllDigits } from './digits.js';
import * as torch from '../src/index.js';
import { nn, optim } from '../src/index.js';
import type { Tensor } from '../src/index.js';

export interface Digits {
  /** [N, 1, 8, 8] float32, pixel values scaled to [0, 1]. */
  xTrain: Tensor;
  yTrain: Tensor;
  xTest: Tensor;
  /** [N] int32 class labels 0..9. */
  yTest: Tensor;
}

/** A deterministic PRNG (mulberry32), for the train/test split and minibatch order. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled(n: number, rand: () => number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx;
}

let digitsCache: Digits | null = null;

/** The digits (examples/digits.ts) split 80/20 with a fixed seed. */
export function loadDigits(): Digits {
  if (digitsCache) return digitsCache;
  const { images, labels, n } = loadAllDigits();
  const order = shuffled(n, mulberry32(1234));
  const nTrain = Math.round(n * 0.8);
  const take = (ids: number[]) => {
    const idx = torch.tensor(Int32Array.from(ids));
    return [images.indexSelect(0, idx), labels.indexSelect(0, idx)] as const;
  };
  const [xTrain, yTrain] = take(order.slice(0, nTrain));
  const [xTest, yTest] = take(order.slice(nTrain));
  digitsCache = { xTrain, yTrain, xTest, yTest };
  return digitsCache;
}

/** The CNN's layers, by name (a Sequential built from a Map keeps the names, as PyTorch's OrderedDict). */
export type DigitsCNN = nn.Sequential & {
  conv1: nn.Conv2d;
  relu1: nn.ReLU;
  pool: nn.MaxPool2d;
  conv2: nn.Conv2d;
  relu2: nn.ReLU;
  gap: nn.AdaptiveAvgPool2d;
  flatten: nn.Flatten;
  fc: nn.Linear;
};

/**
 * conv1 (1→16, 3×3) → ReLU → 2×2 max-pool → conv2 (16→32, 3×3) → ReLU → global average pool →
 * flatten → Linear(32, 10) logits. The global average pool makes Grad-CAM's channel weights the
 * classifier's own (Grad-CAM reduces to CAM, Zhou et al. 2016).
 */
export function makeDigitsCNN(): DigitsCNN {
  return new nn.Sequential(
    new Map<string, nn.Module>([
      ['conv1', new nn.Conv2d(1, 16, 3, { padding: 1 })],
      ['relu1', new nn.ReLU()],
      ['pool', new nn.MaxPool2d(2)],
      ['conv2', new nn.Conv2d(16, 32, 3, { padding: 1 })],
      ['relu2', new nn.ReLU()],
      ['gap', new nn.AdaptiveAvgPool2d(1)],
      ['flatten', new nn.Flatten()],
      ['fc', new nn.Linear(32, 10)],
    ]),
  ) as DigitsCNN;
}

/** Fraction of rows of `x` the model classifies as `y` (no autograd, no hooks). */
export function accuracy(model: nn.Module, x: Tensor, y: Tensor): number {
  const pred = torch.noGrad(() => (model.forward(x) as Tensor).argmax(1));
  return pred.eq(y).float().mean().item();
}

export interface Trained {
  model: DigitsCNN;
  data: Digits;
  epochs: number;
  trainAcc: number;
  testAcc: number;
  seconds: number;
}

let trainedCache: Trained | null = null;

/**
 * The CNN trained for a few epochs of minibatch Adam (batch 32, lr 1e-2, seed 0); cached after the
 * first call. `log` receives one line per epoch.
 */
export function trainedDigitsCNN(log: (line: string) => void = () => {}): Trained {
  if (trainedCache) {
    log(`  (reusing the CNN trained earlier in this run: test accuracy ${(trainedCache.testAcc * 100).toFixed(1)}%)`);
    return trainedCache;
  }
  const data = loadDigits();
  torch.manualSeed(0);
  const model = makeDigitsCNN();
  const nParams = model.parameters().reduce((s, p) => s + p.numel(), 0);
  const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });
  const epochs = 12;
  const batch = 32;
  const n = data.xTrain.size(0);
  const rand = mulberry32(7);
  log(`  CNN ${nParams} parameters; ${n} training / ${data.xTest.size(0)} test digits; Adam lr 1e-2, batch ${batch}, ${epochs} epochs`);
  const t0 = performance.now();
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = shuffled(n, rand);
    let lossSum = 0;
    let batches = 0;
    for (let s = 0; s < n; s += batch) {
      const ids = torch.tensor(order.slice(s, s + batch), { dtype: 'int32' });
      const xb = data.xTrain.indexSelect(0, ids);
      const yb = data.yTrain.indexSelect(0, ids);
      const loss = torch.crossEntropy(model.call(xb), yb);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      lossSum += loss.item();
      batches++;
    }
    log(`  epoch ${epoch}  mean train loss ${(lossSum / batches).toFixed(4)}  test accuracy ${(accuracy(model, data.xTest, data.yTest) * 100).toFixed(1)}%`);
  }
  const seconds = (performance.now() - t0) / 1000;
  model.eval();
  trainedCache = {
    model,
    data,
    epochs,
    trainAcc: accuracy(model, data.xTrain, data.yTrain),
    testAcc: accuracy(model, data.xTest, data.yTest),
    seconds,
  };
  return trainedCache;
}

/** max |a − b| over all elements (shapes must match). */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  if (a.shape.join() !== b.shape.join()) throw new Error(`maxAbsDiff: shapes [${a.shape}] and [${b.shape}] differ`);
  return torch.noGrad(() => a.sub(b).abs().max().item());
}

/** Throws (failing the section) unless `cond`; prints the check either way. */
export function check(cond: boolean, what: string): void {
  console.log(`  check: ${what} ${cond ? 'OK' : 'FAILED'}`);
  if (!cond) throw new Error(`check failed: ${what}`);
}

/** Indices of the first test example of each class 0..9 (or of `classes`). */
export function firstOfEachClass(y: Tensor, classes: number[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]): number[] {
  const labels = y.tolist() as number[];
  return classes.map((c) => {
    const i = labels.indexOf(c);
    if (i < 0) throw new Error(`no example of class ${c}`);
    return i;
  });
}
