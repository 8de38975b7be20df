// torch.profiler: records what ran, for how long and with what shapes, from two sources: the
// dispatcher (every primitive call, at the transform level it ran at) and Module.call (one span per
// module call). recordFunction adds user spans. When no profiler runs, the dispatcher's only cost is
// one `observer !== null` check in `bind`, and Module.call's one `callObserver !== null` check.
//
// Event names (what the table's Name column and the Chrome trace show):
// - `aten::<primitive>` for a primitive run on concrete tensors (a kernel call; `aten::matmul`,
//   `aten::add`, `aten::reshape`...), named after torchfn's primitives (`torch.primitives`), which
//   are coarser than ATen's operators (one `aten::matmul` where PyTorch shows aten::mm/aten::bmm);
// - `<level>::<primitive>` for a primitive handled by a transform level: `vmap::`, `jvp::`,
//   `grad::`, `functionalize::`; the kernels it runs below appear nested inside it as `aten::` events;
// - `nn.Module: <ClassName>` for Module.call (its dotted name within the outermost module called, e.g.
//   `fc1` or `layers.0`, is the event's "Module" argument in the trace);
// - the name given to recordFunction.
// Times come from performance.now() and are reported in microseconds, as PyTorch does.
import { TorchfnError, ValueError } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import type { DType } from '../core/dtype.js';
import { setDispatchObserver, type DispatchObserver, type Primitive } from '../primitives/primitive.js';
import type { Level } from '../primitives/levels.js';
import type { Tensor } from '../tensor.js';
import { setCallObserver } from '../nn/call_observer.js';
import type { Module } from '../nn/module.js';
import { buildTable, type TableOptions } from './table.js';

/** What to profile; only the CPU exists here (PyTorch's ProfilerActivity.CPU). */
export type ProfilerActivityName = 'cpu';
/**
 * PyTorch's `torch.profiler.ProfilerActivity`. CUDA has no counterpart here.
 * @example torch.profiler.profile({ activities: [torch.profiler.ProfilerActivity.CPU] }, step)
 */
export const ProfilerActivity = {
  /** Operations run on the CPU (the wasm and js backends). */
  CPU: 'cpu',
} as const;

/** Options of `profile` (PyTorch's keyword arguments, camelCase). */
export interface ProfileOptions {
  /** Activities to record; only 'cpu' (the default). */
  activities?: readonly ProfilerActivityName[];
  /** Record each op's input shapes (the table's "Input Shapes" column, the trace's "Input Dims"). */
  recordShapes?: boolean;
  /** Record the bytes of tensors each op creates (the table's "CPU Mem" / "Self CPU Mem"). */
  profileMemory?: boolean;
  /** Record the JavaScript call stack of each event (the trace's "Call stack" argument). */
  withStack?: boolean;
}

/** One recorded span (PyTorch's FunctionEvent). Times in microseconds. */
export interface ProfilerEvent {
  /** `aten::<primitive>`, `<level>::<primitive>`, `nn.Module: <Class>` or a recordFunction name. */
  name: string;
  /** 'cpu_op' (a primitive), 'python_function' (a module call) or 'user_annotation' (recordFunction). */
  category: 'cpu_op' | 'python_function' | 'user_annotation';
  /** Start, in microseconds since the page/process time origin. */
  startUs: number;
  /** Wall time of the event, in microseconds. */
  durationUs: number;
  /** Duration minus that of the events directly inside it. */
  selfDurationUs: number;
  /** Index of the enclosing event in `prof.events()`, or -1 at the top. */
  parent: number;
  /** Input shapes (recordShapes), else null. */
  inputShapes: number[][] | null;
  /** Transform level a primitive ran at ('vmap', 'jvp', 'grad', 'functionalize'), null for kernels. */
  level: string | null;
  /** Bytes of the tensor this event created itself (profileMemory; 0 for views and level wrappers). */
  selfBytes: number;
  /** Bytes created by this event and everything inside it. */
  bytes: number;
  /** The module's dotted name within the outermost module called (module events). */
  module: string | null;
  /** The call stack (withStack). */
  stack: string[] | null;
}

interface Raw {
  name: string;
  cat: ProfilerEvent['category'];
  start: number; // ms (performance.now())
  end: number;
  parent: number;
  shapes: number[][] | null;
  level: string | null;
  selfBytes: number;
  module: string | null;
  stack: string[] | null;
  view: boolean;
  mod: Module | null;
}

