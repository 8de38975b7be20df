// A progress bar for the demo sections (cli-progress), with log lines printed above it.
// On a terminal the bar redraws in place; when stdout is not a TTY (CI logs, pipes) there is no bar
// and log lines go straight to stdout, so captured output stays readable.
import cliProgress from 'cli-progress';
import type { Tensor } from '../src/index.js';
import { items } from './device.js';

export interface Progress {
  /** Sets the bar to `value` (of `total`) and refreshes its payload fields. */
  update(value: number, payload?: Record<string, unknown>): void;
  /** Prints a line above the bar (or plainly without a TTY). */
  log(line: string): void;
  /** Lets the bar redraw: call it now and then from a long synchronous loop. */
  yield(): Promise<void>;
  stop(): void;
}

export function progress(total: number, label: string): Progress {
  const tty = process.stdout.isTTY === true;
  if (!tty) {
    return {
      update() {},
      log: (line) => console.log(line),
      yield: async () => {},
      stop() {},
    };
  }
  const multi = new cliProgress.MultiBar(
    {
      stream: process.stdout,
      format: `  ${label} [{bar}] {percentage}% | {value}/{total} | loss {loss} | ETA {eta}s`,
      hideCursor: true,
      clearOnComplete: true,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  const bar = multi.create(total, 0, { loss: '-' });
  return {
    update: (value, payload) => bar.update(value, payload),
    log: (line) => multi.log(line + '\n'),
    yield: () => new Promise((resolve) => setImmediate(resolve)),
    stop: () => multi.stop(),
  };
}

/**
 * Runs `step(i)` for i = 1..steps under a progress bar, logging the loss tensor it returns every
 * `logEvery` steps (and at step 1); a non-finite loss stops the run. Returns every step's loss.
 * The losses are read every 20 steps, in one read: a device then waits for the host 20 times less
 * often (the log lines come out in batches, with the same values).
 */
export async function trainWithProgress(steps: number, logEvery: number, label: string, step: (i: number) => Tensor | Promise<Tensor>): Promise<number[]> {
  const bar = progress(steps, label);
  const losses: number[] = [];
  let pending: Tensor[] = [];
  const flush = async () => {
    const values = await items(pending);
    pending = [];
    for (const v of values) {
      losses.push(v);
      const i = losses.length;
      if (!Number.isFinite(v)) throw new Error(`loss became ${v} at step ${i}`);
      if (i % logEvery === 0 || i === 1) bar.log(`  step ${String(i).padStart(5)}  train loss ${v.toExponential(3)}`);
    }
  };
  try {
    for (let i = 1; i <= steps; i++) {
      pending.push((await step(i)).detach());
      if (i % 20 === 0 || i === steps) {
        await flush();
        bar.update(i, { loss: losses[losses.length - 1]!.toExponential(2) });
        await bar.yield();
      }
    }
  } finally {
    bar.stop();
  }
  return losses;
}
