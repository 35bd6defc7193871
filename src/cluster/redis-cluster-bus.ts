import { Logger } from '@nestjs/common';
import type { ClusterBus } from './cluster-bus.interface.js';
import { type ClusterMessage, parseClusterMessage } from './cluster-message.js';
import { type RedisConnection, whenReady } from './redis-connection.js';

/**
 * The bus on Redis pub/sub: `<prefix>:to:<instance>` per instance and `<prefix>:all`. The
 * subscriber connection resubscribes by itself after a reconnect.
 */
export class RedisClusterBus implements ClusterBus {
  private readonly logger = new Logger('Cluster');
  private readonly handlers: ((message: ClusterMessage) => void)[] = [];
  private readonly own: string;
  private readonly all: string;

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly instanceId: string,
  ) {
    this.own = `${prefix}:to:${instanceId}`;
    this.all = `${prefix}:all`;
    redis.subscriber.on('message', (channel: string, text: string) => this.receive(channel, text));
  }

  /**
   * Subscribes once the subscriber connection is up (waiting a little for it; later if Redis is
   * down at start). ioredis keeps the subscriptions across reconnects.
   */
  async start(): Promise<void> {
    const subscribe = (): Promise<void> =>
      this.redis.subscriber.subscribe(this.own, this.all).then(
        () => undefined,
        (error: Error) => this.logger.warn(`subscription failed: ${error.message}`),
      );
    if (await whenReady(this.redis.subscriber)) return subscribe();
    this.redis.subscriber.once('ready', () => void subscribe());
  }

  send(instanceId: string, message: ClusterMessage): void {
    this.publish(`${this.prefix}:to:${instanceId}`, message);
  }

  broadcast(message: ClusterMessage): void {
    this.publish(this.all, message);
  }

  subscribe(handler: (message: ClusterMessage) => void): void {
    this.handlers.push(handler);
  }

  close(): Promise<void> {
    this.handlers.length = 0;
    return Promise.resolve();
  }

  private publish(channel: string, message: ClusterMessage): void {
    if (!this.redis.available) return;
    this.redis.client.publish(channel, JSON.stringify(message)).catch((error: Error) => {
      this.logger.debug(`publish failed: ${error.message}`);
    });
  }

  private receive(channel: string, text: string): void {
    if (channel !== this.own && channel !== this.all) return;
    const message = parseClusterMessage(text);
    if (message === null || message.from === this.instanceId) return;
    for (const handler of this.handlers) handler(message);
  }
}
