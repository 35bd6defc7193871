import type { IncomingMessage } from 'node:http';

/** `trustProxy` as a number of proxy hops: `true` is one, `false` none. */
export function proxyHops(trustProxy: boolean | number): number {
  if (typeof trustProxy === 'boolean') return trustProxy ? 1 : 0;
  return Number.isInteger(trustProxy) && trustProxy > 0 ? trustProxy : 0;
}

/**
 * The client's address. With `hops` trusted proxies it is the `hops`-th `X-Forwarded-For` entry
 * from the right: each proxy appends the address it got the request from, so the entries to the
 * left of what the trusted proxies appended are the client's own writing. A shorter list gives
 * its left-most entry. Without trusted proxies, or without the header, it is the peer address.
 */
export function clientAddress(request: IncomingMessage, hops: number): string {
  const peer = request.socket.remoteAddress ?? 'unknown';
  const forwarded = request.headers['x-forwarded-for'];
  if (hops === 0 || typeof forwarded !== 'string') return peer;
  const entries = forwarded
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) return peer;
  return entries[Math.max(0, entries.length - hops)];
}
