// safetensors: reading what PyTorch wrote (test/fixtures/golden/safetensors.json), writing
// byte-identical files, file round trips through Module.loadStateDict, and untrusted headers.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import * as torch from '../src/index.js';
import { Tensor, nn, safetensors } from '../src/index.js';

const golden = JSON.parse(readFileSync(new URL('./fixtures/golden/safetensors.json', import.meta.url), 'utf8')) as { cases: any[] };
const gcase = (name: string) => golden.cases.find((c) => c.name === name)!;
const bytesOf = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

/** A safetensors file from a header object (serialized as given) and a data section. */
function file(header: unknown, data: Uint8Array = new Uint8Array(0), rawHeader?: Uint8Array): Uint8Array {
  const json = rawHeader ?? new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function cnn(): nn.Sequential {
  return new nn.Sequential(new nn.Conv2d(1, 4, 3), new nn.ReLU(), new nn.Flatten(), new nn.Linear(144, 10));
}

describe('reading what PyTorch writes', () => {
  test('a CNN state_dict: loads into the same architecture and reproduces its output', () => {
    const c = gcase('cnn_state_dict');
    const bytes = bytesOf(c.bytes_b64);
    const sd = safetensors.load(bytes);
    assert.deepEqual(Object.keys(sd), ['0.bias', '0.weight', '3.bias', '3.weight']);
    assert.deepEqual(safetensors.loadMetadata(bytes), { format: 'pt' });
    const model = cnn();
    assert.deepEqual(model.loadStateDict(sd), { missingKeys: [], unexpectedKeys: [] });
    const x = torch.tensor(Float32Array.from(c.x.data), { shape: c.x.shape });
    const y = Array.from((model.call(x) as Tensor).toArray());
    assert.deepEqual(model.call(x).shape, c.expected.shape);
    y.forEach((v, i) => assert.ok(Math.abs(v - c.expected.data[i]) < 1e-5, `output ${i}: ${v} vs ${c.expected.data[i]}`));
  });

  test('mixed dtypes: f16 / bf16 upcast to float32, f64, i64 narrowed to int32, i32, bool', () => {
    const c = gcase('mixed_dtypes');
    const t = safetensors.load(bytesOf(c.bytes_b64));
    const want: Record<string, string> = { f16: 'float32', bf16: 'float32', f64: 'float64', i64: 'int32', i32: 'int32', b: 'bool' };
    for (const [k, exp] of Object.entries(c.expected as Record<string, { shape: number[]; data: unknown[] }>)) {
      const v = t[k]!;
      assert.equal(v.dtype, want[k], k);
      assert.deepEqual(v.shape, exp.shape, k);
      const got = Array.from(v.toArray(), (x) => (v.dtype === 'bool' ? x === 1 : x));
      assert.deepEqual(got, exp.data, k);
    }
  });
});

test('every integer dtype reads with its own item size and sign (U8, I8, U16, I16, U32, I32, I64, U64)', () => {
  // Two elements each, written little-endian by hand: a value that needs the type's sign or width.
  const cases: [string, number, (dv: DataView, i: number, v: number) => void, [number, number]][] = [
    ['U8', 1, (dv, i, v) => dv.setUint8(i, v), [255, 1]],
    ['I8', 1, (dv, i, v) => dv.setInt8(i, v), [-128, 127]],
    ['U16', 2, (dv, i, v) => dv.setUint16(2 * i, v, true), [65535, 2]],
    ['I16', 2, (dv, i, v) => dv.setInt16(2 * i, v, true), [-300, 32767]],
    ['U32', 4, (dv, i, v) => dv.setUint32(4 * i, v, true), [2147483647, 3]],
    ['I32', 4, (dv, i, v) => dv.setInt32(4 * i, v, true), [-2147483648, 4]],
    ['I64', 8, (dv, i, v) => dv.setBigInt64(8 * i, BigInt(v), true), [-5, 2147483647]],
    ['U64', 8, (dv, i, v) => dv.setBigUint64(8 * i, BigInt(v), true), [6, 2147483647]],
  ];
  for (const [dtype, size, write, values] of cases) {
    const data = new Uint8Array(2 * size);
    values.forEach((v, i) => write(new DataView(data.buffer), i, v));
    const t = safetensors.load(file({ t: { dtype, shape: [2], data_offsets: [0, 2 * size] } }, data)).t!;
    assert.equal(t.dtype, 'int32', dtype);
    assert.deepEqual(t.tolist(), values, dtype);
  }
});

describe('writing files PyTorch reads', () => {
  test("save() of the loaded CNN state_dict is byte-identical to PyTorch's file", () => {
    const bytes = bytesOf(gcase('cnn_state_dict').bytes_b64);
    const model = cnn();
    model.loadStateDict(safetensors.load(bytes));
    const out = safetensors.save(model.stateDict(), { format: 'pt' });
    assert.ok(Buffer.from(out).equals(Buffer.from(bytes)));
  });

  test('layout: 8-byte aligned header, dtype-then-name order, every dtype round trips', () => {
    const tensors: Record<string, Tensor> = {
      b: torch.tensor([true, false, true]),
      a32: torch.tensor([[1.5, -2], [3, 4]], { dtype: 'float32' }),
      z64: torch.tensor([0.1, -1e300], { dtype: 'float64' }),
      i: torch.tensor([-2147483648, 2147483647, 0], { dtype: 'int32' }),
      scalar: torch.tensor(7, { dtype: 'float32' }),
      empty: torch.zeros([0, 3]),
      strided: torch.arange(6, { dtype: 'float32' }).reshape(2, 3).t(),
    };
    const bytes = safetensors.save(tensors, { note: 'hi' });
    const n = new DataView(bytes.buffer).getUint32(0, true);
    assert.equal((8 + n) % 8, 0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    assert.deepEqual(Object.keys(header), ['__metadata__', 'z64', 'a32', 'empty', 'scalar', 'strided', 'i', 'b']);
    assert.deepEqual(header.z64, { dtype: 'F64', shape: [2], data_offsets: [0, 16] });
    const back = safetensors.load(bytes);
    for (const [k, v] of Object.entries(tensors)) {
      assert.equal(back[k]!.dtype, v.dtype, k);
      assert.deepEqual(back[k]!.shape, v.shape, k);
      assert.deepEqual(back[k]!.tolist(), v.tolist(), k);
    }
    assert.deepEqual(safetensors.loadMetadata(bytes), { note: 'hi' });
    assert.equal(safetensors.loadMetadata(safetensors.save({})), null);
  });

  test('saveFile / loadFile round trip a model through loadStateDict', () => {
    const dir = mkdtempSync(join(tmpdir(), 'torchfn-st-'));
    try {
      const path = join(dir, 'model.safetensors');
      const a = new nn.Sequential(new nn.Linear(3, 4), new nn.BatchNorm1d(4), new nn.Linear(4, 2));
      a.call(torch.randn([5, 3]));
      safetensors.saveFile(a.stateDict(), path, { format: 'pt' });
      const b = new nn.Sequential(new nn.Linear(3, 4), new nn.BatchNorm1d(4), new nn.Linear(4, 2));
      assert.deepEqual(b.loadStateDict(safetensors.loadFile(path)), { missingKeys: [], unexpectedKeys: [] });
      for (const [k, v] of Object.entries(a.stateDict())) assert.deepEqual(b.stateDict()[k]!.tolist(), v.tolist(), k);
      assert.equal(b.stateDict()['1.num_batches_tracked']!.item(), 1);
      a.eval();
      b.eval();
      const x = torch.randn([2, 3]);
      assert.deepEqual(b.call(x).tolist(), a.call(x).tolist());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('save() checks its arguments', () => {
    assert.throws(() => safetensors.save({ a: [1, 2] as any }), /value for 'a' is not a Tensor/);
    assert.throws(() => safetensors.save({ __metadata__: torch.ones([1]) }), /'__metadata__' is reserved/);
    assert.throws(() => safetensors.save({ a: torch.ones([1]) }, { n: 1 as any }), /metadata value for 'n' must be a string/);
  });
});

describe('untrusted headers are rejected with a clear error', () => {
  const f32 = (vals: number[]) => new Uint8Array(Float32Array.from(vals).buffer);
  const cases: [string, Uint8Array, RegExp][] = [
    ['shorter than the length field', new Uint8Array(5), /file too small/],
    ['header length beyond the file', (() => {
      const b = file({});
      new DataView(b.buffer).setUint32(0, 1000, true);
      return b;
    })(), /invalid header length 1000/],
    ['oversized header length', (() => {
      const b = new Uint8Array(16);
      new DataView(b.buffer).setUint32(4, 0x10, true); // 2^36 bytes
      return b;
    })(), /header too large/],
    ['header length just over the 100 MB limit', (() => {
      const b = new Uint8Array(16);
      new DataView(b.buffer).setUint32(0, 100_000_001, true);
      return b;
    })(), /header too large \(100000001 bytes/],
    ['not JSON', file('{"a": '), /invalid header JSON/],
    ['not an object', file('[1, 2]'), /must be a JSON object starting with '\{'/],
    ['invalid UTF-8', file(null, undefined, new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), /not valid UTF-8/],
    ['unknown dtype', file({ a: { dtype: 'Q7', shape: [1], data_offsets: [0, 4] } }, f32([1])), /tensor 'a': unknown dtype 'Q7'/],
    // Names inherited from Object.prototype are no dtypes.
    ['a dtype named like an Object method', file({ a: { dtype: 'toString', shape: [1], data_offsets: [0, 4] } }, f32([1])), /tensor 'a': unknown dtype 'toString'/],
    ['a byte-order mark before the header', file(null, undefined, new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{}     ')])), /must be a JSON object starting with '\{'/],
    ['unsupported dtype', file({ a: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)), /dtype F8_E4M3 is not supported/],
    ['negative shape', file({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, f32([1])), /tensor 'a': invalid shape \[-1\]/],
    ['fractional shape', file({ a: { dtype: 'F32', shape: [1.5], data_offsets: [0, 4] } }, f32([1])), /invalid shape/],
    ['missing offsets', file({ a: { dtype: 'F32', shape: [1] } }, f32([1])), /invalid data_offsets/],
    ['reversed offsets', file({ a: { dtype: 'F32', shape: [0], data_offsets: [4, 0] } }, f32([1])), /begin > end/],
    ['offsets out of the file', file({ a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, f32([1])), /out of the file's data section \(4 bytes\)/],
    ['size that does not match the shape', file({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, f32([1])), /shape \[2\] of F32 needs 8 bytes but data_offsets \[0, 4\] hold 4/],
    ['an astronomically large shape', file({ a: { dtype: 'F64', shape: [2 ** 52, 2 ** 52, 2 ** 52], data_offsets: [0, 8] } }, new Uint8Array(8)), /needs more than 8 bytes/],
    ['overlapping ranges', file({
      a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
    }, f32([1, 2, 3])), /overlap/],
    ['a gap between ranges', file({
      a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
      b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
    }, f32([1, 2, 3])), /gap in the data section/],
    ['trailing bytes not covered', file({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32([1, 2])), /cover 4 bytes of a 8-byte data section/],
    ['non-string metadata', file({ __metadata__: { a: 1 } }), /__metadata__ value for 'a' must be a string/],
    ['an int64 outside the int32 range', file({ a: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, (() => {
      const d = new Uint8Array(16);
      new DataView(d.buffer).setBigInt64(8, 2n ** 31n, true);
      return d;
    })()), /holds 2147483648 at flat index 1, outside the int32 range/],
  ];
  for (const [what, bytes, err] of cases) {
    test(what, () => assert.throws(() => safetensors.load(bytes), (e: Error) => e instanceof safetensors.SafetensorError && err.test(e.message)));
  }

  test('negative int64 values in range are kept; a tensor named __proto__ stays an own key', () => {
    const d = new Uint8Array(16);
    new DataView(d.buffer).setBigInt64(0, -5n, true);
    new DataView(d.buffer).setBigInt64(8, -(2n ** 31n), true);
    const t = safetensors.load(file({ __proto__x: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, d));
    assert.deepEqual(t.__proto__x!.tolist(), [-5, -2147483648]);
    const p = safetensors.load(file('{"__proto__": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}', f32([3])));
    assert.equal(Object.getPrototypeOf(p), Object.prototype);
    assert.deepEqual(Object.keys(p), ['__proto__']);
  });

  test('loadFile validates the header before reading the data', () => {
    const dir = mkdtempSync(join(tmpdir(), 'torchfn-st-'));
    try {
      const path = join(dir, 'bad.safetensors');
      const b = new Uint8Array(16);
      new DataView(b.buffer).setUint32(0, 0xffffffff, true);
      writeFileSync(path, b);
      assert.throws(() => safetensors.loadFile(path), /header too large/);
      writeFileSync(path, file({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32([2.5])));
      assert.deepEqual(safetensors.loadFile(path).a!.tolist(), [2.5]);
      assert.throws(() => safetensors.load('nope' as any), /expected a Uint8Array or an ArrayBuffer/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
