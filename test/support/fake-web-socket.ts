import type {
  HolderSocket,
  HolderSocketConstructor,
  HolderSocketEventMap,
} from '../../src/client/holder-socket.interface.js';

type Listener = (event: unknown) => void;

/** An in-memory WebSocket: the test plays the server by calling open, receive and serverClose. */
export class FakeWebSocket implements HolderSocket {
  readyState = 0;
  readonly sent: string[] = [];
  /** The code and reason the holder closed with, if it did. */
  closedWith: { code: number; reason: string } | undefined;
  private readonly listeners = new Map<string, Listener[]>();

  constructor(
    readonly url: string,
    /** The subprotocols offered, as the holder passed them. */
    readonly protocols?: string | string[],
  ) {}

  addEventListener<K extends keyof HolderSocketEventMap>(
    type: K,
    listener: (event: HolderSocketEventMap[K]) => void,
  ): void {
    const list = this.listeners.get(type) ?? [];
    list.push(listener as Listener);
    this.listeners.set(type, list);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(data);
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState >= 2) return;
    this.closedWith = { code, reason };
    this.readyState = 2;
    // Like a real socket, the close event comes later, not inside close().
    queueMicrotask(() => this.serverClose(code, reason));
  }

  open(): void {
    this.readyState = 1;
    this.emit('open', {});
  }

  receive(data: unknown): void {
    this.emit('message', { data });
  }

  serverClose(code: number, reason = ''): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.emit('close', { code, reason });
  }

  private emit(type: string, event: unknown): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

/** A WebSocket class whose instances are recorded, in creation order, in `sockets`. */
export function fakeWebSocketClass(): { WebSocket: HolderSocketConstructor; sockets: FakeWebSocket[] } {
  const sockets: FakeWebSocket[] = [];
  class RecordedWebSocket extends FakeWebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      sockets.push(this);
    }
  }
  return { WebSocket: RecordedWebSocket, sockets };
}
