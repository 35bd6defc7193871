import { secp256k1 } from '@noble/curves/secp256k1.js';
import { CHALLENGE_PREFIX } from '../../src/protocol/challenge.js';
import { type Answer, compressedKey, WsTestClient, type WsTestClientOptions } from './ws-test-client.js';

export type { Answer, Closed } from './ws-test-client.js';
export { toHighS } from './ws-test-client.js';

/** A real `ws` key holder speaking protocol v1 that signs with @noble/curves. */
export class TestHolder extends WsTestClient {
  readonly challenges: string[] = [];
  /** Answer frames sent for sign requests, challenges excepted. */
  readonly sent: string[] = [];
  /** How the proof-of-possession challenge is answered. */
  proof: 'sign' | 'wrong-key' | 'silent' = 'sign';
  /** When set, decides the whole answer frame (or none) instead of {@link answer}. */
  responder: ((request: string) => string | undefined) | undefined;

  constructor(url: string, options: WsTestClientOptions = {}) {
    super(url, options);
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
    return compressedKey(secp256k1.utils.randomSecretKey());
  }

  /** Resolves once the server has checked this holder's answer to its challenge. */
  async proven(ms = 5000): Promise<void> {
    await this.until(() => (this.challenges.length > 0 ? true : undefined), 'a challenge', ms);
    await this.roundTrip(ms);
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
    const signature = this.signatureFor(message);
    if (signature !== undefined) this.sendAnswer(`${frame}.${signature.toString('base64')}`);
  }

  private sendAnswer(frame: string): void {
    this.sent.push(frame);
    this.send(frame);
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

export function uncompressed(holder: WsTestClient): string {
  return Buffer.from(secp256k1.getPublicKey(holder.secretKey, false)).toString('hex');
}
