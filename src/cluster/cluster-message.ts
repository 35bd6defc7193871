import type { ErrorCode } from '../protocol/error-codes.js';
import type { ProtocolVersion } from '../protocol/v2-frames.js';
import type { CancelReason } from '../registry/holder-link.interface.js';

/**
 * What instances tell each other. `from` is the sender. Requests keep the caller's id, so that a
 * holder's answer finds its way back whichever instance delivered it.
 */
export type ClusterMessage =
  /** Caller's instance → owner: deliver this request (message in base64) to the key's holder. */
  | {
      t: 'deliver';
      from: string;
      id: string;
      keyId: string;
      message: string;
      deadline: number;
      caller?: string;
      sentAt: number;
    }
  /** Caller's instance → owner: the request needs no answer any more. */
  | { t: 'cancel'; from: string; id: string; reason: CancelReason }
  /** Owner → caller's instance: the holder's signature, in base64 as the holder sent it. */
  | { t: 'answer'; from: string; id: string; signature: string }
  /** Owner → caller's instance: the holder declined. */
  | { t: 'decline'; from: string; id: string; reason: string }
  /** Owner → caller's instance: the request could not be delivered. */
  | { t: 'failed'; from: string; id: string; code: ErrorCode; message: string }
  /** Owner → caller's instance: the key's holder left this instance. */
  | { t: 'left'; from: string; keyId: string }
  /** To all: the key's holder left `from` and is not connected there any more. */
  | { t: 'departed'; from: string; keyId: string }
  /** To all: the key's holder proved itself on `from`. */
  | { t: 'arrived'; from: string; keyId: string; protocol: ProtocolVersion }
  /** New owner → old owner: close your connection for the key with 4001. */
  | { t: 'replaced'; from: string; keyId: string };

export type ClusterMessageType = ClusterMessage['t'];

const TYPES: ReadonlySet<string> = new Set<ClusterMessageType>([
  'deliver',
  'cancel',
  'answer',
  'decline',
  'failed',
  'left',
  'departed',
  'arrived',
  'replaced',
]);

/** Parses a message from the bus; null for anything that is not one (another version, say). */
export function parseClusterMessage(text: string): ClusterMessage | null {
  try {
    const value = JSON.parse(text) as { t?: unknown; from?: unknown } | null;
    if (typeof value !== 'object' || value === null) return null;
    if (typeof value.t !== 'string' || !TYPES.has(value.t) || typeof value.from !== 'string') return null;
    return value as ClusterMessage;
  } catch {
    return null;
  }
}
