import type { Approvals } from './approvals.js';
import type { HolderKey } from './holder-key.js';
import type { HolderRequest } from './holder-options.interface.js';
import type { HolderSocket } from './holder-socket.interface.js';

/** What a connection's protocol needs of the holder around it. */
export interface ClientWireContext {
  /** The URL the holder connects to, exactly as configured: a v2 proof names it. */
  readonly url: string;
  readonly key: HolderKey;
  readonly approvals: Approvals;
  /** The introduction is sent and the holder now proves its key. */
  proving(): void;
  /** The server accepts requests for the key now. */
  ready(): void;
  /** A request arrived, before it is approved. */
  reportRequest(request: HolderRequest): void;
  reportError(error: unknown): void;
  /** Where answers go: the current connection, while it is ready; undefined otherwise. */
  answerSocket(): HolderSocket | undefined;
}

/** One connection's protocol, from the socket's `open` on. */
export interface ClientWire {
  open(): void;
  receive(data: string): void;
}