const LEVEL_NAMES: Record<string, string> = { batch: 'vmap', dual: 'jvp', grad: 'grad', functionalize: 'functionalize' };
const ITEMSIZE: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

let active: Profile | null = null;

/**
 * A profiling session (PyTorch's `torch.profiler.profile` object). Made by `profile(opts)`; record
 * between `start()` and `stop()` (or with `using`, whose disposal stops it), then read
 * `keyAverages().table()`, `events()` or `exportChromeTrace(path)`.
 * @example
 * const prof = torch.profiler.profile({ recordShapes: true });
 * { using _ = prof.start(); model.call(x).sum().backward(); }
 * console.log(prof.keyAverages().table({ sortBy: 'cpu_time_total', rowLimit: 10 }));
 */
export class Profile {
  /** Whether events keep their input shapes. */
  readonly recordShapes: boolean;
  /** Whether events count the bytes of the tensors they create. */
  readonly profileMemory: boolean;
  /** Whether events keep the JavaScript stack (in the trace's args). */
  readonly withStack: boolean;
  private raw: Raw[] = [];
  private open: number[] = [];
  private state: 'new' | 'running' | 'stopped' = 'new';
  private finished: ProfilerEvent[] | null = null;
  private prevDispatch: DispatchObserver | null = null;

  constructor(opts: ProfileOptions = {}) {
    checkOptions('profile()', opts, ['activities', 'recordShapes', 'profileMemory', 'withStack']);
    for (const a of opts.activities ?? ['cpu']) {
      if (String(a).toLowerCase() !== 'cpu') throw new ValueError(`profile(): activities: only ProfilerActivity.CPU ('cpu') is available, got ${JSON.stringify(a)}`);
    }
    this.recordShapes = opts.recordShapes ?? false;
    this.profileMemory = opts.profileMemory ?? false;
    this.withStack = opts.withStack ?? false;
  }

  /** Starts recording; returns this, so `using prof = profile(opts).start()` stops at block end. */
  start(): this {
    if (this.state !== 'new') throw new TorchfnError('profile.start(): this profiler was already started; make a new one');
    if (active !== null) throw new TorchfnError('profile.start(): another profiler is already running (profilers do not nest)');
    active = this;
    this.state = 'running';
    const self = this;
    this.prevDispatch = setDispatchObserver({
      enter(prim: Primitive, inputs: readonly Tensor[], level: Level | null) {
        const lv = level === null ? null : LEVEL_NAMES[level.kind] ?? level.kind;
        self.push(`${lv ?? 'aten'}::${prim.name}`, 'cpu_op', self.recordShapes ? inputs.map((x) => [...x.shape]) : null, lv, !!prim.view);
      },
      exit(out: Tensor | null) {
        const i = self.pop();
        const r = self.raw[i]!;
        if (self.profileMemory && out !== null && r.level === null && !r.view) r.selfBytes = out.shape.reduce((a, b) => a * b, 1) * ITEMSIZE[out.dtype];
      },
    });
    setCallObserver((m, run) => {
      const path = self.modulePath(m);
      const i = self.push(`nn.Module: ${m._getName()}`, 'python_function', null, null, false);
      self.raw[i]!.module = path;
      self.raw[i]!.mod = m;
      try {
        return run();
      } finally {
        self.pop();
      }
    });
    return this;
  }

  /** Stops recording (spans still open are closed now). Stopping twice is a no-op. */
  stop(): this {
    if (this.state !== 'running') return this;
    while (this.open.length > 0) this.pop();
    setDispatchObserver(this.prevDispatch);
    setCallObserver(null);
    active = null;
    this.state = 'stopped';
    for (const r of this.raw) r.mod = null;
    return this;
  }

  /** `using` support: stops the profiler. */
  [Symbol.dispose](): void {
    this.stop();
  }

  /** @internal opens a span; returns its index. */
  push(name: string, cat: Raw['cat'], shapes: number[][] | null, level: string | null, view: boolean): number {
    const stack = this.withStack ? captureStack() : null;
    const i = this.raw.length;
    this.raw.push({
      name, cat, start: performance.now(), end: 0, parent: this.open.length > 0 ? this.open[this.open.length - 1]! : -1,
      shapes, level, selfBytes: 0, module: null, stack, view, mod: null,
    });
    this.open.push(i);
    return i;
  }

