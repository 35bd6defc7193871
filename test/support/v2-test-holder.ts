import { secp256k1 } from '@noble/curves/secp256k1.js';
import { proofMessage, Subprotocol, type V2SignRequestFrame } from '../../src/protocol/v2-frames.js';
import { type Answer, WsTestClient, type WsTestClientOptions } from './ws-test-client.js';

/** A frame the server sent, as parsed JSON. */
export type ServerFrame = { type: string } & Record<string, unknown>;

export interface V2TestHolderOptions extends WsTestClientOptions {
  /** The URL the proof names; default the URL connected to. */
  proofUrl?: string;
}

/** A real `ws` key holder speaking protocol v2 that signs with @noble/curves. */
export class V2TestHolder extends WsTestClient {
  /** Every frame the server sent, in order. */
  readonly frames: ServerFrame[] = [];
  readonly requests: V2SignRequestFrame[] = [];
  /** Answer frames sent for sign requests. */
  readonly sent: string[] = [];
  /** How the challenge is answered. */
  proof: 'sign' | 'wrong-key' | 'silent' = 'sign';
  private readonly proofUrl: string;

  constructor(url: string, options: V2TestHolderOptions = {}) {
    super(url, { protocols: [Subprotocol.V2], ...options });
    this.proofUrl = options.proofUrl ?? url;
    this.socket.on('message', (data: Buffer) => this.onFrame(data.toString()));
  }

  /** Connects and says hello with `introduction` (default: the holder's compressed key). */
  static async connect(url: string, introduction?: (holder: V2TestHolder) => string): Promise<V2TestHolder> {
    const holder = new V2TestHolder(url);
    await holder.open();
    holder.hello(introduction ? introduction(holder) : holder.publicKey);
    return holder;
  }

  /** Connects a holder that answers with `answer`, and resolves once the server says it is ready. */
  static async registered(url: string, answer: Answer = 'compact'): Promise<V2TestHolder> {
    const holder = await V2TestHolder.connect(url);
    holder.answer = answer;
    await holder.ready();
    return holder;
  }

  hello(publicKey: string): void {
    this.sendJson({ type: 'hello', publicKey });
  }

  sendJson(frame: Record<string, unknown>): void {
    this.send(JSON.stringify(frame));
  }

  /** Resolves with the next frame of this type, counting from the start of the connection. */
  frame(type: string, index = 0, ms = 5000): Promise<ServerFrame> {
    return this.until(() => this.frames.filter((f) => f.type === type)[index], `a ${type} frame`, ms);
  }

  ready(ms = 5000): Promise<ServerFrame> {
    return this.frame('ready', 0, ms);
  }

  /** Answers request number `index` (in arrival order) with this signature. */
  respond(index: number, signatureBase64: string): void {
    this.sendAnswer({ type: 'sign_response', id: this.requests[index].id, signature: signatureBase64 });
  }

  private onFrame(text: string): void {
    const frame = JSON.parse(text) as ServerFrame;
    this.frames.push(frame);
    if (frame.type === 'challenge') return this.prove(String(frame.nonce));
    if (frame.type !== 'sign_request') return;
    const request = frame as unknown as V2SignRequestFrame;
    this.requests.push(request);
    this.received.push(request.message);
    const signature = this.signatureFor(Buffer.from(request.message, 'base64'));
    if (signature !== undefined) {
      this.sendAnswer({ type: 'sign_response', id: request.id, signature: signature.toString('base64') });
    }
  }

  private prove(nonce: string): void {
    if (this.proof === 'silent') return;
    const key = this.proof === 'sign' ? this.secretKey : secp256k1.utils.randomSecretKey();
    const signature = Buffer.from(secp256k1.sign(proofMessage(this.proofUrl, nonce), key)).toString('base64');
    this.sendJson({ type: 'proof', url: this.proofUrl, signature });
  }

  private sendAnswer(frame: Record<string, unknown>): void {
    const text = JSON.stringify(frame);
    this.sent.push(text);
    this.send(text);
  }
}
