// The page of the web example: starts the training worker, plots its loss live with uPlot, and after
// training shows a chosen test digit, its Grad-CAM heatmap and the CAM over the digit on canvases.
// All the tensor work is in the worker (train_worker.ts); this thread only draws, so it stays
// responsive. URL parameters: steps (default 400), batch (32), lr (0.01), seed (0).
// window.demo holds the state for the browser test (test/browser/web_example.test.ts).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { FromWorker, MemoryStats, ToWorker } from './protocol.js';

interface DemoState {
  state: 'loading' | 'training' | 'done' | 'error';
  backend?: string;
  threads?: number;
  isolated: boolean;
  step: number;
  steps: number;
  losses: number[];
  seconds?: number;
  trainAcc?: number;
  testAcc?: number;
  /** The worker's wasm memory after training. */
  memory?: MemoryStats;
  cam?: { index: number; label: number; pred: number; prob: number; camMax: number };
  /** Animation frames drawn while training, and the longest gap between two (a frozen page shows here). */
  frames: number;
  maxFrameGapMs: number;
  error?: string;
}

const params = new URLSearchParams(location.search);
const num = (name: string, dflt: number): number => {
  const v = Number(params.get(name) ?? dflt);
  return Number.isFinite(v) && v > 0 ? v : dflt;
};
const steps = Math.round(num('steps', 400));
const batch = Math.round(num('batch', 32));
const lr = num('lr', 0.01);
const seed = Math.round(Number(params.get('seed') ?? 0)) || 0;

const demo: DemoState = { state: 'loading', isolated: self.crossOriginIsolated, step: 0, steps, losses: [], frames: 0, maxFrameGapMs: 0 };
(window as unknown as { demo: DemoState }).demo = demo;

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const status = $('status');
const info = $('info');
const result = $('result');

// ---- the live loss plot -------------------------------------------------------------------------
const xs: number[] = [];
const ys: number[] = [];
const ema: number[] = [];
const plot = new uPlot(
  {
    width: Math.min(720, document.body.clientWidth - 16),
    height: 260,
    title: 'training loss (cross-entropy per minibatch)',
    scales: { x: { time: false } },
    axes: [{ label: 'step' }, { label: 'loss' }],
    series: [
      { label: 'step' },
      { label: 'loss', stroke: 'rgba(70, 110, 200, 0.55)', width: 1 },
      { label: 'moving average', stroke: '#d0451b', width: 2 },
    ],
  },
  [xs, ys, ema],
  $('plot'),
);
let plotDirty = false;

// ---- responsiveness: the page keeps drawing frames while the worker trains ------------------------
let lastFrame = 0;
const beat = $('beat');
function frame(t: number): void {
  if (demo.state === 'training') {
    if (lastFrame) demo.maxFrameGapMs = Math.max(demo.maxFrameGapMs, t - lastFrame);
    demo.frames++;
  }
  lastFrame = t;
  beat.style.transform = `rotate(${(t / 4) % 360}deg)`;
  if (plotDirty) {
    plot.setData([xs, ys, ema]);
    plotDirty = false;
  }
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);

// ---- canvases -------------------------------------------------------------------------------------
const HEAT: [number, [number, number, number]][] = [
  [0, [0, 0, 0]],
  [0.25, [40, 30, 160]],
  [0.5, [200, 30, 60]],
  [0.75, [250, 170, 20]],
  [1, [255, 255, 230]],
];
function heat(v: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0));
  for (let i = 1; i < HEAT.length; i++) {
    const [t1, c1] = HEAT[i]!;
    if (t <= t1) {
      const [t0, c0] = HEAT[i - 1]!;
      const f = (t - t0) / (t1 - t0);
      return [0, 1, 2].map((k) => Math.round(c0[k]! + f * (c1[k]! - c0[k]!))) as [number, number, number];
    }
  }
  return HEAT[HEAT.length - 1]![1];
}

/** Paints an 8×8 map on a canvas, each value a square; `overlay` blends a heatmap over a grey image. */
function paint(canvas: HTMLCanvasElement, gray: Float32Array | null, hot: Float32Array | null, alpha = 0.85): void {
  const ctx = canvas.getContext('2d')!;
  const cell = canvas.width / 8;
  let hi = 0;
  if (hot) for (const v of hot) hi = Math.max(hi, v);
  for (let i = 0; i < 64; i++) {
    let rgb: [number, number, number] = [0, 0, 0];
    if (gray) {
      const g = Math.round(Math.min(1, Math.max(0, gray[i]!)) * 255);
      rgb = [g, g, g];
    }
    if (hot) {
      const t = hi > 0 ? hot[i]! / hi : 0;
      const h = heat(t);
      const a = gray ? alpha * t : 1;
      rgb = [0, 1, 2].map((k) => Math.round(rgb[k]! * (1 - a) + h[k]! * a)) as [number, number, number];
    }
    ctx.fillStyle = `rgb(${rgb.join(',')})`;
    ctx.fillRect((i % 8) * cell, Math.floor(i / 8) * cell, cell, cell);
  }
}

