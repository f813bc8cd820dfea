/**
 * Output folders written atomically: everything goes into a temporary sibling folder, which is
 * renamed over the target only when the run has succeeded. A failed or interrupted run leaves the
 * previous output (or nothing) in place, never a half-written folder.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export class OutputDir {
  readonly final: string;
  readonly tmp: string;
  private readonly appenders: Appender[] = [];
  private done = false;

  constructor(target: string) {
    this.final = resolve(target);
    this.tmp = join(dirname(this.final), `.${basename(this.final)}.tmp-${process.pid}`);
    rmSync(this.tmp, { recursive: true, force: true });
    mkdirSync(this.tmp, { recursive: true });
  }

  path(name: string): string {
    return join(this.tmp, name);
  }

  write(name: string, content: string): void {
    writeFileSync(this.path(name), content);
  }

  /** A file written as the run goes (buffered, synchronous: nothing is lost or reordered). */
  appender(name: string): Appender {
    const a = new Appender(this.path(name));
    this.appenders.push(a);
    return a;
  }

  /** Close the files and move the folder into place. */
  commit(): void {
    for (const a of this.appenders) a.close();
    if (existsSync(this.final)) {
      const old = `${this.tmp}.old`;
      renameSync(this.final, old);
      renameSync(this.tmp, this.final);
      rmSync(old, { recursive: true, force: true });
    } else {
      mkdirSync(dirname(this.final), { recursive: true });
      renameSync(this.tmp, this.final);
    }
    this.done = true;
  }

  /** Throw the temporary folder away (on failure). */
  discard(): void {
    if (this.done) return;
    for (const a of this.appenders) a.close();
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

/** Appends text to a file through a 64 KiB buffer. */
export class Appender {
  private fd: number;
  private chunks: string[] = [];
  private size = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size >= 65_536) this.flush();
  }

  flush(): void {
    if (this.chunks.length === 0 || this.fd < 0) return;
    writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.size = 0;
  }

  close(): void {
    if (this.fd < 0) return;
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }
}

/** Write a file atomically (temporary name, then rename). */
export function writeFileAtomic(path: string, content: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}
