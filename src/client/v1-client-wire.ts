import { decodeBase64 } from '../protocol/base64.js';
import { isChallengeMessage } from '../protocol/challenge.js';
import type { Decision } from './approvals.js';
import type { ClientWire, ClientWireContext } from './client-wire.interface.js';
import type { HolderSocket } from './holder-socket.interface.js';
import { SOCKET_OPEN } from './holder-socket.interface.js';
import { declineFrame, signedFrame } from './v1-answers.js';

let nextLocalId = 0;

/**
 * Protocol v1 on one connection: the key, the challenge (signed only while proving, once), then
 * base64 requests answered by message. v1 has no request ids, so each request gets a local one.
 */
export class V1ClientWire implements ClientWire {
  private phase: 'introducing' | 'proving' | 'ready' = 'introducing';

  constructor(
    private readonly socket: HolderSocket,
    private readonly context: ClientWireContext,
    private readonly proofOfPossession: boolean,
  ) {}

  open(): void {
    this.socket.send(this.context.key.publicKeyHex);
    if (!this.proofOfPossession) return this.ready();
    this.phase = 'proving';
    this.context.proving();
  }

  receive(data: string): void {
    const message = decodeBase64(data);
    if (message === null)
      return this.context.reportError(new Error('the server sent a frame that is not base64'));
    if (isChallengeMessage(message)) {
      if (this.phase !== 'proving') {
        return this.context.reportError(new Error('a challenge outside the handshake was not signed'));
      }
      this.phase = 'introducing';
      void this.answerChallenge(data, message);
      return;
    }
    // A server without proof of possession sends requests straight away.
    if (this.phase === 'proving') this.ready();
    const request = { id: `v1-${++nextLocalId}`, message, messageBase64: data };
    this.context.reportRequest(request);
    void this.context.approvals.decide(request).then((decision) => this.answer(data, decision));
  }

  /** Challenges prove the key to the server; they are signed without asking `approve`. */
  private async answerChallenge(frame: string, message: Uint8Array): Promise<void> {
    try {
      const reply = signedFrame(frame, await this.context.key.sign(message));
      if (this.socket.readyState !== SOCKET_OPEN) return;
      this.socket.send(reply);
      this.ready();
    } catch (error) {
      this.context.reportError(error);
    }
  }

  private answer(frame: string, decision: Decision): void {
    if (decision.kind === 'dropped') return;
    const reply =
      decision.kind === 'sign'
        ? signedFrame(frame, decision.signature)
        : declineFrame(frame, decision.reason);
    // The server matches answers by message bytes, so whichever connection is ready now will do.
    this.context.answerSocket()?.send(reply);
  }

  private ready(): void {
    this.phase = 'ready';
    this.context.ready();
  }
}
