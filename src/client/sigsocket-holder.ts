import { decodeBase64 } from '../protocol/base64.js';
import { isChallengeMessage } from '../protocol/challenge.js';
import { CloseCode } from '../protocol/close-codes.js';
import { backoffDelay, isRetryableClose, reconnectSettings } from './backoff.js';
import { resolveHolderKey, type HolderKey } from './holder-key.js';
import type { HolderState, ReconnectOptions, SigSocketHolderOptions } from './holder-options.interface.js';
import { SOCKET_OPEN, type HolderSocket, type HolderSocketConstructor } from './holder-socket.interface.js';
import { answerFrame, signedFrame } from './v1-answers.js';

export { DEFAULT_DECLINE_REASON, FAILED_DECLINE_REASON } from './v1-answers.js';

/**
 * The key-holder side of SigSocket. It connects to `/ws`, introduces its compressed public key,
 * answers the proof-of-possession challenge, then signs (or declines) each request, and
 * reconnects with capped exponential backoff when the connection drops.
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
  private readonly key: HolderKey;
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
    this.key = resolveHolderKey(options);
    this.publicKey = this.key.publicKeyHex;
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

  /** Stops reconnecting and closes the connection with 1000; resolves once it is closed. */
  async close(): Promise<void> {
    this.halted = true;
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
    const socket = new this.WebSocketClass(this.options.url);
    this.socket = socket;
    socket.addEventListener('open', () => this.onOpen(socket));
    socket.addEventListener('message', (event) => this.onMessage(socket, event.data));
    // A close event always follows an error; that is where reconnecting is decided.
    socket.addEventListener('error', () => undefined);
    socket.addEventListener('close', (event) => this.onSocketClose(socket, event.code, event.reason));
  }

  private onOpen(socket: HolderSocket): void {
    if (socket !== this.socket) return;
    socket.send(this.publicKey);
    if (this.options.proofOfPossession === false) this.markReady();
    else this.setState('proving');
  }

  private onMessage(socket: HolderSocket, data: unknown): void {
    if (socket !== this.socket || typeof data !== 'string') return;
    const message = decodeBase64(data);
    if (message === null) return this.reportError(new Error('the server sent a frame that is not base64'));
    if (isChallengeMessage(message)) {
      void this.answerChallenge(socket, data, message);
      return;
    }
    // A server without proof of possession sends requests straight away.
    if (this.current === 'proving') this.markReady();
    this.options.onRequest?.({ message, messageBase64: data });
    void this.answerRequest(data, message);
  }

  /** Challenges prove the key to the server; they are always signed, never shown to `approve`. */
  private async answerChallenge(socket: HolderSocket, frame: string, message: Uint8Array): Promise<void> {
    try {
      const reply = await signedFrame(this.key, frame, message);
      if (socket !== this.socket || socket.readyState !== SOCKET_OPEN) return;
      socket.send(reply);
      this.markReady();
    } catch (error) {
      this.reportError(error);
    }
  }

  private async answerRequest(frame: string, message: Uint8Array): Promise<void> {
    const reply = await answerFrame(this.key, this.options.approve, frame, message, (error) =>
      this.reportError(error),
    );
    // The server matches answers by message bytes, so whichever connection is open now will do.
    const socket = this.socket;
    if (socket !== undefined && socket.readyState === SOCKET_OPEN) socket.send(reply);
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

/** In Node, a pending retry must not keep the process alive on its own. */
function unref(timer: unknown): void {
  (timer as { unref?: () => void } | undefined)?.unref?.();
}
