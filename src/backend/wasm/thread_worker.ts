// Worker entry of the wasm thread pool (threads.ts). It imports only the control-block layout, so the
// same file serves Node's worker_threads and a browser module Worker. Between jobs it sleeps in
// Atomics.wait on the control block instead of returning to the event loop, so a job costs a futex
// wake, not a message; messages (the init and each new Module) are read only when a job needs them.
// Besides generated modules, jobs may name JS tasks (module id 0: the GEMM driver of js_tasks.ts),
// which the worker imports at init with the shared memory injected.

import { GEN, NTASKS, MODID, FNIDX, ARITY, ERR, ERRTASK, ERRLEN, ACTIVE, NEXT, WTASKS, ERRMSG_BYTE, ERRMSG_CAP, ARGS_BYTE } from './thread_layout.js';

/** Spin this long on the control block before sleeping: back-to-back jobs then skip the futex wake. */
const SPIN_MS = 0.05;

type Fn = (...args: number[]) => unknown;
interface Port {
  post(msg: unknown): void;
  /** Node only: the next already-queued message, read synchronously. */
  receive?(): unknown;
  close(): void;
}
interface InitMsg {
  type: 'init';
  memory: WebAssembly.Memory;
  ctl: SharedArrayBuffer;
  stop: SharedArrayBuffer;
  /** URL of the module exporting JS_TASKS. */
  tasks: string;
}
interface ModuleMsg {
  type: 'module';
  id: number;
  mod: WebAssembly.Module;
}

let ctl: Int32Array;
let args: Float64Array;
let errBytes: Uint8Array;
let stop: Int32Array;
let memory: WebAssembly.Memory;
/** Exported functions of each module, in WebAssembly.Module.exports order (the caller indexes the same list). */
const modules = new Map<number, Fn[]>();
let seen = 0;
let running = false;
let port: Port;

async function init(msg: InitMsg): Promise<void> {
  memory = msg.memory;
  (globalThis as { __torchfnWasmMemory?: WebAssembly.Memory }).__torchfnWasmMemory = memory;
  try {
    const tasks = (await import(/* @vite-ignore */ /* webpackIgnore: true */ msg.tasks)) as { JS_TASKS: Fn[] };
    modules.set(0, tasks.JS_TASKS);
  } catch {
    // Without its JS tasks this worker sits out their jobs; the caller runs them.
  }
  ctl = new Int32Array(msg.ctl);
  errBytes = new Uint8Array(msg.ctl, ERRMSG_BYTE, ERRMSG_CAP);
  args = new Float64Array(msg.ctl, ARGS_BYTE);
  stop = new Int32Array(msg.stop);
  // A job that opened before this worker existed is the caller's to finish.
  seen = Atomics.load(ctl, GEN);
  port.post({ type: 'ready' });
  if (!running) loop();
}

function onMessage(msg: InitMsg | ModuleMsg): void {
  if (msg.type === 'init') {
    void init(msg);
    return;
  } else {
    try {
      const inst = new WebAssembly.Instance(msg.mod, { env: { mem: memory } });
      const ex = inst.exports as Record<string, unknown>;
      modules.set(
        msg.id,
        WebAssembly.Module.exports(msg.mod)
          .filter((e) => e.kind === 'function')
          .map((e) => ex[e.name] as Fn),
      );
    } catch {
      // Leave it unregistered: this worker then sits out jobs of that module and the caller, which
      // instantiates the same module itself, runs them (and reports its error, if it has one).
      modules.set(msg.id, []);
    }
  }
  if (!running && ctl) loop();
}

function call(fn: Fn, a: number, base: number): void {
  switch (a) {
    case 0: fn(); break;
    case 1: fn(args[base]!); break;
    case 2: fn(args[base]!, args[base + 1]!); break;
    case 3: fn(args[base]!, args[base + 1]!, args[base + 2]!); break;
    case 4: fn(args[base]!, args[base + 1]!, args[base + 2]!, args[base + 3]!); break;
    case 5: fn(args[base]!, args[base + 1]!, args[base + 2]!, args[base + 3]!, args[base + 4]!); break;
    case 6: fn(args[base]!, args[base + 1]!, args[base + 2]!, args[base + 3]!, args[base + 4]!, args[base + 5]!); break;
    default: fn(...Array.from(args.subarray(base, base + a)));
  }
}

