// Benchmark harness: engines (torchfn, the TensorFlow.js CPU/WASM backends, and jax-js on WASM; on WebGPU,
// torchfn, tfjs-backend-webgpu and jax-js's webgpu device), timing (warm-up, then the
// median of several repetitions within a time budget, the engines taking turns over a few rounds), and
// the markdown table.
// A section (bench/sections/*.ts) returns cases; a case gives, per engine, a setup that returns a
// function to time. Engines a case leaves out print as 'n/a'.
import os from 'node:os';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as jax from '@jax-js/jax';
import * as torch from '../src/index.js';

export { tf, jax };

/** 'torchfn' runs the wasm backend (the default), 'torchfn-js' the same code on the reference backend. */
export const ENGINES = ['torchfn', 'torchfn-js', 'tfjs-cpu', 'tfjs-wasm', 'jax-js'] as const;
/** The same code with its tensors on each library's WebGPU device; a section opts in with `engines`. */
export const GPU_ENGINES = ['torchfn-webgpu', 'tfjs-webgpu', 'jax-js-webgpu'] as const;
export type Engine = (typeof ENGINES)[number] | (typeof GPU_ENGINES)[number];

/**
 * What a setup returns: `run` is what gets timed (a promise when the engine computes lazily and
 * must be awaited until the result is ready, as jax-js); `dispose` frees the inputs afterwards.
 */
export interface Bench {
  run(): void | Promise<void>;
  dispose?(): void;
}

export interface Case {
  /** Row label, e.g. "matmul 512×512 float32". */
  name: string;
  /** Unit of the reported figure, e.g. "GFLOP/s", "ms", "µs". */
  unit: string;
  better: 'higher' | 'lower';
  /** Turns the median seconds of one call of `run` into the reported figure. */
  metric(secondsPerCall: number): number;
  /** Calls of `run` per timed repetition, for operations too short to time one at a time. */
  inner?: number;
  /** Time budget for one engine's repetitions, ms (at least `minReps` are always taken). */
  budgetMs?: number;
  setup: Partial<Record<Engine, () => Bench | Promise<Bench>>>;
}

export interface Section {
  /** Short id, for `npm run bench -- --only <id>`. */
  id: string;
  title: string;
  /** The columns of this section's table, torchfn's first (default: ENGINES). */
  engines?: readonly Engine[];
  cases(): Case[];
}

export type Cell = { value: number; reps: number } | { na: string };

export interface Row {
  section: string;
  c: Case;
  engines: readonly Engine[];
  cells: Partial<Record<Engine, Cell>>;
}

// ---------------------------------------------------------------- TensorFlow.js backends

let tfReady: Record<'tfjs-cpu' | 'tfjs-wasm', string | null> | null = null;

/** Initializes both TF.js backends once; a value is the reason the backend cannot run, or null. */
export async function initTfjs(): Promise<Record<'tfjs-cpu' | 'tfjs-wasm', string | null>> {
  if (tfReady) return tfReady;
  // PROD silences the "install tfjs-node" banner and skips debug checks, as a production app would.
  tf.env().set('PROD', true);
  // tfjs-core's Node bundle registers no gradients (the @tensorflow/tfjs union package does that).
  // Load tfjs-core's own gradient table, shipped as ES modules in dist/; tsx's require hook compiles
  // them, and they register into TF.js's global gradient registry, shared by every copy of tfjs-core.
  try {
    createRequire(import.meta.url)('@tensorflow/tfjs-core/dist/register_all_gradients');
  } catch (e) {
    console.log(`could not register tfjs-core's gradients (training rows will be n/a): ${(e as Error).message.split('\n')[0]}`);
  }
  const tryBackend = async (name: string): Promise<string | null> => {
    try {
      const ok = await tf.setBackend(name);
      return ok ? null : `tf.setBackend('${name}') returned false`;
    } catch (e) {
      return `tf.setBackend('${name}') failed: ${(e as Error).message.split('\n')[0]}`;
    }
  };
  tfReady = { 'tfjs-cpu': await tryBackend('cpu'), 'tfjs-wasm': await tryBackend('wasm') };
  return tfReady;
}

