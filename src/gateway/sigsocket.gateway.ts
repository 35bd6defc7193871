import { Inject, Logger } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { RawData, WebSocket } from 'ws';
import type { HandshakeFailureReason } from '../metrics/metrics.constants.js';
import { SigSocketMetrics } from '../metrics/sigsocket-metrics.service.js';
import { CHALLENGE_PREFIX } from '../protocol/challenge.js';
import { CloseCode } from '../protocol/close-codes.js';
import { parseHolderFrame } from '../protocol/holder-frame.js';
import { RegistryService } from '../registry/registry.service.js';
import { HolderOutbox } from '../signing/holder-outbox.js';
import { HolderRouter } from '../signing/holder-router.service.js';
import { SIGSOCKET_OPTIONS, SIGSOCKET_WS_PATH } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';
import { NormalizedKey, SignatureVerifierService } from '../verification/signature-verifier.service.js';
import { AddressAdmission } from './address-admission.js';
import { closeWithin } from './close-within.js';
import { HandshakeRules, handshakeStep } from './handshake.js';
import { Heartbeat } from './heartbeat.js';
import { HolderSession, StallWatch } from './holder-session.js';
import { V1HolderLink } from './v1-holder-link.js';

const CLOSE_WAIT_MS = 2_000;
/** How long a refused connection has to answer its close frame before it is terminated. */
const REFUSAL_CLOSE_WAIT_MS = 1_000;

/** `/ws`: admits connections, runs their handshake, then passes frames to their link. */
@WebSocketGateway({ path: SIGSOCKET_WS_PATH })
export class SigSocketGateway implements OnGatewayInit, OnGatewayConnection {
  private readonly logger = new Logger(SigSocketGateway.name);
  private readonly sessions = new Set<HolderSession>();
  private readonly admission: AddressAdmission;
  private readonly heartbeat: Heartbeat;
  private readonly handshake: HandshakeRules;
  private readonly stallWatch: StallWatch;
  private nextId = 0;

  constructor(
    @Inject(SIGSOCKET_OPTIONS) private readonly options: ResolvedSigSocketOptions,
    private readonly registry: RegistryService,
    private readonly router: HolderRouter,
    private readonly outbox: HolderOutbox,
    verifier: SignatureVerifierService,
    private readonly metrics: SigSocketMetrics,
  ) {
    this.stallWatch = {
      maxBufferedBytes: options.maxHolderBufferBytes,
      stallMs: options.holderStallMs,
      onStall: (session) => this.onStall(session),
    };
    this.admission = new AddressAdmission(options.maxConnectionsPerIp, options.trustProxy);
    this.heartbeat = new Heartbeat(options.heartbeatIntervalMs, this.sessions);
    const prefix = Buffer.from(`${CHALLENGE_PREFIX}${randomBytes(6).toString('hex')}:`, 'ascii');
    this.handshake = {
      proofOfPossession: options.proofOfPossession,
      parseKey: (text) => verifier.parseKey(text),
      verify: (message, signature, key) => verifier.verify(message, signature, key),
      newChallenge: () => Buffer.concat([prefix, randomBytes(32)]),
    };
  }

