// The intra-op thread pool of the wasm backend (as PyTorch's): generated kernels run split into tasks
// on persistent workers plus the calling thread, all on the one shared memory. A job is handed out
// through a small SharedArrayBuffer control block (tasks claimed with Atomics.add, so uneven tasks
// balance themselves) and workers are woken with Atomics.notify: a round trip costs a futex wake, tens
// of µs, so callers split only work of a few hundred µs or more (shouldSplit).
import { ValueError } from '../../core/errors.js';
import { instantiateModule, memory, shared, type Exports } from './memory.js';
import { JS_TASKS, JS_TASK_NAMES } from './js_tasks.js';

import { GEN, NTASKS, MODID, FNIDX, ARITY, ERR, ERRTASK, ERRLEN, ACTIVE, NEXT, WTASKS, ERRMSG_BYTE, ERRMSG_CAP, ARGS_BYTE } from './thread_layout.js';
/** Argument slots (f64) per job; a longer task list runs as several jobs. */
const ARGS_CAP = 8192;

/** How long the caller spins for the last workers before sleeping: most waits are shorter than a wake-up. */
const SPIN_MS = 0.05;
/** Work below this is not worth a round trip to the workers. */
const SPLIT_NS = 200_000;

const isNode = typeof process !== 'undefined' && !!process.versions?.node;
type NodeWorkerThreads = typeof import('node:worker_threads');
// Computed specifiers keep browser bundlers from resolving Node modules.
const wtSpec = 'node:worker_threads';
const osSpec = 'node:os';
const wt: NodeWorkerThreads | null = isNode ? await import(/* @vite-ignore */ /* webpackIgnore: true */ wtSpec) : null;
const cores: number = isNode
  ? ((await import(/* @vite-ignore */ /* webpackIgnore: true */ osSpec)) as typeof import('node:os')).availableParallelism()
  : ((globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1);

/** Whether this thread may block in Atomics.wait (a browser main thread may not: it spins instead). */
const canBlock = ((): boolean => {
  if (!shared) return false;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
})();

const ctlBuf = shared ? new SharedArrayBuffer(ARGS_BYTE + 8 * ARGS_CAP) : null;
const ctl = ctlBuf ? new Int32Array(ctlBuf, 0, ERRMSG_BYTE / 4) : new Int32Array(64);
const errBytes = ctlBuf ? new Uint8Array(ctlBuf, ERRMSG_BYTE, ERRMSG_CAP) : new Uint8Array(0);
const args = ctlBuf ? new Float64Array(ctlBuf, ARGS_BYTE, ARGS_CAP) : new Float64Array(0);

interface Thread {
  post(msg: unknown): void;
  /** Wakes the worker and lets it leave its loop and exit by itself (never mid-job). */
  stop(): void;
  /** Module ids already posted to this worker. */
  sent: Set<number>;
  ready: Promise<void>;
}

let numThreads = Math.max(1, cores);
const pool: Thread[] = [];
let busy = false;
let spawnFailed = false;

interface ModInfo {
  id: number;
  names: string[];
  exports: Exports;
}
const modInfo = new WeakMap<WebAssembly.Module, ModInfo>();
let nextModId = 1;

function info(mod: WebAssembly.Module): ModInfo {
  let m = modInfo.get(mod);
  if (!m) {
    const names = WebAssembly.Module.exports(mod)
      .filter((e) => e.kind === 'function')
      .map((e) => e.name);
    m = { id: nextModId++, names, exports: instantiateModule(mod) };
    modInfo.set(mod, m);
  }
  return m;
}

/** The worker script next to this module: .ts when running from source under tsx, .js from dist/. */
function workerUrl(): URL {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./thread_worker${ext}`, import.meta.url);
}

function tasksUrl(): string {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./js_tasks${ext}`, import.meta.url).href;
}

/** The JS tasks, as module id 0 (workers import them at start-up, not by message). */
const jsTasks: ModInfo = {
  id: 0,
  names: [...JS_TASK_NAMES],
  exports: Object.fromEntries(JS_TASK_NAMES.map((n, i) => [n, JS_TASKS[i]!])) as Exports,
};

