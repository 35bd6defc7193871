import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort, keepOutput } from '../../support/child-process.js';
import { within } from '../../support/wait.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const HOST = '127.0.0.1';
/** Answers {cmd:'memory'} over IPC with process.memoryUsage() after a full GC. */
const MEMORY_PRELOAD = pathToFileURL(resolve(ROOT, 'test/bench/report-heap.mjs')).href;
const LOG_LINES = 200;

/** The Node flags of `npm start`, so the server under test starts the way users start it. */
function startFlags(): string[] {
  const scripts = (
    JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;
  const match = /^node((?: --\S+)*) dist\/main\.js$/.exec(scripts.start);
  if (match === null) throw new Error(`cannot read the node flags from the start script: ${scripts.start}`);
  return match[1].split(' ').filter(Boolean);
}

export interface HeapReport {
  heapUsed: number;
  vmRss: number;
}

/** `node dist/main.js` as its own process, configured by environment variables. */
export class ServerProcess {
  private readonly log: string[] = [];
  private readonly exit: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    keepOutput(child, this.log, LOG_LINES);
    this.exit = new Promise((done) => child.once('exit', () => done()));
  }

  /**
   * Starts the server with `env`. With `openFiles`, it runs under `ulimit -n openFiles` (the soft
   * and the hard limit, so that Node cannot raise it).
   */
  static async start(
    env: Record<string, string>,
    { openFiles }: { openFiles?: number } = {},
  ): Promise<ServerProcess> {
    const port = await freePort();
    const args = [...startFlags(), '--expose-gc', '--import', MEMORY_PRELOAD, 'dist/main.js'];
    const [command, commandArgs] =
      openFiles === undefined
        ? [process.execPath, args]
        : ['/bin/sh', ['-c', `ulimit -n ${openFiles} && exec "$0" "$@"`, process.execPath, ...args]];
    const child = spawn(command, commandArgs, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOST, PORT: String(port), LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const server = new ServerProcess(child, port);
    await server.waitReady();
    return server;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('the server did not start');
    return this.child.pid;
  }

  get url(): string {
    return `http://${HOST}:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://${HOST}:${this.port}/ws`;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** VmRSS from /proc, in bytes. */
  rss(): number {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    if (match === null) throw new Error(`no VmRSS for pid ${this.pid}`);
    return Number(match[1]) * 1024;
  }

  /** Heap and RSS right after the server collected its garbage. */
  memoryAfterGc(): Promise<HeapReport> {
    const report = new Promise<HeapReport>((done) => {
      const onMessage = (message: { type?: string } & HeapReport): void => {
        if (message.type !== 'memory') return;
        this.child.off('message', onMessage);
        done(message);
      };
      this.child.on('message', onMessage);
    });
    this.child.send({ cmd: 'memory' });
    return within(report, 30_000, 'a memory report');
  }

  /** GET a path; resolves with the status and the text of the body. */
  get(path: string): Promise<{ status: number; text: string }> {
    return new Promise((done, fail) => {
      const req = http.get({ host: HOST, port: this.port, path, agent: false, timeout: 10_000 }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, text }));
        res.on('error', fail);
      });
      req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
      req.on('error', fail);
    });
  }

  /** The server's last log lines, for a failure message. */
  output(): string {
    return this.log.join('\n');
  }

  /** SIGTERM (the server drains and closes its holders), then SIGKILL if it lingers. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await this.exit;
    clearTimeout(timer);
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (!this.running) throw new Error(`the server exited at start:\n${this.output()}`);
      const status = await this.get('/status').catch(() => undefined);
      if (status?.status === 200) return;
      if (Date.now() > deadline) throw new Error(`the server did not answer /status:\n${this.output()}`);
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}
