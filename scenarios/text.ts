/**
 * Hostile text in input files, refused at its place: bytes that are not UTF-8 (decoding would turn
 * them silently into U+FFFD), YAML too large to hold inline, and names that JavaScript objects
 * already carry (`__proto__`, `constructor`, …), which as ids of agents, tokens, venues or assets
 * would vanish or collide with the object's own properties.
 */
import { isPair, isScalar, visit, type Document } from 'yaml';
import type { ScenarioProblem } from './errors';
import { pathText, type SourceMap } from './source';

/** Every name an object has before anything is put in it. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

export function reservedNameMessage(name: string): string {
  return `'${name}' cannot be used as a name: JavaScript objects already have a property of that name; rename it`;
}

/** Inline YAML beyond this size is refused: long series belong in a CSV price file. */
export const MAX_YAML_BYTES = 16 * 1024 * 1024;

/**
 * The offset of the first byte of `buf` that is not part of a well-formed UTF-8 sequence (no
 * overlong forms, surrogates or code points past U+10FFFF), or -1 when it is all UTF-8.
 */
export function firstInvalidUtf8(buf: Uint8Array): number {
  const n = buf.length;
  let i = 0;
  while (i < n) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/**
 * `buf` as text, or a problem at the line and column of its first byte that is not UTF-8 (the
 * column counted in characters, like every other column).
 */
export function decodeUtf8(buf: Uint8Array, file: string, what: string): { text: string } | { problem: ScenarioProblem } {
  const bad = firstInvalidUtf8(buf);
  if (bad < 0) return { text: Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8') };
  const before = Buffer.from(buf.buffer, buf.byteOffset, bad).toString('utf8');
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = before.slice(0, lineStart).split('\n').length;
  const column = [...before.slice(lineStart)].length + 1;
  const hex = buf[bad]!.toString(16).padStart(2, '0');
  return { problem: { file, line, column, path: '', message: `the ${what} is not valid UTF-8: byte ${bad} (0x${hex}) starts no UTF-8 character; save the file as UTF-8` } };
}

/** The map keys of `doc` that are reserved names, at their positions. */
export function reservedKeyProblems(doc: Document, source: SourceMap): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  visit(doc, {
    Pair: (_key, pair, ancestors) => {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (typeof key !== 'string' || !RESERVED_NAMES.has(key)) return;
      const parents = ancestors.filter(isPair).map((p) => String(isScalar(p.key) ? p.key.value : p.key));
      const map = ancestors[ancestors.length - 1];
      const pos = source.posOf(pair.key) ?? source.posOf(map) ?? { file: source.file, line: 1, column: 1 };
      problems.push({ ...pos, path: pathText([...parents, key]), message: reservedNameMessage(key) });
    },
  });
  return problems;
}
