import { connect, Socket } from 'node:net';
import WebSocket from 'ws';
import { within } from './wait.js';

/** A WebSocket upgrade request for `/ws`, as a browser or `ws` would send it. */
export const WS_UPGRADE =
  'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';

/**
 * A plain TCP client for what HTTP clients will not do: send a request a byte at a time, stop
 * half-way, or ignore a WebSocket close frame. It records what the server sends and when the
 * server closes the connection.
 */
export class RawClient {
  received = '';
  /** True once the connection has closed. */
  isClosed = false;
  private readonly closedAt: Promise<number>;
  private dribbler: NodeJS.Timeout | undefined;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (this.received += chunk));
    socket.on('error', () => undefined);
    this.closedAt = new Promise((resolve) =>
      socket.once('close', () => {
        this.isClosed = true;
        clearInterval(this.dribbler);
        resolve(performance.now());
      }),
    );
  }

  /** Sends `text` on a new connection and resolves with the client once the server has closed it. */
  static async exchange(base: string, text: string, ms = 3000): Promise<RawClient> {
    const client = await RawClient.open(base);
    try {
      client.write(text);
      await client.closed(ms);
      return client;
    } finally {
      client.destroy();
    }
  }

  /** Connects to the host and port of `base` (an http:// or ws:// URL). */
  static async open(base: string): Promise<RawClient> {
    const url = new URL(base);
    const socket = connect(Number(url.port), url.hostname);
    await within(
      new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      }),
      3000,
      'a TCP connection',
    );
    return new RawClient(socket);
  }

  write(text: string): void {
    this.socket.write(text);
  }

  /** Sends `text` one byte every `intervalMs`, wrapping around, until the server closes. */
  dribble(text: string, intervalMs: number): void {
    let next = 0;
    this.dribbler = setInterval(() => {
      this.socket.write(text[next % text.length]);
      next += 1;
    }, intervalMs);
  }

  /** Resolves once `text` has arrived. */
  async waitFor(text: string, ms = 3000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.received.includes(text)) {
      if (Date.now() > deadline)
        throw new Error(`timed out after ${ms} ms waiting for ${JSON.stringify(text)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** When the server closed the connection (`performance.now()`), if it does within `ms`. */
  closed(ms: number): Promise<number> {
    return within(this.closedAt, ms, 'the server to close the connection');
  }

  /** The status code of the first response, or undefined before one has arrived. */
  status(): number | undefined {
    const match = /^HTTP\/1\.1 (\d{3})/.exec(this.received);
    return match === null ? undefined : Number(match[1]);
  }

  destroy(): void {
    clearInterval(this.dribbler);
    this.socket.destroy();
  }
}

/** `GET path` as a complete request. */
export const get = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;

/** `GET path`, asking the server to close the connection after answering. */
export const getAndClose = (path: string): string =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;

/** Opens a WebSocket and resolves with the upgrade's status: 101, or the status of the refusal. */
export function upgradeStatus(url: string, origin?: string): Promise<number> {
  return within(
    new Promise<number>((resolve) => {
      const socket = new WebSocket(url, origin === undefined ? {} : { origin });
      socket.once('open', () => {
        socket.close();
        resolve(101);
      });
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.once('error', () => resolve(0));
    }),
    3000,
    'the upgrade',
  );
}