function spawn(): Thread {
  const stopBuf = new SharedArrayBuffer(4);
  const stopFlag = new Int32Array(stopBuf);
  let post: (m: unknown) => void;
  let ready: Promise<void>;
  const drop = (): void => {
    const i = pool.indexOf(thread);
    if (i >= 0) pool.splice(i, 1);
  };
  if (wt) {
    const url = workerUrl();
    let w: import('node:worker_threads').Worker;
    let tsxApi: string | null = null;
    if (url.pathname.endsWith('.ts')) {
      try {
        tsxApi = import.meta.resolve('tsx/esm/api');
      } catch {
        // Not tsx (e.g. Node's own type stripping): the worker inherits execArgv and loads the .ts as is.
      }
    }
    // Node 20 does not apply `--import tsx` to workers, so under tsx the worker registers tsx's hooks
    // itself before importing the TypeScript entry.
    w = tsxApi
      ? new wt.Worker(
          `import(${JSON.stringify(tsxApi)}).then((a) => { a.register(); return import(${JSON.stringify(url.href)}); })`,
          { eval: true },
        )
      : new wt.Worker(url);
    w.unref(); // an idle pool must not keep the process alive
    post = (m) => w.postMessage(m);
    ready = new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('error', (e) => {
        drop();
        reject(e);
      });
    });
    w.once('exit', drop);
  } else {
    const w = new Worker(new URL('./thread_worker.js', import.meta.url), { type: 'module' });
    post = (m) => w.postMessage(m);
    ready = new Promise<void>((resolve, reject) => {
      w.addEventListener('message', () => resolve(), { once: true });
      w.addEventListener(
        'error',
        (e) => {
          drop();
          reject(new Error(`wasm thread failed to start: ${e.message}`));
        },
        { once: true },
      );
    });
  }
  // A worker that fails to start only leaves the caller more tasks; spawning stops so that each job
  // does not retry (e.g. a bundle that lacks the worker script).
  ready.catch((e: unknown) => {
    if (!spawnFailed) {
      // Said once: the work still gets done, on fewer threads than asked for.
      spawnError = e instanceof Error ? e.message : String(e);
      console.warn(`torchfn: a wasm worker thread failed to start (${spawnError}); running on the calling thread. See torch.backends.wasm.threads().`);
    }
    spawnFailed = true;
  });
  const thread: Thread = {
    post,
    stop: () => {
      Atomics.store(stopFlag, 0, 1);
      Atomics.notify(ctl, GEN);
    },
    sent: new Set(),
    ready,
  };
  post({ type: 'init', memory, ctl: ctlBuf, stop: stopBuf, tasks: tasksUrl() });
  return thread;
}

/** Starts or stops workers so the pool has `want` of them. */
function resize(want: number): void {
  while (pool.length > want) pool.pop()!.stop();
  while (pool.length < want && !spawnFailed) pool.push(spawn());
}

/**
 * Threads the wasm backend's large kernels (GEMM, big elementwise ops) split over, the calling thread
 * included, as torch.set_num_threads. Default: the cores available; 1 where memory cannot be shared (a
 * browser page that is not cross-origin isolated).
 * @example torch.setNumThreads(1)
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`setNumThreads(): expected a positive integer, got ${n}`);
  numThreads = n;
  // Shrink now; grow lazily, on the next parallel job.
  if (pool.length > n - 1) resize(n - 1);
}

/**
 * Threads a parallel job runs on, the caller included; 1 when the memory is not shared.
 * @example torch.getNumThreads() // 2 on a 2-core machine
 */
export function getNumThreads(): number {
  return shared ? numThreads : 1;
}

/** Starts the workers now instead of on the first job; resolves once they all wait for work (for benchmarks and tests). */
export async function startThreads(): Promise<void> {
  if (getNumThreads() > 1) resize(numThreads - 1);
  await Promise.all(pool.map((t) => t.ready.catch(() => {})));
}

let spawnError: string | null = null;

/** What the thread pool is doing: threads asked for, threads running (the caller included), and why fewer, if so. */
export function threadInfo(): {
  /** Threads asked for (setNumThreads, or the default). */
  requested: number;
  /** Threads computing now, the calling thread included. */
  running: number;
  /** Whether shared WebAssembly memory is available (worker threads need it). */
  sharedMemory: boolean;
  /** Why a worker thread failed to start (the first failure), or null. */
  error: string | null;
} {
  return { requested: numThreads, running: shared ? pool.length + 1 : 1, sharedMemory: shared, error: spawnError };
}

/** Workers currently started (the caller not counted). */
export function poolSize(): number {
  return pool.length;
}

/** Tasks the workers (not the caller) have completed so far: shows whether a split really ran in parallel. */
export function workerTasks(): number {
  return Atomics.load(ctl, WTASKS);
}

/**
 * Bounds of `parts` pieces of [0, len): interior cuts rounded to multiples of `unit` (whole vectors
 * or micro-tiles), the last piece always ending at len. Empty pieces are possible when len is short.
 */
export function splitBounds(len: number, parts: number, unit: number): number[] {
  const b = Array.from({ length: parts + 1 }, (_, i) => Math.min(len, Math.round((i * len) / parts / unit) * unit));
  b[parts] = len;
  return b;
}

/** Whether work estimated at `estimatedNs` is worth splitting over the threads. */
export function shouldSplit(estimatedNs: number): boolean {
  return estimatedNs >= SPLIT_NS && getNumThreads() > 1;
}

function runSerial(fn: (...a: number[]) => unknown, fnName: string, tasks: readonly (readonly number[])[]): void {
  for (let i = 0; i < tasks.length; i++) {
    try {
      fn(...tasks[i]!);
    } catch (e) {
      throw taskError(fnName, i, e);
    }
  }
}

