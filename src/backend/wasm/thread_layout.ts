// The control block of the wasm thread pool, shared by the caller (threads.ts) and the workers
// (thread_worker.ts): Int32 slots, then the error message bytes, then the f64 argument slots.
export const GEN = 0; // odd while a job is open; workers sleep on it
export const NTASKS = 1;
export const MODID = 2;
export const FNIDX = 3;
export const ARITY = 4;
export const ERR = 5; // 0, or 1 once a task failed (the first failure wins)
export const ERRTASK = 6;
export const ERRLEN = 7;
export const ACTIVE = 16; // workers inside the current job; separate cache lines from GEN and NEXT
export const NEXT = 32; // the task counter
export const WTASKS = 48; // tasks run by workers, for tests and tuning
export const ERRMSG_BYTE = 256;
export const ERRMSG_CAP = 1024;
export const ARGS_BYTE = ERRMSG_BYTE + ERRMSG_CAP;
