import { secp256k1 } from '@noble/curves/secp256k1.js';
import WebSocket from 'ws';
import { within } from './wait.js';

/** How a test holder answers sign requests. */
export type Answer = 'compact' | 'der' | 'high-s' | 'wrong-key' | 'silent';

export interface Closed {
  code: number;
  reason: string;
}

export interface WsTestClientOptions {
  secretKey?: Uint8Array;
  autoPong?: boolean;
  headers?: Record<string, string>;
  /** Subprotocols to offer. */
  protocols?: string[];
}

/** A real `ws` connection with a key, for test holders of either protocol version. */
export class WsTestClient {
  readonly secretKey: Uint8Array;
  readonly publicKey: string;
  /** The message (standard base64) of each sign request received, challenges excepted. */
  readonly received: string[] = [];
  answer: Answer = 'compact';
  protected readonly socket: WebSocket;
  readonly closed: Promise<Closed>;
  private readonly opened: Promise<void>;

  constructor(url: string, options: WsTestClientOptions = {}) {
    this.secretKey = options.secretKey ?? secp256k1.utils.randomSecretKey();
    this.publicKey = compressedKey(this.secretKey);
    this.socket = new WebSocket(url, options.protocols ?? [], {
      autoPong: options.autoPong ?? true,
      headers: options.headers,
    });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) =>
      this.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    this.socket.on('error', () => undefined);
  }

  /** The subprotocol the server chose; empty when none. */
  get protocol(): string {
    return this.socket.protocol;
  }

  open(): Promise<void> {
    return within(this.opened, 5000, 'the WebSocket to open');
  }

  send(frame: string | Buffer): void {
    this.socket.send(frame);
  }

  signature(message: Uint8Array, format: 'compact' | 'der' = 'compact'): Buffer {
    return Buffer.from(secp256k1.sign(message, this.secretKey, { format }));
  }

  /** Resolves with the message of the next sign request. */
  nextRequest(): Promise<string> {
    const start = this.received.length;
    return this.until(() => this.received[start], 'a sign request');
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /**
   * Resolves once the server answers a ping. The server reads frames in order, so every frame
   * sent before the ping has been handled by then. Fails at once if the connection closes first.
   */
  async roundTrip(ms = 5000): Promise<void> {
    const pong = new Promise<undefined>((resolve) => this.socket.once('pong', () => resolve(undefined)));
    this.socket.ping();
    const closed = await within(Promise.race([pong, this.closed]), ms, 'a pong');
    if (closed !== undefined)
      throw new Error(`closed with ${closed.code} (${closed.reason}) before the pong`);
  }

  waitClosed(ms = 5000): Promise<Closed> {
    return within(this.closed, ms, 'the connection to close');
  }

  /** Closes with `code` (none by default, which the server sees as 1005) and waits for the close. */
  close(code?: number): Promise<Closed> {
    this.socket.close(code);
    return this.waitClosed();
  }

  terminate(): void {
    this.socket.terminate();
  }

  /** Stops reading the socket, as a holder that no longer keeps up would; the server's frames pile up. */
  pause(): void {
    this.socket.pause();
  }

  /** Resolves with the first defined value of `check`, checked now and after each frame. */
  protected until<T>(check: () => T | undefined, what: string, ms = 5000): Promise<T> {
    return within(
      new Promise<T>((resolve) => {
        const test = (): void => {
          const value = check();
          if (value === undefined) return;
          this.socket.off('message', test);
          resolve(value);
        };
        this.socket.on('message', test);
        test();
      }),
      ms,
      what,
    );
  }

  /** The signature {@link answer} asks for, or none. */
  protected signatureFor(message: Uint8Array): Buffer | undefined {
    switch (this.answer) {
      case 'compact':
        return this.signature(message);
      case 'der':
        return this.signature(message, 'der');
      case 'high-s':
        return toHighS(this.signature(message));
      case 'wrong-key':
        return Buffer.from(secp256k1.sign(message, secp256k1.utils.randomSecretKey()));
      case 'silent':
        return undefined;
    }
  }
}

const N = secp256k1.Point.CURVE().n;

/** The same signature with s replaced by n − s: valid ECDSA, but not low-S. */
export function toHighS(compact: Uint8Array): Buffer {
  const s = BigInt(`0x${Buffer.from(compact.subarray(32)).toString('hex')}`);
  const high = Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex');
  return Buffer.concat([compact.subarray(0, 32), high]);
}

export function compressedKey(secretKey: Uint8Array): string {
  return Buffer.from(secp256k1.getPublicKey(secretKey, true)).toString('hex');
}
