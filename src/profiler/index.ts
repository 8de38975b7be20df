// torch.profiler: profile, recordFunction, ProfilerActivity (see profiler.ts for the event names).
export { profile, recordFunction, isProfiling, Profile, KeyAverages, ProfilerActivity } from './profiler.js';
export type {
  ProfileOptions, ProfilerActivityName, ProfilerEvent, FunctionEventAvg, ChromeTrace, ChromeTraceEvent, RecordHandle,
} from './profiler.js';
export { formatTime, formatMemory, formatTimeShare, type TableOptions } from './table.js';
