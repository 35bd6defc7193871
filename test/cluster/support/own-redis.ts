import { type ChildProcess, spawn } from 'node:child_process';
import { eventually, within } from '../../support/wait.js';

/** A redis-server of this test's own, which it stops and starts again on the same port. */
export class OwnRedis {
  private child: ChildProcess | undefined;

  /** `password` turns on `requirepass`. */
  constructor(
    readonly port: number,
    private readonly password?: string,
  ) {}

  get url(): string {
    const auth = this.password === undefined ? '' : `:${encodeURIComponent(this.password)}@`;
    return `redis://${auth}127.0.0.1:${this.port}/0`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        ...['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        ...(this.password === undefined ? [] : ['--requirepass', this.password]),
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    await eventually(
      () =>
        fetch(`http://127.0.0.1:${this.port}`).then(
          () => true,
          (error: { cause?: { code?: string } }) => error.cause?.code !== 'ECONNREFUSED',
        ),
      5_000,
      'redis-server to listen',
    );
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await within(exited, 5_000, 'redis-server to exit');
  }
}
