import { secp256k1 } from '@noble/curves/secp256k1.js';
import WebSocket from 'ws';
import { CHALLENGE_PREFIX } from '../../src/protocol/challenge.js';
import { within } from './wait.js';

/** How a test holder answers sign requests. */
export type Answer = 'compact' | 'der' | 'high-s' | 'wrong-key' | 'silent';

export interface Closed {
  code: number;
  reason: string;
}

/** A real `ws` key holder that signs with @noble/curves. */
export class TestHolder {
  readonly secretKey: Uint8Array;
  readonly publicKey: string;
  /** Sign requests received, challenges excepted. */
  readonly received: string[] = [];
  readonly challenges: string[] = [];
  /** Answer frames sent for sign requests, challenges excepted. */
  readonly sent: string[] = [];
  /** How the proof-of-possession challenge is answered. */
  proof: 'sign' | 'wrong-key' | 'silent' = 'sign';
  answer: Answer = 'compact';
  /** When set, decides the whole answer frame (or none) instead of {@link answer}. */
  responder: ((request: string) => string | undefined) | undefined;
  private readonly socket: WebSocket;
  readonly closed: Promise<Closed>;
  private readonly opened: Promise<void>;

  constructor(
    url: string,
    options: { secretKey?: Uint8Array; autoPong?: boolean; headers?: Record<string, string> } = {},
  ) {
    this.secretKey = options.secretKey ?? secp256k1.utils.randomSecretKey();
    this.publicKey = compressed(this.secretKey);
    this.socket = new WebSocket(url, { autoPong: options.autoPong ?? true, headers: options.headers });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) =>
      this.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    this.socket.on('error', () => undefined);
    this.socket.on('message', (data: Buffer) => this.onRequest(data.toString()));
  }

  /** Connects and introduces `introduction` (default: the holder's compressed key). */
  static async connect(url: string, introduction?: (holder: TestHolder) => string): Promise<TestHolder> {
    const holder = new TestHolder(url);
    await holder.open();
    holder.send(introduction ? introduction(holder) : holder.publicKey);
    return holder;
  }

  /** Connects a holder that answers with `answer`, and resolves once the server has registered it. */
  static async registered(url: string, answer: Answer = 'compact'): Promise<TestHolder> {
    const holder = await TestHolder.connect(url);
    holder.answer = answer;
    await holder.proven();
    return holder;
  }

  /** A valid compressed public key that no holder has. */
  static absentKey(): string {
    return compressed(secp256k1.utils.randomSecretKey());
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

  /** Resolves with the next sign request frame. */
  nextRequest(): Promise<string> {
    const start = this.received.length;
    return within(
      new Promise<string>((resolve) => {
        const check = (): void => {
          if (this.received.length > start) {
            this.socket.off('message', check);
            resolve(this.received[start]);
          }
        };
        this.socket.on('message', check);
        check();
      }),
      5000,
      'a sign request',
    );
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

  /** Resolves once the server has checked this holder's answer to its challenge. */
  async proven(ms = 5000): Promise<void> {
    await within(
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (this.challenges.length > 0) {
            this.socket.off('message', check);
            resolve();
          }
        };
        this.socket.on('message', check);
        check();
      }),
      ms,
      'a challenge',
    );
    await this.roundTrip(ms);
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

  private onRequest(frame: string): void {
    const message = Buffer.from(frame, 'base64');
    if (message.toString('latin1').startsWith(CHALLENGE_PREFIX)) {
      this.challenges.push(frame);
      if (this.proof === 'silent') return;
      const key = this.proof === 'sign' ? this.secretKey : secp256k1.utils.randomSecretKey();
      this.send(`${frame}.${Buffer.from(secp256k1.sign(message, key)).toString('base64')}`);
      return;
    }
    this.received.push(frame);
    if (this.responder !== undefined) {
      const reply = this.responder(frame);
      if (reply !== undefined) this.sendAnswer(reply);
      return;
    }
    const signature = this.answerFor(message);
    if (signature !== undefined) this.sendAnswer(`${frame}.${signature.toString('base64')}`);
  }

  private sendAnswer(frame: string): void {
    this.sent.push(frame);
    this.send(frame);
  }

  private answerFor(message: Buffer): Buffer | undefined {
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

/** The holders a suite registers, to close after each test. */
export class HolderList {
  private readonly holders: TestHolder[] = [];

  /** {@link TestHolder.registered}, kept for {@link closeAll}. */
  async register(url: string, answer: Answer = 'compact'): Promise<TestHolder> {
    const holder = await TestHolder.registered(url, answer);
    this.holders.push(holder);
    return holder;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.holders.splice(0).map((holder) => holder.close()));
  }
}

const N = secp256k1.Point.CURVE().n;

/** The same signature with s replaced by n − s: valid ECDSA, but not low-S. */
export function toHighS(compact: Uint8Array): Buffer {
  const s = BigInt(`0x${Buffer.from(compact.subarray(32)).toString('hex')}`);
  const high = Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex');
  return Buffer.concat([compact.subarray(0, 32), high]);
}

function compressed(secretKey: Uint8Array): string {
  return Buffer.from(secp256k1.getPublicKey(secretKey, true)).toString('hex');
}

export function uncompressed(holder: TestHolder): string {
  return Buffer.from(secp256k1.getPublicKey(holder.secretKey, false)).toString('hex');
}