// ---- the worker -----------------------------------------------------------------------------------
const worker = new Worker(new URL('./train_worker.js', import.meta.url), { type: 'module' });
const send = (msg: ToWorker): void => worker.postMessage(msg);
let testLabels: ArrayLike<number> = [];
let shownClass = -1;
let shownIndex = -1;

function fail(message: string): void {
  demo.state = 'error';
  demo.error = message;
  status.textContent = `error: ${message}`;
  status.classList.add('error');
  console.error(message);
}

worker.addEventListener('error', (e) => fail(`the training worker failed: ${e.message}`));
worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
  const msg = e.data;
  switch (msg.type) {
    case 'ready':
      demo.state = 'training';
      demo.backend = msg.backend;
      demo.threads = msg.threads;
      testLabels = msg.testLabels;
      info.textContent = `backend ${msg.backend}, ${msg.threads} thread${msg.threads > 1 ? 's' : ''} (page ${demo.isolated ? '' : 'not '}cross-origin isolated); ${msg.nTrain} training / ${msg.nTest} test digits; Adam lr ${lr}, batch ${batch}`;
      break;
    case 'loss': {
      demo.step = msg.step;
      demo.losses.push(msg.loss);
      xs.push(msg.step);
      ys.push(msg.loss);
      const prev = ema.length ? ema[ema.length - 1]! : msg.loss;
      ema.push(prev + 0.05 * (msg.loss - prev));
      plotDirty = true;
      status.textContent = `training: step ${msg.step} / ${steps}, loss ${msg.loss.toFixed(4)}, ${(msg.ms / 1000).toFixed(1)} s (${((1000 * msg.step) / msg.ms).toFixed(0)} steps/s)`;
      break;
    }
    case 'done':
      demo.state = 'done';
      demo.seconds = msg.seconds;
      demo.trainAcc = msg.trainAcc;
      demo.testAcc = msg.testAcc;
      demo.memory = msg.memory;
      status.textContent = `trained ${msg.steps} steps in ${msg.seconds.toFixed(1)} s: test accuracy ${(msg.testAcc * 100).toFixed(1)}% (train ${(msg.trainAcc * 100).toFixed(1)}%)`;
      $('picker').hidden = false;
      pick(3);
      break;
    case 'cam': {
      const prob = msg.probs[msg.pred]!;
      let camMax = 0;
      for (const v of msg.cam) camMax = Math.max(camMax, v);
      demo.cam = { index: msg.index, label: msg.label, pred: msg.pred, prob, camMax };
      paint($('input'), msg.image, null);
      paint($('cam'), null, msg.cam);
      paint($('overlay'), msg.image, msg.cam);
      result.textContent = `test digit #${msg.index}: label ${msg.label}, predicted ${msg.pred} (p = ${prob.toFixed(3)})${msg.pred === msg.label ? '' : ' ✗'}`;
      const bars = $('probs');
      bars.replaceChildren(
        ...Array.from(msg.probs, (p, k) => {
          const row = document.createElement('div');
          row.className = k === msg.pred ? 'bar pred' : 'bar';
          row.innerHTML = `<span>${k}</span><i style="width:${(p * 100).toFixed(1)}%"></i><span>${(p * 100).toFixed(1)}%</span>`;
          return row;
        }),
      );
      break;
    }
    case 'error':
      fail(`${msg.message}\n${msg.stack}`);
      break;
  }
});

/** Shows a test digit of class `k`: the next one after the one shown, when `k` is shown already. */
function pick(k: number): void {
  const start = k === shownClass ? shownIndex + 1 : 0;
  let i = -1;
  for (let j = 0; j < testLabels.length && i < 0; j++) {
    const c = (start + j) % testLabels.length;
    if (testLabels[c] === k) i = c;
  }
  if (i < 0) return;
  shownClass = k;
  shownIndex = i;
  document.querySelectorAll<HTMLButtonElement>('#digits button').forEach((b) => b.classList.toggle('on', Number(b.dataset.digit) === k));
  send({ type: 'cam', index: i });
}

for (let k = 0; k < 10; k++) {
  const b = document.createElement('button');
  b.textContent = String(k);
  b.dataset.digit = String(k);
  b.title = `show a test digit of class ${k} (again: the next one)`;
  b.addEventListener('click', () => pick(k));
  $('digits').append(b);
}

status.textContent = 'loading the digits…';
send({ type: 'train', steps, batch, lr, seed });
