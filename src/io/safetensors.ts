// safetensors: the format of Hugging Face's safetensors package, read and written as PyTorch's
// `safetensors.torch` does. Layout: an 8-byte little-endian header length N, N bytes of JSON
// ({"__metadata__": {str: str}, name: {dtype, shape, data_offsets: [begin, end]}}), padded with
// spaces to a multiple of 8, then the data (offsets relative to its start).
//
// Reading maps F32, F64, I32 and BOOL to the same dtype; F16 and BF16 are upcast to float32;
// I64/U32/U64 (and I8/U8/I16/U16) become int32, with a range check. The header is untrusted: its
// size, JSON, dtypes, shapes and offsets are validated (ranges in bounds, contiguous, covering the
// data, size = numel * itemsize) before any tensor memory is allocated.
// Writing follows the Rust crate: tensors sorted by dtype (widest first) then name, compact JSON
// with __metadata__ first, header padded with spaces.
import type { DType, TypedArray } from '../core/dtype.js';
import { DeviceError, TorchfnError, ValueError } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import { tensor } from '../ops/creation.js';

/** A malformed or unsupported safetensors file (PyTorch's SafetensorError). @example try { safetensors.load(bytes) } catch (e) { if (e instanceof safetensors.SafetensorError) ... } */
export class SafetensorError extends TorchfnError {
  override name = 'SafetensorError';
}

/** Largest accepted header, as the Rust crate (100 MB). @example safetensors.MAX_HEADER_SIZE // 100000000 */
export const MAX_HEADER_SIZE = 100_000_000;

type StDType = 'BOOL' | 'U8' | 'I8' | 'I16' | 'U16' | 'F16' | 'BF16' | 'I32' | 'U32' | 'F32' | 'F64' | 'I64' | 'U64';

/** Item sizes, and the order the Rust crate sorts by (its Dtype enum order). */
const ITEMSIZE: Record<StDType, number> = { BOOL: 1, U8: 1, I8: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8 };
const RANK: Record<string, number> = {
  BOOL: 0, F4: 1, F6_E2M3: 2, F6_E3M2: 3, U8: 4, I8: 5, F8_E5M2: 6, F8_E4M3: 7, F8_E8M0: 8, I16: 9, U16: 10, F16: 11, BF16: 12,
  I32: 13, U32: 14, F32: 15, C64: 16, F64: 17, I64: 18, U64: 19,
};
const KNOWN_UNSUPPORTED = ['F4', 'F6_E2M3', 'F6_E3M2', 'F8_E5M2', 'F8_E4M3', 'F8_E8M0', 'C64'];
const WRITE_DTYPE: Record<DType, StDType> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };

interface Entry {
  name: string;
  dtype: StDType;
  shape: number[];
  begin: number;
  end: number;
}

