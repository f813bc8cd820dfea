/**
 * `hedgesim view DIR`: serve a run or sweep output folder on localhost with the viewer, which
 * fetches the folder's files (summary.json, blocks.csv, pnl.csv, mev.csv, transactions.jsonl, mempool.jsonl;
 * or sweep.json and summary.csv) — for replays too large to inline in report.html. Prints the URL,
 * opens the system browser with --open, stops on Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join, resolve } from 'node:path';
import sirv from 'sirv';
import { htmlPage } from '../viz/page';
import { UsageError } from './output';
import { viewerScript } from './report';

export interface ViewOptions {
  port?: string;
  open: boolean;
}

type Kind = 'run' | 'sweep';

export function folderKind(dir: string): Kind {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new UsageError(`'${dir}' does not exist`);
  }
  if (!isDir) throw new UsageError(`'${dir}' is not a folder: give a run's or a sweep's output folder`);
  if (existsSync(join(dir, 'sweep.json'))) return 'sweep';
  if (existsSync(join(dir, 'summary.json'))) return 'run';
  throw new UsageError(`'${dir}' is not a run or sweep output folder (it has neither summary.json nor sweep.json)`);
}

function page(kind: Kind, name: string): string {
  const script = kind === 'run' ? 'report.js' : 'sweep-report.js';
  return htmlPage({ title: `hedgesim ${kind === 'sweep' ? 'sweep ' : ''}— ${name}`, script: { src: `/_hedgesim/${script}` }, data: { id: 'hedgesim-source', json: JSON.stringify({ kind }) }, what: kind === 'run' ? 'report' : 'sweep' });
}

/** The server (not yet listening): the viewer page at /, its script under /_hedgesim/, the folder's files. */
export function viewServer(dir: string): Server {
  const kind = folderKind(dir);
  const html = page(kind, basename(resolve(dir)));
  const files = sirv(dir, { dev: true, dotfiles: false });
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
      return;
    }
    if (path === '/_hedgesim/report.js' || path === '/_hedgesim/sweep-report.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      res.end(viewerScript(path.slice('/_hedgesim/'.length)));
      return;
    }
    files(req, res, () => {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found');
    });
  });
}

function openBrowser(url: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => process.stderr.write(`Could not open a browser (${cmd}); open ${url} yourself.\n`));
    child.unref();
  } catch {
    process.stderr.write(`Could not open a browser; open ${url} yourself.\n`);
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      ok((server.address() as AddressInfo).port);
    });
  });
}

export async function viewCommand(dir: string, opts: ViewOptions): Promise<void> {
  const port = opts.port === undefined ? 8510 : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: '${opts.port}' is not a port number (0 to 65535; 0 picks a free one)`);
  const server = viewServer(dir);
  let actual: number;
  try {
    actual = await listen(server, port);
  } catch (e) {
    const inUse = (e as NodeJS.ErrnoException).code === 'EADDRINUSE';
    // The default port may be taken: any free one will do. A port asked for must be that one.
    if (inUse && opts.port === undefined) actual = await listen(server, 0);
    else throw new UsageError(`--port: cannot listen on port ${port} (${inUse ? 'in use' : e instanceof Error ? e.message : String(e)})`);
  }
  const url = `http://127.0.0.1:${actual}/`;
  process.stdout.write(`Serving ${resolve(dir)} at ${url} (Ctrl-C to stop)\n`);
  if (opts.open) openBrowser(url);
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.stdout.write('Stopped.\n');
      server.closeAllConnections();
      server.close(() => done());
    };
    process.once('SIGINT', stop).once('SIGTERM', stop);
  });
}
