// torch.save / torch.load for state dicts, written as safetensors underneath (a flat record of
// tensors; no pickle). A path writes or reads a file (Node); bytes work everywhere (browsers).
import { TorchfnError, ValueError } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import { load as stLoad, loadFile, save as stSave, saveFile } from './safetensors.js';

/** What torch.save accepts: a state dict (name → tensor), as a plain object or a Map. */
/** A state dict as torch.save takes it: names to tensors, as an object or a Map. */
export type StateDictLike = Record<string, Tensor> | Map<string, Tensor>;

function checkDict(obj: unknown): StateDictLike {
  if (obj instanceof Map) {
    for (const [k, v] of obj) if (typeof k !== 'string' || !(v instanceof Tensor)) throw new ValueError(`save(): expected a Map of name → Tensor, got an entry ${String(k)} → ${typeof v}`);
    return obj as Map<string, Tensor>;
  }
  if (obj === null || typeof obj !== 'object' || obj instanceof Tensor) {
    throw new ValueError(`save(): expected a state dict (an object or Map of name → Tensor), got ${obj instanceof Tensor ? 'a Tensor (wrap it: { x })' : typeof obj}`);
  }
  for (const [k, v] of Object.entries(obj)) {
    if (!(v instanceof Tensor)) throw new ValueError(`save(): only tensors can be saved (safetensors format); entry '${k}' is ${v === null ? 'null' : typeof v}`);
  }
  return obj as Record<string, Tensor>;
}

/**
 * Saves a state dict (torch.save). With a path, writes the file (Node) and returns nothing; without,
 * returns the bytes (for browsers: a Blob, IndexedDB, a download). The format is safetensors, so
 * `safetensors.load_file` in Python reads it; only tensors can be saved (no pickled objects).
 * @example torch.save(model.stateDict(), 'model.safetensors')
 * @example const bytes = torch.save(model.stateDict())
 */
export function save(stateDict: StateDictLike, path: string): void;
export function save(stateDict: StateDictLike): Uint8Array;
export function save(stateDict: StateDictLike, path?: string): Uint8Array | void {
  const d = checkDict(stateDict);
  if (path === undefined) return stSave(d);
  if (typeof path !== 'string') throw new ValueError(`save(): path must be a string, got ${typeof path}`);
  saveFile(d, path);
}

/**
 * Loads what torch.save wrote (torch.load): from a path (Node) or from bytes; returns name → tensor,
 * ready for `model.loadStateDict`. Any safetensors file works.
 * @example model.loadStateDict(torch.load('model.safetensors'))
 */
export function load(source: string | Uint8Array | ArrayBuffer): Record<string, Tensor> {
  if (typeof source === 'string') return loadFile(source);
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) return stLoad(source);
  throw new TorchfnError(`load(): expected a path or bytes (Uint8Array / ArrayBuffer), got ${typeof source}`);
}
