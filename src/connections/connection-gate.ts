import { Logger } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ErrorCode } from '../protocol/error-codes.js';
import { PROBE_RESERVE_SOCKETS } from '../sigsocket.constants.js';
import { refuseRequest } from './error-response.js';
import { RequestFront } from './request-front.js';
import { sharedCloseListener } from './shared-close-listener.js';

/** How a socket was let in: fully, for probes only (above the cap), or over its address's limit. */
export type SocketStanding = 'admitted' | 'probes-only' | 'over-address-limit';

export interface ConnectionGateOptions {
  /** Sockets open at once, WebSocket and HTTP alike. */
  maxConnections: number;
  /** Sockets open at once from one peer address; 0 is unlimited. */
  maxPerAddress: number;
}

/** Health probes and metric scrapes: what the reserve above the cap is kept for. */
const PROBE_PATH = /^\/(?:health(?:[/?]|$)|metrics(?:\?|$))/;
/** A probe sends its request at once; a reserve socket that has not within this is closed. */
const PROBE_REQUEST_WAIT_MS = 1_000;
/** At most one warning this often while sockets are being refused. */
const WARN_INTERVAL_MS = 60_000;

const standings = new WeakMap<Socket, SocketStanding>();

/** How the connection gate of the socket's server let it in; undefined when no gate watches it. */
export function socketStanding(socket: Socket): SocketStanding | undefined {
  return standings.get(socket);
}

/**
 * Caps the sockets a server holds open, WebSocket and HTTP alike, from accept to close. Above
 * `maxConnections`, {@link PROBE_RESERVE_SOCKETS} more are accepted for one `/health*` or
 * `/metrics` request each: every other request on them gets 503 `too_many_connections`, and a
 * WebSocket upgrade 503 (SigSocketWsAdapter). A reserve socket must send its request within a
 * second, and a newer socket takes the place of the oldest one still waiting, so that clients
 * that hold sockets open cannot keep probes out. When no place can be made, a socket is closed
 * as soon as it is accepted: the process never runs out of descriptors. Sockets over
 * `maxPerAddress` from one peer get 503 for any request, and close 1013 as WebSockets
 * (SigSocketGateway).
 */
export class ConnectionGate {
  private readonly logger = new Logger(ConnectionGate.name);
  private readonly perAddress = new Map<string, number>();
  /** Open sockets, each with the address it is counted under (when addresses are counted). */
  private readonly open = new Map<Socket, string | undefined>();
  /** Reserve sockets whose request has not arrived, oldest first, with their deadlines. */
  private readonly waiting = new Map<Socket, NodeJS.Timeout>();
  private warnedAt = -Infinity;
  private readonly onSocketClose = sharedCloseListener((socket) => this.release(socket));

  constructor(private readonly options: ConnectionGateOptions) {}

  /** Watches `server`'s sockets. Call it once the app's request listener is in place. */
  attach(server: Server): void {
    server.on('connection', (socket: Socket) => this.admit(socket));
    RequestFront.of(server).check((request, response) => this.refuses(request, response));
    const { maxConnections, maxPerAddress } = this.options;
    const perAddress = maxPerAddress > 0 ? `, ${maxPerAddress} per address` : '';
    this.logger.log(
      `at most ${maxConnections} connections (+${PROBE_RESERVE_SOCKETS} for probes)${perAddress}`,
    );
  }

  private admit(socket: Socket): void {
    const { maxConnections, maxPerAddress } = this.options;
    if (this.open.size >= maxConnections + PROBE_RESERVE_SOCKETS && !this.evictOldestWaiting()) {
      this.warn();
      socket.destroy();
      return;
    }
    const address = maxPerAddress > 0 ? (socket.remoteAddress ?? 'unknown') : undefined;
    const fromAddress = address === undefined ? 0 : (this.perAddress.get(address) ?? 0) + 1;
    if (address !== undefined) this.perAddress.set(address, fromAddress);
    this.open.set(socket, address);
    socket.on('close', this.onSocketClose);
    if (this.open.size > maxConnections) {
      this.warn();
      standings.set(socket, 'probes-only');
      const deadline = setTimeout(() => socket.destroy(), PROBE_REQUEST_WAIT_MS);
      deadline.unref();
      this.waiting.set(socket, deadline);
    } else {
      standings.set(
        socket,
        maxPerAddress > 0 && fromAddress > maxPerAddress ? 'over-address-limit' : 'admitted',
      );
    }
  }

  /** Closes the oldest reserve socket still waiting for its request; false when there is none. */
  private evictOldestWaiting(): boolean {
    const oldest = this.waiting.keys().next();
    if (oldest.done === true) return false;
    // Destroying closes the descriptor at once, so the socket is counted out at once too.
    this.release(oldest.value);
    oldest.value.destroy();
    return true;
  }

  /** Counts a socket out, once. */
  private release(socket: Socket): void {
    this.stopWaiting(socket);
    if (!this.open.has(socket)) return;
    const address = this.open.get(socket);
    this.open.delete(socket);
    if (address === undefined) return;
    const count = (this.perAddress.get(address) ?? 1) - 1;
    if (count <= 0) this.perAddress.delete(address);
    else this.perAddress.set(address, count);
  }

  private stopWaiting(socket: Socket): void {
    clearTimeout(this.waiting.get(socket));
    this.waiting.delete(socket);
  }

  /** Answers the request itself, with 503, when its socket may not carry it. */
  private refuses(request: IncomingMessage, response: ServerResponse): boolean {
    const standing = standings.get(request.socket);
    if (standing === undefined || standing === 'admitted') return false;
    this.stopWaiting(request.socket);
    if (standing === 'probes-only' && PROBE_PATH.test(request.url ?? '')) {
      response.setHeader('Connection', 'close');
      return false;
    }
    refuseRequest(
      response,
      503,
      ErrorCode.TooManyConnections,
      standing === 'probes-only'
        ? 'the server is at its connection limit'
        : 'too many connections from this address',
    );
    return true;
  }

  private warn(): void {
    const now = Date.now();
    if (now - this.warnedAt < WARN_INTERVAL_MS) return;
    this.warnedAt = now;
    this.logger.warn(
      `${this.open.size} sockets open, MAX_CONNECTIONS=${this.options.maxConnections}: new connections ` +
        `are refused, ${PROBE_RESERVE_SOCKETS} more are kept for probes`,
    );
  }
}
