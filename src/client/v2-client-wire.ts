import { decodeBase64, encodeBase64 } from '../protocol/base64.js';
import { encodeV2Frame, proofMessage, type V2SignRequestFrame } from '../protocol/v2-frames.js';
import { parseV2ServerFrame } from '../protocol/v2-server-frames.js';
import type { ClientWire, ClientWireContext } from './client-wire.interface.js';
import type { HolderSocket } from './holder-socket.interface.js';
import { SOCKET_OPEN } from './holder-socket.interface.js';
import { fittingReason } from './v1-answers.js';

/** Answers kept, so that a request sent again after a reconnect gets the same answer, unasked. */
const KEPT_ANSWERS = 1024;

/**
 * What a v2 holder remembers across connections: the answers it gave, by request id. A request
 * sent again (after a reconnect) is never asked twice: while it is being decided it is left to
 * that decision, and once answered the same answer is sent again.
 */
export class V2Answers {
  private readonly byId = new Map<string, string>();

  get(id: string): string | undefined {
    return this.byId.get(id);
  }

  keep(id: string, frame: string): void {
    this.byId.set(id, frame);
    if (this.byId.size > KEPT_ANSWERS) this.byId.delete(this.byId.keys().next().value as string);
  }
}

/** Protocol v2 on one connection: hello, the proof of this URL, `ready`, then requests by id. */
export class V2ClientWire implements ClientWire {
  private phase: 'introducing' | 'proving' | 'proved' | 'ready' = 'introducing';

  constructor(
    private readonly socket: HolderSocket,
    private readonly context: ClientWireContext,
    private readonly answers: V2Answers,
  ) {}

  open(): void {
    this.socket.send(encodeV2Frame({ type: 'hello', publicKey: this.context.key.publicKeyHex }));
    this.phase = 'proving';
    this.context.proving();
  }

  receive(data: string): void {
    const frame = parseV2ServerFrame(data);
    if ('kind' in frame) return this.unexpected(`a bad frame: ${frame.reason}`);
    switch (frame.type) {
      case 'challenge':
        if (this.phase !== 'proving') return this.unexpected('a challenge outside the handshake');
        this.phase = 'proved';
        void this.prove(frame.nonce);
        return;
      case 'ready':
        if (this.phase !== 'proving' && this.phase !== 'proved') return this.unexpected('a second ready');
        this.phase = 'ready';
        this.context.ready();
        return;
      case 'sign_request':
        if (this.phase !== 'ready') return this.unexpected('a request before ready');
        return this.request(frame);
      case 'cancel':
        this.context.approvals.cancel(frame.id, frame.reason);
        return;
      case 'error':
        this.context.reportError(
          new Error(`the server says about request ${frame.id}: ${frame.code}: ${frame.message}`),
        );
        return;
    }
  }

  /** Signs the v2 proof for the URL this holder connected to, and no other message. */
  private async prove(nonce: string): Promise<void> {
    try {
      const { url, key } = this.context;
      const signature = encodeBase64(await key.sign(proofMessage(url, nonce)));
      if (this.socket.readyState === SOCKET_OPEN)
        this.socket.send(encodeV2Frame({ type: 'proof', url, signature }));
    } catch (error) {
      this.context.reportError(error);
    }
  }

  private request(frame: V2SignRequestFrame): void {
    const { id } = frame;
    const kept = this.answers.get(id);
    if (kept !== undefined) return this.socket.send(kept);
    const { approvals } = this.context;
    if (approvals.has(id)) return;
    const message = decodeBase64(frame.message) ?? new Uint8Array(0);
    const deadline = Date.now() + frame.expiresInMs;
    const request = { id, message, messageBase64: frame.message, deadline, ...caller(frame) };
    this.context.reportRequest(request);
    void approvals.decide(request).then((decision) => {
      if (decision.kind === 'dropped') return;
      const reply =
        decision.kind === 'sign'
          ? encodeV2Frame({ type: 'sign_response', id, signature: encodeBase64(decision.signature) })
          : encodeV2Frame({ type: 'reject', id, reason: fittingReason(decision.reason) });
      this.answers.keep(id, reply);
      this.context.answerSocket()?.send(reply);
    });
  }

  private unexpected(what: string): void {
    this.context.reportError(new Error(`the server sent ${what}; it was ignored`));
  }
}

function caller(frame: V2SignRequestFrame): { caller?: string } {
  return frame.caller === undefined ? {} : { caller: frame.caller };
}
