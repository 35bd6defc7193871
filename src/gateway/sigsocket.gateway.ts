import { Inject, Logger } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { RawData, WebSocket } from 'ws';
import { SigSocketMetrics } from '../metrics/sigsocket-metrics.service.js';
import { encodeBase64 } from '../protocol/base64.js';
import { CHALLENGE_PREFIX } from '../protocol/challenge.js';
import { CloseCode } from '../protocol/close-codes.js';
import { parseHolderFrame } from '../protocol/holder-frame.js';
import { RegistryService } from '../registry/registry.service.js';
import { SigningService } from '../signing/signing.service.js';
import { SIGSOCKET_OPTIONS, SIGSOCKET_WS_PATH } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';
import { NormalizedKey, SignatureVerifierService } from '../verification/signature-verifier.service.js';
import { HolderSession, StallWatch } from './holder-session.js';

const CLOSE_WAIT_MS = 2_000;

/** `/ws`: introductions, proof of possession, frames, heartbeats and one connection per key. */
@WebSocketGateway({ path: SIGSOCKET_WS_PATH })
export class SigSocketGateway implements OnGatewayInit, OnGatewayConnection {
  private readonly logger = new Logger(SigSocketGateway.name);
  private readonly sessions = new Set<HolderSession>();
  private readonly perAddress = new Map<string, number>();
  private readonly instanceId = randomBytes(6).toString('hex');
  private heartbeat: NodeJS.Timeout | undefined;
  private nextId = 0;
  private readonly stallWatch: StallWatch;

  constructor(
    @Inject(SIGSOCKET_OPTIONS) private readonly options: ResolvedSigSocketOptions,
    private readonly registry: RegistryService,
    private readonly signing: SigningService,
    private readonly verifier: SignatureVerifierService,
    private readonly metrics: SigSocketMetrics,
  ) {
    this.stallWatch = {
      maxBufferedBytes: options.maxHolderBufferBytes,
      stallMs: options.holderStallMs,
      onStall: (session) => this.onStall(session),
    };
  }

