/**
 * The resume journal: one JSON line per finished run, appended with a single synchronous write as
 * soon as it finishes. A sweep killed at any moment leaves at most a torn last line, which reading
 * ignores (that run is simply redone); nothing finished is lost, nothing is counted twice.
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { RunOutcome } from './execute';

export function readJournal(path: string): Map<number, RunOutcome> {
  const out = new Map<number, RunOutcome>();
  if (!existsSync(path)) return out;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let o: RunOutcome;
    try {
      o = JSON.parse(line) as RunOutcome;
    } catch {
      continue;
    }
    if (typeof o.id === 'number' && (o.status === 'ok' || o.status === 'failed')) out.set(o.id, o);
  }
  return out;
}

export class Journal {
  private fd: number;
  constructor(path: string) {
    // A torn last line from a killed run must not swallow the next one.
    const torn = existsSync(path) && !readFileSync(path, 'utf8').endsWith('\n') && readFileSync(path).length > 0;
    this.fd = openSync(path, 'a');
    if (torn) writeSync(this.fd, '\n');
  }
  append(o: RunOutcome): void {
    writeSync(this.fd, `${JSON.stringify(o)}\n`);
  }
  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
