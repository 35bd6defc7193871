import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { eventually, within } from './wait.js';

/** `npm start`'s server (dist/main.js) in a child process, as a shell starts it. */
export interface ServerProcess {
  base: string;
  /** What the server has written to stdout and stderr so far. */
  output(): string;
  /** True while the process runs. */
  running(): boolean;
  stop(): Promise<void>;
}

/** A port no one listens on now, for a child process that cannot report the one it got. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port was assigned')),
      );
    });
  });
}

/**
 * Starts the server with `env` under `ulimit -n <openFiles>` (soft and hard, so Node cannot raise
 * it), and resolves once it listens.
 */
export async function startServerProcess(
  env: Record<string, string>,
  openFiles: number,
): Promise<ServerProcess> {
  const port = await freePort();
  const main = join(process.cwd(), 'dist/main.js');
  const child = spawn('/bin/sh', ['-c', `ulimit -n ${openFiles} && exec "$0" "$1"`, process.execPath, main], {
    env: { PATH: process.env.PATH ?? '', ...env, HOST: '127.0.0.1', PORT: String(port) },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await within(exited, 15_000, 'the server process to exit');
  };
  try {
    await eventually(() => output.includes('listening on') || child.exitCode !== null, 15_000, 'the server');
    if (child.exitCode !== null) throw new Error(`the server exited: ${output}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    base: `http://127.0.0.1:${port}`,
    output: () => output,
    running: () => child.exitCode === null && child.signalCode === null,
    stop,
  };
}
