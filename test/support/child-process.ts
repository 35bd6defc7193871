import type { ChildProcess } from 'node:child_process';
import net from 'node:net';

/** Keeps the last `max` lines a child process writes to stdout and stderr in `lines`. */
export function keepOutput(child: ChildProcess, lines: string[], max: number): void {
  const keep = (chunk: Buffer): void => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - max));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
}

/** An ephemeral port the OS hands out as free; the caller binds it right after. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((done, fail) => {
    const server = net.createServer();
    server.once('error', fail);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => done(port));
    });
  });
}