export async function tfjsWasmFlags(): Promise<string> {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const mt = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return `SIMD ${simd ? 'on' : 'off'}, ${mt ? 'multi-threaded' : 'single-threaded'}`;
}

/** Deterministic standard-normal-ish float32 data for engines that have no shared seed with torchfn. */
export function randomArray(n: number, seed: number): Float32Array<ArrayBuffer> {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return Float32Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

let jaxReady: string | null | undefined;

/** Starts jax-js's WASM device (its WebGPU device needs a browser); the reason it cannot run, or null. */
export async function initJaxjs(): Promise<string | null> {
  if (jaxReady !== undefined) return jaxReady;
  try {
    const devices = await jax.init('wasm');
    if (!devices.includes('wasm')) throw new Error(`no wasm device (got ${devices.join(', ')})`);
    jax.defaultDevice('wasm');
    jaxReady = null;
  } catch (err) {
    jaxReady = `jax-js unavailable: ${(err as Error).message.split('\n')[0]}`;
  }
  return jaxReady;
}

async function selectEngine(e: Engine): Promise<void> {
  torch.setDefaultDevice(e === 'torchfn-webgpu' ? 'webgpu' : 'cpu');
  if (e === 'torchfn' || e === 'torchfn-webgpu') torch.setBackend('wasm');
  else if (e === 'torchfn-js') torch.setBackend('js');
  else if (e === 'tfjs-cpu' || e === 'tfjs-wasm' || e === 'tfjs-webgpu') await tf.setBackend(e.slice(5));
  if (e === 'jax-js' || e === 'jax-js-webgpu') jax.defaultDevice(e === 'jax-js' ? 'wasm' : 'webgpu');
}

// ---------------------------------------------------------------- timing

const gc = (globalThis as { gc?: () => void }).gc;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Times `run` in one block: a warm-up (~15% of the budget; at least one repetition when `warmup`),
 * then repetitions until both `minReps` are done and the budget is spent (at most `maxReps`).
 * Returns the milliseconds per call of each repetition.
 */
export async function timeBlock(
  run: () => void | Promise<void>,
  { inner = 1, budgetMs = 1200, minReps = 3, maxReps = 50, warmup = true, sync = undefined as (() => Promise<void>) | undefined } = {},
): Promise<number[]> {
  const rep = async (): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) {
      const r = run();
      if (r) await r;
    }
    if (sync) await sync();
    return (performance.now() - t0) / inner;
  };
  const w0 = performance.now();
  if (warmup) await rep();
  // The first block of each engine warms up for at least a second: generated WebAssembly tiers up
  // from baseline to optimized code while it runs, and fresh memory is first touched; the table
  // reports the steady state, for every engine alike.
  const warmMs = warmup ? Math.max(budgetMs * 0.15, WARMUP_MS) : budgetMs * 0.15;
  while (performance.now() - w0 < warmMs) await rep();
  gc?.();
  const times: number[] = [];
  const t0 = performance.now();
  while (times.length < maxReps && (times.length < minReps || performance.now() - t0 < budgetMs)) times.push(await rep());
  return times;
}

const WARMUP_MS = 1000;

/** Rounds per case: engines take turns, so a burst of load on a shared machine hits all of them. */
const ROUNDS = 3;

/**
 * How a GPU engine waits until its queued work has finished (torchfn and tfjs return before the GPU
 * is done; jax-js's setups await blockUntilReady themselves).
 */
const SYNC: Partial<Record<Engine, () => Promise<void>>> = {
  'torchfn-webgpu': () => torch.webgpu.synchronize(),
  'tfjs-webgpu': async () => {
    const b = tf.backend() as unknown as { endComputePassEncoder(): void; submitQueue(): void; queue: GPUQueue };
    b.endComputePassEncoder();
    b.submitQueue();
    await b.queue.onSubmittedWorkDone();
  },
};