interface Header {
  entries: Entry[];
  metadata: Record<string, string> | null;
  /** Offset of the data section from the start of the file. */
  dataStart: number;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function readHeaderLength(b8: Uint8Array, fileSize: number): number {
  if (fileSize < 8) throw new SafetensorError(`safetensors: file too small to hold a header length (${fileSize} bytes, need at least 8)`);
  const dv = new DataView(b8.buffer, b8.byteOffset, 8);
  const lo = dv.getUint32(0, true);
  const hi = dv.getUint32(4, true);
  const n = hi * 2 ** 32 + lo;
  if (n > MAX_HEADER_SIZE) throw new SafetensorError(`safetensors: header too large (${n} bytes; the limit is ${MAX_HEADER_SIZE})`);
  if (8 + n > fileSize) throw new SafetensorError(`safetensors: invalid header length ${n}: the file has only ${fileSize - 8} bytes after the length field`);
  if (n < 2) throw new SafetensorError(`safetensors: invalid header length ${n}`);
  return n;
}

function isNonNegInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

/** Parses and validates the JSON header against a data section of `dataSize` bytes. */
function parseHeader(bytes: Uint8Array, n: number, fileSize: number): Header {
  let text: string;
  try {
    // ignoreBOM keeps a byte-order mark in the text, so the '{' check below refuses it as the reference reader does.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new SafetensorError('safetensors: invalid header: not valid UTF-8');
  }
  if (!text.startsWith('{')) throw new SafetensorError("safetensors: invalid header start: the header must be a JSON object starting with '{'");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SafetensorError(`safetensors: invalid header JSON: ${(e as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new SafetensorError('safetensors: invalid header: expected a JSON object');
  const dataStart = 8 + n;
  const dataSize = fileSize - dataStart;
  let metadata: Record<string, string> | null = null;
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (info === null) continue;
      if (typeof info !== 'object' || Array.isArray(info)) throw new SafetensorError('safetensors: invalid header: __metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(info as Record<string, unknown>)) {
        if (typeof v !== 'string') throw new SafetensorError(`safetensors: invalid header: __metadata__ value for '${k}' must be a string, got ${typeof v}`);
      }
      metadata = { ...(info as Record<string, string>) };
      continue;
    }
    if (info === null || typeof info !== 'object' || Array.isArray(info)) throw new SafetensorError(`safetensors: invalid header entry for tensor '${name}': expected an object`);
    const { dtype, shape, data_offsets: offs } = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof dtype !== 'string') throw new SafetensorError(`safetensors: tensor '${name}': missing or invalid dtype`);
    if (!Object.hasOwn(ITEMSIZE, dtype)) {
      if (KNOWN_UNSUPPORTED.includes(dtype)) throw new SafetensorError(`safetensors: tensor '${name}': dtype ${dtype} is not supported by torchfn`);
      throw new SafetensorError(`safetensors: tensor '${name}': unknown dtype '${dtype}'`);
    }
    if (!Array.isArray(shape) || !shape.every(isNonNegInt)) throw new SafetensorError(`safetensors: tensor '${name}': invalid shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every(isNonNegInt)) {
      throw new SafetensorError(`safetensors: tensor '${name}': invalid data_offsets ${JSON.stringify(offs)}`);
    }
    const [begin, end] = offs as [number, number];
    if (begin > end) throw new SafetensorError(`safetensors: tensor '${name}': invalid data_offsets [${begin}, ${end}] (begin > end)`);
    if (end > dataSize) {
      throw new SafetensorError(`safetensors: tensor '${name}': data_offsets [${begin}, ${end}] are out of the file's data section (${dataSize} bytes)`);
    }
    // The byte size, compared without overflow: stop multiplying once it exceeds the range.
    const dims = shape as number[];
    const rangeLen = end - begin;
    let needed = dims.includes(0) ? 0 : ITEMSIZE[dtype as StDType];
    let partial = false;
    for (let i = 0; i < dims.length; i++) {
      if (needed > rangeLen) {
        partial = true;
        break;
      }
      needed *= dims[i]!;
    }
    if (needed !== rangeLen) {
      throw new SafetensorError(
        `safetensors: tensor '${name}': invalid tensor info: shape [${dims.join(', ')}] of ${dtype} needs ${partial ? 'more than ' + rangeLen : needed} bytes but data_offsets [${begin}, ${end}] hold ${rangeLen}`,
      );
    }
    entries.push({ name, dtype: dtype as StDType, shape: [...(shape as number[])], begin, end });
  }
  // The ranges must tile the data section exactly: no gaps, no overlaps, nothing left over.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  for (const e of sorted) {
    if (e.begin !== pos) {
      throw new SafetensorError(
        e.begin < pos
          ? `safetensors: tensor '${e.name}': data_offsets [${e.begin}, ${e.end}] overlap another tensor's data`
          : `safetensors: invalid offset: tensor '${e.name}' starts at ${e.begin} but the previous data ends at ${pos} (gap in the data section)`,
      );
    }
    pos = e.end;
  }
  if (pos !== dataSize) throw new SafetensorError(`safetensors: metadata incomplete buffer: the tensors cover ${pos} bytes of a ${dataSize}-byte data section`);
  return { entries, metadata, dataStart };
}

