import { Logger } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { WebSocketServer } from 'ws';

/**
 * `WsAdapter` for SigSocket's plain-text frames. The gateway reads raw frames itself, so the
 * adapter's JSON dispatch (a `JSON.parse` attempt on every frame) is switched off, and socket
 * errors caused by hostile peers are logged at debug level rather than as server errors.
 * Host apps that import SigSocketModule install it with `app.useWebSocketAdapter(new SigSocketWsAdapter(app))`.
 */
export class SigSocketWsAdapter extends WsAdapter {
  private readonly wsLogger = new Logger(SigSocketWsAdapter.name);

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
}
