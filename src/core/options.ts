// Trailing options objects stand in for Python's keyword arguments. Python rejects a misspelt keyword;
// a JavaScript object would silently ignore it (`{ keepDim: true }`, `{ label_smoothing: 0.1 }`), so every
// public function checks its options' keys here and names the camelCase spelling it expected.
import { ValueError } from './errors.js';

const squash = (k: string): string => k.toLowerCase().replace(/_/g, '');

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** The known name a user most likely meant: same letters up to case and underscores, else a near spelling. */
export function suggestName(key: string, known: readonly string[]): string | undefined {
  const exact = known.find((k) => squash(k) === squash(key));
  if (exact !== undefined) return exact;
  let best: string | undefined;
  let bestD = Math.min(2, Math.floor(key.length / 3));
  for (const k of known) {
    const d = editDistance(squash(k), squash(key));
    if (d <= bestD) [best, bestD] = [k, d - 1];
  }
  return best;
}

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/**
 * Throws a ValueError for anything but `undefined` or a plain object whose keys are all in `known`
 * (`sum(): unknown option 'keepDim' (did you mean 'keepdim'?) ...`). `what` is 'option' for keyword-style
 * arguments; other callers (parameter groups) name their own kind of key.
 */
export function checkOptions(fn: string, opts: unknown, known: readonly string[], what = 'option'): void {
  if (opts === undefined) return;
  if (!isPlainObject(opts)) {
    const got = opts === null ? 'null' : Array.isArray(opts) ? 'an array' : typeof opts === 'object' ? (opts.constructor?.name ?? 'an object') : `${typeof opts} ${String(opts)}`;
    throw new ValueError(`${fn}: expected an options object { ${known.join(', ')} }, got ${got}`);
  }
  for (const k of Object.keys(opts)) {
    if (known.includes(k)) continue;
    const hint = suggestName(k, known);
    throw new ValueError(
      `${fn}: unknown ${what} '${k}'${hint ? ` (did you mean '${hint}'?)` : ''}; known: ${known.length ? known.join(', ') : 'none'}`,
    );
  }
}
