import { ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { within } from '../../support/wait.js';

const FLEET = fileURLToPath(new URL('../../bench/holders.mjs', import.meta.url));

/**
 * Honest holders in a child process of their own (the bench's fleet): each introduces a fresh
 * key, proves it, and signs every request with libsecp256k1 as fast as it can.
 */
export class HolderFleet {
  private constructor(
    private readonly child: ChildProcess,
    readonly keys: string[],
  ) {}

  static async start(wsUrl: string, count: number): Promise<HolderFleet> {
    const child = fork(FLEET, [wsUrl, String(count)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const ready = new Promise<{ keys: string[] }>((done, fail) => {
      child.on('message', (message: { type?: string; keys: string[] }) => {
        if (message.type === 'ready') done(message);
      });
      child.once('exit', (code) => fail(new Error(`the holder fleet exited (${code})`)));
    });
    const { keys } = await within(ready, 30_000, 'the holder fleet');
    if (keys.length !== count) throw new Error(`${count - keys.length} holders failed to connect`);
    return new HolderFleet(child, keys);
  }

  /** Requests the fleet has signed, its proofs of possession included. */
  signed(): Promise<number> {
    const stats = new Promise<number>((done) => {
      const onMessage = (message: { type?: string; signed: number }): void => {
        if (message.type !== 'stats') return;
        this.child.off('message', onMessage);
        done(message.signed);
      };
      this.child.on('message', onMessage);
    });
    this.child.send({ cmd: 'stats' });
    return within(stats, 10_000, 'the fleet stats');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.send({ cmd: 'exit' });
    await within(exited, 10_000, 'the holder fleet to exit');
  }
}
