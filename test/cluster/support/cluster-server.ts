import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { freePort, keepOutput } from '../../support/child-process.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const HOST = '127.0.0.1';
const LOG_LINES = 300;
const START_WAIT_MS = 30_000;

/** The shared Redis of the test machine, unless REDIS_URL names another. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** A prefix of its own for each run, so that runs sharing one Redis never see each other. */
export function runPrefix(name: string): string {
  return `test-${name}-${randomBytes(4).toString('hex')}`;
}

export interface ClusterServerOptions {
  /** REDIS_URL, CLUSTER_PREFIX and any other variables of this instance. */
  readonly env: Record<string, string>;
  /** The port to listen on; default a free one. A restart keeps the port. */
  readonly port?: number;
}

/** One `node dist/main.js` instance of a cluster, that can be stopped, killed and started again. */
export class ClusterServer {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly log: string[] = [];

  private constructor(
    readonly port: number,
    private env: Record<string, string>,
  ) {}

  /** Starts an instance and waits until it is ready. */
  static async start(options: ClusterServerOptions): Promise<ClusterServer> {
    const server = new ClusterServer(options.port ?? (await freePort()), options.env);
    await server.restart();
    return server;
  }

  get url(): string {
    return `http://${HOST}:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://${HOST}:${this.port}/ws`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the instance again on the same port (after {@link stop} or {@link kill}), with `env` added. */
  async restart(env: Record<string, string> = {}): Promise<void> {
    if (this.running) throw new Error('the instance is still running');
    this.env = { ...this.env, ...env };
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOST, PORT: String(this.port), LOG_LEVEL: 'warn', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    keepOutput(child, this.log, LOG_LINES);
    this.exited = new Promise((done) => child.once('exit', () => done()));
    this.child = child;
    await this.waitReady();
  }

  /** GET or POST a JSON route; resolves with the status and the parsed body. */
  async request(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const response = await fetch(`${this.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>,
    };
  }

  /** Every log line kept (the last few hundred), for failure messages and checks. */
  output(): string {
    return this.log.join('\n');
  }

  /** SIGTERM: a graceful shutdown; SIGKILL if it lingers. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child?.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** SIGKILL: the instance dies without a word. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + START_WAIT_MS;
    for (;;) {
      if (!this.running) throw new Error(`the instance exited at start:\n${this.output()}`);
      const ready = await this.request('/health/ready').catch(() => undefined);
      if (ready?.status === 200) return;
      if (Date.now() > deadline) throw new Error(`the instance did not get ready:\n${this.output()}`);
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}

export interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** Starts `count` instances sharing one Redis and prefix. */
export function startCluster(count: number, env: Record<string, string>): Promise<ClusterServer[]> {
  return Promise.all(Array.from({ length: count }, () => ClusterServer.start({ env })));
}

export { freePort };
