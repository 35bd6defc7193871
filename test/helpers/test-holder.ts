import { secp256k1 } from '@noble/curves/secp256k1.js';
import WebSocket from 'ws';
import { withTimeout } from './wait.js';

/** How a test holder answers sign requests. */
export type HolderBehaviour = 'sign' | 'silent' | 'forge';

/** A key holder on `/ws` that signs with @noble/curves (SHA-256, then ECDSA). */
export class TestHolder {
  readonly secretKey = secp256k1.utils.randomSecretKey();
  readonly publicKeyHex = Buffer.from(secp256k1.getPublicKey(this.secretKey, true)).toString('hex');
  readonly received: string[] = [];
  /** Every answer frame sent, for checking that none of it reaches the logs. */
  readonly sent: string[] = [];
  private socket: WebSocket | undefined;

  constructor(private readonly behaviour: HolderBehaviour = 'sign') {}

  /** Connects and introduces the key; the caller waits for `/connected` before relying on it. */
  async connect(wsUrl: string): Promise<this> {
    const socket = new WebSocket(wsUrl);
    this.socket = socket;
    socket.on('message', (data: Buffer) => this.answer(data.toString()));
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      }),
      'ws open',
    );
    socket.send(this.publicKeyHex);
    return this;
  }

  /** Closes with `code` and waits for the close handshake. */
  async close(code = 1000): Promise<void> {
    const socket = this.socket;
    if (socket === undefined || socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.close(code);
    await withTimeout(closed, 'ws close');
  }

  private answer(frame: string): void {
    this.received.push(frame);
    if (this.behaviour === 'silent') return;
    const key = this.behaviour === 'sign' ? this.secretKey : secp256k1.utils.randomSecretKey();
    const signature = secp256k1.sign(Buffer.from(frame, 'base64'), key);
    const answer = `${frame}.${Buffer.from(signature).toString('base64')}`;
    this.sent.push(answer);
    this.socket?.send(answer);
  }
}
