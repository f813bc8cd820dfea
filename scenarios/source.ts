/**
 * Positions in a parsed scenario document: field path → file, line and column, from the source
 * ranges the `yaml` Document API keeps. Nodes put in by `--set` overrides are registered with their
 * position in the pseudo-file `--set` (line n: the n-th override).
 */
import { isMap, isScalar, isSeq, visit, type Document, type LineCounter, type Node, type Pair } from 'yaml';
import type { SourcePos } from './errors';

export type PathSeg = string | number;

/** Where a field is: `node` (its value), `key` (the map key naming it). */
export type Locate = (path: readonly PathSeg[], at?: 'node' | 'key') => SourcePos;

export class SourceMap {
  /** Positions of nodes created by overrides (their ranges are not in the file). */
  private readonly placed = new Map<unknown, SourcePos>();

  constructor(
    readonly doc: Document,
    private readonly lines: LineCounter,
    readonly file: string,
  ) {}

  /** Record where a node put in by an override comes from (and its descendants, offset from `column`). */
  place(node: unknown, pos: SourcePos, withDescendants = false): void {
    this.placed.set(node, pos);
    if (!withDescendants) return;
    visit(node as Node, {
      Node: (_key, n) => {
        if (n !== node && !this.placed.has(n)) this.placed.set(n, offsetPos(pos, n.range?.[0] ?? 0));
      },
      Pair: (_key, p) => {
        if (p.key !== null && typeof p.key === 'object' && !this.placed.has(p.key)) this.placed.set(p.key, offsetPos(pos, (p.key as Node).range?.[0] ?? 0));
      },
    });
  }

  /** Position of a node: where an override put it, else its start in the file. */
  posOf(node: unknown): SourcePos | undefined {
    const placed = this.placed.get(node);
    if (placed !== undefined) return placed;
    const range = (node as Node | null)?.range;
    if (range === undefined || range === null) return undefined;
    const { line, col } = this.lines.linePos(range[0]);
    return { file: this.file, line, column: col };
  }

  /**
   * Position of the field at `path`: of its value node, or (`key`) of the key naming it. A path
   * that does not exist resolves to its deepest existing ancestor (a missing field: the parent map).
   */
  locate: Locate = (path, at = 'node') => {
    let node: unknown = this.doc.contents;
    let pos = this.posOf(node) ?? { file: this.file, line: 1, column: 1 };
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = findPair(node.items as Pair[], seg);
        if (pair === undefined) return pos;
        if (last && at === 'key') return this.posOf(pair.key) ?? pos;
        node = pair.value;
        // `key:` with nothing after it: point at the key.
        if (node === null || node === undefined) return this.posOf(pair.key) ?? pos;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
        if (node === undefined || node === null) return pos;
      } else {
        return pos;
      }
      pos = this.posOf(node) ?? pos;
    }
    return pos;
  };
}

/** The pair of a map whose key is `seg` (keys compare as strings: `1:` names token '1'). */
export function findPair(items: readonly Pair[], seg: PathSeg): Pair | undefined {
  const want = String(seg);
  return items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === want);
}

function offsetPos(pos: SourcePos, offset: number): SourcePos {
  return { file: pos.file, line: pos.line, column: pos.column + offset };
}

/** `agents.arb-1.bid.share`, with list indices as `[0]`. */
export function pathText(path: readonly PathSeg[]): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s === '' ? seg : `.${seg}`;
  return s;
}
