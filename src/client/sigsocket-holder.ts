import { CloseCode } from '../protocol/close-codes.js';
import { Subprotocol } from '../protocol/v2-frames.js';
import { Approvals, unref } from './approvals.js';
import { backoffDelay, isRetryableClose, reconnectSettings } from './backoff.js';
import type { ClientWire, ClientWireContext } from './client-wire.interface.js';
import { resolveHolderKey, type HolderKey } from './holder-key.js';
import type {
  HolderProtocol,
  HolderState,
  ReconnectOptions,
  SigSocketHolderOptions,
} from './holder-options.interface.js';
import { SOCKET_OPEN, type HolderSocket, type HolderSocketConstructor } from './holder-socket.interface.js';
import { V1ClientWire } from './v1-client-wire.js';
import { V2Answers, V2ClientWire } from './v2-client-wire.js';

export { DEFAULT_DECLINE_REASON, FAILED_DECLINE_REASON } from './v1-answers.js';

/**
 * The key-holder side of SigSocket. It connects to `/ws`, introduces its compressed public key,
 * proves it, then signs (or declines) each request, and reconnects with capped exponential
 * backoff when the connection drops. It speaks protocol v2 unless `protocol: 'v1'` is given.
 *
 * @example
 * const holder = new SigSocketHolder({ url: 'ws://127.0.0.1:8080/ws', secretKey, WebSocket });
 * holder.start();
 * await holder.ready();
 * // ... later
 * await holder.close();
 */
export class SigSocketHolder {
  /** The holder's identity: the compressed public key, lower-case hex. */
  readonly publicKey: string;
  /** The wire protocol spoken. */
  readonly protocol: HolderProtocol;
  private readonly key: HolderKey;
  private readonly approvals: Approvals;
  private readonly answers = new V2Answers();
  private readonly context: ClientWireContext;
  private readonly retry: Required<ReconnectOptions> | null;
  private readonly WebSocketClass: HolderSocketConstructor;
  private socket: HolderSocket | undefined;
  private current: HolderState = 'closed';
  private started = false;
  private halted = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly waiters = new Set<() => boolean>();

  /** Checks the options (throwing a TypeError on a bad one); {@link start} connects. */
  constructor(private readonly options: SigSocketHolderOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new TypeError('url must be ws:// or wss://');
    if (options.protocol !== undefined && options.protocol !== 'v1' && options.protocol !== 'v2') {
      throw new TypeError("protocol must be 'v1' or 'v2'");
    }
    this.protocol = options.protocol ?? 'v2';
    this.key = resolveHolderKey(options);
    this.publicKey = this.key.publicKeyHex;
    const reportError = (error: unknown): void => this.reportError(error);
    this.approvals = new Approvals(this.key, {
      approve: options.approve,
      onCancel: options.onCancel,
      onError: reportError,
    });
    this.context = {
      url: options.url,
      key: this.key,
      approvals: this.approvals,
      proving: () => this.setState('proving'),
      ready: () => this.markReady(),
      reportRequest: (request) => options.onRequest?.(request),
      reportError,
      answerSocket: () =>
        this.current === 'ready' && this.socket?.readyState === SOCKET_OPEN ? this.socket : undefined,
    };
    this.retry = reconnectSettings(options.reconnect);
    this.WebSocketClass = options.WebSocket ?? defaultWebSocket();
  }

  /** The current state. */
  get state(): HolderState {
    return this.current;
  }

  /** True once the holder will not connect again: after {@link close}, a 1008 or 4001 close, or when retrying is off or gave up. */
  get stopped(): boolean {
    return this.halted;
  }

  /** Starts connecting. Calling it again does nothing. */
  start(): this {
    if (this.started || this.halted) return this;
    this.started = true;
    this.connect();
    return this;
  }

  /** Resolves when the holder is (or next becomes) ready; rejects once it has stopped. */
  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (): boolean => {
        if (this.current === 'ready') resolve();
        else if (this.halted) reject(new Error('the holder has stopped'));
        else return false;
        return true;
      };
      if (!settle()) this.waiters.add(settle);
    });
  }

  /**
   * Stops reconnecting and closes the connection with 1000; resolves once it is closed. Requests
   * still being decided are dropped (`onCancel` with `withdrawn`).
   */
  async close(): Promise<void> {
    this.halted = true;
    this.approvals.cancelAll('withdrawn');
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const socket = this.socket;
    if (socket === undefined) return this.setState('closed');
    const closed = new Promise<void>((resolve) => socket.addEventListener('close', () => resolve()));
    socket.close(CloseCode.Normal);
    await closed;
  }

  private connect(): void {
    this.setState('connecting');
    const socket =
      this.protocol === 'v2'
        ? new this.WebSocketClass(this.options.url, [Subprotocol.V2])
        : new this.WebSocketClass(this.options.url);
    this.socket = socket;
    const wire: ClientWire =
      this.protocol === 'v2'
        ? new V2ClientWire(socket, this.context, this.answers)
        : new V1ClientWire(socket, this.context, this.options.proofOfPossession !== false);
    socket.addEventListener('open', () => {
      if (socket === this.socket) wire.open();
    });
    socket.addEventListener('message', (event) => {
      if (socket === this.socket && typeof event.data === 'string') wire.receive(event.data);
    });
    // A close event always follows an error; that is where reconnecting is decided.
    socket.addEventListener('error', () => undefined);
    socket.addEventListener('close', (event) => this.onSocketClose(socket, event.code, event.reason));
  }

  private onSocketClose(socket: HolderSocket, code: number, reason: string): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    this.options.onClose?.(code, reason);
    if (!this.halted && !this.scheduleReconnect(code)) this.halted = true;
    this.setState('closed');
  }

  private scheduleReconnect(code: number): boolean {
    const settings = this.retry;
    if (settings === null || !isRetryableClose(code) || this.attempt >= settings.maxAttempts) return false;
    const delay = backoffDelay(this.attempt++, settings, Math.random);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect();
    }, delay);
    unref(this.retryTimer);
    return true;
  }

  private markReady(): void {
    this.attempt = 0;
    this.setState('ready');
  }

  private setState(state: HolderState): void {
    if (state !== this.current) {
      this.current = state;
      this.options.onStateChange?.(state);
    }
    for (const settle of this.waiters) if (settle()) this.waiters.delete(settle);
  }

  private reportError(error: unknown): void {
    this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
  }
}

function defaultWebSocket(): HolderSocketConstructor {
  const { WebSocket } = globalThis as { WebSocket?: HolderSocketConstructor };
  if (WebSocket === undefined) {
    throw new TypeError(
      'no global WebSocket here: pass one as options.WebSocket (in Node, from the ws package)',
    );
  }
  return WebSocket;
}
