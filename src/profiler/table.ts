// The profiler's text table, laid out as PyTorch's torch.autograd.profiler_util._build_table: every
// column right-aligned and followed by two spaces, dashed rules above and below the header and
// after the rows, then "Self CPU time total: ...". Times as _format_time, percentages of the total
// self time as _format_time_share, memory as _format_memory.
import { ValueError } from '../core/errors.js';
import type { FunctionEventAvg } from './profiler.js';

/** Options of `keyAverages().table()`. */
export interface TableOptions {
  /** Column to sort by, descending (PyTorch's attribute names, or camelCase); default: first-seen order. */
  sortBy?: string | null;
  /** Rows shown (default 100; a negative value or 0 shows all). */
  rowLimit?: number;
  /** Longest name shown before it is cut with "..." (default 55). */
  maxNameColumnWidth?: number;
}

const SORT_KEYS: Record<string, keyof FunctionEventAvg> = {
  cpu_time_total: 'cpuTimeTotal', self_cpu_time_total: 'selfCpuTimeTotal', cpu_time: 'cpuTime', count: 'count',
  cpu_memory_usage: 'cpuMemoryUsage', self_cpu_memory_usage: 'selfCpuMemoryUsage',
  cpuTimeTotal: 'cpuTimeTotal', selfCpuTimeTotal: 'selfCpuTimeTotal', cpuTime: 'cpuTime',
  cpuMemoryUsage: 'cpuMemoryUsage', selfCpuMemoryUsage: 'selfCpuMemoryUsage',
};

/** PyTorch's _format_time: `12.345us`, `1.234ms`, `1.234s`. @example formatTime(1500) // '1.500ms' */
export function formatTime(us: number): string {
  if (us >= 1e6) return `${(us / 1e6).toFixed(3)}s`;
  if (us >= 1e3) return `${(us / 1e3).toFixed(3)}ms`;
  return `${us.toFixed(3)}us`;
}

/** PyTorch's _format_time_share. @example formatTimeShare(5, 20) // '25.00%' */
export function formatTimeShare(us: number, totalUs: number): string {
  if (totalUs === 0) return 'NaN';
  return `${((us * 100) / totalUs).toFixed(2)}%`;
}

/** PyTorch's _format_memory: `512 b`, `1.50 Kb`, `2.00 Mb`, `1.00 Gb`. @example formatMemory(2048) // '2.00 Kb' */
export function formatMemory(bytes: number): string {
  const KB = 1024, MB = 1024 * KB, GB = 1024 * MB;
  const a = Math.abs(bytes);
  if (a >= GB) return `${(bytes / GB).toFixed(2)} Gb`;
  if (a >= MB) return `${(bytes / MB).toFixed(2)} Mb`;
  if (a >= KB) return `${(bytes / KB).toFixed(2)} Kb`;
  return `${bytes} b`;
}

export function buildTable(rows: FunctionEventAvg[], opts: TableOptions, memory: boolean, shapes: boolean): string {
  let events = rows;
  const sortBy = opts.sortBy ?? null;
  if (sortBy !== null) {
    const k = SORT_KEYS[sortBy];
    if (k === undefined) throw new ValueError(`table(): sortBy must be one of ${Object.keys(SORT_KEYS).slice(0, 6).join(', ')}, got ${JSON.stringify(sortBy)}`);
    events = [...rows].sort((a, b) => (b[k] as number) - (a[k] as number));
  }
  const rowLimit = opts.rowLimit ?? 100;
  const maxName = opts.maxNameColumnWidth ?? 55;
  const total = rows.reduce((s, e) => s + e.selfCpuTimeTotal, 0);
  const shown = rowLimit > 0 ? events.slice(0, rowLimit) : events;

  const headers = ['Name', 'Self CPU %', 'Self CPU', 'CPU total %', 'CPU total', 'CPU time avg'];
  if (memory) headers.push('CPU Mem', 'Self CPU Mem');
  headers.push('# of Calls');
  const widths = [Math.min(Math.max(4, ...events.map((e) => e.key.length)) + 4, maxName), ...headers.slice(1).map(() => 12)];
  if (shapes) {
    headers.push('Input Shapes');
    widths.push(Math.min(Math.max(...events.map((e) => (e.inputShapes ?? '[]').length)) + 4, 80));
  }
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!) + '  ').join('');
  const rule = widths.map((w) => '-'.repeat(w) + '  ').join('');
  const out = [rule, line(headers), rule];
  for (const e of shown) {
    let name = e.key;
    if (name.length >= maxName - 3) name = name.slice(0, maxName - 3) + '...';
    const cells = [
      name, formatTimeShare(e.selfCpuTimeTotal, total), formatTime(e.selfCpuTimeTotal),
      formatTimeShare(e.cpuTimeTotal, total), formatTime(e.cpuTimeTotal), formatTime(e.cpuTime),
    ];
    if (memory) cells.push(formatMemory(e.cpuMemoryUsage), formatMemory(e.selfCpuMemoryUsage));
    cells.push(String(e.count));
    if (shapes) {
      let s = e.inputShapes ?? '[]';
      if (s.length >= 80 - 3) s = s.slice(0, 80 - 3) + '...';
      cells.push(s);
    }
    out.push(line(cells));
  }
  out.push(rule, `Self CPU time total: ${formatTime(total)}`, '');
  return out.join('\n');
}