/** Decodes one tensor's bytes into a torchfn dtype's array. */
function decode(e: Entry, raw: Uint8Array): [TypedArray, DType] {
  const n = (e.end - e.begin) / ITEMSIZE[e.dtype];
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const aligned = (size: number) => LITTLE_ENDIAN && raw.byteOffset % size === 0;
  switch (e.dtype) {
    case 'F32':
      if (aligned(4)) return [new Float32Array(raw.buffer, raw.byteOffset, n).slice(), 'float32'];
      return [Float32Array.from({ length: n }, (_, i) => dv.getFloat32(4 * i, true)), 'float32'];
    case 'F64':
      if (aligned(8)) return [new Float64Array(raw.buffer, raw.byteOffset, n).slice(), 'float64'];
      return [Float64Array.from({ length: n }, (_, i) => dv.getFloat64(8 * i, true)), 'float64'];
    case 'I32':
      if (aligned(4)) return [new Int32Array(raw.buffer, raw.byteOffset, n).slice(), 'int32'];
      return [Int32Array.from({ length: n }, (_, i) => dv.getInt32(4 * i, true)), 'int32'];
    case 'BOOL':
      return [Uint8Array.from(raw, (b) => (b !== 0 ? 1 : 0)), 'bool'];
    case 'F16': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = halfToFloat(dv.getUint16(2 * i, true));
      return [out, 'float32'];
    }
    case 'BF16': {
      const out = new Float32Array(n);
      const tmp = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < n; i++) {
        tmp.setUint32(0, dv.getUint16(2 * i, true) << 16);
        out[i] = tmp.getFloat32(0);
      }
      return [out, 'float32'];
    }
    case 'I8':
      return [Int32Array.from({ length: n }, (_, i) => dv.getInt8(i)), 'int32'];
    case 'U8':
      return [Int32Array.from(raw), 'int32'];
    case 'I16':
      return [Int32Array.from({ length: n }, (_, i) => dv.getInt16(2 * i, true)), 'int32'];
    case 'U16':
      return [Int32Array.from({ length: n }, (_, i) => dv.getUint16(2 * i, true)), 'int32'];
    case 'U32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = dv.getUint32(4 * i, true);
        if (v > 0x7fffffff) throw rangeError(e, String(v), i);
        out[i] = v;
      }
      return [out, 'int32'];
    }
    case 'I64':
    case 'U64': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const lo = dv.getUint32(8 * i, true);
        const hi = e.dtype === 'I64' ? dv.getInt32(8 * i + 4, true) : dv.getUint32(8 * i + 4, true);
        const ok = (hi === 0 && lo <= 0x7fffffff) || (hi === -1 && lo >= 0x80000000);
        if (!ok) {
          const v = e.dtype === 'I64' ? dv.getBigInt64(8 * i, true) : dv.getBigUint64(8 * i, true);
          throw rangeError(e, v.toString(), i);
        }
        out[i] = lo | 0;
      }
      return [out, 'int32'];
    }
  }
}

function rangeError(e: Entry, v: string, i: number): SafetensorError {
  return new SafetensorError(
    `safetensors: tensor '${e.name}' (${e.dtype}) holds ${v} at flat index ${i}, outside the int32 range torchfn narrows ${e.dtype} to [-2147483648, 2147483647]`,
  );
}

/** IEEE half (binary16) bits to a number. */
function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return s * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : s * Infinity;
  return s * (1 + frac / 1024) * 2 ** (exp - 15);
}

