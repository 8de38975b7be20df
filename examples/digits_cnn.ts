// Shared by the hook demo sections: the 8×8 digits data set (UCI optical digits, as shipped by
// scikit-learn; examples/data/digits.json) and a small CNN trained on it with torch.optim.Adam.
// The trained model is cached, so the sections that use it train it once per `npm run demo`.
import { loadDigits as loadAllDigits } from './digits.js';
import { accuracy, makeDigitsCNN, mulberry32, shuffled, splitDigits, type Digits, type DigitsCNN } from './digits_model.js';
export { accuracy, makeDigitsCNN, mulberry32, type Digits, type DigitsCNN };
export { maxAbsDiff } from './device.js';
import { items } from './device.js';
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
export async function trainedDigitsCNN(log: (line: string) => void = () => {}): Promise<Trained> {
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
    const losses: Tensor[] = []; // read once per epoch: a device need not wait for the host each batch
    for (let s = 0; s < n; s += batch) {
      const ids = torch.tensor(order.slice(s, s + batch));
      const xb = data.xTrain.indexSelect(0, ids);
      const yb = data.yTrain.indexSelect(0, ids);
      const loss = torch.crossEntropy(model.call(xb), yb);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      losses.push(loss.detach());
    }
    const lossSum = (await items(losses)).reduce((a, b) => a + b, 0);
    log(`  epoch ${epoch}  mean train loss ${(lossSum / losses.length).toFixed(4)}  test accuracy ${((await accuracy(model, data.xTest, data.yTest)) * 100).toFixed(1)}%`);
  }
  const seconds = (performance.now() - t0) / 1000;
  model.eval();
  trainedCache = {
    model,
    data,
    epochs,
    trainAcc: await accuracy(model, data.xTrain, data.yTrain),
    testAcc: await accuracy(model, data.xTest, data.yTest),
    seconds,
  };
  return trainedCache;
}

/** Throws (failing the section) unless `cond`; prints the check either way. */
export function check(cond: boolean, what: string): void {
  console.log(`  check: ${what} ${cond ? 'OK' : 'FAILED'}`);
  if (!cond) throw new Error(`check failed: ${what}`);
}

/** Indices of the first test example of each class 0..9 (or of `classes`). */
export async function firstOfEachClass(y: Tensor, classes: number[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]): Promise<number[]> {
  const labels = (await y.tolistAsync()) as number[];
  return classes.map((c) => {
    const i = labels.indexOf(c);
    if (i < 0) throw new Error(`no example of class ${c}`);
    return i;
  });
}