  afterInit(): void {
    this.heartbeat.start();
  }

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    const id = `c${(++this.nextId).toString(36)}`;
    const session = new HolderSession(id, socket, this.admission.addressOf(request), this.stallWatch);
    socket.once('close', (code: number) => this.onClose(session, code));
    if (!this.router.isAccepting) {
      this.refuse(session, 'shutting_down', CloseCode.GoingAway, 'server shutting down');
      return;
    }
    if (!this.admission.admit(session, session.address, request)) {
      this.refuse(
        session,
        'address_limit',
        CloseCode.TryAgainLater,
        'too many connections from this address',
      );
      return;
    }
    this.sessions.add(session);
    session.handshakeTimer = setTimeout(() => {
      const reason = 'handshake not completed within the handshake timeout';
      this.refuse(session, 'timeout', CloseCode.PolicyViolation, reason);
    }, this.options.handshakeTimeoutMs);
    session.handshakeTimer.unref();
    socket.on('message', (data: RawData, isBinary: boolean) => this.onFrame(session, data, isBinary));
    socket.on('pong', () => (session.alive = true));
    this.logger.debug(`[${session.id}] connected`);
  }

  /** Closes every connection with 1001 and waits (briefly) for each close handshake. */
  async closeAll(): Promise<void> {
    this.heartbeat.stop();
    await Promise.all([...this.sessions].map((session) => this.closeAndWait(session)));
  }

  private onFrame(session: HolderSession, data: RawData, isBinary: boolean): void {
    if (session.closing) return;
    if (isBinary) {
      const reason = 'binary frames are not supported';
      if (session.introduced) session.close(CloseCode.UnsupportedData, reason);
      else this.refuse(session, 'binary_frame', CloseCode.UnsupportedData, reason);
      return;
    }
    // binaryType is 'nodebuffer', so ws hands every text frame over as one Buffer.
    const text = (data as Buffer).toString();
    if (session.link !== undefined) {
      this.onHolderFrame(session.link, session, text);
      return;
    }
    const step = handshakeStep(session.phase, text, this.handshake);
    switch (step.kind) {
      case 'challenge':
        session.phase = step.next;
        session.send(step.frame);
        return;
      case 'accept':
        this.register(session, step.key);
        return;
      case 'fail':
        this.refuse(session, step.failure, CloseCode.PolicyViolation, step.reason);
        return;
    }
  }

  private onHolderFrame(link: V1HolderLink, session: HolderSession, text: string): void {
    const frame = parseHolderFrame(text);
    if (frame.kind === 'error') {
      this.logger.debug(`[${session.id}] bad frame: ${frame.reason}`);
      session.close(CloseCode.PolicyViolation, frame.reason);
      return;
    }
    const id = link.take(frame.messageBase64);
    if (id === undefined) {
      this.logger.debug(`[${session.id}] unmatched frame ignored`);
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

  private register(session: HolderSession, key: NormalizedKey): void {
    clearTimeout(session.handshakeTimer);
    session.handshakeTimer = undefined;
    const link = new V1HolderLink(session, this.outbox);
    session.attach(key, link);
    const previous = this.registry.register(link);
    if (previous !== undefined) {
      this.logger.log(`[${previous.id}] replaced by [${session.id}]`);
      previous.close(CloseCode.Replaced, 'replaced by a newer connection for the same key');
    }
    this.logger.log(`[${session.id}] holder registered`);
    this.router.attach(link);
  }

  private onClose(session: HolderSession, code: number): void {
    session.dispose();
    this.sessions.delete(session);
    this.admission.release(session, session.address);
    if (session.link !== undefined && this.registry.unregister(session.link)) {
      this.router.detach(session.keyId);
    }
    const meant = session.terminatedWith;
    this.metrics.recordWsClose(meant ?? code);
    const line = `[${session.id}] closed (${meant === undefined ? code : `${meant}, terminated`})`;
    // Anonymous connections are logged at debug level only, so that they cannot flood the log.
    if (session.introduced) this.logger.log(line);
    else this.logger.debug(line);
  }

  /** A holder that does not read would never get a close frame either, so it is terminated. */
  private onStall(session: HolderSession): void {
    this.logger.warn(
      `[${session.id}] not reading: ${session.bufferedBytes} bytes queued for over ` +
        `${this.options.holderStallMs} ms; terminating (${CloseCode.TryAgainLater})`,
    );
    session.terminate(CloseCode.TryAgainLater);
  }

  /**
   * Ends a connection whose handshake failed: a debug line, the failure metric, a close frame, and
   * termination if the peer has not answered it soon (ws would wait 30 s).
   */
  private refuse(
    session: HolderSession,
    failure: HandshakeFailureReason,
    code: number,
    reason: string,
  ): void {
    if (session.closing) return;
    this.logger.debug(`[${session.id}] handshake failed (${failure}): ${reason}`);
    this.metrics.recordHandshakeFailure(failure);
    void closeWithin(session, code, reason, REFUSAL_CLOSE_WAIT_MS);
  }

  private closeAndWait(session: HolderSession): Promise<void> {
    return closeWithin(session, CloseCode.GoingAway, 'server shutting down', CLOSE_WAIT_MS);
  }
}