  /** @internal closes the innermost span; returns its index. */
  pop(): number {
    const i = this.open.pop()!;
    this.raw[i]!.end = performance.now();
    return i;
  }

  private modulePath(m: Module): string {
    for (let k = this.open.length - 1; k >= 0; k--) {
      const p = this.raw[this.open[k]!]!;
      if (p.mod === null) continue;
      for (const [name, child] of p.mod._modules) {
        if (child === m) return p.module === '' ? name : `${p.module}.${name}`;
      }
      return '';
    }
    return '';
  }

  private done(what: string): void {
    if (this.state !== 'stopped') throw new TorchfnError(`profile.${what}(): the profiler is ${this.state === 'new' ? 'not started' : 'still running'}; read its results after stop()`);
  }

  /** The recorded spans in start order (PyTorch's `prof.events()`), times in microseconds. */
  events(): ProfilerEvent[] {
    this.done('events');
    if (this.finished !== null) return this.finished;
    const us = (ms: number) => Math.round(ms * 1e6) / 1e3; // integer nanoseconds, so nesting is exact
    const ev: ProfilerEvent[] = this.raw.map((r) => {
      const startUs = us(r.start);
      const durationUs = Math.max(0, Math.round((us(r.end) - startUs) * 1e3) / 1e3);
      return {
        name: r.name, category: r.cat, startUs, durationUs, selfDurationUs: durationUs, parent: r.parent,
        inputShapes: r.shapes, level: r.level, selfBytes: r.selfBytes, bytes: r.selfBytes, module: r.module, stack: r.stack,
      };
    });
    for (let i = ev.length - 1; i >= 0; i--) {
      const e = ev[i]!;
      if (e.parent < 0) continue;
      const p = ev[e.parent]!;
      p.selfDurationUs = Math.round((p.selfDurationUs - e.durationUs) * 1e3) / 1e3;
      p.bytes += e.bytes;
    }
    this.finished = ev;
    return ev;
  }

  /**
   * Statistics per event name (PyTorch's `prof.key_averages()`), in first-seen order; with
   * `groupByInputShape`, per name and input shapes.
   * @example prof.keyAverages({ groupByInputShape: true }).table({ sortBy: 'cpu_time_total', rowLimit: 5 })
   */
  keyAverages(opts: { groupByInputShape?: boolean } = {}): KeyAverages {
    checkOptions('keyAverages()', opts, ['groupByInputShape']);
    const byShape = opts.groupByInputShape ?? false;
    if (byShape && !this.recordShapes) {
      throw new TorchfnError('keyAverages(): groupByInputShape needs the profiler to be made with recordShapes: true');
    }
    const rows = new Map<string, FunctionEventAvg>();
    for (const e of this.events()) {
      const shapes = e.inputShapes === null ? '[]' : shapesStr(e.inputShapes);
      const k = byShape ? `${e.name}\u0000${shapes}` : e.name;
      let a = rows.get(k);
      if (a === undefined) {
        a = { key: e.name, count: 0, cpuTimeTotal: 0, selfCpuTimeTotal: 0, cpuTime: 0, cpuMemoryUsage: 0, selfCpuMemoryUsage: 0, inputShapes: byShape ? shapes : null };
        rows.set(k, a);
      }
      a.count++;
      a.cpuTimeTotal += e.durationUs;
      a.selfCpuTimeTotal += e.selfDurationUs;
      a.cpuMemoryUsage += e.bytes;
      a.selfCpuMemoryUsage += e.selfBytes;
    }
    for (const a of rows.values()) a.cpuTime = a.cpuTimeTotal / a.count;
    return new KeyAverages([...rows.values()], this.profileMemory, byShape);
  }

  /** Sum of every event's self time, in microseconds (the table's "Self CPU time total"). */
  get selfCpuTimeTotal(): number {
    return this.events().reduce((s, e) => s + e.selfDurationUs, 0);
  }

