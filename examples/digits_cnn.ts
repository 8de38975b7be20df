// Shared by the hook demo sections: the 8×8 digits data set (UCI optical digits, as shipped by
// scikit-learn; examples/data/digits.json) and a small CNN trained on it with torch.optim.Adam.
// The trained model is cached, so the sections that use it train it once per `npm run demo`.
import { loadDigits as loadAllDigits } from './digits.js';
import { accuracy, makeDigitsCNN, mulberry32, shuffled, splitDigits, type Digits, type DigitsCNN } from './digits_model.js';
export { accuracy, makeDigitsCNN, mulberry32, type Digits, type DigitsCNN };
import * as torch from '../src/index.js';
import { nn, optim } from '../src/index.js';
import type { Tensor } from '../src/index.js';

let digitsCache: Digits | null = null;

/** The digits (examples/digits.ts) split 80/20 with a fixed seed. */
export function loadDigits(): Digits {
  digitsCache ??= splitDigits(loadAllDigits());
  return digitsCache;
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
      const ids = torch.tensor(order.slice(s, s + batch));
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
