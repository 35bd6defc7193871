import { Logger } from '@nestjs/common';
import { CloseCode } from '../protocol/close-codes.js';
import { parseHolderFrame } from '../protocol/holder-frame.js';
import type { HolderOutbox } from '../signing/holder-outbox.js';
import type { HolderRouter } from '../signing/holder-router.service.js';
import { AWAITING_KEY, type HandshakePhase, type HandshakeRules, handshakeStep } from './handshake.js';
import type { HolderWire, WireHost } from './holder-wire.interface.js';
import type { HolderSession } from './holder-session.js';
import { V1HolderLink } from './v1-holder-link.js';

/** One logger for every connection: one each would cost memory per holder. */
const logger = new Logger('SigSocketGateway');
/** Protocol v1 on one connection: key, challenge, then base64 requests and their answers. */
export class V1Wire implements HolderWire {
  readonly version = 'v1';
  private phase: HandshakePhase = AWAITING_KEY;
  private link: V1HolderLink | undefined;

  constructor(
    private readonly session: HolderSession,
    private readonly host: WireHost,
    private readonly rules: HandshakeRules,
    private readonly router: HolderRouter,
    private readonly outbox: HolderOutbox,
  ) {}

  receive(text: string): void {
    if (this.link !== undefined) return this.onHolderFrame(this.link, text);
    const step = handshakeStep(this.phase, text, this.rules);
    switch (step.kind) {
      case 'challenge':
        this.phase = step.next;
        this.session.send(step.frame);
        return;
      case 'accept':
        this.phase = AWAITING_KEY;
        this.link = new V1HolderLink(this.session, this.outbox);
        this.host.register(this.session, step.key, this.link);
        return;
      case 'fail':
        this.host.refuse(this.session, step.failure, step.reason);
        return;
    }
  }

  private onHolderFrame(link: V1HolderLink, text: string): void {
    const frame = parseHolderFrame(text);
    if (frame.kind === 'error') {
      logger.debug(`[${this.session.id}] bad frame: ${frame.reason}`);
      this.session.close(CloseCode.PolicyViolation, frame.reason);
      return;
    }
    const id = link.take(frame.messageBase64);
    if (id === undefined) {
      logger.debug(`[${this.session.id}] unmatched frame ignored`);
      return;
    }
    switch (frame.kind) {
      case 'response':
        this.router.answer(link, id, frame);
        return;
      case 'reject':
        this.router.decline(link, id, frame.reason);
        return;
    }
  }
}
