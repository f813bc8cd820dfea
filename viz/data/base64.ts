/** The per-block table's columns as report.html stores them (viz/data/format.ts), decoded. */
import { fail } from './errors';

type FromBase64 = { fromBase64?: (s: string) => Uint8Array };

function bytes(b64: string): Uint8Array {
  const native = (Uint8Array as unknown as FromBase64).fromBase64;
  if (native !== undefined) return native(b64);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function raw(b64: unknown, size: number, length: number, name: string): Uint8Array {
  if (typeof b64 !== 'string') fail(`block column '${name}' is not a base64 string`);
  let r: Uint8Array;
  try {
    r = bytes(b64);
  } catch {
    fail(`block column '${name}' is not valid base64 (is the file truncated?)`);
  }
  if (r.length !== length * size) fail(`block column '${name}' holds ${Math.floor(r.length / size)} values instead of ${length} (is the file truncated?)`);
  return r;
}

/** Decode `length` values, failing with a message that names the column when they are not all there. */
export function decodeColumn(c: unknown, length: number, name: string): Float64Array {
  const o = (typeof c === 'object' && c !== null ? c : {}) as Partial<Record<'linear' | 'uint8' | 'int32' | 'float64', unknown>>;
  if (Array.isArray(o.linear)) {
    const [start, step] = o.linear as unknown[];
    if (typeof start !== 'number' || typeof step !== 'number') fail(`block column '${name}' is malformed`);
    const out = new Float64Array(length);
    for (let i = 0; i < length; i++) out[i] = start + i * step;
    return out;
  }
  if (o.uint8 !== undefined) return Float64Array.from(raw(o.uint8, 1, length, name));
  if (o.int32 !== undefined) {
    const r = raw(o.int32, 4, length, name);
    const view = new DataView(r.buffer, r.byteOffset, r.byteLength);
    const out = new Float64Array(length);
    for (let i = 0; i < length; i++) out[i] = view.getInt32(i * 4, true);
    return out;
  }
  if (o.float64 !== undefined) {
    const r = raw(o.float64, 8, length, name);
    if (littleEndian && r.byteOffset % 8 === 0) return new Float64Array(r.buffer, r.byteOffset, length);
    const view = new DataView(r.buffer, r.byteOffset, r.byteLength);
    const out = new Float64Array(length);
    for (let i = 0; i < length; i++) out[i] = view.getFloat64(i * 8, true);
    return out;
  }
  return fail(`block column '${name}' is malformed (linear, uint8, int32 or float64 expected)`);
}
