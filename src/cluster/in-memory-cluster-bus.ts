import type { ClusterBus } from './cluster-bus.interface.js';
import type { ClusterMessage } from './cluster-message.js';
import type { InMemoryCluster } from './in-memory-cluster.js';

/** The bus between instances of one process; messages arrive asynchronously, as over a network. */
export class InMemoryClusterBus implements ClusterBus {
  constructor(
    private readonly cluster: InMemoryCluster,
    private readonly instanceId: string,
  ) {}

  send(instanceId: string, message: ClusterMessage): void {
    for (const handler of this.cluster.handlers.get(instanceId) ?? []) queueMicrotask(() => handler(message));
  }

  broadcast(message: ClusterMessage): void {
    for (const instanceId of this.cluster.handlers.keys()) {
      if (instanceId !== this.instanceId) this.send(instanceId, message);
    }
  }

  subscribe(handler: (message: ClusterMessage) => void): void {
    const handlers = this.cluster.handlers.get(this.instanceId) ?? [];
    handlers.push(handler);
    this.cluster.handlers.set(this.instanceId, handlers);
  }

  close(): Promise<void> {
    this.cluster.handlers.delete(this.instanceId);
    return Promise.resolve();
  }
}