// The same message whichever thread ran the failing task.
function taskError(fnName: string, task: number, e: unknown): Error {
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new Error(`parallelRun ${fnName} task ${task}: ${msg}`, { cause: e });
}

/**
 * Runs `fnName(...tasks[i])` of the module for every task, spread over the pool and the calling thread,
 * and returns when all are done. Tasks must write disjoint memory; their order is unspecified. A task
 * that fails (a trap) fails the whole call with an Error, after the tasks already running finish; the
 * tasks not yet started are skipped. Arguments are passed as f64 (so i32 and f32/f64 parameters only).
 * @internal
 */
export function parallelRun(mod: WebAssembly.Module, fnName: string, tasks: readonly (readonly number[])[]): void {
  run(info(mod), mod, fnName, tasks);
}

/** parallelRun for a JS task of js_tasks.ts (a kernel whose driver is JavaScript, as the GEMM). */
export function parallelTasks(name: (typeof JS_TASK_NAMES)[number], tasks: readonly (readonly number[])[]): void {
  run(jsTasks, null, name, tasks);
}

function run(m: ModInfo, mod: WebAssembly.Module | null, fnName: string, tasks: readonly (readonly number[])[]): void {
  const fnIdx = m.names.indexOf(fnName);
  if (fnIdx < 0) throw new Error(`parallelRun: the module exports no function '${fnName}'`);
  const fn = m.exports[fnName]!;
  if (tasks.length === 0) return;
  // Nested calls (from a job in flight) and single tasks run right here.
  if (tasks.length === 1 || getNumThreads() <= 1 || busy) return runSerial(fn, fnName, tasks);
  if (pool.length !== numThreads - 1 && !spawnFailed) resize(numThreads - 1);
  for (const t of pool) {
    if (mod !== null && !t.sent.has(m.id)) {
      t.post({ type: 'module', id: m.id, mod });
      t.sent.add(m.id);
    }
  }
  let arity = 0;
  for (const t of tasks) arity = Math.max(arity, t.length);
  const per = arity === 0 ? tasks.length : Math.max(1, Math.floor(ARGS_CAP / arity));
  busy = true;
  try {
    for (let s = 0; s < tasks.length; s += per) job(m, fnIdx, fn, fnName, tasks, s, Math.min(tasks.length, s + per), arity);
  } finally {
    busy = false;
  }
}

function job(
  m: ModInfo,
  fnIdx: number,
  fn: (...a: number[]) => unknown,
  fnName: string,
  tasks: readonly (readonly number[])[],
  start: number,
  end: number,
  arity: number,
): void {
  const n = end - start;
  args.fill(0, 0, n * arity);
  for (let i = 0; i < n; i++) {
    const t = tasks[start + i]!;
    for (let j = 0; j < t.length; j++) args[i * arity + j] = t[j]!;
  }
  // Parameters first, then GEN odd opens the job (workers only read them after seeing it open).
  Atomics.store(ctl, NTASKS, n);
  Atomics.store(ctl, MODID, m.id);
  Atomics.store(ctl, FNIDX, fnIdx);
  Atomics.store(ctl, ARITY, arity);
  Atomics.store(ctl, ERR, 0);
  Atomics.store(ctl, NEXT, 0);
  Atomics.add(ctl, GEN, 1);
  Atomics.notify(ctl, GEN, n - 1);
  let localErr: { e: unknown } | null = null;
  for (let i = Atomics.add(ctl, NEXT, 1); i < n; i = Atomics.add(ctl, NEXT, 1)) {
    if (Atomics.load(ctl, ERR) !== 0) continue;
    try {
      fn(...tasks[start + i]!);
    } catch (e) {
      if (Atomics.compareExchange(ctl, ERR, 0, 1) === 0) {
        Atomics.store(ctl, ERRTASK, i);
        localErr = { e };
      }
    }
  }
  // Every task is claimed: close the job, then wait for the workers still inside it.
  Atomics.add(ctl, GEN, 1);
  waitIdle();
  if (Atomics.load(ctl, ERR) !== 0) {
    const task = start + Atomics.load(ctl, ERRTASK);
    if (localErr) throw taskError(fnName, task, localErr.e);
    const text = new TextDecoder().decode(errBytes.slice(0, Atomics.load(ctl, ERRLEN)));
    throw new Error(`parallelRun ${fnName} task ${task}: ${text}`);
  }
}

function waitIdle(): void {
  if (Atomics.load(ctl, ACTIVE) === 0) return;
  const until = performance.now() + SPIN_MS;
  let k = 0;
  for (let a = Atomics.load(ctl, ACTIVE); a !== 0; a = Atomics.load(ctl, ACTIVE)) {
    // A browser main thread cannot sleep; it spins, for at most the tasks the workers already hold.
    if (canBlock && (++k & 255) === 0 && performance.now() > until) Atomics.wait(ctl, ACTIVE, a);
  }
}
