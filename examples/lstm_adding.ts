// Demo section: an nn.LSTM learns the "adding problem" (Hochreiter & Schmidhuber 1997) on sequences of
// different lengths. Each step carries (value in [0, 1), marker); exactly two steps are marked, and the
// target is the sum of their values, read from the LSTM's final state. The batch is padded with
// nn.utils.rnn.padSequence and run with `{ lengths }`, so every sequence stops at its own end (as
// PyTorch's pack_padded_sequence does). Predicting the mean (1.0) gives an MSE of about 1/6; the check
// is that the trained LSTM's held-out MSE is below 0.01.
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { trainWithProgress } from './progress.js';
import type { Section, SectionResult } from './section.js';

const { nn, optim } = torch;
const MIN_LEN = 8, MAX_LEN = 16, HIDDEN = 24, BATCH = 64;

/** A padded batch [T, B, 2] of adding-problem sequences, their lengths and targets [B, 1]. */
async function batch(n: number): Promise<{ x: Tensor; lengths: Tensor; y: Tensor }> {
  const seqs: Tensor[] = [];
  const lengths: number[] = [];
  const targets: Tensor[] = [];
  // Lengths and marker positions from torch's generator too, so torch.manualSeed fixes the data;
  // drawn on cpu, as they are host numbers (they set the shapes): no wait for a device per batch.
  const u = await torch.rand([n, 3], { device: 'cpu' }).data();
  for (let b = 0; b < n; b++) {
    const len = MIN_LEN + Math.floor(u[3 * b]! * (MAX_LEN - MIN_LEN + 1));
    const values = torch.rand([len]);
    const i = Math.floor(u[3 * b + 1]! * len);
    let j = Math.floor(u[3 * b + 2]! * (len - 1));
    if (j >= i) j += 1;
    const markers = torch.zeros([len]).indexPut_([torch.tensor([i, j], { dtype: 'int32' })], torch.ones([2]));
    // The target stays a tensor (values[i] + values[j]): no read of the values, wherever they are.
    targets.push(values.index(i).add(values.index(j)));
    seqs.push(torch.stack([values, markers], 1)); // [len, 2]
    lengths.push(len);
  }
  const x = nn.utils.rnn.padSequence(seqs); // [T, B, 2]
  return { x, lengths: torch.tensor(lengths, { dtype: 'int32' }), y: torch.stack(targets).unsqueeze(1) };
}

class Adder extends nn.Module {
  lstm = new nn.LSTM(2, HIDDEN);
  head = new nn.Linear(HIDDEN, 1);
  override forward(x: Tensor, lengths: Tensor): Tensor {
    const [, [hN]] = this.lstm.call(x, null, { lengths }); // hN [1, B, H]: each sequence's last valid step
    return this.head.call(hN.select(0, 0));
  }
}

export async function run({ steps = 600, seed = 0, logEvery = 50 } = {}): Promise<SectionResult> {
  torch.manualSeed(seed);
  const model = new Adder();
  const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });
  const nParams = model.parameters().reduce((s, p) => s + p.numel(), 0);
  console.log(`  LSTM(2, ${HIDDEN}) + Linear(${HIDDEN}, 1), ${nParams} parameters; sequences of ${MIN_LEN}-${MAX_LEN} steps, batch ${BATCH}, Adam lr 1e-2`);
  const t0 = performance.now();
  const losses = await trainWithProgress(steps, logEvery, 'LSTM', async () => {
    const { x, lengths, y } = await batch(BATCH);
    const loss = torch.mseLoss(model.call(x, lengths), y);
    opt.zeroGrad();
    loss.backward();
    nn.utils.clipGradNorm_(model.parameters(), 1);
    opt.step();
    return loss;
  });
  const first = losses.slice(0, 20);
  const last = losses[losses.length - 1]!;
  const secs = (performance.now() - t0) / 1000;
  const test = await batch(512);
  const testLoss = await torch.noGrad(() => torch.mseLoss(model.call(test.x, test.lengths), test.y)).itemAsync();
  const start = first.reduce((a, b) => a + b, 0) / first.length;
  const ok = testLoss < 0.01 && last < start;
  console.log(`  trained in ${secs.toFixed(1)} s; mean loss of the first 20 steps ${start.toExponential(2)}, last ${last.toExponential(2)}`);
  console.log(`  held-out MSE on 512 sequences ${testLoss.toExponential(3)} (predicting the mean: ~1.7e-1; goal < 1e-2) ${ok ? 'OK' : 'FAILED'}`);
  return { ok, summary: `LSTM adding problem: held-out MSE ${testLoss.toExponential(2)} (< 1e-2 required)` };
}

export const section: Section = { title: 'An LSTM learns the adding problem on variable-length sequences', run: () => run() };
