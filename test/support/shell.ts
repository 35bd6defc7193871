import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { within } from './wait.js';

/** A shell command running in a process group of its own, so that all it started can be stopped. */
export interface ShellCommand {
  readonly output: { text: string };
  readonly exited: Promise<number | null>;
  /** Signals the whole group, then waits for the shell to exit; SIGKILL after `ms`. */
  stop(signal: NodeJS.Signals, ms?: number): Promise<number | null>;
}

/** Runs `command` with bash in the repository, with `env` over the test's environment. */
export function shell(command: string, env: Record<string, string> = {}): ShellCommand {
  const child: ChildProcess = spawn('bash', ['-c', command], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { text: '' };
  child.stdout?.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
  // 'close', not 'exit': it comes once every process of the command has closed the output too, so
  // lines a child writes while the shell exits (npm forwarding a signal, say) are not lost.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const signal = (name: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, name);
    } catch {
      // The group is gone already.
    }
  };
  return {
    output,
    exited,
    async stop(name, ms = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      signal(name);
      try {
        return await within(exited, ms, `"${command}" to exit`);
      } catch (error) {
        signal('SIGKILL');
        await exited;
        throw error;
      }
    },
  };
}

/** A port that was free a moment ago: the kernel's pick for port 0. */
export function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