  afterInit(): void {
    this.heartbeat = setInterval(() => this.sweep(), this.options.heartbeatIntervalMs);
    this.heartbeat.unref();
  }

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    const id = `c${(++this.nextId).toString(36)}`;
    const session = new HolderSession(id, socket, this.addressOf(request), this.stallWatch);
    socket.once('close', (code: number) => this.onClose(session, code));
    if (!this.signing.isAccepting) {
      session.close(CloseCode.GoingAway, 'server shutting down');
      return;
    }
    if (!this.admitAddress(session.address)) {
      session.close(CloseCode.TryAgainLater, 'too many connections from this address');
      return;
    }
    this.sessions.add(session);
    session.handshakeTimer = setTimeout(
      () => session.close(CloseCode.PolicyViolation, 'handshake not completed within the handshake timeout'),
      this.options.handshakeTimeoutMs,
    );
    session.handshakeTimer.unref();
    socket.on('message', (data: RawData, isBinary: boolean) => this.onFrame(session, data, isBinary));
    socket.on('pong', () => (session.alive = true));
    this.logger.debug(`[${session.id}] connected`);
  }

  /** Closes every connection with 1001 and waits (briefly) for each close handshake. */
  async closeAll(): Promise<void> {
    clearInterval(this.heartbeat);
    await Promise.all([...this.sessions].map((session) => this.closeAndWait(session)));
  }

  private onFrame(session: HolderSession, data: RawData, isBinary: boolean): void {
    if (session.closing) return;
    if (isBinary) {
      session.close(CloseCode.UnsupportedData, 'binary frames are not supported');
      return;
    }
    // binaryType is 'nodebuffer', so ws hands every text frame over as one Buffer.
    const text = (data as Buffer).toString();
    const { claimed } = session;
    if (session.introduced) {
      this.onHolderFrame(session, text);
    } else if (claimed === undefined) {
      this.introduce(session, text);
    } else {
      this.checkProof(session, claimed, text);
    }
  }

  private onHolderFrame(session: HolderSession, text: string): void {
    const frame = parseHolderFrame(text);
    switch (frame.kind) {
      case 'response':
        this.signing.handleResponse(session, frame);
        return;
      case 'reject':
        this.signing.handleReject(session, frame);
        return;
      case 'error':
        this.logger.debug(`[${session.id}] bad frame: ${frame.reason}`);
        session.close(CloseCode.PolicyViolation, frame.reason);
        return;
    }
  }

  private introduce(session: HolderSession, text: string): void {
    const parsed = this.verifier.parseKey(text);
    if (!parsed.ok) {
      session.close(CloseCode.PolicyViolation, `invalid public key: ${parsed.reason}`);
      return;
    }
    if (!this.options.proofOfPossession) {
      this.register(session, parsed.key);
      return;
    }
    session.claimed = parsed.key;
    session.challenge = Buffer.concat([
      Buffer.from(`${CHALLENGE_PREFIX}${this.instanceId}:`, 'ascii'),
      randomBytes(32),
    ]);
    session.send(encodeBase64(session.challenge));
  }

  /**
   * The only frame accepted while proving possession is the signed challenge. Its message part is
   * compared as bytes, as answers to sign requests are: any valid base64 of the challenge will do.
   */
  private checkProof(session: HolderSession, claimed: NormalizedKey, text: string): void {
    const frame = parseHolderFrame(text);
    const { challenge } = session;
    const proven =
      frame.kind === 'response' &&
      challenge !== undefined &&
      Buffer.from(frame.messageBase64, 'base64').equals(challenge) &&
      this.verifier.verify(challenge, frame.signature, claimed.compressed);
    if (!proven) {
      this.logger.log(`[${session.id}] proof of possession failed`);
      session.close(CloseCode.PolicyViolation, 'proof of possession failed');
      return;
    }
    this.register(session, claimed);
  }

  private register(session: HolderSession, key: NormalizedKey): void {
    clearTimeout(session.handshakeTimer);
    session.attach(key);
    const previous = this.registry.register(session);
    if (previous !== undefined) {
      this.logger.log(`[${previous.id}] replaced by [${session.id}]`);
      previous.close(CloseCode.Replaced, 'replaced by a newer connection for the same key');
    }
    this.logger.log(`[${session.id}] holder registered`);
    this.signing.onHolderAttached(session);
  }

  private onClose(session: HolderSession, code: number): void {
    session.dispose();
    if (this.sessions.delete(session)) this.releaseAddress(session.address);
    if (session.introduced && this.registry.unregister(session)) {
      this.signing.onHolderDetached(session.keyId);
    }
    const meant = session.terminatedWith;
    this.metrics.recordWsClose(meant ?? code);
    this.logger.log(`[${session.id}] closed (${meant === undefined ? code : `${meant}, terminated`})`);
  }

  /** A holder that does not read would never get a close frame either, so it is terminated. */
  private onStall(session: HolderSession): void {
    this.logger.warn(
      `[${session.id}] not reading: ${session.bufferedBytes} bytes queued for over ` +
        `${this.options.holderStallMs} ms; terminating (${CloseCode.TryAgainLater})`,
    );
    session.terminate(CloseCode.TryAgainLater);
  }

  private admitAddress(address: string): boolean {
    const count = this.perAddress.get(address) ?? 0;
    const max = this.options.maxConnectionsPerIp;
    if (max > 0 && count >= max) return false;
    this.perAddress.set(address, count + 1);
    return true;
  }

  private releaseAddress(address: string): void {
    const count = (this.perAddress.get(address) ?? 1) - 1;
    if (count <= 0) this.perAddress.delete(address);
    else this.perAddress.set(address, count);
  }

  private addressOf(request: IncomingMessage): string {
    const forwarded = request.headers['x-forwarded-for'];
    if (this.options.trustProxy && typeof forwarded === 'string' && forwarded.trim() !== '') {
      return forwarded.split(',')[0].trim();
    }
    return request.socket.remoteAddress ?? 'unknown';
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
