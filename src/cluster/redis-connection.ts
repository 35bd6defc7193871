import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { ClusterHealth } from './cluster-health.interface.js';

const MAX_RETRY_DELAY_MS = 1_000;
const FIRST_CONNECT_WAIT_MS = 5_000;
/** How long a closing connection may take to end before shutdown goes on without it. */
const QUIT_WAIT_MS = 1_000;

/** The text of a Redis error, with the URL's password taken out should it ever appear. */
export function redactRedisError(error: Error, url: string): string {
  const password = passwordOf(url);
  return password === '' ? error.message : error.message.split(password).join('***');
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

/**
 * Two connections to one Redis: one for commands, one for subscriptions. Errors are always
 * handled; both reconnect by themselves; `available` is true while the command connection is up.
 */
export class RedisConnection implements ClusterHealth {
  readonly clustered = true;
  readonly client: Redis;
  readonly subscriber: Redis;
  private readonly logger = new Logger('Cluster');
  private readonly listeners: ((available: boolean) => void)[] = [];
  private up = false;
  private closed = false;
  private lastError = '';

  constructor(private readonly url: string) {
    this.client = this.open('commands');
    this.subscriber = this.open('subscriptions');
    this.client.on('ready', () => this.changed(true));
    this.client.on('close', () => this.changed(false));
  }

  get available(): boolean {
    return this.up;
  }

  onChange(listener: (available: boolean) => void): void {
    this.listeners.push(listener);
  }

  /** Waits a little for the first connection; the server starts either way, as during an outage. */
  async connected(): Promise<void> {
    if (!(await whenReady(this.client))) {
      this.logger.warn('Redis is not reachable yet; serving local holders only until it is');
    }
  }

  /** Quits both connections and resolves once their sockets are closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.length = 0;
    await Promise.all([this.client, this.subscriber].map((redis) => quit(redis)));
  }

  private open(role: string): Redis {
    const redis = new Redis(this.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RETRY_DELAY_MS),
      lazyConnect: false,
    });
    redis.on('error', (error: Error) => this.onError(role, error));
    return redis;
  }

  /** Each different error is logged once, not once per reconnect attempt. */
  private onError(role: string, error: Error): void {
    const text = redactRedisError(error, this.url);
    if (text === this.lastError) return;
    this.lastError = text;
    this.logger.warn(`Redis ${role} connection: ${text}`);
  }

  private changed(up: boolean): void {
    if (up === this.up || this.closed) return;
    this.up = up;
    if (up) this.lastError = '';
    this.logger.log(up ? 'Redis connection is up' : 'Redis connection is down');
    for (const listener of this.listeners) listener(up);
  }
}

/** Resolves true once `redis` is ready, or false if it is not within the first-connect wait. */
export function whenReady(redis: Redis): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), FIRST_CONNECT_WAIT_MS);
    timer.unref();
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function quit(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  const ended = new Promise((done) => redis.once('end', done));
  if (redis.status === 'ready') {
    await redis.quit().catch(() => redis.disconnect());
  } else {
    redis.disconnect();
  }
  await new Promise<void>((done) => {
    const timer = setTimeout(done, QUIT_WAIT_MS);
    timer.unref();
    void ended.then(() => {
      clearTimeout(timer);
      done();
    });
  });
}