export async function runCase(section: string, c: Case, avail: Partial<Record<Engine, string | null>>, engines: readonly Engine[] = ENGINES): Promise<Row> {
  const cells: Partial<Record<Engine, Cell>> = {};
  const live: { e: Engine; b: Bench; times: number[] }[] = [];
  for (const e of engines) {
    // The reference backend runs the torchfn code as written.
    const setup = e === 'torchfn-js' ? c.setup['torchfn-js'] ?? c.setup.torchfn : c.setup[e];
    if (avail[e] !== null) cells[e] = { na: avail[e] ?? 'not started' };
    else if (!setup) cells[e] = { na: 'not measured' };
    else {
      try {
        await selectEngine(e);
        live.push({ e, b: await setup(), times: [] });
      } catch (err) {
        cells[e] = { na: `error: ${(err as Error).message.split('\n')[0]}` };
      }
    }
  }
  const budgetMs = (c.budgetMs ?? 1200) / ROUNDS;
  for (let round = 0; round < ROUNDS; round++) {
    for (const l of live) {
      if (l.e in cells) continue; // failed in an earlier round
      try {
        await selectEngine(l.e);
        gc?.();
        l.times.push(...(await timeBlock(() => l.b.run(), { inner: c.inner, budgetMs, minReps: 1, warmup: round === 0, sync: SYNC[l.e] })));
      } catch (err) {
        cells[l.e] = { na: `error: ${(err as Error).message.split('\n')[0]}` };
      }
    }
  }
  for (const l of live) {
    if (!(l.e in cells)) cells[l.e] = { value: c.metric(median(l.times) / 1000), reps: l.times.length };
    await selectEngine(l.e);
    l.b.dispose?.();
  }
  return { section, c, engines, cells };
}

// ---------------------------------------------------------------- reporting

export const loadAverage = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

export function machine(): { cpu: string; cores: number; node: string; os: string } {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

function fmt(v: number): string {
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  if (v >= 1) return v.toFixed(2);
  return v.toPrecision(2);
}

export const cellText = (x: Cell | undefined) => (x === undefined || 'na' in x ? 'n/a' : fmt(x.value));

/** torchfn's speed relative to another engine: > 1 means torchfn is faster. */
function speedup(c: Case, t: Cell, o: Cell): string {
  if ('na' in t || 'na' in o) return '–';
  const r = c.better === 'higher' ? t.value / o.value : o.value / t.value;
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×`;
}

/** One table per engine set (the rows given share it); the first engine is torchfn's column the "vs" columns compare against. */
export function markdownTable(rows: Row[]): string {
  const engines = rows[0]?.engines ?? ENGINES;
  const [own, ...peers] = engines;
  const cell = (r: Row, e: Engine): Cell => r.cells[e] ?? { na: 'not measured' };
  const head = ['Benchmark', 'Unit', ...engines, ...peers.map((e) => `${own} vs ${e}`)];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 2 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const r of rows) {
    const unit = `${r.c.unit} (${r.c.better === 'higher' ? '↑' : '↓'})`;
    const vals = engines.map((e) => cellText(cell(r, e)));
    lines.push(`| ${[r.c.name, unit, ...vals, ...peers.map((e) => speedup(r.c, cell(r, own!), cell(r, e)))].join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Footnotes for every 'n/a' cell, so a missing figure always says why. */
export function naNotes(rows: Row[]): string[] {
  const notes = new Map<string, string[]>();
  for (const r of rows) {
    for (const e of r.engines) {
      const x = r.cells[e];
      if (x && 'na' in x) notes.set(`${e}: ${x.na}`, [...(notes.get(`${e}: ${x.na}`) ?? []), r.c.name]);
    }
  }
  return [...notes].map(([why, names]) => `n/a — ${why} (${names.join('; ')})`);
}