  /**
   * The Chrome trace (Trace Event Format) as a JSON-ready object: one complete ('X') event per span,
   * ts and dur in microseconds, input shapes in args — what exportChromeTrace writes; use this in a
   * browser and save it yourself. Perfetto (ui.perfetto.dev) and chrome://tracing open it.
   * @example const blob = new Blob([JSON.stringify(prof.chromeTrace())], { type: 'application/json' });
   */
  chromeTrace(): ChromeTrace {
    const evs = this.events();
    const pid = (globalThis as { process?: { pid?: number } }).process?.pid ?? 0;
    const tid = 1;
    const traceEvents: ChromeTraceEvent[] = [
      { ph: 'M', name: 'process_name', pid, tid: 0, args: { name: 'torchfn' } },
      { ph: 'M', name: 'thread_name', pid, tid, args: { name: 'main' } },
    ];
    evs.forEach((e, i) => {
      const args: Record<string, unknown> = { 'External id': i + 1 };
      if (e.parent >= 0) args['Parent id'] = e.parent + 1;
      if (e.inputShapes !== null) args['Input Dims'] = e.inputShapes;
      if (e.level !== null) args['Level'] = e.level;
      if (e.module !== null) args['Module'] = e.module;
      if (this.profileMemory && e.category === 'cpu_op') args['Self Bytes'] = e.selfBytes;
      if (e.stack !== null) args['Call stack'] = e.stack.join('\n');
      traceEvents.push({ ph: 'X', cat: e.category, name: e.name, pid, tid, ts: e.startUs, dur: e.durationUs, args });
    });
    return { schemaVersion: 1, displayTimeUnit: 'ms', deviceProperties: [], traceEvents };
  }

  /**
   * Writes the Chrome trace JSON to `path` (Node; PyTorch's export_chrome_trace). In a browser use
   * `chromeTrace()`.
   * @example prof.exportChromeTrace('trace.json') // open in ui.perfetto.dev or chrome://tracing
   */
  exportChromeTrace(path: string): void {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const fs = proc?.getBuiltinModule?.('node:fs') as { writeFileSync(p: string, d: string): void } | undefined;
    if (!fs) throw new TorchfnError('exportChromeTrace(): needs Node.js\'s fs module (Node >= 20.16); in a browser use prof.chromeTrace()');
    fs.writeFileSync(path, JSON.stringify(this.chromeTrace()));
  }
}

/** A Trace Event Format event. */
export interface ChromeTraceEvent {
  /** 'X' a complete event (with ts and dur), 'M' metadata (process and thread names). */
  ph: 'X' | 'M';
  /** The event's name, as in the table. */
  name: string;
  /** Process id (always 0 here). */
  pid: number;
  /** Thread id (the calling thread: 0). */
  tid: number;
  /** 'cpu_op', 'python_function' or 'user_annotation'. */
  cat?: string;
  /** Start, in microseconds. */
  ts?: number;
  /** Duration, in microseconds. */
  dur?: number;
  /** Input dims, the module's name, the level, the stack... */
  args: Record<string, unknown>;
}
/** The object exportChromeTrace writes. */
export interface ChromeTrace {
  /** The trace format's version (1). */
  schemaVersion: number;
  /** How viewers show times. */
  displayTimeUnit: 'ms';
  /** GPU properties in PyTorch's traces; empty here. */
  deviceProperties: unknown[];
  /** The events, one per span. */
  traceEvents: ChromeTraceEvent[];
}

/** Statistics of one key (PyTorch's FunctionEventAvg). Times in microseconds, memory in bytes. */
export interface FunctionEventAvg {
  /** The event name the row groups. */
  key: string;
  /** Number of calls. */
  count: number;
  /** Total time including the events inside. */
  cpuTimeTotal: number;
  /** Total time excluding the events inside. */
  selfCpuTimeTotal: number;
  /** Average total time per call. */
  cpuTime: number;
  /** Bytes created, including the events inside (profileMemory). */
  cpuMemoryUsage: number;
  /** Bytes created by the events themselves (profileMemory). */
  selfCpuMemoryUsage: number;
  /** Input shapes as PyTorch prints them (`[[2, 3], []]`), when grouped by input shape. */
  inputShapes: string | null;
}

/**
 * The rows of `keyAverages()` (PyTorch's EventList of averages): iterable, with `table()`.
 * @example for (const row of prof.keyAverages()) console.log(row.key, row.count);
 */
