import { INestApplicationContext, Logger } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { IncomingMessage } from 'node:http';
import type { ServerOptions, WebSocketServer } from 'ws';
import { HOLDER_FRAME_OVERHEAD_BYTES } from '../protocol/holder-frame.js';
import { chooseSubprotocol } from '../protocol/v2-frames.js';
import { socketStanding } from '../connections/connection-gate.js';
import type { HandshakeFailureReason } from '../metrics/metrics.constants.js';
import { SigSocketMetrics } from '../metrics/sigsocket-metrics.service.js';
import { HolderRouter } from '../signing/holder-router.service.js';
import { SIGSOCKET_OPTIONS } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';

/**
 * The largest text frame a holder needs to send for a message of `maxMessageBytes`: an answer,
 * or a decline whose reason has up to 1000 characters. Larger frames close with 1009.
 */
export function maxFrameBytes(maxMessageBytes: number): number {
  return Math.ceil(maxMessageBytes / 3) * 4 + HOLDER_FRAME_OVERHEAD_BYTES;
}

type VerifyClient = (
  info: { origin: string; req: IncomingMessage },
  done: (ok: boolean, code?: number) => void,
) => void;

/**
 * `WsAdapter` for SigSocket's plain-text frames. The gateway reads raw frames itself, so the
 * adapter's JSON dispatch (a `JSON.parse` attempt on every frame) is switched off. It caps frames
 * (close 1009), refuses upgrades from origins not in `allowedOrigins` (HTTP 403), upgrades once
 * shutdown stops taking work (HTTP 503) and, on a server at its connection cap, upgrades on the
 * sockets kept for probes (HTTP 503), counts each as failed
 * handshakes, and logs socket errors caused by peers at debug level. Host apps install it with
 * `app.useWebSocketAdapter(new SigSocketWsAdapter(app))`.
 */
export class SigSocketWsAdapter extends WsAdapter {
  private readonly wsLogger = new Logger(SigSocketWsAdapter.name);

  constructor(private readonly appContext: INestApplicationContext) {
    super(appContext);
  }

  override create(
    port: number,
    options: ServerOptions & { namespace?: string; server?: unknown },
  ): WebSocketServer {
    const config = this.config();
    return super.create(port, {
      ...options,
      maxPayload: maxFrameBytes(config.maxMessageBytes),
      verifyClient: this.verifyClient(new Set(config.allowedOrigins)),
      // Without an offer, or with only unknown names, no subprotocol is answered: a client
      // that offered only unknown names then aborts, as RFC 6455 says it should.
      handleProtocols: (offered: Set<string>) => chooseSubprotocol(offered) ?? false,
    }) as WebSocketServer;
  }

  override bindMessageHandlers(): void {
    // Frames are handled by SigSocketGateway's own listener.
  }

  override bindErrorHandler(server: WebSocketServer): WebSocketServer {
    server.on('connection', (socket) =>
      socket.on('error', (err: Error) => this.wsLogger.debug(`socket error: ${err.message}`)),
    );
    server.on('error', (err: Error) => this.wsLogger.error(err));
    return server;
  }

  private verifyClient(allowed: ReadonlySet<string>): VerifyClient {
    const metrics = this.appContext.get(SigSocketMetrics, { strict: false });
    const router = this.appContext.get(HolderRouter, { strict: false });
    const refuse = (
      done: (ok: boolean, code?: number) => void,
      status: number,
      reason: HandshakeFailureReason,
    ) => {
      this.wsLogger.debug(`upgrade refused (${reason})`);
      metrics.recordHandshakeFailure(reason);
      done(false, status);
    };
    return (info, done) => {
      if (socketStanding(info.req.socket) === 'probes-only') return refuse(done, 503, 'capacity');
      if (!router.isAccepting) return refuse(done, 503, 'shutting_down');
      if (allowed.size > 0 && info.req.headers.origin !== undefined && !allowed.has(info.origin)) {
        return refuse(done, 403, 'origin');
      }
      done(true);
    };
  }

  /** The options of the app's SigSocketModule; without them the origin and frame limits cannot hold. */
  private config(): ResolvedSigSocketOptions {
    try {
      return this.appContext.get<ResolvedSigSocketOptions>(SIGSOCKET_OPTIONS, { strict: false });
    } catch (cause) {
      throw new Error(
        'SigSocketWsAdapter serves an app without SigSocketModule: import SigSocketModule first',
        {
          cause,
        },
      );
    }
  }
}
