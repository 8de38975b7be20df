// Asserting an error in full: its class name and its whole message, not a fragment of it.
import assert from 'node:assert/strict';

/** fn throws an error named `name` whose message is exactly `message`; `label` says which case failed. */
export function throwsExactly(fn: () => unknown, name: string, message: string, label = message): void {
  assert.throws(fn, (e: Error) => {
    // A custom assertion message replaces node's diff, so it carries both sides itself.
    assert.equal(e.name, name, `${label}\n  got ${e.name}, expected ${name}`);
    assert.equal(e.message, message, `${label}\n  got:      ${e.message}\n  expected: ${message}`);
    return true;
  }, label);
}

/** A table row: what is called, and the error type and whole message it must raise. */
export type Rejection = [label: string, call: () => unknown, error: string, message: string];

/** Every row is checked and every failing row reported at once, not only the first. */
export function rejects(rows: Rejection[]): void {
  const failed: string[] = [];
  for (const [label, call, error, message] of rows) {
    try {
      throwsExactly(call, error, message, label);
    } catch (e) {
      failed.push((e as Error).message);
    }
  }
  assert.deepEqual(failed, []);
}