function leave(): void {
  if (Atomics.sub(ctl, ACTIVE, 1) === 1) Atomics.notify(ctl, ACTIVE);
}

function fail(task: number, e: unknown): void {
  if (Atomics.compareExchange(ctl, ERR, 0, 1) !== 0) return;
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const { written } = new TextEncoder().encodeInto(text, errBytes);
  Atomics.store(ctl, ERRTASK, task);
  Atomics.store(ctl, ERRLEN, written);
}

/** Runs jobs until this worker is stopped, or returns to the event loop when a job needs a Module still in the message queue. */
function loop(): void {
  running = true;
  for (;;) {
    if (Atomics.load(ctl, GEN) === seen) {
      const until = performance.now() + SPIN_MS;
      let k = 0;
      while (Atomics.load(ctl, GEN) === seen && Atomics.load(stop, 0) === 0) {
        if ((++k & 255) === 0 && performance.now() > until) {
          Atomics.wait(ctl, GEN, seen);
          k = 0;
        }
      }
    }
    if (Atomics.load(stop, 0) !== 0) {
      running = false;
      port.close();
      return;
    }
    const g = Atomics.load(ctl, GEN);
    if (g === seen) continue;
    if ((g & 1) === 0) {
      seen = g;
      continue;
    }
    // Join, then check the job is still open: the caller closes GEN before it waits for ACTIVE to reach
    // 0, so a worker that got in here holds the job's parameters steady until it leaves.
    Atomics.add(ctl, ACTIVE, 1);
    if (Atomics.load(ctl, GEN) !== g) {
      leave();
      continue;
    }
    const id = Atomics.load(ctl, MODID);
    let fns = modules.get(id);
    if (!fns && port.receive) {
      for (let m = port.receive(); m !== undefined; m = port.receive()) onMessage(m as InitMsg | ModuleMsg);
      fns = modules.get(id);
    }
    if (!fns) {
      // Browser: the Module arrives only through the event loop; the caller runs this job without us.
      leave();
      running = false;
      return;
    }
    const fn = fns[Atomics.load(ctl, FNIDX)];
    const n = Atomics.load(ctl, NTASKS);
    const a = Atomics.load(ctl, ARITY);
    if (fn) {
      for (let i = Atomics.add(ctl, NEXT, 1); i < n; i = Atomics.add(ctl, NEXT, 1)) {
        if (Atomics.load(ctl, ERR) !== 0) continue; // a task failed: drain the rest unrun
        try {
          call(fn, a, i * a);
          Atomics.add(ctl, WTASKS, 1);
        } catch (e) {
          fail(i, e);
        }
      }
    }
    seen = g;
    leave();
  }
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node;
if (isNode) {
  // A computed specifier keeps browser bundlers from trying to resolve the Node module.
  const spec = 'node:worker_threads';
  const wt = (await import(/* @vite-ignore */ /* webpackIgnore: true */ spec)) as typeof import('node:worker_threads');
  const parent = wt.parentPort!;
  port = {
    post: (m) => parent.postMessage(m),
    receive: () => wt.receiveMessageOnPort(parent)?.message,
    close: () => {
      parent.removeAllListeners();
      parent.close();
    },
  };
  parent.on('message', onMessage);
} else {
  const scope = globalThis as unknown as {
    postMessage(m: unknown): void;
    close(): void;
    onmessage: ((e: MessageEvent) => void) | null;
  };
  port = { post: (m) => scope.postMessage(m), close: () => scope.close() };
  scope.onmessage = (e) => onMessage(e.data as InitMsg | ModuleMsg);
}
