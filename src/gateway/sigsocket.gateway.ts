import { Inject, Logger, OnModuleDestroy } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { RawData, WebSocket } from 'ws';
import { SigSocketMetrics } from '../metrics/sigsocket-metrics.service.js';
import { CloseCode } from '../protocol/close-codes.js';
import { parseHolderFrame } from '../protocol/holder-frame.js';
import { RegistryService } from '../registry/registry.service.js';
import { SigningService } from '../signing/signing.service.js';
import { SIGSOCKET_OPTIONS, SIGSOCKET_WS_PATH } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';
import { SignatureVerifierService } from '../verification/signature-verifier.service.js';
import { HolderSession } from './holder-session.js';

const CLOSE_WAIT_MS = 2_000;

/** `/ws`: introductions, sign responses, heartbeats and the one-connection-per-key rule. */
@WebSocketGateway({ path: SIGSOCKET_WS_PATH })
export class SigSocketGateway implements OnGatewayInit, OnGatewayConnection, OnModuleDestroy {
  private readonly logger = new Logger(SigSocketGateway.name);
  private readonly sessions = new Set<HolderSession>();
  private heartbeat: NodeJS.Timeout | undefined;
  private nextId = 0;

  constructor(
    @Inject(SIGSOCKET_OPTIONS) private readonly options: ResolvedSigSocketOptions,
    private readonly registry: RegistryService,
    private readonly signing: SigningService,
    private readonly verifier: SignatureVerifierService,
    private readonly metrics: SigSocketMetrics,
  ) {}

  afterInit(): void {
    this.heartbeat = setInterval(() => this.sweep(), this.options.heartbeatIntervalMs);
    this.heartbeat.unref();
  }

  handleConnection(socket: WebSocket): void {
    const session = new HolderSession(`c${(++this.nextId).toString(36)}`, socket);
    this.sessions.add(session);
    session.handshakeTimer = setTimeout(
      () => session.close(CloseCode.PolicyViolation, 'no introduction within the handshake timeout'),
      this.options.handshakeTimeoutMs,
    );
    session.handshakeTimer.unref();
    socket.on('message', (data: RawData, isBinary: boolean) => this.onFrame(session, data, isBinary));
    socket.on('pong', () => (session.alive = true));
    socket.once('close', (code: number) => this.onClose(session, code));
    this.logger.debug(`[${session.id}] connected`);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.heartbeat);
    const closed = [...this.sessions].map((session) => this.closeAndWait(session));
    await Promise.all(closed);
  }

  private onFrame(session: HolderSession, data: RawData, isBinary: boolean): void {
    if (session.closing) return;
    if (isBinary) {
      session.close(CloseCode.UnsupportedData, 'binary frames are not supported');
      return;
    }
    // binaryType is 'nodebuffer', so ws hands every text frame over as one Buffer.
    const text = (data as Buffer).toString();
    if (!session.introduced) {
      this.introduce(session, text);
      return;
    }
    const frame = parseHolderFrame(text);
    if (frame.kind === 'error') {
      this.logger.debug(`[${session.id}] bad frame: ${frame.reason}`);
      session.close(CloseCode.PolicyViolation, frame.reason);
      return;
    }
    this.signing.handleResponse(session, frame);
  }

  private introduce(session: HolderSession, text: string): void {
    const parsed = this.verifier.parseKey(text);
    if (!parsed.ok) {
      session.close(CloseCode.PolicyViolation, `invalid public key: ${parsed.reason}`);
      return;
    }
    clearTimeout(session.handshakeTimer);
    session.attach(parsed.key);
    const previous = this.registry.register(session);
    if (previous !== undefined) {
      this.logger.log(`[${previous.id}] replaced by [${session.id}]`);
      previous.close(CloseCode.Replaced, 'replaced by a newer connection for the same key');
    }
    this.logger.log(`[${session.id}] holder registered`);
    this.signing.onHolderAttached(session);
  }

  private onClose(session: HolderSession, code: number): void {
    clearTimeout(session.handshakeTimer);
    this.sessions.delete(session);
    session.closing = true;
    if (session.introduced && this.registry.unregister(session)) {
      this.signing.onHolderDetached(session.keyId);
    }
    this.metrics.recordWsClose(code);
    this.logger.log(`[${session.id}] closed (${code})`);
  }

  private sweep(): void {
    for (const session of this.sessions) {
      if (!session.alive) {
        this.logger.log(`[${session.id}] missed a heartbeat; terminating`);
        session.socket.terminate();
        continue;
      }
      session.alive = false;
      session.socket.ping();
    }
  }

  private closeAndWait(session: HolderSession): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        session.socket.terminate();
        resolve();
      }, CLOSE_WAIT_MS);
      timer.unref();
      session.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      session.close(CloseCode.GoingAway, 'server shutting down');
    });
  }
}
