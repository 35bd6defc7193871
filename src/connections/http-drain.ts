import { Logger } from '@nestjs/common';
import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ErrorCode } from '../protocol/error-codes.js';
import { refuseRequest } from './error-response.js';
import { RequestFront } from './request-front.js';
import { sharedCloseListener } from './shared-close-listener.js';

/**
 * Stops an HTTP server taking new work without cutting work it has started. Once {@link begin}
 * runs, the listener is closed and so are idle keep-alive sockets; a request still arriving on an
 * open socket gets 503 `shutting_down` with `Connection: close`, and the answers to requests in
 * flight close their sockets too. A proxy that retries on 503 then sends the request elsewhere.
 */
export class HttpDrain {
  private readonly logger = new Logger(HttpDrain.name);
  private readonly sockets = new Set<Socket>();
  /** The response each socket carries now; replaced by the socket's next request. */
  private readonly responses = new WeakMap<Socket, ServerResponse>();
  private server: Server | undefined;
  private draining = false;

  /** Watches `server`'s requests. Call it once the app's request listener is in place. */
  attach(server: Server): void {
    this.server = server;
    const sockets = this.sockets;
    const forget = sharedCloseListener((socket) => sockets.delete(socket));
    RequestFront.of(server).check((request, response) => {
      if (this.draining) {
        refuseRequest(response, 503, ErrorCode.ShuttingDown, 'the server is shutting down');
        return true;
      }
      // Sockets are tracked from their first request, so a WebSocket costs nothing here. After
      // that, nothing per request but this: no listener, nothing kept once the socket moves on.
      const socket = request.socket;
      if (!sockets.has(socket)) {
        sockets.add(socket);
        socket.on('close', forget);
      }
      this.responses.set(socket, response);
      return false;
    });
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Closes the listener and idle sockets; from now on new requests get 503 `shutting_down`. */
  begin(): void {
    if (this.draining) return;
    this.draining = true;
    const server = this.server;
    if (server === undefined) return;
    let inFlight = 0;
    for (const socket of this.sockets) {
      const response = this.responses.get(socket);
      if (response === undefined || response.writableEnded) continue;
      inFlight++;
      if (!response.headersSent) response.setHeader('Connection', 'close');
    }
    // The callback waits for every socket, WebSockets included: the shutdown does not.
    if (server.listening) server.close(() => undefined);
    server.closeIdleConnections();
    this.logger.log(`listener closed; ${inFlight} HTTP request(s) in flight`);
  }
}
