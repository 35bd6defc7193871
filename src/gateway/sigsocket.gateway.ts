import { Inject, Logger } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { RawData, WebSocket } from 'ws';
import type { HandshakeFailureReason } from '../metrics/metrics.constants.js';
import { SigSocketMetrics } from '../metrics/sigsocket-metrics.service.js';
import { CloseCode } from '../protocol/close-codes.js';
import { Subprotocol } from '../protocol/v2-frames.js';
import type { HolderLink } from '../registry/holder-link.interface.js';
import { RegistryService } from '../registry/registry.service.js';
import { HolderOutbox } from '../signing/holder-outbox.js';
import { HolderRouter } from '../signing/holder-router.service.js';
import { SIGSOCKET_OPTIONS, SIGSOCKET_WS_PATH } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';
import { NormalizedKey, SignatureVerifierService } from '../verification/signature-verifier.service.js';
import { AddressAdmission } from './address-admission.js';
import { closeWithin } from './close-within.js';
import { handshakeRules } from './handshake-rules.js';
import { Heartbeat } from './heartbeat.js';
import type { HolderWire, WireHost } from './holder-wire.interface.js';
import { HolderSession, StallWatch } from './holder-session.js';
import { V1Wire } from './v1-wire.js';
import { V2Wire } from './v2-wire.js';

const CLOSE_WAIT_MS = 2_000;
/** How long a refused connection has to answer its close frame before it is terminated. */
const REFUSAL_CLOSE_WAIT_MS = 1_000;

/**
 * `/ws`: admits connections and passes their frames to the wire of the protocol they negotiated
 * (`sigsocket.v2`, or v1); registers the holders whose handshake succeeds.
 */
@WebSocketGateway({ path: SIGSOCKET_WS_PATH })
export class SigSocketGateway implements OnGatewayInit, OnGatewayConnection, WireHost {
  private readonly logger = new Logger(SigSocketGateway.name);
  private readonly sessions = new Set<HolderSession>();
  private readonly wires = new WeakMap<HolderSession, HolderWire>();
  private readonly admission: AddressAdmission;
  private readonly heartbeat: Heartbeat;
  private readonly rules: ReturnType<typeof handshakeRules>;
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
    this.rules = handshakeRules(options, verifier);
  }

  afterInit(): void {
    this.heartbeat.start();
  }

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    const id = `c${(++this.nextId).toString(36)}`;
    const session = new HolderSession(id, socket, this.admission.addressOf(request), this.stallWatch);
    socket.once('close', (code: number) => this.onClose(session, code));
    if (!this.router.isAccepting) {
      this.end(session, 'shutting_down', CloseCode.GoingAway, 'server shutting down');
      return;
    }
    if (!this.admission.admit(session, session.address, request)) {
      this.end(session, 'address_limit', CloseCode.TryAgainLater, 'too many connections from this address');
      return;
    }
    this.sessions.add(session);
    session.handshakeTimer = setTimeout(() => {
      const reason = 'handshake not completed within the handshake timeout';
      this.refuse(session, 'timeout', reason);
    }, this.options.handshakeTimeoutMs);
    session.handshakeTimer.unref();
    this.wires.set(session, this.wireFor(session, socket.protocol, request));
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
      else this.end(session, 'binary_frame', CloseCode.UnsupportedData, reason);
      return;
    }
    // binaryType is 'nodebuffer', so ws hands every text frame over as one Buffer.
    this.wires.get(session)?.receive((data as Buffer).toString());
  }

  register(session: HolderSession, key: NormalizedKey, link: HolderLink, announce?: () => void): void {
    clearTimeout(session.handshakeTimer);
    session.handshakeTimer = undefined;
    session.attach(key, link);
    const previous = this.registry.register(link);
    if (previous !== undefined) {
      this.logger.log(`[${previous.id}] replaced by [${session.id}]`);
      previous.close(CloseCode.Replaced, 'replaced by a newer connection for the same key');
    }
    this.logger.log(`[${session.id}] holder registered (${link.protocol})`);
    void this.router.attach(link, announce);
  }

  refuse(session: HolderSession, failure: HandshakeFailureReason, reason: string): void {
    this.end(session, failure, CloseCode.PolicyViolation, reason);
  }

  private wireFor(session: HolderSession, subprotocol: string, request: IncomingMessage): HolderWire {
    if (subprotocol === Subprotocol.V2) {
      return new V2Wire(session, this, this.rules.v2, request.headers.host, this.router, this.outbox);
    }
    return new V1Wire(session, this, this.rules.v1, this.router, this.outbox);
  }

  private onClose(session: HolderSession, code: number): void {
    session.dispose();
    this.outbox.forget(session);
    this.sessions.delete(session);
    this.admission.release(session, session.address);
    if (session.link !== undefined && this.registry.unregister(session.link)) {
      this.router.detach(session.keyId, session.link);
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
  private end(session: HolderSession, failure: HandshakeFailureReason, code: number, reason: string): void {
    if (session.closing) return;
    this.logger.debug(`[${session.id}] handshake failed (${failure}): ${reason}`);
    this.metrics.recordHandshakeFailure(failure);
    void closeWithin(session, code, reason, REFUSAL_CLOSE_WAIT_MS);
  }

  private closeAndWait(session: HolderSession): Promise<void> {
    return closeWithin(session, CloseCode.GoingAway, 'server shutting down', CLOSE_WAIT_MS);
  }
}
