import type { IncomingMessage } from 'node:http';
import { clientAddress, proxyHops } from '../connections/client-address.js';
import { socketStanding } from '../connections/connection-gate.js';

/**
 * `maxConnectionsPerIp` for `/ws`. Exposed directly, behind a ConnectionGate, the server counts
 * every socket of a peer address, HTTP ones included, and this reads the gate's verdict. Behind
 * trusted proxies, or on a server without a gate, connections are counted here by client address.
 */
export class AddressAdmission {
  private readonly counts = new Map<string, number>();
  /** Connections counted here, so that only those are released. */
  private readonly counted = new WeakSet<object>();
  private readonly hops: number;

  constructor(
    private readonly maxPerAddress: number,
    trustProxy: boolean | number,
  ) {
    this.hops = proxyHops(trustProxy);
  }

  addressOf(request: IncomingMessage): string {
    return clientAddress(request, this.hops);
  }

  /** Admits `connection` from `address`, or returns false when its address is over the limit. */
  admit(connection: object, address: string, request: IncomingMessage): boolean {
    const standing = this.hops === 0 ? socketStanding(request.socket) : undefined;
    if (standing !== undefined) return standing !== 'over-address-limit';
    if (this.maxPerAddress === 0) return true;
    const count = this.counts.get(address) ?? 0;
    if (count >= this.maxPerAddress) return false;
    this.counts.set(address, count + 1);
    this.counted.add(connection);
    return true;
  }

  release(connection: object, address: string): void {
    if (!this.counted.delete(connection)) return;
    const count = (this.counts.get(address) ?? 1) - 1;
    if (count <= 0) this.counts.delete(address);
    else this.counts.set(address, count);
  }
}
