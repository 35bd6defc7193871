import type { ClusterMessage } from './cluster-message.js';

/** Messages between instances: one channel per instance, and one that every instance hears. */
export interface ClusterBus {
  /** Sends to one instance; dropped if it is gone. */
  send(instanceId: string, message: ClusterMessage): void;
  /** Sends to every other instance. */
  broadcast(message: ClusterMessage): void;
  /** Every message meant for this instance, in arrival order. */
  subscribe(handler: (message: ClusterMessage) => void): void;
  close(): Promise<void>;
}