function build(header: Header, read: (begin: number, end: number) => Uint8Array): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const e of header.entries) {
    const [buf, dtype] = decode(e, read(header.dataStart + e.begin, header.dataStart + e.end));
    Object.defineProperty(out, e.name, { value: tensor(buf, { dtype, shape: e.shape, device: 'cpu' }), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function asBytes(fn: string, data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new ValueError(`${fn}(): expected a Uint8Array or an ArrayBuffer, got ${data === null ? 'null' : typeof data}`);
}

/**
 * Tensors from safetensors bytes (as `safetensors.torch.load`): a plain object name -> Tensor.
 * @example
 * const state = safetensors.load(new Uint8Array(await (await fetch('model.safetensors')).arrayBuffer()));
 * model.loadStateDict(state);
 */
export function load(data: Uint8Array | ArrayBuffer): Record<string, Tensor> {
  const bytes = asBytes('safetensors.load', data);
  const n = readHeaderLength(bytes.subarray(0, 8), bytes.length);
  const header = parseHeader(bytes.subarray(8, 8 + n), n, bytes.length);
  return build(header, (b, e) => bytes.subarray(b, e));
}

/**
 * The `__metadata__` of safetensors bytes (null when absent), without decoding any tensor.
 * @example safetensors.loadMetadata(bytes) // { format: 'pt' }
 */
export function loadMetadata(data: Uint8Array | ArrayBuffer): Record<string, string> | null {
  const bytes = asBytes('safetensors.loadMetadata', data);
  const n = readHeaderLength(bytes.subarray(0, 8), bytes.length);
  return parseHeader(bytes.subarray(8, 8 + n), n, bytes.length).metadata;
}

function checkTensors(fn: string, tensors: unknown): [string, Tensor][] {
  const list: [string, unknown][] =
    tensors instanceof Map ? [...tensors] : tensors !== null && typeof tensors === 'object' ? Object.entries(tensors) : [];
  if (list.length === 0 && !(tensors !== null && typeof tensors === 'object')) {
    throw new ValueError(`${fn}(): expected a plain object or Map of tensors, got ${tensors === null ? 'null' : typeof tensors}`);
  }
  for (const [k, v] of list) {
    if (typeof k !== 'string') throw new ValueError(`${fn}(): tensor names must be strings, got ${typeof k}`);
    if (k === '__metadata__') throw new ValueError(`${fn}(): '__metadata__' is reserved and cannot name a tensor`);
    if (!(v instanceof Tensor)) throw new ValueError(`${fn}(): value for '${k}' is not a Tensor (got ${v === null ? 'null' : typeof v})`);
  }
  return list as [string, Tensor][];
}

/**
 * safetensors bytes holding `tensors` (as `safetensors.torch.save`); `metadata` must map strings to
 * strings. float32 / float64 / int32 / bool are written as F32 / F64 / I32 / BOOL. Reads the values
 * synchronously: for tensors on 'webgpu' use `await safetensors.saveAsync(...)`.
 * @example
 * const bytes = safetensors.save(model.stateDict(), { format: 'pt' });
 */
export function save(tensors: Record<string, Tensor> | Map<string, Tensor>, metadata?: Record<string, string> | null): Uint8Array {
  const fn = 'safetensors.save';
  const list = checkSave(fn, tensors, metadata);
  for (const [name, t] of list) {
    if (t.device !== 'cpu') {
      throw new DeviceError(`${fn}(): tensor '${name}' is on device '${t.device}', which cannot be read synchronously; use \`await safetensors.saveAsync(tensors)\``);
    }
  }
  return encode(list, metadata, list.map(([, t]) => t.toArray()));
}

/**
 * `save` for tensors on any device: waits for their values (the way to save a model on 'webgpu').
 * @example const bytes = await safetensors.saveAsync(model.stateDict());
 */
export async function saveAsync(tensors: Record<string, Tensor> | Map<string, Tensor>, metadata?: Record<string, string> | null): Promise<Uint8Array> {
  const list = checkSave('safetensors.saveAsync', tensors, metadata);
  return encode(list, metadata, await Promise.all(list.map(([, t]) => t.data())));
}

function checkSave(fn: string, tensors: unknown, metadata: unknown): [string, Tensor][] {
  const list = checkTensors(fn, tensors);
  if (metadata !== undefined && metadata !== null) {
    if (typeof metadata !== 'object' || Array.isArray(metadata)) throw new ValueError(`${fn}(): metadata must be an object of strings`);
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new ValueError(`${fn}(): metadata value for '${k}' must be a string, got ${typeof v}`);
    }
  }
  return list;
}

/** The file's bytes, given each tensor's values (row-major, in list order). */
function encode(list: [string, Tensor][], metadata: Record<string, string> | null | undefined, values: TypedArray[]): Uint8Array {
  const items = list.map(([name, t], i) => ({ name, t, arr: values[i]!, dtype: WRITE_DTYPE[t.dtype] }));
  items.sort((a, b) => RANK[b.dtype]! - RANK[a.dtype]! || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = { ...metadata };
  let off = 0;
  const datas = items.map(({ name, t, arr, dtype }) => {
    const bytes = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
    const le = LITTLE_ENDIAN || ITEMSIZE[dtype] === 1 ? bytes : swapBytes(bytes, ITEMSIZE[dtype]);
    Object.defineProperty(header, name, { value: { dtype, shape: [...t.shape], data_offsets: [off, off + le.length] }, enumerable: true });
    off += le.length;
    return le;
  });
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padLen = (8 - (json.length % 8)) % 8;
  if (padLen) {
    const padded = new Uint8Array(json.length + padLen).fill(0x20);
    padded.set(json);
    json = padded;
  }
  const out = new Uint8Array(8 + json.length + off);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, json.length % 2 ** 32, true);
  dv.setUint32(4, Math.floor(json.length / 2 ** 32), true);
  out.set(json, 8);
  let pos = 8 + json.length;
  for (const d of datas) {
    out.set(d, pos);
    pos += d.length;
  }
  return out;
}

function swapBytes(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += size) for (let j = 0; j < size; j++) out[i + j] = bytes[i + size - 1 - j]!;
  return out;
}

interface Fs {
  openSync(path: string, flags: string): number;
  closeSync(fd: number): void;
  fstatSync(fd: number): { size: number };
  readSync(fd: number, buf: Uint8Array, offset: number, length: number, position: number): number;
  writeFileSync(path: string, data: Uint8Array): void;
}

function nodeFs(fn: string): Fs {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.('node:fs') as Fs | undefined;
  if (!fs) throw new TorchfnError(`${fn}(): needs Node.js's fs module (Node >= 20.16); in a browser use safetensors.load(bytes) / save(tensors)`);
  return fs;
}

function readExactly(fs: Fs, fd: number, position: number, length: number): Uint8Array {
  const buf = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const r = fs.readSync(fd, buf, got, length - got, position + got);
    if (r === 0) throw new SafetensorError(`safetensors: unexpected end of file at byte ${position + got}`);
    got += r;
  }
  return buf;
}

