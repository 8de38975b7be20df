// A script run in a fresh Node process: for what only shows when a process starts or ends.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Runs `script` as an ES module (TypeScript imports through tsx) from the repository root. */
export function runScript(script: string, opts: { nodeFlags?: string[]; env?: Record<string, string>; timeoutMs: number }): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [...(opts.nodeFlags ?? []), '--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    timeout: opts.timeoutMs,
  });
}
