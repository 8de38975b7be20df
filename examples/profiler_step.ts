// Demo section: torch.profiler on one training step of a small MLP (forward, backward, SGD step),
// printed as PyTorch's key-averages table. Checked: the table has rows for the matmul primitive and
// the Linear modules, and the Self CPU column adds up to the "Self CPU time total" footer.
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import type { Section, SectionResult } from './section.js';

const { nn, optim, profiler } = torch;

/** Parses PyTorch's time cells ('12.345us', '1.234ms', '1.234s') back to microseconds. */
const parseUs = (s: string) => {
  const m = /^([\d.]+)(us|ms|s)$/.exec(s);
  if (!m) throw new Error(`not a time: ${s}`);
  return Number(m[1]) * (m[2] === 'us' ? 1 : m[2] === 'ms' ? 1e3 : 1e6);
};

export async function run({ seed = 0 } = {}): Promise<SectionResult> {
  torch.manualSeed(seed);
  const model = new nn.Sequential(new nn.Linear(64, 32), new nn.ReLU(), new nn.Linear(32, 10));
  const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
  const x = torch.randn([32, 64]);
  const y = torch.randint(0, 10, [32]);
  const step = () => {
    opt.zeroGrad();
    const loss = profiler.recordFunction('forward', () => torch.crossEntropy(model.call(x) as Tensor, y));
    profiler.recordFunction('backward', () => loss.backward());
    profiler.recordFunction('optimizer.step', () => opt.step());
  };
  step(); // warm-up (kernel generation, buffer pools)

  const prof = profiler.profile({ activities: [profiler.ProfilerActivity.CPU], recordShapes: true, profileMemory: true }, step);
  const table = prof.keyAverages().table({ sortBy: 'cpu_time_total', rowLimit: 14 });
  console.log(table.replace(/^/gm, '  ').trimEnd());

  // Parse every row (no row limit) and add up the Self CPU column.
  const full = prof.keyAverages().table({ rowLimit: 0 }).split('\n');
  const rule = full[0]!;
  const rows = full.slice(3, full.indexOf(rule, 3)).map((l) => l.trim().split(/ {2,}/));
  const sumSelf = rows.reduce((s, r) => s + parseUs(r[2]!), 0);
  const total = parseUs(full[full.indexOf(rule, 3) + 1]!.replace('Self CPU time total: ', ''));
  const names = rows.map((r) => r[0]!);
  const hasMatmul = names.includes('aten::matmul');
  const linear = rows.find((r) => r[0] === 'nn.Module: Linear');
  // Each cell is rounded to 3 decimals of its unit: allow half a unit of the last digit per row.
  const tol = rows.length * 0.5e-3 * (total >= 1e3 ? 1e3 : 1) + 1e-6;
  const ok = hasMatmul && linear !== undefined && linear[8] === '2' && Math.abs(sumSelf - total) <= tol;
  console.log(`  ${prof.events().length} events; rows: ${rows.length}; Σ Self CPU = ${profiler.formatTime(sumSelf)} vs total ${profiler.formatTime(total)}`);
  console.log(`  check: aten::matmul row: ${hasMatmul}, 'nn.Module: Linear' row with 2 calls: ${linear?.[8] === '2'}, self times sum to the total: ${ok ? 'OK' : 'FAILED'}`);
  return { ok, summary: `profiler: ${rows.length} rows for one training step, Σ self = total (${profiler.formatTime(total)})` };
}

export const section: Section = { title: 'torch.profiler: the key-averages table of one training step', run: () => run() };
