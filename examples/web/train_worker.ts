// The training worker of the web example: loads the digits, trains the CNN with Adam and posts the
// loss of every step to the page, then answers Grad-CAM requests. Running here, off the page's main
// thread, the page stays responsive however long a step takes; between steps the worker yields to
// its event loop, so messages get through and the memory of dead tensors comes back.
import * as torch from '../../src/index.js';
import { optim } from '../../src/index.js';
import { accuracy, digitsFromJson, gradCam, makeDigitsCNN, mulberry32, shuffled, splitDigits, type DigitsCNN, type DigitsFile, type Split } from './model.js';
import type { FromWorker, ToWorker } from './protocol.js';

/** The worker's global scope, as far as this file uses it (the DOM typings describe a window). */
const scope = self as unknown as {
  postMessage(msg: FromWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', fn: (e: MessageEvent<ToWorker>) => void): void;
};
const post = (msg: FromWorker, transfer: Transferable[] = []): void => scope.postMessage(msg, transfer);

/** Yields to the event loop without setTimeout's clamping (a MessageChannel round trip). */
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldNow = (): Promise<void> =>
  new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(0);
  });

let data: Split | null = null;
let model: DigitsCNN | null = null;

async function train(steps: number, batch: number, lr: number, seed: number): Promise<void> {
  const raw = (await (await fetch(new URL('./digits.json', import.meta.url))).json()) as DigitsFile;
  data = splitDigits(digitsFromJson(raw));
  const nTrain = data.xTrain.size(0);
  post({
    type: 'ready',
    backend: torch.backends.current(),
    threads: torch.getNumThreads(),
    nTrain,
    nTest: data.xTest.size(0),
    testLabels: data.yTest.toArray() as Int32Array,
    steps,
  });
  torch.manualSeed(seed);
  model = makeDigitsCNN();
  const opt = new optim.Adam(model.parameters(), { lr });
  const rand = mulberry32(seed + 7);
  let order = shuffled(nTrain, rand);
  let at = 0;
  const t0 = performance.now();
  for (let step = 1; step <= steps; step++) {
    if (at + batch > nTrain) {
      order = shuffled(nTrain, rand); // a new epoch
      at = 0;
    }
    const ids = torch.tensor(order.subarray(at, at + batch));
    at += batch;
    const loss = torch.crossEntropy(model.call(data.xTrain.indexSelect(0, ids)), data.yTrain.indexSelect(0, ids));
    opt.zeroGrad();
    loss.backward();
    opt.step();
    post({ type: 'loss', step, loss: loss.item(), ms: performance.now() - t0 });
    await yieldNow();
  }
  const seconds = (performance.now() - t0) / 1000;
  model.eval();
  post({
    type: 'done',
    steps,
    seconds,
    trainAcc: await accuracy(model, data.xTrain, data.yTrain),
    testAcc: await accuracy(model, data.xTest, data.yTest),
    memory: torch.backends.wasm.memoryStats(),
  });
}

function cam(index: number): void {
  if (!data || !model) throw new Error('Grad-CAM asked for before training finished');
  const x = data.xTest.index(index).unsqueeze(0); // [1, 1, 8, 8]
  const { pred, probs, cam } = gradCam(model, x);
  post({
    type: 'cam',
    index,
    label: data.yTest.index(index).item(),
    pred,
    probs,
    image: x.contiguous().toArray() as Float32Array,
    cam,
  });
}

scope.addEventListener('message', (e) => {
  const msg = e.data;
  const run = async (): Promise<void> => {
    if (msg.type === 'train') await train(msg.steps, msg.batch, msg.lr, msg.seed);
    else if (msg.type === 'cam') cam(msg.index);
  };
  run().catch((err: unknown) => {
    const e2 = err instanceof Error ? err : new Error(String(err));
    post({ type: 'error', message: `${e2.name}: ${e2.message}`, stack: e2.stack ?? '' });
  });
});
