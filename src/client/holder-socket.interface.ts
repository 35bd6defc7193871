/** The events the holder listens to; both `ws` and the browser's WebSocket deliver them. */
export interface HolderSocketEventMap {
  open: unknown;
  message: { readonly data: unknown };
  close: { readonly code: number; readonly reason: string };
  error: unknown;
}

/**
 * The part of the standard WebSocket API the holder uses. The browser's `WebSocket` and the
 * `ws` package's `WebSocket` both fit.
 */
export interface HolderSocket {
  readonly readyState: number;
  /** The subprotocol the server chose; empty when none. */
  readonly protocol?: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener<K extends keyof HolderSocketEventMap>(
    type: K,
    listener: (event: HolderSocketEventMap[K]) => void,
  ): void;
}

/** A WebSocket class: `WebSocket` from `ws` in Node, `globalThis.WebSocket` in browsers. */
export type HolderSocketConstructor = new (url: string, protocols?: string | string[]) => HolderSocket;

/** `readyState` of an open socket, the same in every WebSocket implementation. */
export const SOCKET_OPEN = 1;