export class KeyAverages {
  /** @param rows One row per key (and input shapes, when grouped so). */
  constructor(readonly rows: FunctionEventAvg[], private readonly memory: boolean, private readonly shapes: boolean) {}
  /** Number of rows. */
  get length(): number {
    return this.rows.length;
  }
  /** The rows, in the order they were first seen. */
  [Symbol.iterator](): Iterator<FunctionEventAvg> {
    return this.rows[Symbol.iterator]();
  }
  /**
   * PyTorch's table: Name, Self CPU %, Self CPU, CPU total %, CPU total, CPU time avg, (CPU Mem,
   * Self CPU Mem with profileMemory), # of Calls, (Input Shapes when grouped by shape); dashed rules,
   * right-aligned columns, times as `12.345us` / `1.234ms` / `1.234s`, and the "Self CPU time total"
   * footer. `sortBy` is a column key ('cpu_time_total', 'self_cpu_time_total', 'cpu_time', 'count',
   * 'cpu_memory_usage', 'self_cpu_memory_usage', or camelCase), descending; rowLimit defaults to 100.
   * @example console.log(prof.keyAverages().table({ sortBy: 'self_cpu_time_total', rowLimit: 10 }))
   */
  table(opts: TableOptions = {}): string {
    checkOptions('table()', opts, ['sortBy', 'rowLimit', 'maxNameColumnWidth']);
    return buildTable(this.rows, opts, this.memory, this.shapes);
  }
  /** The table with its default options. */
  toString(): string {
    return this.table();
  }
}

function shapesStr(s: number[][]): string {
  return `[${s.map((d) => `[${d.join(', ')}]`).join(', ')}]`;
}

function captureStack(): string[] {
  const lines = (new Error().stack ?? '').split('\n').slice(1).map((l) => l.trim());
  return lines.filter((l) => !/[\\/](profiler|primitives)[\\/]|[\\/]nn[\\/]module\.|[\\/]ops[\\/]|[\\/]tensor\.[jt]s/.test(l)).slice(0, 8);
}

/**
 * Profiles `fn` (PyTorch's `with torch.profiler.profile(...) as prof:`) and returns the stopped
 * profiler; an async fn gives a Promise of it. Without fn, returns a profiler to `start()` and
 * `stop()` yourself (or `using _ = prof.start()`).
 * @example
 * const prof = torch.profiler.profile({ recordShapes: true, profileMemory: true }, () => model.call(x));
 * console.log(prof.keyAverages().table({ sortBy: 'cpu_time_total', rowLimit: 10 }));
 */
export function profile(opts: ProfileOptions, fn: () => Promise<unknown>): Promise<Profile>;
export function profile(opts: ProfileOptions, fn: () => unknown): Profile;
export function profile(opts?: ProfileOptions): Profile;
export function profile(opts: ProfileOptions = {}, fn?: () => unknown): Profile | Promise<Profile> {
  const p = new Profile(opts);
  if (fn === undefined) return p;
  p.start();
  let r: unknown;
  try {
    r = fn();
  } catch (e) {
    p.stop();
    throw e;
  }
  if (r !== null && typeof r === 'object' && typeof (r as PromiseLike<unknown>).then === 'function') {
    return Promise.resolve(r).then(
      () => p.stop(),
      (e: unknown) => {
        p.stop();
        throw e;
      },
    );
  }
  return p.stop();
}

/** A span opened by `recordFunction(name)`; `end()` or disposal closes it. */
export interface RecordHandle {
  /** Closes the span. */
  end(): void;
  /** Closes the span at the end of a `using` block. */
  [Symbol.dispose](): void;
}

/**
 * A named span around `fn` (PyTorch's `with torch.profiler.record_function(name):`), shown as its own
 * row and as an enclosing event in the trace; returns fn's result (a Promise is awaited before the
 * span closes). Without fn, returns a handle for `using _ = recordFunction(name)`. Costs nothing
 * when no profiler runs.
 * @example torch.profiler.recordFunction('data', () => loadBatch())
 */
export function recordFunction<R>(name: string, fn: () => R): R;
export function recordFunction(name: string): RecordHandle;
export function recordFunction<R>(name: string, fn?: () => R): R | RecordHandle {
  if (typeof name !== 'string') throw new ValueError(`recordFunction(): name must be a string, got ${typeof name}`);
  const p = active;
  const i = p === null ? -1 : p.push(name, 'user_annotation', null, null, false);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    if (p !== null && active === p) p.pop();
  };
  if (fn === undefined) return { end: close, [Symbol.dispose]: close };
  void i;
  let r: R;
  try {
    r = fn();
  } catch (e) {
    close();
    throw e;
  }
  if (r !== null && typeof r === 'object' && typeof (r as unknown as PromiseLike<unknown>).then === 'function') {
    return Promise.resolve(r).finally(close) as R;
  }
  close();
  return r;
}

/** Whether a profiler is recording now. @example torch.profiler.isProfiling() // false */
export function isProfiling(): boolean {
  return active !== null;
}