/**
 * Tensors from a .safetensors file (as `safetensors.torch.load_file`). The header is validated
 * against the file size before the tensor data is read.
 * @example model.loadStateDict(safetensors.loadFile('model.safetensors'))
 */
export function loadFile(path: string): Record<string, Tensor> {
  const fs = nodeFs('safetensors.loadFile');
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const n = readHeaderLength(size >= 8 ? readExactly(fs, fd, 0, 8) : new Uint8Array(0), size);
    const header = parseHeader(readExactly(fs, fd, 8, n), n, size);
    const data = readExactly(fs, fd, header.dataStart, size - header.dataStart);
    return build(header, (b, e) => data.subarray(b - header.dataStart, e - header.dataStart));
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes `tensors` to a .safetensors file (as `safetensors.torch.save_file`).
 * @example safetensors.saveFile(model.stateDict(), 'model.safetensors', { format: 'pt' })
 */
export function saveFile(tensors: Record<string, Tensor> | Map<string, Tensor>, path: string, metadata?: Record<string, string> | null): void {
  const bytes = save(tensors, metadata);
  nodeFs('safetensors.saveFile').writeFileSync(path, bytes);
}

/**
 * `saveFile` for tensors on any device: waits for their values, then writes the file.
 * @example await safetensors.saveFileAsync(model.stateDict(), 'model.safetensors')
 */
export async function saveFileAsync(tensors: Record<string, Tensor> | Map<string, Tensor>, path: string, metadata?: Record<string, string> | null): Promise<void> {
  const bytes = await saveAsync(tensors, metadata);
  nodeFs('safetensors.saveFileAsync').writeFileSync(path, bytes);
}
