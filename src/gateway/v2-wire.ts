import { Logger } from '@nestjs/common';
import { CloseCode } from '../protocol/close-codes.js';
import { HolderNoticeCode } from '../protocol/error-codes.js';
import { encodeV2Frame } from '../protocol/v2-frames.js';
import { parseV2HolderFrame, type V2HolderFrame } from '../protocol/v2-holder-frames.js';
import type { HolderOutbox } from '../signing/holder-outbox.js';
import type { HolderRouter } from '../signing/holder-router.service.js';
import type { HolderWire, WireHost } from './holder-wire.interface.js';
import type { HolderSession } from './holder-session.js';
import {
  AWAITING_HELLO,
  type V2HandshakePhase,
  type V2HandshakeRules,
  v2HandshakeStep,
} from './v2-handshake.js';
import { V2HolderLink } from './v2-holder-link.js';

const UNKNOWN_REQUEST = 'no pending request has this id; it may have ended already';
const INVALID_SIGNATURE = 'the signature does not verify for this request and key';

/** One logger for every connection: one each would cost memory per holder. */
const logger = new Logger('SigSocketGateway');
/** Protocol v2 on one connection: JSON frames, `ready` once registered, answers by request id. */
export class V2Wire implements HolderWire {
  readonly version = 'v2';
  private phase: V2HandshakePhase = AWAITING_HELLO;
  private link: V2HolderLink | undefined;

  constructor(
    private readonly session: HolderSession,
    private readonly host: WireHost,
    private readonly rules: V2HandshakeRules,
    private readonly hostHeader: string | undefined,
    private readonly router: HolderRouter,
    private readonly outbox: HolderOutbox,
  ) {}

  receive(text: string): void {
    const frame = parseV2HolderFrame(text);
    if (this.link !== undefined) {
      if ('kind' in frame) return this.violation(frame.reason);
      return this.onHolderFrame(this.link, frame);
    }
    if ('kind' in frame) {
      const failure = this.phase.kind === 'awaiting-hello' ? 'invalid_key' : 'proof_failed';
      return this.host.refuse(this.session, failure, frame.reason);
    }
    const step = v2HandshakeStep(this.phase, frame, this.rules, this.hostHeader);
    switch (step.kind) {
      case 'challenge':
        this.phase = step.next;
        this.session.send(step.frame);
        return;
      case 'accept': {
        this.phase = AWAITING_HELLO;
        const link = new V2HolderLink(this.session, this.outbox);
        this.link = link;
        const ready = encodeV2Frame({ type: 'ready', publicKey: step.key.id });
        this.host.register(this.session, step.key, link, () => this.session.send(ready));
        return;
      }
      case 'fail':
        this.host.refuse(this.session, step.failure, step.reason);
        return;
    }
  }

  private onHolderFrame(link: V2HolderLink, frame: V2HolderFrame): void {
    switch (frame.type) {
      case 'hello':
      case 'proof':
        return this.violation(`unexpected ${frame.type} frame after the handshake`);
      case 'sign_response': {
        link.answered(frame.id);
        const outcome = this.router.answer(link, frame.id, frame);
        if (outcome === 'unknown') this.notice(frame.id, HolderNoticeCode.UnknownRequest, UNKNOWN_REQUEST);
        if (outcome === 'invalid_signature') {
          this.notice(frame.id, HolderNoticeCode.InvalidSignature, INVALID_SIGNATURE);
        }
        return;
      }
      case 'reject':
        link.answered(frame.id);
        if (!this.router.decline(link, frame.id, frame.reason)) {
          this.notice(frame.id, HolderNoticeCode.UnknownRequest, UNKNOWN_REQUEST);
        }
        return;
    }
  }

  /** A notice about the holder's answer; the connection stays open. */
  private notice(id: string, code: string, message: string): void {
    this.session.send(encodeV2Frame({ type: 'error', id, code, message }));
  }

  private violation(reason: string): void {
    logger.debug(`[${this.session.id}] bad frame: ${reason}`);
    this.session.close(CloseCode.PolicyViolation, reason);
  }
}
